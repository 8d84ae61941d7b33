// The tenant's analytics settings: what an agent hour costs, minutes per case action, the staffed hours
// coverage is measured against (and the zone they are in), and who gets the weekly digest.
import type { Queryable } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { isTimeZone, z } from '../../platform/validation.js';
import { analyticsSettings } from './schema.js';

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const AnalyticsSettings = z
  .object({
    hourly_cost: z.number().finite().min(0).max(1e6),
    minutes_per_action: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    timezone: z.string().min(1).max(64).refine(isTimeZone, 'not an IANA time zone'),
    staffed_hours: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.tuple([Clock, Clock])),
    digest_recipients: z.array(z.email()).max(50),
  })
  .meta({ id: 'AnalyticsSettings' });
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;

export const DEFAULT_SETTINGS: AnalyticsSettings = {
  hourly_cost: 30,
  minutes_per_action: 6,
  timezone: 'UTC',
  staffed_hours: { 1: ['09:00', '18:00'], 2: ['09:00', '18:00'], 3: ['09:00', '18:00'], 4: ['09:00', '18:00'], 5: ['09:00', '18:00'] },
  digest_recipients: [],
};

// hourly_cost is read as float8: numeric comes back as a string.
const Settings = rowOf(analyticsSettings, ['minutes_per_action', 'timezone', 'staffed_hours', 'digest_recipients']).and<{ hourly_cost: number }>([
  'hourly_cost',
]);

export async function readSettings(db: Queryable, tenantId: string): Promise<AnalyticsSettings> {
  const r = await queryRow(
    db,
    Settings,
    'SELECT hourly_cost::float8 AS hourly_cost, minutes_per_action, timezone, staffed_hours, digest_recipients FROM analytics_settings WHERE tenant_id = $1',
    [tenantId],
  );
  // staffed_hours is the JSON saveSettings wrote, checked by AnalyticsSettings on the way in.
  return r ? { ...r, staffed_hours: r.staffed_hours as AnalyticsSettings['staffed_hours'] } : DEFAULT_SETTINGS;
}

export async function saveSettings(db: Queryable, tenantId: string, s: AnalyticsSettings): Promise<AnalyticsSettings> {
  await db.query(
    `INSERT INTO analytics_settings (tenant_id, hourly_cost, minutes_per_action, timezone, staffed_hours, digest_recipients, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id) DO UPDATE SET hourly_cost = $2, minutes_per_action = $3, timezone = $4, staffed_hours = $5, digest_recipients = $6, updated_at = now()`,
    [tenantId, s.hourly_cost, s.minutes_per_action, s.timezone, JSON.stringify(s.staffed_hours), s.digest_recipients],
  );
  return readSettings(db, tenantId);
}
