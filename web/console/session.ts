// The signed-in console user: who, which tenant, which role, which language.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18next from 'i18next';
import { api, ApiError, get } from '../shared/api.js';
import type { MeOut, MePatch } from '../../src/platform/auth-contract.js';
import { isLanguage, setLanguage, type Language } from '../shared/i18n.js';

export type Me = MeOut;

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const me = await get<Me>('/v1/auth/me');
        // The language a person chose follows them to any browser they sign in from.
        if (isLanguage(me.locale) && me.locale !== i18next.language) await setLanguage(me.locale);
        return me;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export const isAdmin = (me: Me | null | undefined) => !!me?.scopes.includes('admin');

/**
 * Whether the navigation offers a screen to this person, drawn where the API draws it: every settings
 * route takes the admin scope, so only admins see Settings; outreach writes to every customer, a
 * manager's decision (its page keeps agents out too), so agents do not see it.
 */
export function canOpen(me: Me | null | undefined, screen: string): boolean {
  if (screen === 'settings') return isAdmin(me);
  if (screen === 'outreach') return isAdmin(me) || me?.role === 'manager';
  return true;
}

export function useChangeLanguage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (lng: Language) => {
      await setLanguage(lng);
      const me = qc.getQueryData<Me | null>(['me']);
      if (me?.kind === 'user') return api<Me>('PATCH', '/v1/auth/me', { locale: lng } satisfies MePatch);
      return me ?? null;
    },
    onSuccess: (me) => {
      if (me) qc.setQueryData(['me'], me);
    },
  });
}
