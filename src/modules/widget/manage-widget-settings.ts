// A tenant's widget key and the sites allowed to post with it. The key is publishable: it only lets a
// page post feedback for the tenant, so it is stored as it is and shown to admins.
import type pg from 'pg';
import { randomToken } from '../../platform/ids.js';

export interface WidgetSettings {
  key: string | null;
  allowed_origins: string[];
}

export async function getWidgetSettings(pool: pg.Pool, tenantId: string): Promise<WidgetSettings> {
  const { rows } = await pool.query('SELECT key, allowed_origins FROM widget_settings WHERE tenant_id = $1', [tenantId]);
  return rows[0] ? { key: rows[0].key, allowed_origins: rows[0].allowed_origins } : { key: null, allowed_origins: [] };
}

export async function saveWidgetSettings(pool: pg.Pool, tenantId: string, input: { allowed_origins: string[]; rotate_key: boolean }): Promise<WidgetSettings> {
  const key = `wpk.${tenantId}.${randomToken(18)}`;
  const { rows } = await pool.query(
    `INSERT INTO widget_settings (tenant_id, key, allowed_origins) VALUES ($1,$2,$3)
     ON CONFLICT (tenant_id) DO UPDATE SET allowed_origins = excluded.allowed_origins, updated_at = now(),
       key = CASE WHEN $4 THEN excluded.key ELSE widget_settings.key END
     RETURNING key, allowed_origins`,
    [tenantId, key, [...new Set(input.allowed_origins)], input.rotate_key],
  );
  return { key: rows[0].key, allowed_origins: rows[0].allowed_origins };
}

/** The tenant a widget key belongs to, if the key is current. */
export async function tenantOfWidgetKey(pool: pg.Pool, key: string): Promise<{ tenantId: string; allowedOrigins: string[] } | undefined> {
  const m = /^wpk\.([A-Za-z0-9_-]{1,64})\.[A-Za-z0-9_-]{10,64}$/.exec(key);
  if (!m) return undefined;
  const { rows } = await pool.query('SELECT key, allowed_origins FROM widget_settings WHERE tenant_id = $1', [m[1]]);
  if (!rows[0] || rows[0].key !== key) return undefined;
  return { tenantId: m[1], allowedOrigins: rows[0].allowed_origins };
}
