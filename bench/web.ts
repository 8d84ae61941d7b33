// npm run bench -- web: the first start (`rapport start` on a fresh data directory, embedded database and
// the whole demo, until the server says it is ready), production bundle sizes (console initial JS and
// widget, gzipped) and the inbox's time to interactive in Debian's Chromium with 500 conversations in the tenant, beside a same-run
// baseline: a static HTML page from the same server in the same browser (shared, noisy machine:
// absolute figures vary run to run, the ratio less).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import pino from 'pino';
import { createRapport } from '../src/app.js';
import { createTenant } from '../src/platform/tenancy.js';
import { ensureWebBuild, WEB_OUT_DIR } from '../src/platform/web-build.js';
import { hasChromium, launchChromium, newContext } from '../test/browser/browser.js';
import { dropTenant } from './child-server.js';

const CONVERSATIONS = 500;
const RUNS = 5;
// The inbox list's first page (web/console/pages/inbox/inbox.tsx asks for 100).
const FIRST_PAGE = 100;

const gzKb = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The JS a first visit to the console must fetch before it can run: the entry and its static imports. */
function consoleInitialJs(): string[] {
  const html = fs.readFileSync(path.join(WEB_OUT_DIR, 'console', 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => path.join(WEB_OUT_DIR, m[1]));
}

/** Seconds from `rapport start` on an empty data directory to its "running" line (demo included). */
async function measureFirstStart(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-first-start-'));
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/rapport.js', 'start'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...env, PORT: '0', HOST: '127.0.0.1', RAPPORT_DATA_DIR: dir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no "running" line within 300 s:\n${out.slice(-2000)}`)), 300_000);
      child.stdout.on('data', (c) => {
        out += String(c);
        if (/Rapport is running/.test(out)) {
          clearTimeout(timer);
          resolve((performance.now() - t0) / 1000);
        }
      });
      child.stderr.on('data', (c) => {
        out += String(c);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`rapport start exited with ${code}:\n${out.slice(-2000)}`));
      });
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('set TEST_DATABASE_URL to a PostgreSQL database for benchmarks');
  if (await ensureWebBuild({ quiet: true })) console.log('built dist/web');

  const firstStart = await measureFirstStart();
  console.log(`first start (fresh data directory, embedded database, demo included, to ready): ${firstStart.toFixed(1)} s (target < 90)`);

  const initial = consoleInitialJs();
  const consoleKb = initial.reduce((n, f) => n + gzKb(f), 0);
  const widgetKb = gzKb(path.join(WEB_OUT_DIR, 'widget.js'));
  // Everything else (screens, ECharts, the portal) is fetched when a screen needs it.
  const lazy = fs
    .readdirSync(path.join(WEB_OUT_DIR, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(WEB_OUT_DIR, 'assets', f))
    .filter((f) => !initial.includes(f));
  const biggest = lazy.map((f) => [path.basename(f), gzKb(f)] as const).sort((a, b) => b[1] - a[1])[0];
  console.log(
    `console initial JS: ${consoleKb.toFixed(1)} KB gzipped in ${initial.length} files (target < 350); ${lazy.length} chunks loaded on demand, the largest ${biggest ? `${biggest[0]} ${biggest[1].toFixed(1)} KB` : '-'}`,
  );
  console.log(`widget: ${widgetKb.toFixed(1)} KB gzipped (target < 50)`);

  let inboxTti: number | null = null;
  let baselineMs: number | null = null;
  let listMs: number | null = null;
  if (!hasChromium) {
    console.log('no /usr/bin/chromium: time to interactive not measured (apt-get install -y chromium)');
  } else {
    const r = await createRapport({ databaseUrl: url, log: pino({ level: 'silent' }), seedDemo: false, jobs: false });
    const slug = `bench-web-${Date.now()}`;
    const password = 'bench password 123';
    const { tenantId, apiKey } = await createTenant(r.db.pool, {
      slug,
      name: 'Bench web',
      admin: { email: 'admin@bench.example.com', name: 'Admin', password },
    });
    try {
      // 500 customers write in on the API channel: 500 open conversations, each with its first message.
      const created = await r.app.inject({
        method: 'POST',
        url: '/v1/inbox/channels',
        headers: { authorization: `Bearer ${apiKey}` },
        payload: { kind: 'api', name: 'Bench channel' },
      });
      if (created.statusCode !== 201) throw new Error(created.body);
      const channel = await r.inbox.getChannel(tenantId, created.json().id);
      const t0 = performance.now();
      for (let i = 0; i < CONVERSATIONS; i += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, CONVERSATIONS - i) }, (_, k) =>
            r.inbox.receive({
              channel,
              externalId: `bench-${i + k}`,
              identities: { email: `c${i + k}@bench.example.com` },
              senderName: `Customer ${i + k}`,
              text: `Order ${10_000 + i + k} has not arrived yet, can you check?`,
              replyAddress: `c${i + k}@bench.example.com`,
            }),
          ),
        );
      }
      await r.bus.drain();
      const {
        rows: [{ n }],
      } = await r.db.pool.query(`SELECT count(*)::int AS n FROM inbox_conversations WHERE tenant_id = $1 AND status = 'open'`, [tenantId]);
      console.log(`seeded ${n} open conversations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const base = await r.app.listen({ port: 0, host: '127.0.0.1' });
      const browser = await launchChromium();
      try {
        const context = await newContext(browser);
        const page = await context.newPage();
        await page.goto(`${base}/console/login`);
        await page.getByLabel('Company (tenant)').fill(slug);
        await page.getByLabel('Email', { exact: true }).fill('admin@bench.example.com');
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // Signed in: the console opens on the role's home page.
        await page.waitForURL(/\/console\/home/);
        const tti: number[] = [];
        const listApi: number[] = [];
        const baseline: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          // A cold cache each time: the figure includes fetching and parsing the bundle.
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.clearBrowserCache');
          let start = performance.now();
          await page.goto(`${base}/`, { waitUntil: 'load' });
          baseline.push(performance.now() - start);
          // Interactive: the first page of the list is drawn and the live feed is connected.
          start = performance.now();
          await page.goto(`${base}/console/inbox`);
          await page
            .locator('button.conv-row')
            .nth(FIRST_PAGE - 1)
            .waitFor();
          await page.getByText('Live', { exact: true }).waitFor();
          tti.push(performance.now() - start);
          // Where the time goes: the list request as the browser saw it (resource timing).
          listApi.push(
            await page.evaluate(() =>
              Math.max(
                0,
                ...performance
                  .getEntriesByType('resource')
                  .filter((e) => /\/v1\/conversations\?/.test(e.name))
                  .map((e) => e.duration),
              ),
            ),
          );
        }
        inboxTti = median(tti);
        listMs = median(listApi);
        baselineMs = median(baseline);
        console.log(
          `inbox interactive (${FIRST_PAGE} of ${CONVERSATIONS} conversations drawn, feed live, cold cache): median ${inboxTti.toFixed(0)} ms over ${RUNS} runs [${tti.map((x) => x.toFixed(0)).join(', ')}]; baseline static page ${baselineMs.toFixed(0)} ms; ratio ${(inboxTti / baselineMs).toFixed(1)}; of which the list request (GET /v1/conversations, 100 rows) median ${listMs.toFixed(0)} ms`,
        );
      } finally {
        await browser.close();
      }
    } finally {
      await r.close();
      await dropTenant(url, tenantId);
    }
  }
  console.log(
    JSON.stringify({
      bench: 'web',
      first_start_s: Number(firstStart.toFixed(1)),
      console_kb_gz: Number(consoleKb.toFixed(1)),
      widget_kb_gz: Number(widgetKb.toFixed(1)),
      inbox_tti_ms: inboxTti === null ? null : Math.round(inboxTti),
      conversations: CONVERSATIONS,
      inbox_list_request_ms: listMs === null ? null : Math.round(listMs),
      baseline_static_page_ms: baselineMs === null ? null : Math.round(baselineMs),
    }),
  );
}
