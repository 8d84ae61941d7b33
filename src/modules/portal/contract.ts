// The portal module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';
import { CHANNELS, channelName } from '../customers/contract.js';

/** A contact window in the customer's local hours (days 1 = Monday … 7). */
export const ContactWindow = z
  .object({ start: z.string(), end: z.string(), days: z.array(z.number()) })
  .loose()
  .nullable();
export { CHANNELS };
export const PURPOSES = ['transactional', 'service', 'marketing'] as const;
export const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');
export const LanguageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as zh-CN');
export const Name = z.string().trim().min(1).max(200).nullable();
export const Slug = z.string().min(1).max(100);
export const SignInBody = z.object({ tenant: Slug, email: z.string().email().max(320), locale: LanguageTag.optional() }).strict();
export type SignInBody = z.infer<typeof SignInBody>;
// One object rather than a union, so that a bad field is named: a code with its email, or a link token.
export const VerifyBody = z
  .object({
    tenant: Slug,
    email: z.string().email().max(320).optional(),
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6-digit code')
      .optional(),
    token: z
      .string()
      .min(10)
      .max(200)
      .regex(/^[A-Za-z0-9_.-]+$/, 'is not a sign-in link token')
      .optional(),
  })
  .strict();
export type VerifyBody = z.infer<typeof VerifyBody>;
export const Me = z.object({
  id: z.string(),
  tenant_name: z.string().nullable(),
  given_name: z.string().nullable(),
  family_name: z.string().nullable(),
  display_name: z.string().nullable(),
  locale: z.string().nullable(),
  timezone: z.string().nullable(),
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  preferences: z
    .object({ channels: z.array(z.string()), contact_window: ContactWindow, max_messages_per_week: z.number().nullable(), language: z.string().nullable() })
    .nullable(),
  consent: z.array(z.object({ channel: z.string(), purpose: z.string(), status: z.string(), recorded_at: z.string() })),
  activity: z.object({ first_seen_at: z.string().nullable(), order_count: z.number() }),
});
export type Me = z.infer<typeof Me>;
export const PatchMe = z
  .object({ given_name: Name.optional(), family_name: Name.optional(), display_name: Name.optional(), locale: LanguageTag.nullable().optional() })
  .strict();
export type PatchMe = z.infer<typeof PatchMe>;
export const PreferencesBody = z
  .object({
    channels: z
      .array(channelName(CHANNELS))
      .max(CHANNELS.length)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a channel'),
    contact_window: z
      .object({ start: Clock, end: Clock, days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6, 7]) })
      .nullable(),
    max_messages_per_week: z.number().int().min(0).max(100).nullable(),
    language: LanguageTag.nullable(),
  })
  .strict();
export type PreferencesBody = z.infer<typeof PreferencesBody>;
export const ConsentBody = z.object({ channel: channelName(CHANNELS), purpose: z.enum(PURPOSES), status: z.enum(['granted', 'withdrawn']) }).strict();
export type ConsentBody = z.infer<typeof ConsentBody>;
export const Loyalty = z.object({
  points: z.object({ available: z.number(), pending: z.number(), expiring: z.number(), expiring_at: z.string().nullable() }),
  tier: z.object({ id: z.string().nullable(), name: z.string().nullable(), next_name: z.string().nullable(), to_next: z.number().nullable() }),
  rewards: z.array(
    z.object({
      id: z.string(),
      offer_id: z.string().nullable(),
      name: z.string(),
      description: z.string().nullable(),
      cost_points: z.number(),
      in_stock: z.boolean(),
      is_affordable: z.boolean(),
    }),
  ),
});
export type Loyalty = z.infer<typeof Loyalty>;
export const PointsLine = z.object({
  transaction_id: z.string(),
  at: z.string(),
  movement: z.enum(['earned', 'pending', 'released', 'spent', 'expired', 'refunded', 'returned', 'adjusted']),
  reason: z.string(),
  reference: z.string().nullable(),
  points: z.number(),
  pending: z.number(),
});
export type PointsLine = z.infer<typeof PointsLine>;
export const Voucher = z.object({
  redemption_id: z.string(),
  reward_id: z.string(),
  reward_name: z.string(),
  code: z.string(),
  points: z.number(),
  status: z.enum(['issued', 'used', 'cancelled', 'expired']),
  issued_at: z.string(),
  expires_at: z.string(),
  used_at: z.string().nullable(),
});
export type Voucher = z.infer<typeof Voucher>;
export const Redeemed = z.object({ voucher_code: z.string(), expires_at: z.string(), points: z.number(), loyalty: Loyalty });
export type Redeemed = z.infer<typeof Redeemed>;
export const RedeemBody = z
  .object({
    reward_id: z.string().min(1).max(64),
    offer_id: z.string().min(1).max(64).optional(),
    idempotency_key: z
      .string()
      .min(8)
      .max(200)
      .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _.:- only'),
  })
  .strict();
export type RedeemBody = z.infer<typeof RedeemBody>;
export const TimelineQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(30), cursor: z.string().max(300).optional() });
export const MyTimeline = z.object({
  data: z.array(z.object({ id: z.string(), type: z.string(), occurred_at: z.string(), source: z.string(), properties: z.record(z.string(), z.unknown()) })),
  next_cursor: z.string().nullable(),
});
export type MyTimeline = z.infer<typeof MyTimeline>;
export type Channel = (typeof CHANNELS)[number];
export type Purpose = (typeof PURPOSES)[number];
