// Survey links carry who and what they are for, signed with the tenant's key (src/platform/signed-link.ts),
// so a customer answers without logging in and nobody can answer in another customer's name.
// Token: tenant "." subject "." expiry (base 36 seconds, or "b" for a page button) "." signature.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { peekParts, signParts, verifyParts } from '../../platform/signed-link.js';
import { feedbackKeys } from './schema.js';

export interface LinkPayload {
  /** tenant id */
  t: string;
  /** invitation id (per-customer link) or survey id (page button) */
  i: string;
  k: 'inv' | 'btn';
  /** expiry, seconds since the epoch; absent for button links */
  e?: number;
}

const ID = /^[a-z]{2,5}_[0-9a-z]{10,40}$/;

export function signLink(key: string, p: LinkPayload): string {
  return signParts(key, [p.t, p.i, p.k === 'btn' ? 'b' : (p.e ?? 0).toString(36)]);
}

function payloadOf(parts: string[] | undefined): LinkPayload | undefined {
  if (!parts || parts.length !== 3) return undefined;
  const [t, i, e] = parts;
  if (!ID.test(t) || !ID.test(i) || !/^(b|[0-9a-z]{1,10})$/.test(e)) return undefined;
  return e === 'b' ? { t, i, k: 'btn' } : { t, i, k: 'inv', e: parseInt(e, 36) };
}

/** The payload without checking it: only to find whose key verifies it. */
export const peekLink = (token: string): LinkPayload | undefined => payloadOf(peekParts(token));

export const verifyLink = (key: string, token: string): boolean => !!payloadOf(verifyParts(key, token));

/**
 * A tenant's link key is made once and never changes, so one read per process is enough. Made on first
 * use by signing (`of`); checking a link never makes one, and "no key yet" is not remembered.
 */
export function createLinkKeys(pool: pg.Pool) {
  const keys = new Map<string, string>();
  async function existing(tenantId: string, opts: { create?: boolean } = {}): Promise<string | undefined> {
    const hit = keys.get(tenantId);
    if (hit) return hit;
    if (opts.create)
      await pool.query('INSERT INTO feedback_keys (tenant_id, link_key) VALUES ($1,$2) ON CONFLICT DO NOTHING', [
        tenantId,
        randomBytes(32).toString('base64url'),
      ]);
    const k = await queryRow(pool, rowOf(feedbackKeys, ['link_key']), 'SELECT link_key FROM feedback_keys WHERE tenant_id = $1', [tenantId]);
    if (k) keys.set(tenantId, k.link_key);
    return k?.link_key;
  }
  return { existing, of: async (tenantId: string) => (await existing(tenantId, { create: true }))! };
}
export type LinkKeys = ReturnType<typeof createLinkKeys>;

/** The customer's link to answer an invitation, valid until the invitation expires. */
export async function invitationUrl(deps: { linkKeys: LinkKeys; publicUrl: string }, tenantId: string, invitationId: string, expiresAt: Date) {
  const token = signLink(await deps.linkKeys.of(tenantId), { t: tenantId, i: invitationId, k: 'inv', e: Math.floor(expiresAt.getTime() / 1000) });
  return `${deps.publicUrl}/s/${token}`;
}

/** The token of a page's feedback button: anyone on the page may answer, anonymously. */
export async function buttonToken(deps: { linkKeys: LinkKeys }, tenantId: string, surveyId: string) {
  return signLink(await deps.linkKeys.of(tenantId), { t: tenantId, i: surveyId, k: 'btn' });
}
