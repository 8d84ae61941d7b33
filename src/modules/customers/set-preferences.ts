// The customer's own rules for being contacted: ranked channels, a contact window in their local
// hours, a weekly cap and a language. Outreach reads these and never overrides them.
import type pg from 'pg';
import { z, patchOf } from '../../platform/validation.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { CHANNELS, channelName } from './channel-names.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { customerPreferences } from './schema.js';

const Current = rowOf(customerPreferences, ['channels', 'contact_window', 'max_messages_per_week', 'language']);

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');

export const Preferences = z.object({
  channels: z
    .array(channelName(CHANNELS))
    .max(CHANNELS.length)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a channel')
    .default([]),
  contact_window: z
    .object({ start: Clock, end: Clock, days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6, 7]) })
    .nullable()
    .default(null),
  max_messages_per_week: z.number().int().min(0).max(100).nullable().default(null),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as zh-CN')
    .nullable()
    .default(null),
});
export type Preferences = z.infer<typeof Preferences>;
export const PreferencesPatch = patchOf(Preferences).strict();
export type PreferencesPatch = z.infer<typeof PreferencesPatch>;

export async function setPreferences(tx: pg.PoolClient, tenantId: string, customerId: string, p: Preferences, actor: Actor) {
  await tx.query(
    `INSERT INTO customer_preferences (tenant_id, customer_id, channels, contact_window, max_messages_per_week, language, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6, now())
     ON CONFLICT (tenant_id, customer_id) DO UPDATE SET channels = excluded.channels, contact_window = excluded.contact_window,
       max_messages_per_week = excluded.max_messages_per_week, language = excluded.language, updated_at = now()`,
    [tenantId, customerId, p.channels, p.contact_window ? JSON.stringify(p.contact_window) : null, p.max_messages_per_week, p.language],
  );
  await writeAudit(tx, tenantId, actor, 'customer.preferences.set', { type: 'customer', id: customerId });
}

/** Changes only the preferences named: `{"language":"zh-CN"}` keeps the ranked channels. */
export async function updatePreferences(tx: pg.PoolClient, tenantId: string, customerId: string, patch: PreferencesPatch, actor: Actor) {
  const cur = await queryRow(
    tx,
    Current,
    'SELECT channels, contact_window, max_messages_per_week, language FROM customer_preferences WHERE tenant_id = $1 AND customer_id = $2 FOR UPDATE',
    [tenantId, customerId],
  );
  const current = Preferences.parse(cur ? { ...cur, channels: cur.channels ?? [] } : {});
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await setPreferences(tx, tenantId, customerId, { ...current, ...defined }, actor);
}
