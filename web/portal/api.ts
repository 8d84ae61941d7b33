// The portal API as the customer's browser calls it, typed by the portal module's contract; and the
// signed-in customer's profile as one cached query every screen reads and updates.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsentBody, Loyalty, Me, MyTimeline, PatchMe, PointsLine, PreferencesBody, Redeemed, Voucher } from '../../src/modules/portal/contract.js';
import { api, ApiError, get, qs } from '../shared/api.js';

export type { Channel, Loyalty, Me, PointsLine, Purpose, Redeemed, Voucher } from '../../src/modules/portal/contract.js';
export type TimelineItem = MyTimeline['data'][number];

export const startSignIn = (body: { tenant: string; email: string; locale?: string }) => api<void>('POST', '/v1/portal/sign-in', body);
export const verifySignIn = (body: { tenant: string; email?: string; code?: string; token?: string }) =>
  api<unknown>('POST', '/v1/portal/sign-in/verify', body);
export const signOut = () => api<void>('POST', '/v1/portal/sign-out');
export const getMe = () => get<Me>('/v1/portal/me');
export const updateMe = (patch: PatchMe) => api<Me>('PATCH', '/v1/portal/me', patch);
export const setPreferences = (body: PreferencesBody) => api<Me>('PUT', '/v1/portal/me/preferences', body);
export const recordConsent = (body: ConsentBody) => api<Me>('POST', '/v1/portal/me/consent', body);
export const getLoyalty = () => get<Loyalty>('/v1/portal/me/loyalty');
export const redeem = (body: { reward_id: string; offer_id?: string; idempotency_key: string }) => api<Redeemed>('POST', '/v1/portal/me/redemptions', body);
export const listVouchers = () => get<{ data: Voucher[] }>('/v1/portal/me/vouchers');
export const listPoints = () => get<{ data: PointsLine[] }>('/v1/portal/me/points');
export const getTimeline = (cursor?: string) => get<MyTimeline>(`/v1/portal/me/timeline${qs({ limit: 30, cursor })}`);
export const eraseMe = () => api<unknown>('POST', '/v1/portal/me/erase', { confirm: true });
/** The export downloads as a plain link: the browser sends the session cookie with it. */
export const EXPORT_URL = '/v1/portal/me/export';

/** The signed-in customer, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: ['portal-me'],
    queryFn: async () => {
      try {
        return await getMe();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
  });
}

export function useSetMe() {
  const qc = useQueryClient();
  return (me: Me) => qc.setQueryData(['portal-me'], me);
}
