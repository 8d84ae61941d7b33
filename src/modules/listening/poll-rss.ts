// Pulls an RSS or Atom feed (rss-parser) into mentions. Items are keyed by their link, so polling
// the same feed again only adds what is new.
import Parser from 'rss-parser';
import type { MentionInput } from './ingest-mentions.js';

const parser = new Parser({ timeout: 15_000 });

function stripHtml(s: string): string {
  return s.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}

/** An item without a date is dated `now`, the instant it was first seen. */
export async function fetchFeedMentions(url: string, now: Date, xml?: string): Promise<MentionInput[]> {
  const feed = xml !== undefined ? await parser.parseString(xml) : await parser.parseURL(url);
  const out: MentionInput[] = [];
  for (const item of feed.items ?? []) {
    const body = stripHtml(item.contentSnippet ?? item.content ?? item.summary ?? '');
    const text = [item.title, body].filter(Boolean).join('\n').slice(0, 20_000);
    if (!text) continue;
    const published = item.isoDate ?? (item.pubDate ? new Date(item.pubDate).toISOString() : now.toISOString());
    out.push({ channel: 'rss', text, published_at: published, ...(item.link ? { url: item.link } : {}), ...(item.creator ? { author: String(item.creator).slice(0, 200) } : {}) });
  }
  return out;
}
