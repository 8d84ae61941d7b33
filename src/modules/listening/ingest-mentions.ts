// Storing mentions with their analysis: validated input, de-duplicated by URL and by near-same text
// (SimHash within 3 bits over the last 30 days), linked to a customer when the author handle is a
// known Weibo uid or WeChat id, and announced as `mention.created` after commit.
import { z } from '../../platform/validation.js';
import { newId } from '../../platform/ids.js';
import { withTransaction, type Database } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { EventBus } from '../../platform/bus.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { zodIssuesToFields, type FieldProblem } from '../../platform/errors.js';
import { analyzeMention } from './analyze-mention.js';
import { simhash, hammingDistance, NEAR_DUPLICATE_BITS } from './simhash.js';
import type { TenantListening } from './load-tenant-listening.js';
import { mentions } from './schema.js';

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
  /** The polarity of each topic, by topic: the loop routes a case by the topics the post complains about. */
  topicSentiments: Record<string, 'negative' | 'neutral' | 'positive'>;
}

export type MentionItemResult =
  | { index: number; status: 'accepted'; id: string; sentiment: string; angles: string[] }
  | { index: number; status: 'duplicate'; id: string }
  | { index: number; status: 'rejected'; errors: FieldProblem[] };

const HANDLE_KINDS: Record<string, 'weibo_uid' | 'wechat_openid'> = { weibo: 'weibo_uid', wechat: 'wechat_openid' };

/** Customers of the batch's author handles: one query per identity kind, not one per mention. */
async function linkCustomers(customers: CustomersService, tenantId: string, mentions: readonly MentionInput[]): Promise<Map<string, string>> {
  const byKind = new Map<'weibo_uid' | 'wechat_openid', string[]>();
  for (const m of mentions) {
    const kind = m.author_handle ? HANDLE_KINDS[m.channel.toLowerCase()] : undefined;
    if (kind) (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(m.author_handle!);
  }
  const out = new Map<string, string>();
  for (const [kind, handles] of byKind) {
    for (const [handle, customerId] of await customers.lookupMany(tenantId, kind, handles)) out.set(`${kind}\u0000${handle}`, customerId);
  }
  return out;
}

function customerOf(linked: Map<string, string>, m: MentionInput): string | undefined {
  const kind = m.author_handle ? HANDLE_KINDS[m.channel.toLowerCase()] : undefined;
  return kind ? linked.get(`${kind}\u0000${m.author_handle}`) : undefined;
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
  type Prepared = {
    index: number;
    m: MentionInput;
    h: ReturnType<typeof simhash>;
    a: ReturnType<typeof analyzeMention>;
    customerId?: string;
    publishedAt: Date;
  };
  const prepared: (Prepared | MentionItemResult)[] = [];
  for (let index = 0; index < items.length; index++) {
    const parsed = MentionInput.safeParse(items[index]);
    if (!parsed.success) {
      prepared.push({ index, status: 'rejected', errors: zodIssuesToFields(parsed.error.issues) });
      continue;
    }
    const m = parsed.data;
    prepared.push({
      index,
      m,
      h: simhash(m.text),
      a: analyzeMention(m.text, tenant.watchList, { topics: tenant.topics, userWords: tenant.userWords, topicModel: tenant.topicModel }),
      publishedAt: new Date(m.published_at),
    });
  }
  const valid = prepared.filter((p): p is Prepared => !('status' in p));
  const linked = await linkCustomers(
    deps.customers,
    tenantId,
    valid.map((p) => p.m),
  );
  for (const p of valid) p.customerId = customerOf(linked, p.m);

  const results: MentionItemResult[] = [];
  const created: MentionCreated[] = [];
  await withTransaction(deps.db.pool, async (tx) => {
    results.length = 0;
    created.length = 0;
    // Serialise ingestion per tenant so two copies of a post in concurrent batches still meet.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`listening:${tenantId}`]);
    // Candidates for the whole batch in two queries: same URLs, and posts sharing a SimHash band
    // within 30 days of the batch.
    const urls = [...new Set(valid.map((p) => p.m.url).filter((u): u is string => !!u))];
    const byUrl = new Map<string, string>();
    if (urls.length) {
      // The SELECT matched on url: never null here.
      for (const r of await queryRows(
        tx,
        rowOf(mentions, ['id', 'url']),
        'SELECT id, url FROM listening_mentions WHERE tenant_id = $1 AND url = ANY($2::text[])',
        [tenantId, urls],
      ))
        byUrl.set(r.url!, r.id);
    }
    type Known = { id: string; hi: number; lo: number; at: number };
    const known: Known[] = [];
    if (valid.length) {
      const times = valid.map((p) => p.publishedAt.getTime());
      const rows = await queryRows(
        tx,
        rowOf(mentions, ['id', 'simhash_hi', 'simhash_lo', 'published_at']),
        `SELECT id, simhash_hi, simhash_lo, published_at FROM listening_mentions
          WHERE tenant_id = $1 AND (band0 = ANY($2::int[]) OR band1 = ANY($3::int[]) OR band2 = ANY($4::int[]) OR band3 = ANY($5::int[]))
            AND published_at BETWEEN $6::timestamptz - interval '30 days' AND $7::timestamptz + interval '30 days'`,
        [tenantId, ...[0, 1, 2, 3].map((b) => [...new Set(valid.map((p) => p.h.bands[b]))]), new Date(Math.min(...times)), new Date(Math.max(...times))],
      );
      for (const r of rows) known.push({ id: r.id, hi: r.simhash_hi, lo: r.simhash_lo, at: r.published_at.getTime() });
    }
    const MONTH = 30 * 86_400_000;
    const rows: Record<string, unknown>[] = [];
    const timeline: { id: string; customerId: string; type: string; source: string; occurredAt: Date; properties: Record<string, unknown> }[] = [];
    for (const p of prepared) {
      if ('status' in p) {
        results.push(p);
        continue;
      }
      const { index, m, h, a, customerId, publishedAt } = p;
      const dup =
        (m.url ? byUrl.get(m.url) : undefined) ??
        known.find((k) => Math.abs(k.at - publishedAt.getTime()) <= MONTH && hammingDistance(k, h) <= NEAR_DUPLICATE_BITS)?.id;
      if (dup) {
        results.push({ index, status: 'duplicate', id: dup });
        continue;
      }
      const id = newId('men');
      if (m.url) byUrl.set(m.url, id);
      known.push({ id, hi: h.hi, lo: h.lo, at: publishedAt.getTime() });
      const topics = a.topics.map((t) => t.topic);
      const topicSentiments = Object.fromEntries(a.topics.map((t) => [t.topic, t.sentiment ?? ('neutral' as const)]));
      rows.push({
        id,
        source_id: source.id ?? null,
        channel: m.channel.toLowerCase(),
        url: m.url ?? null,
        author: m.author ?? null,
        author_handle: m.author_handle ?? null,
        reach: m.reach ?? null,
        text: m.text,
        media: m.media ?? null,
        published_at: publishedAt.toISOString(),
        language: a.language,
        sentiment: a.sentiment.label,
        score: a.sentiment.score,
        topics: a.topics.map((t) => ({ ...t, sentiment: t.sentiment ?? 'neutral' })),
        angles: a.angles,
        matched_terms: a.hits.map((x) => x.term),
        about_company: a.aboutCompany,
        customer_id: customerId ?? null,
        simhash_hi: h.hi,
        simhash_lo: h.lo,
        band0: h.bands[0],
        band1: h.bands[1],
        band2: h.bands[2],
        band3: h.bands[3],
      });
      if (customerId) {
        timeline.push({
          id: `listening:${id}`,
          customerId,
          type: 'mention',
          source: 'listening',
          occurredAt: publishedAt,
          properties: { mention_id: id, channel: m.channel, url: m.url, sentiment: a.sentiment.label, angles: a.angles, topics },
        });
      }
      results.push({ index, status: 'accepted', id, sentiment: a.sentiment.label, angles: a.angles });
      created.push({
        mentionId: id,
        ...(customerId ? { customerId } : {}),
        sentiment: a.sentiment.label,
        score: a.sentiment.score,
        aboutCompany: a.aboutCompany,
        text: m.text,
        ...(m.url ? { url: m.url } : {}),
        source: source.name,
        angles: a.angles,
        topics,
        topicSentiments,
      });
    }
    if (rows.length) {
      // One statement for the batch: the rows travel as one JSON array.
      await tx.query(
        `INSERT INTO listening_mentions (tenant_id, id, source_id, channel, url, author, author_handle, reach, text, media, published_at,
           language, sentiment, score, topics, angles, matched_terms, about_company, customer_id, simhash_hi, simhash_lo, band0, band1, band2, band3)
         SELECT $1, r.id, r.source_id, r.channel, r.url, r.author, r.author_handle, r.reach, r.text, r.media, r.published_at,
                r.language, r.sentiment, r.score, r.topics, r.angles, r.matched_terms, r.about_company, r.customer_id, r.simhash_hi, r.simhash_lo, r.band0, r.band1, r.band2, r.band3
           FROM jsonb_to_recordset($2::jsonb) AS r(id text, source_id text, channel text, url text, author text, author_handle text, reach int, text text, media jsonb,
                published_at timestamptz, language text, sentiment text, score real, topics jsonb, angles jsonb, matched_terms jsonb, about_company boolean, customer_id text,
                simhash_hi int, simhash_lo int, band0 int, band1 int, band2 int, band3 int)`,
        [tenantId, JSON.stringify(rows)],
      );
    }
    if (timeline.length) await deps.events.append(tx, tenantId, timeline);
  });
  deps.bus.publish(created.map((payload) => ({ type: 'mention.created', tenantId, payload })));
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), results };
}
