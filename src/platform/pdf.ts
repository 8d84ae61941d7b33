// A small PDF 1.7 writer for print-ready documents made of text: A4 pages, lines of text at given
// positions, rules. Text uses the PDF's predefined CJK fonts (STSong-Light with the UniGB-UCS2-H
// encoding for Latin and simplified Chinese, MSung-Light with UniCNS-UCS2-H for traditional), which
// every conforming reader and print RIP carries, so no font file is embedded and a page stays a few
// kilobytes. Each font has a ToUnicode map, so text can be searched, copied and extracted. Characters
// outside the Basic Multilingual Plane are printed as "?".

export type PdfFont = 'sc' | 'tc';

interface TextOp {
  kind: 'text';
  x: number;
  y: number;
  size: number;
  text: string;
  font: PdfFont;
  isBold?: boolean;
}
interface RuleOp {
  kind: 'rule';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
}
type Op = TextOp | RuleOp;

/** A4 in points. */
export const A4 = { width: 595.28, height: 841.89 };
export const mm = (n: number) => (n * 72) / 25.4;

export class PdfPage {
  readonly ops: Op[] = [];
  /** y is measured from the top of the page, in points, as a layout reads. */
  text(x: number, y: number, text: string, opts: { size?: number; font?: PdfFont; isBold?: boolean } = {}) {
    this.ops.push({ kind: 'text', x, y: A4.height - y, size: opts.size ?? 10, text, font: opts.font ?? 'sc', isBold: opts.isBold });
    return this;
  }
  rule(x1: number, y: number, x2: number, width = 0.5) {
    this.ops.push({ kind: 'rule', x1, y1: A4.height - y, x2, y2: A4.height - y, width });
    return this;
  }
}

/** Approximate advance of a string in points: half an em for ASCII, a full em otherwise. */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0)! < 0x7f ? 0.5 : 1) * size;
  return w;
}

function hex16(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const code = cp > 0xffff || (cp < 0x20 && cp !== 0x09) ? 0x3f : cp === 0x09 ? 0x20 : cp;
    out += code.toString(16).padStart(4, '0');
  }
  return out;
}

// Widths of the Latin glyphs (the CIDs under 96): half-width in STSong-Light, proportional letters in
// MSung-Light, as Acrobat's own font metrics give them.
const FONTS: Record<PdfFont, { base: string; registry: string; ordering: string; supplement: number; encoding: string; widths: string }> = {
  sc: { base: 'STSong-Light', registry: 'Adobe', ordering: 'GB1', supplement: 2, encoding: 'UniGB-UCS2-H', widths: '1 95 500' },
  tc: {
    base: 'MSung-Light',
    registry: 'Adobe',
    ordering: 'CNS1',
    supplement: 0,
    encoding: 'UniCNS-UCS2-H',
    widths:
      '1 33 500 34 [749 673 679 679 685 671 738 736 333 494 739 696 902 720 750 674 746 672 627 769 707 777 887 709 616] 60 65 500 ' +
      '66 [500 511 502 549 494 356 516 550 321 321 510 317 738 533 535 545 533 376 443 261 529 742 534 576 439] 92 95 500',
  },
};

// Codes are UCS-2, so the map back to Unicode is the identity: 256 ranges whose ends differ only in
// the last byte, as PDF requires of bfrange.
const TO_UNICODE = (() => {
  const ranges: string[] = [];
  for (let hi = 0; hi < 256; hi++) {
    const h = hi.toString(16).padStart(2, '0');
    if (hi >= 0xd8 && hi <= 0xdf) continue; // surrogates are never written
    ranges.push(`<${h}00> <${h}ff> <${h}00>`);
  }
  const chunks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100)
    chunks.push(`${Math.min(100, ranges.length - i)} beginbfrange\n${ranges.slice(i, i + 100).join('\n')}\nendbfrange`);
  return `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Rapport-UCS2-Identity def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n${chunks.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`;
})();

/** Serialises pages into a PDF file. */
export function renderPdf(pages: PdfPage[], info: { title?: string; author?: string } = {}): Buffer {
  const objects: (string | Buffer)[] = [];
  const add = (body: string | Buffer) => {
    objects.push(body);
    return objects.length;
  };
  const pdfString = (s: string) => `<feff${hex16(s)}>`;

  const catalog = add(''); // filled below
  const pagesRoot = add('');
  const toUnicode = add(`<< /Length ${Buffer.byteLength(TO_UNICODE)} >>\nstream\n${TO_UNICODE}\nendstream`);
  const fontRefs: Record<string, number> = {};
  for (const [key, f] of Object.entries(FONTS)) {
    for (const isBold of [false, true]) {
      const descriptor = add(
        `<< /Type /FontDescriptor /FontName /${f.base}${isBold ? ',Bold' : ''} /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV ${isBold ? 140 : 93} >>`,
      );
      const cid = add(
        `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /${f.base}${isBold ? ',Bold' : ''} /CIDSystemInfo << /Registry (${f.registry}) /Ordering (${f.ordering}) /Supplement ${f.supplement} >> /FontDescriptor ${descriptor} 0 R /DW 1000 /W [${f.widths}] >>`,
      );
      fontRefs[`${key}${isBold ? 'b' : ''}`] = add(
        `<< /Type /Font /Subtype /Type0 /BaseFont /${f.base}${isBold ? ',Bold' : ''}-${f.encoding} /Encoding /${f.encoding} /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`,
      );
    }
  }
  const fontDict = `<< ${Object.entries(fontRefs)
    .map(([k, ref]) => `/F${k} ${ref} 0 R`)
    .join(' ')} >>`;
  const pageRefs: number[] = [];
  for (const page of pages) {
    const content = page.ops
      .map((op) =>
        op.kind === 'text'
          ? `BT /F${op.font}${op.isBold ? 'b' : ''} ${op.size} Tf ${op.x.toFixed(2)} ${op.y.toFixed(2)} Td <${hex16(op.text)}> Tj ET`
          : `${op.width} w ${op.x1.toFixed(2)} ${op.y1.toFixed(2)} m ${op.x2.toFixed(2)} ${op.y2.toFixed(2)} l S`,
      )
      .join('\n');
    const stream = add(`<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`);
    pageRefs.push(
      add(`<< /Type /Page /Parent ${pagesRoot} 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /Font ${fontDict} >> /Contents ${stream} 0 R >>`),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesRoot} 0 R >>`;
  objects[pagesRoot - 1] = `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pageRefs.length} >>`;
  const infoRef = add(
    `<< /Producer (Rapport)${info.title ? ` /Title ${pdfString(info.title)}` : ''}${info.author ? ` /Author ${pdfString(info.author)}` : ''} >>`,
  );

  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body), Buffer.from('\nendobj\n')]);
    chunks.push(b);
    offset += b.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoRef} 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return Buffer.concat(chunks);
}
