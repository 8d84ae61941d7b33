// Pulls an RSS or Atom feed (rss-parser) into mentions. Items are keyed by their link, so polling
// the same feed again only adds what is new. The feed is fetched through the egress guard (a feed URL
// is someone's say-so), never by rss-parser's own HTTP client.
import Parser from 'rss-parser';
import iconv from 'iconv-lite';
import { EgressError, type Egress } from '../../platform/egress.js';
import type { MentionInput } from './ingest-mentions.js';

const parser = new Parser();

/** Why a feed could not be read, in our words only: a parser's message quotes what answered. */
export class FeedError extends Error {}

const MAX_FEED_BYTES = 5 * 1024 * 1024;

/** The feed's text, decoded from the charset its header or XML declaration names (GBK feeds are common). */
async function fetchFeedText(egress: Egress, url: string): Promise<string> {
  const res = await egress.fetch(url, {
    headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8' },
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new FeedError(`the feed answered HTTP ${res.status}`);
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_FEED_BYTES) throw new FeedError('the feed is larger than 5 MB');
  const charset =
    /charset="?([\w-]+)/i.exec(res.headers.get('content-type') ?? '')?.[1] ??
    /^\s*<\?xml[^>]*encoding=["']([\w-]+)/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1] ??
    'utf-8';
  return iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : bytes.toString('utf8');
}

function stripHtml(s: string): string {
  return s
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function fetchFeedMentions(egress: Egress, url: string, now: Date, xml?: string): Promise<MentionInput[]> {
  const text =
    xml ??
    (await fetchFeedText(egress, url).catch((err: Error) => {
      throw err instanceof EgressError || err instanceof FeedError ? err : new FeedError(err.message);
    }));
  const feed = await parser.parseString(text).catch(() => {
    throw new FeedError('the answer is not an RSS or Atom feed');
  });
  const out: MentionInput[] = [];
  for (const item of feed.items ?? []) {
    const body = stripHtml(item.contentSnippet ?? item.content ?? item.summary ?? '');
    const text = [item.title, body].filter(Boolean).join('\n').slice(0, 20_000);
    if (!text) continue;
    const published = item.isoDate ?? (item.pubDate ? new Date(item.pubDate).toISOString() : now.toISOString());
    out.push({
      channel: 'rss',
      text,
      published_at: published,
      ...(item.link ? { url: item.link } : {}),
      ...(item.creator ? { author: String(item.creator).slice(0, 200) } : {}),
    });
  }
  return out;
}
