// A tenant's widget key and the sites allowed to post with it. The key is publishable: it only lets a
// page post feedback for the tenant, so it is stored as it is and shown to admins.
import type pg from 'pg';
import { randomToken } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { widgetSettings } from './schema.js';

const KeyAndOrigins = rowOf(widgetSettings, ['key', 'allowed_origins']);

export interface WidgetSettings {
  key: string | null;
  allowed_origins: string[];
}

export async function getWidgetSettings(pool: pg.Pool, tenantId: string): Promise<WidgetSettings> {
  const s = await queryRow(pool, KeyAndOrigins, 'SELECT key, allowed_origins FROM widget_settings WHERE tenant_id = $1', [tenantId]);
  return s ? { key: s.key, allowed_origins: s.allowed_origins } : { key: null, allowed_origins: [] };
}

export async function saveWidgetSettings(pool: pg.Pool, tenantId: string, input: { allowed_origins: string[]; rotate_key: boolean }): Promise<WidgetSettings> {
  const key = `wpk.${tenantId}.${randomToken(18)}`;
  const [s] = await queryRows(
    pool,
    KeyAndOrigins,
    `INSERT INTO widget_settings (tenant_id, key, allowed_origins) VALUES ($1,$2,$3)
     ON CONFLICT (tenant_id) DO UPDATE SET allowed_origins = excluded.allowed_origins, updated_at = now(),
       key = CASE WHEN $4 THEN excluded.key ELSE widget_settings.key END
     RETURNING key, allowed_origins`,
    [tenantId, key, [...new Set(input.allowed_origins)], input.rotate_key],
  );
  return { key: s.key, allowed_origins: s.allowed_origins };
}

/** The tenant a widget key belongs to, if the key is current. */
export async function tenantOfWidgetKey(pool: pg.Pool, key: string): Promise<{ tenantId: string; allowedOrigins: string[] } | undefined> {
  const m = /^wpk\.([A-Za-z0-9_-]{1,64})\.[A-Za-z0-9_-]{10,64}$/.exec(key);
  if (!m) return undefined;
  const s = await queryRow(pool, KeyAndOrigins, 'SELECT key, allowed_origins FROM widget_settings WHERE tenant_id = $1', [m[1]]);
  if (!s || s.key !== key) return undefined;
  return { tenantId: m[1], allowedOrigins: s.allowed_origins };
}
