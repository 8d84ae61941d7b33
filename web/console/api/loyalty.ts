// The loyalty API as the console's loyalty admin calls it (the programme, the dry run, tier reviews,
// the rewards catalogue, the finance view), typed by the loyalty module's contract.
import type { DryRunResult, LiabilityReport, MemberBalance, Program, Reward, Statement, TierReview } from '../../../src/modules/loyalty/contract.js';
import { api, get, qs } from '../../shared/api.js';

export type { EngagementKind, LiabilityReport, MemberBalance, Program, Reward, Statement } from '../../../src/modules/loyalty/contract.js';
export type Tier = Program['tiers'][number];
export type Rate = Program['purchase']['rates'][number];
export const getProgram = () => get<Program>('/v1/loyalty/program');
export const saveProgram = (p: Program) => api<Program>('PUT', '/v1/loyalty/program', p);
export const reviewTiers = () => api<TierReview & { status_url: string }>('POST', '/v1/loyalty/tiers/review');
export const dryRunPurchase = (body: {
  tier: string | null;
  purchase: { amount: number; store_id?: string; items?: { category?: string; price?: number; quantity?: number }[] };
}) => api<DryRunResult>('POST', '/v1/loyalty/rules/dry-run', body);
export const listRewards = () => get<{ data: Reward[] }>('/v1/loyalty/rewards');
export const createReward = (body: { name: string; cost_points: number; stock?: number; description?: string }) =>
  api<Reward>('POST', '/v1/loyalty/rewards', body);
export const setRewardActive = (id: string, isActive: boolean) =>
  api<Reward>('PATCH', `/v1/loyalty/rewards/${encodeURIComponent(id)}`, { is_active: isActive });
export const getLiability = () => get<LiabilityReport>('/v1/loyalty/liability');
const member = (id: string) => `/v1/loyalty/customers/${encodeURIComponent(id)}`;
export const getBalance = (customerId: string) => get<MemberBalance>(`${member(customerId)}/balance`);
export const getStatement = (customerId: string, q: { from?: string; to?: string } = {}) => get<Statement>(`${member(customerId)}/statement${qs(q)}`);
