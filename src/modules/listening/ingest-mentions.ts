// Storing mentions with their analysis: validated input, de-duplicated by URL and by near-same text
// (SimHash within 3 bits over the last 30 days), linked to a customer when the author handle is a
// known Weibo uid or WeChat id, and announced as `mention.created` after commit.
import type pg from 'pg';
import { z } from '../../platform/validation.js';
import { newId } from '../../platform/ids.js';
import { withTransaction, type Database } from '../../platform/db.js';
import type { EventBus } from '../../platform/bus.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { zodIssuesToFields, type FieldProblem } from '../../platform/errors.js';
import { analyzeMention } from './analyze-mention.js';
import { simhash, hammingDistance, NEAR_DUPLICATE_BITS } from './simhash.js';
import type { TenantListening } from './load-tenant-listening.js';

export const MentionInput = z.object({
  channel: z.string().min(1).max(40).describe('weibo, wechat, forum, review, video, app_store, news, rss...'),
  url: z.url().max(2000).optional(),
  author: z.string().max(200).optional(),
  author_handle: z.string().max(200).optional().describe('The platform id of the author: a Weibo uid or WeChat openid links the mention to a customer'),
  reach: z.number().int().min(0).max(2_000_000_000).optional().describe('Followers or views'),
  text: z.string().min(1).max(20_000),
  published_at: z.iso.datetime({ offset: true }),
  media: z.array(z.url().max(2000)).max(20).optional(),
});
export type MentionInput = z.infer<typeof MentionInput>;

export const MAX_MENTION_BATCH = 500;

export interface MentionCreated {
  mentionId: string;
  customerId?: string;
  sentiment: 'negative' | 'neutral' | 'positive';
  score: number;
  aboutCompany: boolean;
  text: string;
  url?: string;
  source: string;
  angles: string[];
  topics: string[];
}

export type MentionItemResult =
  | { index: number; status: 'accepted'; id: string; sentiment: string; angles: string[] }
  | { index: number; status: 'duplicate'; id: string }
  | { index: number; status: 'rejected'; errors: FieldProblem[] };

const HANDLE_KINDS: Record<string, 'weibo_uid' | 'wechat_openid'> = { weibo: 'weibo_uid', wechat: 'wechat_openid' };

async function linkCustomer(customers: CustomersService, tenantId: string, channel: string, handle?: string): Promise<string | undefined> {
  if (!handle) return undefined;
  const kind = HANDLE_KINDS[channel.toLowerCase()];
  if (!kind) return undefined;
  const r = await customers.lookup(tenantId, kind, handle);
  return 'customerId' in r ? r.customerId : undefined;
}

async function findDuplicate(tx: pg.PoolClient, tenantId: string, url: string | undefined, h: ReturnType<typeof simhash>, publishedAt: Date): Promise<string | undefined> {
  if (url) {
    const { rows } = await tx.query('SELECT id FROM listening_mentions WHERE tenant_id = $1 AND url = $2', [tenantId, url]);
    if (rows[0]) return rows[0].id;
  }
  const { rows } = await tx.query(
    `SELECT id, simhash_hi, simhash_lo FROM listening_mentions
      WHERE tenant_id = $1 AND (band0 = $2 OR band1 = $3 OR band2 = $4 OR band3 = $5)
        AND published_at BETWEEN $6::timestamptz - interval '30 days' AND $6::timestamptz + interval '30 days'
      LIMIT 200`,
    [tenantId, ...h.bands, publishedAt],
  );
  return rows.find((r) => hammingDistance({ hi: r.simhash_hi, lo: r.simhash_lo }, h) <= NEAR_DUPLICATE_BITS)?.id;
}

export async function ingestMentions(
  deps: { db: Database; bus: EventBus; customers: CustomersService; events: EventsService },
  tenantId: string,
  tenant: TenantListening,
  items: unknown[],
  source: { id?: string; name: string },
): Promise<{ accepted: number; duplicates: number; rejected: number; results: MentionItemResult[] }> {
  // Parse, analyse and link outside the transaction: analysis is CPU, and customer lookups use the
  // pool, which must never be used while a transaction holds a connection.
  type Prepared = { index: number; m: MentionInput; h: ReturnType<typeof simhash>; a: ReturnType<typeof analyzeMention>; customerId?: string };
  const prepared: (Prepared | MentionItemResult)[] = [];
  for (let index = 0; index < items.length; index++) {
    const parsed = MentionInput.safeParse(items[index]);
    if (!parsed.success) { prepared.push({ index, status: 'rejected', errors: zodIssuesToFields(parsed.error.issues) }); continue; }
    const m = parsed.data;
    prepared.push({ index, m, h: simhash(m.text), a: analyzeMention(m.text, tenant.watchList, { topics: tenant.topics, userWords: tenant.userWords }),
      customerId: await linkCustomer(deps.customers, tenantId, m.channel, m.author_handle) });
  }
  const results: MentionItemResult[] = [];
  const created: MentionCreated[] = [];
  await withTransaction(deps.db.pool, async (tx) => {
    results.length = 0;
    created.length = 0;
    // Serialise ingestion per tenant so two copies of a post in concurrent batches still meet.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`listening:${tenantId}`]);
    for (const p of prepared) {
      if ('status' in p) { results.push(p); continue; }
      const { index, m, h, a, customerId } = p;
      const publishedAt = new Date(m.published_at);
      const dup = await findDuplicate(tx, tenantId, m.url, h, publishedAt);
      if (dup) { results.push({ index, status: 'duplicate', id: dup }); continue; }
      const id = newId('men');
      const topics = a.topics.map((t) => t.topic);
      await tx.query(
        `INSERT INTO listening_mentions (tenant_id, id, source_id, channel, url, author, author_handle, reach, text, media, published_at,
           language, sentiment, score, topics, angles, matched_terms, about_company, customer_id, simhash_hi, simhash_lo, band0, band1, band2, band3)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25)`,
        [tenantId, id, source.id ?? null, m.channel.toLowerCase(), m.url ?? null, m.author ?? null, m.author_handle ?? null, m.reach ?? null, m.text,
          m.media ? JSON.stringify(m.media) : null, publishedAt, a.language, a.sentiment.label, a.sentiment.score, JSON.stringify(a.topics),
          JSON.stringify(a.angles), JSON.stringify(a.hits.map((x) => x.term)), a.aboutCompany, customerId ?? null, h.hi, h.lo, ...h.bands],
      );
      if (customerId) {
        await deps.events.append(tx, tenantId, [{ id: `listening:${id}`, customerId, type: 'mention', source: 'listening', occurredAt: publishedAt,
          properties: { mention_id: id, channel: m.channel, url: m.url, sentiment: a.sentiment.label, angles: a.angles, topics } }]);
      }
      results.push({ index, status: 'accepted', id, sentiment: a.sentiment.label, angles: a.angles });
      created.push({ mentionId: id, ...(customerId ? { customerId } : {}), sentiment: a.sentiment.label, score: a.sentiment.score, aboutCompany: a.aboutCompany,
        text: m.text, ...(m.url ? { url: m.url } : {}), source: source.name, angles: a.angles, topics });
    }
  });
  deps.bus.publish(created.map((payload) => ({ type: 'mention.created', tenantId, payload })));
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), results };
}
