// Contrastive and concessive structure of a text: "物流慢但是客服很耐心" is two opinions, and the one
// after 但是 is the one the writer stands by. Each part carries a weight for the document label: the
// main clause after a contrast counts double, a concession (虽然…, although…) half.
export interface WeightedPart<T> {
  part: T;
  weight: number;
}

const CONTRAST_ZH = new Set(['但是', '但', '不过', '可是', '却', '就是', '然而', '可惜', '只是']);
const CONCESSION_ZH = new Set(['虽然', '虽', '尽管', '虽说']);

/** Split segmented Chinese at contrast words; the words of each part, marker dropped. */
export function splitContrastZh(words: readonly string[]): WeightedPart<string[]>[] {
  const parts: WeightedPart<string[]>[] = [];
  let cur: string[] = [];
  let weight = 1;
  for (const w of words) {
    if (CONTRAST_ZH.has(w)) {
      if (cur.length) parts.push({ part: cur, weight });
      cur = [];
      weight = 2;
      continue;
    }
    if (CONCESSION_ZH.has(w) && cur.length === 0) {
      weight = 0.5;
      continue;
    }
    cur.push(w);
  }
  if (cur.length) parts.push({ part: cur, weight });
  return parts;
}

const CONTRAST_EN = /\s*(?:,\s*)?\b(but|however|yet|although|though|even though|while)\b\s*,?\s*/gi;

/** Split English at contrast words: "A but B" (B main), "although A, B" (A concession), "A, though B" (B concession). */
export function splitContrastEn(text: string): WeightedPart<string>[] {
  const parts: WeightedPart<string>[] = [];
  let last = 0;
  let weight = 1;
  let m: RegExpExecArray | null;
  CONTRAST_EN.lastIndex = 0;
  while ((m = CONTRAST_EN.exec(text))) {
    const before = text.slice(last, m.index);
    const marker = m[1].toLowerCase();
    const concessive = marker === 'although' || marker === 'though' || marker === 'even though' || marker === 'while';
    if (concessive && !before.trim()) {
      // "Although A, B": A up to the first comma is the concession, the rest the main clause.
      const rest = text.slice(m.index + m[0].length);
      const comma = rest.search(/[,;]/);
      if (comma < 0) return [{ part: text, weight: 1 }];
      parts.push({ part: rest.slice(0, comma), weight: 0.5 });
      last = m.index + m[0].length + comma + 1;
      CONTRAST_EN.lastIndex = last;
      weight = 2;
      continue;
    }
    if (before.trim()) parts.push({ part: before, weight });
    weight = concessive ? 0.5 : 2;
    if (concessive && parts.length) parts[parts.length - 1].weight = Math.max(parts[parts.length - 1].weight, 1.5);
    last = m.index + m[0].length;
  }
  const tail = text.slice(last);
  if (tail.trim()) parts.push({ part: tail, weight });
  return parts.length ? parts : [{ part: text, weight: 1 }];
}
