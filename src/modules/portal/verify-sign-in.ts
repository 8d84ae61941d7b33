// Turns a code (with its address) or a link token into a portal session. A sign-in works once, for
// ten minutes, and five wrong codes spend it; the session cookie holds a random secret of which only
// the hash is stored.
import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { sha256 } from '../../platform/auth.js';
import { newId, randomToken } from '../../platform/ids.js';
import { withTransaction } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { portalSessions, portalSignIns } from './schema.js';
import { clientHash, codeHash, destinationHash } from './start-sign-in.js';

const MAX_ATTEMPTS = 5;
export const PORTAL_SESSION_DAYS = 7;

const LinkSignIn = rowOf(portalSignIns, ['id', 'customer_id', 'link_hash']);
const CodeSignIn = rowOf(portalSignIns, ['id', 'customer_id', 'code_hash']);
const Session = rowOf(portalSessions, ['customer_id', 'token_hash']);

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

export type Proof = { email: string; code: string } | { token: string };

/** The customer the proof signs in, or undefined; spends the sign-in on success. */
export async function verifySignIn(pool: pg.Pool, tenantId: string, proof: Proof, client: string, now: Date): Promise<string | undefined> {
  return withTransaction(pool, async (tx) => {
    let row: { id: string; customer_id: string | null } | undefined;
    if ('token' in proof) {
      const [id, secret, ...rest] = proof.token.split('.');
      if (!id || !secret || rest.length) return undefined;
      const found = await queryRow(
        tx,
        LinkSignIn,
        `SELECT id, customer_id, link_hash FROM portal_sign_ins WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL AND expires_at > $3 FOR UPDATE`,
        [tenantId, id, now],
      );
      if (found && sameHex(found.link_hash, sha256(secret))) row = found;
    } else {
      // Each guess is counted before it is checked, so parallel guesses cannot share one attempt. The
      // code checked is the latest one this client asked for (else the latest of all), so a stranger
      // asking for codes to the same address never replaces the one the customer is typing.
      const found = await queryRow(
        tx,
        CodeSignIn,
        `UPDATE portal_sign_ins SET attempts = attempts + 1
          WHERE tenant_id = $1 AND id = (SELECT id FROM portal_sign_ins WHERE tenant_id = $1 AND destination_hash = $2 AND used_at IS NULL
                                          AND expires_at > $5 AND attempts < $3 ORDER BY requested_from = $4 DESC, created_at DESC LIMIT 1)
          RETURNING id, customer_id, code_hash`,
        [tenantId, destinationHash(tenantId, proof.email), MAX_ATTEMPTS, clientHash(client), now],
      );
      if (found && sameHex(found.code_hash, codeHash(found.id, proof.code))) row = found;
    }
    if (!row?.customer_id) return undefined;
    await tx.query('UPDATE portal_sign_ins SET used_at = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, row.id, now]);
    return row.customer_id;
  });
}

export async function createPortalSession(pool: pg.Pool, tenantId: string, customerId: string, now: Date) {
  const id = newId('pss');
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + PORTAL_SESSION_DAYS * 86_400_000);
  await pool.query('INSERT INTO portal_sessions (tenant_id, id, customer_id, token_hash, expires_at) VALUES ($1,$2,$3,$4,$5)', [
    tenantId,
    id,
    customerId,
    sha256(token),
    expiresAt,
  ]);
  return { cookie: `${tenantId}.${id}.${token}`, expiresAt };
}

const COOKIE_CHARS = /^[A-Za-z0-9_.-]{1,300}$/;

/** The tenant and customer of a portal session cookie, or undefined. */
export async function authenticatePortalSession(
  pool: pg.Pool,
  cookie: string | undefined,
  now: Date,
): Promise<{ tenantId: string; customerId: string; sessionId: string } | undefined> {
  if (!cookie || !COOKIE_CHARS.test(cookie)) return undefined;
  const [tenantId, id, token, ...rest] = cookie.split('.');
  if (!tenantId || !id || !token || rest.length) return undefined;
  const s = await queryRow(pool, Session, 'SELECT customer_id, token_hash FROM portal_sessions WHERE tenant_id = $1 AND id = $2 AND expires_at > $3', [
    tenantId,
    id,
    now,
  ]);
  if (!s || !sameHex(s.token_hash, sha256(token))) return undefined;
  return { tenantId, customerId: s.customer_id, sessionId: id };
}

export async function endPortalSession(pool: pg.Pool, cookie: string | undefined, now: Date) {
  const s = await authenticatePortalSession(pool, cookie, now);
  if (s) await pool.query('DELETE FROM portal_sessions WHERE tenant_id = $1 AND id = $2', [s.tenantId, s.sessionId]);
}
