import { PdfPage, renderPdf } from '../src/platform/pdf.js';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import path from 'node:path';
const p = new PdfPage().text(50, 60, 'Hello 积分对账单 Ünïcode', { size: 14, isBold: true }).rule(50, 70, 500).text(50, 90, '王小明 1,234 points', {});
const p2 = new PdfPage().text(50, 60, '積分對帳單 台北', { font: 'tc' });
const buf = renderPdf([p, p2], { title: '对账单' });
const doc = await pdfjs.getDocument({ data: new Uint8Array(buf), cMapUrl: path.resolve('node_modules/pdfjs-dist/cmaps') + '/', cMapPacked: true, standardFontDataUrl: path.resolve('node_modules/pdfjs-dist/standard_fonts') + '/', verbosity: 0 }).promise;
console.log('pages', doc.numPages);
for (let i = 1; i <= doc.numPages; i++) { const pg = await doc.getPage(i); const tc = await pg.getTextContent(); console.log(tc.items.map((x: any) => x.str)); }
const meta = await doc.getMetadata(); console.log((meta.info as any).Title);
