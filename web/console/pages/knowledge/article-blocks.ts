// An article body cut into the blocks the help centre draws (render-help-centre.ts renderBody):
// headings (#), lists (- or *), paragraphs and line breaks. Plain data, so the console can draw them
// as React elements and a test can hold them to the help centre's own HTML.
export type Block = { kind: 'heading'; level: 2 | 3 | 4; text: string } | { kind: 'list'; items: string[] } | { kind: 'paragraph'; lines: string[] };

/** The same blocks renderBody makes, in the same order. */
export function blocksOf(body: string): Block[] {
  const out: Block[] = [];
  for (const block of body.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.trim());
    if (!lines.length) continue;
    const heading = /^(#{1,3})\s+(.*)$/.exec(lines[0]);
    if (heading && lines.length === 1) out.push({ kind: 'heading', level: (heading[1].length + 1) as 2 | 3 | 4, text: heading[2] });
    else if (lines.every((l) => /^\s*[-*]\s+/.test(l))) out.push({ kind: 'list', items: lines.map((l) => l.replace(/^\s*[-*]\s+/, '')) });
    else out.push({ kind: 'paragraph', lines });
  }
  return out;
}
