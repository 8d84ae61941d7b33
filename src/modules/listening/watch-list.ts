// The watch-list: terms per reputation angle, each with aliases, matched in a Chinese-aware way. A
// Chinese term matches only where both its ends fall on word boundaries of the segmentation with the
// watch-list words in the dictionary: 华为 is found in "华为手机很好" but not in "中华为人民服务"
// (中华/为/人民), and 信号差 in "信号差得要命" (信号差/得/要命, where the plain segmentation says
// 手机信号/差得). Latin terms match as whole words.
import { normalizeText, segmentText } from '../text/index.js';

// The twelve reputation angles a company watches: itself, what it sells and says, who speaks for it,
// who it competes and works with, and where it is weak.
export const ANGLES = [
  'company',
  'brand',
  'product',
  'executive',
  'spokesperson',
  'slogan',
  'competitor',
  'industry',
  'weakness',
  'partner',
  'key_customer',
  'ip',
] as const;
export type Angle = (typeof ANGLES)[number];

export interface WatchTerm {
  id: string;
  angle: Angle;
  term: string;
  aliases: string[];
}

export interface WatchHit {
  angle: Angle;
  termId: string;
  term: string;
  matched: string;
}

interface Needle {
  text: string;
  latin: boolean;
  term: WatchTerm;
}

export interface WatchList {
  terms: WatchTerm[];
  /** Every term and alias, for the segmenter's user dictionary. */
  userWords: string[];
  match(text: string, normalized?: string, words?: readonly string[]): WatchHit[];
}

const LATIN = /^[\x00-\x7f]+$/;

function wordBoundaries(words: readonly string[]): Set<number> {
  const b = new Set<number>([0]);
  let at = 0;
  for (const w of words) {
    at += w.length;
    b.add(at);
  }
  return b;
}

export function compileWatchList(terms: WatchTerm[]): WatchList {
  const needles: Needle[] = [];
  for (const t of terms) {
    for (const raw of [t.term, ...t.aliases]) {
      const text = normalizeText(raw.trim()).replace(/\s+/g, ' ');
      if (text) needles.push({ text, latin: LATIN.test(text), term: t });
    }
  }
  // Longest first, so that 小米汽车 claims its text before 小米 does.
  needles.sort((a, b) => b.text.length - a.text.length);
  const userWords = [...new Set(needles.filter((n) => !n.latin).map((n) => n.text))];
  return {
    terms,
    userWords,
    match(text, normalized, words) {
      const norm = normalized ?? normalizeText(text);
      let boundaries: Set<number> | undefined;
      let compact: string | undefined;
      const claimed: [number, number][] = [];
      const hits = new Map<string, WatchHit>();
      for (const n of needles) {
        let from = 0;
        for (;;) {
          const at = norm.indexOf(n.text, from);
          if (at < 0) break;
          from = at + 1;
          const end = at + n.text.length;
          if (claimed.some(([s, e]) => at < e && end > s)) continue;
          if (n.latin) {
            const before = norm.charCodeAt(at - 1),
              after = norm.charCodeAt(end);
            const isWord = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
            if (isWord(before) || isWord(after)) continue;
          } else {
            // Boundaries are measured on the text without spaces, as the segmenter drops them.
            compact ??= norm.replace(/ /g, '');
            if (compact !== norm) {
              if (!compact.includes(n.text)) continue;
            }
            // segmentText drops whitespace tokens, so the words of the text cover its compact form.
            boundaries ??= wordBoundaries(words ?? segmentText(compact, userWords));
            const cAt = compact === norm ? at : compact.indexOf(n.text);
            if (!boundaries.has(cAt) || !boundaries.has(cAt + n.text.length)) continue;
          }
          claimed.push([at, end]);
          if (!hits.has(n.term.id)) hits.set(n.term.id, { angle: n.term.angle, termId: n.term.id, term: n.term.term, matched: n.text });
        }
      }
      return [...hits.values()];
    },
  };
}
