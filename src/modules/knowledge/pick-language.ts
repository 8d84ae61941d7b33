// The visitor's language: the `language` parameter first (or its older name `lang`), then the
// language of what they typed when its script says Chinese, then Accept-Language (RFC 9110 quality
// values), then the help centre's default. Traditional Chinese tags (zh-TW, zh-HK, zh-Hant) read zh-TW;
// other zh, zh-CN.
import { detectLanguage } from '../text/index.js';
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
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
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

/**
 * The help-centre language of a query or message, when its script settles it: Han characters are
 * Chinese whatever the browser says (a visitor typing 怎么退票 wants Chinese articles). Latin text
 * settles nothing, since Chinese articles hold Latin words too (App, Wi-Fi): undefined. Simplified and
 * traditional share most characters, so a `likely` Chinese variant (from the browser) is kept unless
 * the text shows traditional forms.
 */
export function languageOfText(text: string, likely?: Language): Language | undefined {
  const d = detectLanguage(text);
  if (d.language !== 'zh') return undefined;
  if (d.script === 'traditional') return 'zh-TW';
  return likely === 'zh-TW' || likely === 'zh-CN' ? likely : 'zh-CN';
}

/** The language of a search: given, else of the query's script, else the browser's, else the default. */
export function pickSearchLanguage(given: string | undefined, q: string, acceptLanguage: string | undefined, fallback: Language): Language {
  const browser = pickLanguage(given, acceptLanguage, fallback);
  if (given && toLanguage(given)) return browser;
  return languageOfText(q, browser) ?? browser;
}
