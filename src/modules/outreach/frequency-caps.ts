// Frequency caps across every channel, per customer and purpose. A message at time t counts against
// another when they are less than a day (or a week) apart, before or after: that is the
// conservative reading of "at most N a day", and it holds for messages already queued for later.
// The customer's own weekly maximum covers marketing and service together.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { Purpose } from '../customers/index.js';
import { outreachMessages } from './schema.js';
import type { CapRule } from './settings.js';

const Counted = rowOf(outreachMessages, ['purpose', 'scheduled_at']);

/** Statuses that count: what was sent or will be. Dropped, suppressed, failed and cancelled do not. */
export const COUNTED_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'opened', 'clicked', 'bounced'];
const DAY = 86_400_000;

export type CapOutcome = { isOver: false } | { isOver: true; rule: 'drop' | 'defer'; why: 'cap_day' | 'cap_week' | 'customer_max_per_week'; deferUntil: Date };

export async function checkCaps(
  db: Queryable,
  tenantId: string,
  customerId: string,
  purpose: Purpose,
  at: Date,
  rule: CapRule,
  customerMaxPerWeek: number | null,
): Promise<CapOutcome> {
  const isPersonalCapped = purpose !== 'transactional' && customerMaxPerWeek != null;
  if (rule.per_day == null && rule.per_week == null && !isPersonalCapped) return { isOver: false };
  const rows = await queryRows(
    db,
    Counted,
    `SELECT purpose, scheduled_at FROM outreach_messages
      WHERE tenant_id = $1 AND customer_id = $2 AND purpose = ANY($3::text[]) AND status = ANY($4::text[])
        AND scheduled_at > $5::timestamptz - interval '7 days' AND scheduled_at < $5::timestamptz + interval '7 days'`,
    [tenantId, customerId, purpose === 'transactional' ? ['transactional'] : ['marketing', 'service'], COUNTED_STATUSES, at],
  );
  const t = at.getTime();
  const near = (window: number, purposes: string[]) =>
    rows.filter((r) => purposes.includes(r.purpose) && Math.abs(r.scheduled_at.getTime() - t) < window).map((r) => r.scheduled_at.getTime());
  const until = (times: number[], window: number) => new Date(Math.max(...times) + window);
  const day = near(DAY, [purpose]);
  if (rule.per_day != null && day.length >= rule.per_day) return { isOver: true, rule: rule.over_cap, why: 'cap_day', deferUntil: until(day, DAY) };
  const week = near(7 * DAY, [purpose]);
  if (rule.per_week != null && week.length >= rule.per_week) return { isOver: true, rule: rule.over_cap, why: 'cap_week', deferUntil: until(week, 7 * DAY) };
  if (isPersonalCapped) {
    const both = near(7 * DAY, ['marketing', 'service']);
    if (both.length >= customerMaxPerWeek!) return { isOver: true, rule: rule.over_cap, why: 'customer_max_per_week', deferUntil: until(both, 7 * DAY) };
  }
  return { isOver: false };
}
