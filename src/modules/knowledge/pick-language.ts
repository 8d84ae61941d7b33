// The visitor's language: ?lang= first, then Accept-Language (RFC 9110 quality values), then the
// help centre's default. Traditional Chinese tags (zh-TW, zh-HK, zh-Hant) read zh-TW; other zh, zh-CN.
import { LANGUAGES, type Language } from './search-articles.js';

export function toLanguage(tag: string | undefined): Language | undefined {
  if (!tag) return undefined;
  const t = tag.trim().toLowerCase();
  if (/^zh-(tw|hk|mo|hant)\b/.test(t)) return 'zh-TW';
  if (/^zh\b/.test(t)) return 'zh-CN';
  if (/^en\b/.test(t)) return 'en';
  return undefined;
}

export function pickLanguage(lang: string | undefined, acceptLanguage: string | undefined, fallback: Language): Language {
  if (lang && (LANGUAGES as readonly string[]).includes(lang)) return lang as Language;
  const fromQuery = toLanguage(lang);
  if (fromQuery) return fromQuery;
  const ranked = (acceptLanguage ?? '').split(',').slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const l = toLanguage(r.tag);
    if (l) return l;
  }
  return fallback;
}
