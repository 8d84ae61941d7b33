// Signed webhooks whose signature covers a nonce but not the whole request (Mailgun signs timestamp and
// token, WeChat's plain mode token, timestamp and nonce) can be replayed with another body while the
// timestamp is fresh. Each nonce is therefore accepted once: remembered in PostgreSQL, so every node
// sees it, until the moment its signature would be refused as stale anyway.
import type { Queryable } from './db.js';

// Expired nonces are never read again; one call in a hundred clears them, so the table stays small
// without a timer that an API-only node would not run.
const SWEEP_ODDS = 0.01;

export interface NonceUse {
  tenantId: string;
  /** Where the nonce was used, e.g. `mailgun:<channel id>`: nonces of different schemes never collide. */
  scope: string;
  nonce: string;
  /** When the signature carrying it stops being accepted. */
  expiresAt: Date;
  now: Date;
}

/** True the first time a nonce is used in its scope (or after its last use expired); false for a replay. */
export async function useNonceOnce(db: Queryable, use: NonceUse): Promise<boolean> {
  if (Math.random() < SWEEP_ODDS) await db.query('DELETE FROM webhook_nonces WHERE expires_at < $1', [use.now]);
  const { rowCount } = await db.query(
    `INSERT INTO webhook_nonces (tenant_id, scope, nonce, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, scope, nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE webhook_nonces.expires_at <= $5`,
    [use.tenantId, use.scope, use.nonce, use.expiresAt, use.now],
  );
  return rowCount === 1;
}

/** Gives a nonce back when the request that used it failed on our side, so the provider's retry is taken. */
export async function releaseNonce(db: Queryable, use: Pick<NonceUse, 'tenantId' | 'scope' | 'nonce'>): Promise<void> {
  await db.query('DELETE FROM webhook_nonces WHERE tenant_id = $1 AND scope = $2 AND nonce = $3', [use.tenantId, use.scope, use.nonce]);
}
