// The engagement actions that can earn points, in the order the programme editor lists them, and the
// editor's reading of its number and optional text fields.
import { everyOf } from '../../../shared/contract.js';
import type { EngagementKind } from '../../api/loyalty.js';

export const ENGAGEMENTS = everyOf<EngagementKind>()(['review', 'survey', 'referral', 'share', 'check_in', 'profile_completed']);

export const num = (v: string) => (v === '' ? 0 : Number(v));

export const opt = (v: string) => (v.trim() ? v.trim() : undefined);
