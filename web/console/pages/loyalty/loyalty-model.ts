// The loyalty programme as the console edits it, and the engagement actions that can earn points.

export interface Rate {
  id: string;
  tier?: string;
  category?: string;
  store_id?: string;
  rate: number;
}

export interface Tier {
  id: string;
  name: string;
  threshold: number;
  earn_multiplier: number;
  priority_routing: boolean;
}

export interface Program {
  point_value: number;
  expected_redemption_rate: number;
  pending_days: number;
  expiry: { policy: 'never' | 'fixed_days' | 'end_of_month' | 'end_of_year'; days: number; months: number; years: number; warning_days: number };
  purchase: { base_rate: number; rates: Rate[]; campaigns: unknown[]; caps: { per_purchase?: number; per_customer_per_day?: number } };
  engagement: Partial<Record<Engagement, { points: number; max_per_day?: number; max_per_month?: number; max_total?: number }>>;
  tiers: Tier[];
  tier_qualification: { metric: 'points' | 'spend'; window: string; rolling_days: number; grace_days: number };
  [k: string]: unknown;
}

type Engagement = 'review' | 'survey' | 'referral' | 'share' | 'check_in' | 'profile_completed';

export const ENGAGEMENTS: Engagement[] = ['review', 'survey', 'referral', 'share', 'check_in', 'profile_completed'];

export const num = (v: string) => (v === '' ? 0 : Number(v));

export const opt = (v: string) => (v.trim() ? v.trim() : undefined);
