// Open and click tracking for email, where the tenant keeps it on (outreach settings track_email): a
// 1x1 pixel whose signed URL names the message, and links rewritten to a signed redirect that names
// the message and a digest of the target, so the redirect cannot be pointed anywhere else (no open
// redirect) and cannot be forged for another message or tenant. Links to Rapport itself (unsubscribe,
// preferences) are left alone. Opens are a lower bound and an upper bound at once: clients that block
// images never report, and privacy proxies (Apple Mail) fetch every pixel — so opens are shown as a
// signal, clicks as the measure.
import type pg from 'pg';
import type { RenderedContent } from './render-template.js';
import { signTrackingLink, verifyTrackingLink, urlDigest } from './sign-link.js';
import { recordDeliveryStatus } from './record-delivery-status.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { signingKeyForToken } from './settings.js';

const unescapeAttr = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

export function addEmailTracking(content: Extract<RenderedContent, { channel: 'email' }>, base: string, key: string, tenantId: string, messageId: string) {
  const html = content.html.replace(/href=(["'])(https?:\/\/[^"']+)\1/gi, (all, quote: string, raw: string) => {
    const url = unescapeAttr(raw);
    if (url.startsWith(`${base}/`)) return all;
    const token = signTrackingLink(key, tenantId, messageId, url);
    return `href=${quote}${escapeAttr(`${base}/v1/outreach/click/${token}?u=${encodeURIComponent(url)}`)}${quote}`;
  });
  const pixel = `<img src="${base}/v1/outreach/open/${signTrackingLink(key, tenantId, messageId)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;
  return { ...content, html: `${html}\n${pixel}` };
}

/** The tenant and message a tracking token was signed for (and, for a click, for this url), or undefined. */
export async function readTrackingLink(pool: pg.Pool, token: string, url?: string): Promise<{ t: string; m: string } | undefined> {
  const signer = await signingKeyForToken(pool, token);
  const link = signer && verifyTrackingLink(signer.key, token, url);
  return link && link.t === signer.tenantId ? link : undefined;
}

/** The smallest transparent GIF. */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** An open (no url) or a click on `url` from a tracked email; false when the token does not hold. */
export async function recordTracked(
  deps: { pool: pg.Pool; customers: CustomersService; events: EventsService },
  token: string,
  url: string | undefined,
  now: Date,
) {
  const link = await readTrackingLink(deps.pool, token, url);
  if (!link) return false;
  const r = await recordDeliveryStatus(
    deps,
    link.t,
    {
      message_id: link.m,
      status: url === undefined ? 'opened' : 'clicked',
      // The first open, and the first click on each link, are recorded; repeats change nothing.
      event_id: url === undefined ? 'opened' : `clicked:${urlDigest(url)}`,
      ...(url === undefined ? {} : { details: { url: url.slice(0, 2000) } }),
    },
    now,
  );
  return !!r;
}
