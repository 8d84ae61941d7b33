import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { renderStatementsPdf } from '../src/modules/outreach/statement-pdf.js';
const profile = (id: string, given: string, family: string, language: string | null, address?: string) => ({ id, status: 'active', givenName: given, familyName: family, displayName: null, locale: null, timezone: null, attributes: address ? { postal_address: address } : {}, channels: [], contactWindow: null, maxMessagesPerWeek: null, language, consent: {}, addresses: {}, value: { isCore: false, clv: null, orderCount: 0, lastPurchaseAt: null } });
const s = { customer_id: 'cus_01abc', from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', opening: 1200, earned: 350, spent: 500, expired: 20, other: 0, closing: 1030, expiring_points: 200, expiring_at: '2026-11-20T00:00:00.000Z', tier_name: 'Silver', next_tier_name: 'Gold', to_next_tier: 420 };
const { pdf } = renderStatementsPdf([s, { ...s, customer_id: 'cus_02' }], new Map([['cus_01abc', profile('cus_01abc', 'Ann', 'Lee', 'en', '12 Harbour Road\nWan Chai\nHong Kong') as never], ['cus_02', profile('cus_02', '小明', '王', 'zh-CN', '上海市浦东新区\n世纪大道100号') as never]]), { company: 'Sky Air', defaultLocale: 'en', timeZone: 'Asia/Shanghai' });
fs.writeFileSync('/tmp/st.pdf', pdf);
const mod = path.resolve('node_modules/pdfjs-dist');
fs.writeFileSync('/tmp/pdfview.html', `<html><body style="margin:0;background:#888"><canvas id=c></canvas><canvas id=d></canvas><script type="module">
import * as pdfjs from 'file://${mod}/build/pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = 'file://${mod}/build/pdf.worker.mjs';
const data = new Uint8Array(${JSON.stringify([...pdf])});
const doc = await pdfjs.getDocument({ data, cMapUrl: 'file://${mod}/cmaps/', cMapPacked: true }).promise;
for (const [i, id] of [[1, 'c'], [2, 'd']]) { const page = await doc.getPage(i); const vp = page.getViewport({ scale: 1 }); const c = document.getElementById(id); c.width = vp.width; c.height = vp.height; await page.render({ canvasContext: c.getContext('2d'), viewport: vp }).promise; }
document.title = 'done';
</script></body></html>`);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--allow-file-access-from-files'] });
const p = await b.newPage({ viewport: { width: 1200, height: 850 } });
p.on('console', (m) => console.log(m.text()));
await p.goto('file:///tmp/pdfview.html');
await p.waitForFunction(() => document.title === 'done', null, { timeout: 20000 });
await p.screenshot({ path: '/tmp/st.png' });
await b.close();
