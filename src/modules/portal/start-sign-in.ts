// A customer asks to sign in with an address the company already knows for them: a six-digit code and
// a one-time link go to that address. The answer never says whether the address is known (no
// enumeration), and requests are throttled per client, and per client and address, before anything is
// sent: never per address alone, or a stranger's three requests would lock the customer out.
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { sha256 } from '../../platform/auth.js';
import { newId, randomToken } from '../../platform/ids.js';
import type { RateLimit, RateLimiter } from '../../platform/rate-limit.js';
import { signInThrottled } from './errors.js';

export const SIGN_IN_MINUTES = 10;
const PER_CLIENT_DESTINATION: RateLimit = { name: 'portal-sign-in-client-destination', limit: 3, windowSeconds: 15 * 60 };
const PER_CLIENT: RateLimit = { name: 'portal-sign-in-client', limit: 20, windowSeconds: 15 * 60 };

export const destinationHash = (tenantId: string, email: string) => sha256(`${tenantId}:email:${email.trim().toLowerCase()}`);
/** Who asked: the requesting client's address, hashed as stored on the sign-in. */
export const clientHash = (client: string) => sha256(`client:${client}`);
export const codeHash = (signInId: string, code: string) => sha256(`${signInId}:${code}`);

export interface StartedSignIn {
  customerId: string | null;
  code: string;
  linkToken: string;
}

export async function startSignIn(
  pool: pg.Pool,
  limiter: RateLimiter,
  tenantId: string,
  input: { email: string; customerId: string | null; client: string },
  now: Date,
): Promise<StartedSignIn> {
  const dest = destinationHash(tenantId, input.email);
  const client = clientHash(input.client);
  const [byPair, byClient] = await Promise.all([
    limiter.take(tenantId, PER_CLIENT_DESTINATION, sha256(`${client}:${dest}`)),
    limiter.take(tenantId, PER_CLIENT, client),
  ]);
  if (!byPair.isAllowed || !byClient.isAllowed) throw signInThrottled();

  const id = newId('psi');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const secret = randomToken(32);
  await pool.query(
    `INSERT INTO portal_sign_ins (tenant_id, id, customer_id, destination_hash, requested_from, code_hash, link_hash, expires_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7, $9::timestamptz + make_interval(mins => $8))`,
    [tenantId, id, input.customerId, dest, client, codeHash(id, code), sha256(secret), SIGN_IN_MINUTES, now],
  );
  return { customerId: input.customerId, code, linkToken: `${id}.${secret}` };
}
