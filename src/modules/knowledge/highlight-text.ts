// Snippets with the searched words marked, for Chinese (no spaces: words are found as substrings)
// and Latin text (a stemmed query word also marks its longer forms: refund -> refunds, refunded).
import { isHan } from './segment-text.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function termPattern(terms: string[]): RegExp | undefined {
  const parts = [...new Set(terms)]
    .filter((t) => t && /^[\p{L}\p{N}]+$/u.test(t))
    .sort((a, b) => b.length - a.length)
    .map((t) => (isHan(t) ? t : `(?<![\\p{L}\\p{N}])${t}[\\p{L}]*`));
  return parts.length ? new RegExp(parts.join('|'), 'giu') : undefined;
}

/** The text, HTML-escaped, with every searched word wrapped in <mark>. */
export function markTerms(text: string, terms: string[]): string {
  const re = termPattern(terms);
  if (!re) return escapeHtml(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += escapeHtml(text.slice(last, m.index)) + `<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index! + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** About `length` characters of the text around its first searched word, escaped and marked. */
export function highlightSnippet(text: string, terms: string[], length = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const re = termPattern(terms);
  const first = re ? (re.exec(flat)?.index ?? 0) : 0;
  const start = first < length / 3 ? 0 : first - Math.floor(length / 3);
  const end = Math.min(flat.length, start + length);
  const piece = flat.slice(start, end);
  return `${start > 0 ? '…' : ''}${markTerms(piece, terms)}${end < flat.length ? '…' : ''}`;
}

/** An article body as it reads, without the Markdown marks renderBody draws (render-help-centre.ts), for snippets. */
export function bodyText(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/^\s*#{1,3}\s+/, '').replace(/^\s*[-*]\s+/, ''))
    .join('\n');
}
