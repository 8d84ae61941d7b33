// The Zod schemas the loyalty routes share (routes.ts, reward-routes.ts).
import { z } from '../../platform/validation.js';

export const tags = ['loyalty'];
export const Id = z.string().min(1).max(64);
export const CustomerIdParam = z.object({ id: Id });
export const IdempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .refine((k) => !/^(event|sys|merge|cancel|engagement|referral):/.test(k), 'prefixes event:, sys:, merge:, cancel:, engagement: and referral: are reserved');
export const Points = z.number().int('must be a whole number of points').positive('must be positive').max(100_000_000);
export const Money = z.number().finite().positive('must be positive').max(1e12);

export const Balance = z.object({ available: z.number(), pending: z.number(), debt: z.number() });
export const LedgerResult = z.object({
  transaction_id: z.string(), customer_id: z.string(), kind: z.string(), reason: z.string(), points: z.number(), balance: Balance,
}).loose().meta({ id: 'LoyaltyLedgerResult' });
