// The `rapport` command as a user runs it: imports with rejects and safe re-runs, export, and the demo data.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import type { Rapport } from '../src/app.js';
import { seedDemo } from '../src/demo/seed-demo.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

describe.each(databases)('rapport CLI on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let dir: string;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    await r.customers.defineAttribute(t.tenantId, 'membership_tier', 'string', null);
    await r.customers.defineAttribute(t.tenantId, 'miles', 'number', null);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-cli-'));
  });
  afterAll(async () => {
    await r?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    run(process.execPath, ['bin/rapport.js', ...args, '--tenant', t.slug, '--quiet'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
    });

  it('imports events from CSV, writes rejected rows with line numbers, and a re-run adds nothing', async () => {
    const file = path.join(dir, 'events.csv');
    fs.writeFileSync(
      file,
      [
        'id,type,occurred_at,email,phone,prop.order_id,prop.amount,prop.currency,properties',
        'c1,purchase,2026-05-01T10:00:00Z,li.na@example.com,,O1,120,CNY,',
        'c2,purchase,2026-05-01T11:00:00Z,li.na@example.com,,O2,abc,CNY,',
        'c3,page_view,2026-05-02T10:00:00Z,,138 0013 8000,,,,"{""url"":""/flights""}"',
        'c4,sign_up,2026-05-03T10:00:00Z,,,,,,',
        'c5,custom_event,2026-05-04T10:00:00Z,someone@example.com,,,,,{broken',
        'c6,purchase,2026-05-05T10:00:00Z,li.na@example.com,,20261205000123,88,CNY,',
      ].join('\n'),
    );
    const {
      rows: [{ at: before }],
    } = await r.db.pool.query('SELECT now() AS at');
    const first = JSON.parse((await cli('import', 'events', file)).stdout.trim().split('\n').pop()!);
    // A bulk load leaves the planner figures that include it (not the empty tables autovacuum last saw).
    const {
      rows: [analyzed],
    } = await r.db.pool.query(`SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'customer_events'`);
    expect(analyzed.last_analyze.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(first).toEqual({ rows: 6, accepted: 3, duplicates: 0, rejected: 3, rejects_file: `${file}.rejects.ndjson` });
    const rejects = fs
      .readFileSync(`${file}.rejects.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects.map((x) => x.line)).toEqual([3, 5, 6]);
    expect(rejects[0].errors[0].field).toBe('properties.amount');
    expect(rejects[1].errors[0].field).toBe('identities');
    expect(rejects[2].errors[0].field).toBe('properties');
    const second = JSON.parse((await cli('import', 'events', file)).stdout.trim().split('\n').pop()!);
    expect(second).toMatchObject({ accepted: 0, duplicates: 3, rejected: 3 });
    const { rows } = await r.db.pool.query('SELECT count(*) AS n FROM customer_events WHERE tenant_id = $1', [t.tenantId]);
    expect(rows[0].n).toBe(3);
    const {
      rows: [c6],
    } = await r.db.pool.query(`SELECT properties FROM customer_events WHERE tenant_id = $1 AND id = 'c6'`, [t.tenantId]);
    expect(c6.properties).toMatchObject({ order_id: '20261205000123', amount: 88 });
  });

  it('imports customers from NDJSON by identity, so a re-run updates instead of duplicating, and exports one', async () => {
    const file = path.join(dir, 'customers.ndjson');
    const lines = [
      {
        identities: { email: 'zhou.jie@example.com', phone: '13900001111' },
        given_name: '杰',
        family_name: '周',
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        attributes: { membership_tier: 'gold', miles: 1200 },
      },
      { identities: { email: 'emma.hall@example.com' }, given_name: 'Emma', family_name: 'Hall', timezone: 'Mars/Base' },
      'not json',
      { identities: {}, given_name: 'Nobody' },
    ];
    fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    const first = JSON.parse((await cli('import', 'customers', file)).stdout.trim().split('\n').pop()!);
    expect(first).toMatchObject({ rows: 4, accepted: 1, rejected: 3 });
    fs.writeFileSync(file, JSON.stringify({ identities: { phone: '+8613900001111' }, display_name: '周杰' }) + '\n');
    const second = JSON.parse((await cli('import', 'customers', file)).stdout.trim().split('\n').pop()!);
    expect(second).toMatchObject({ rows: 1, accepted: 1, rejected: 0 });
    const { rows } = await r.db.pool.query(`SELECT id, given_name, display_name, attributes FROM customers WHERE tenant_id = $1 AND given_name = '杰'`, [
      t.tenantId,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ display_name: '周杰', attributes: { membership_tier: 'gold', miles: 1200 } });
    const exported = JSON.parse((await cli('export', 'customer', rows[0].id)).stdout);
    expect(exported.customer.identities.map((i: { value: string }) => i.value).sort()).toEqual(['+8613900001111', 'zhou.jie@example.com']);
  });

  it('answers a usage error with exit code 2', async () => {
    await expect(cli('import', 'things', 'x.csv')).rejects.toMatchObject({ code: 2 });
  });

  it('seeds a demo story with Chinese and English customers whose aggregates add up', async () => {
    const d = await createTestTenant(r);
    const res = await seedDemo(r, d.tenantId, { customers: 100, events: 2000, seed: 7 });
    expect(res).toEqual({ customers: 100, events: 2000 });
    const {
      rows: [c],
    } = await r.db.pool.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE family_name ~ '[\\u4e00-\\u9fff]') AS zh, sum(event_count) AS events FROM customers WHERE tenant_id = $1`,
      [d.tenantId],
    );
    expect(c.n).toBe(100);
    expect(c.zh).toBeGreaterThan(30);
    expect(c.zh).toBeLessThan(90);
    expect(Number(c.events)).toBe(2000);
    const { rows: types } = await r.db.pool.query('SELECT DISTINCT type FROM customer_events WHERE tenant_id = $1 ORDER BY type', [d.tenantId]);
    expect(types.map((x) => x.type)).toEqual(expect.arrayContaining(['purchase', 'sign_up', 'page_view', 'location', 'application_started']));

    // Purchases earned points under the demo's programme: each member's balance is the sum of their
    // postings, and the last 30 days' statements print with postal addresses for most members.
    const {
      rows: [points],
    } = await r.db.pool.query(
      `SELECT count(*) AS members, sum(a.available + a.pending) AS held, (SELECT sum(amount) FROM loyalty_entries e WHERE e.tenant_id = $1 AND e.account IN ('available', 'pending')) AS posted
         FROM loyalty_accounts a WHERE a.tenant_id = $1`,
      [d.tenantId],
    );
    expect(points.members).toBeGreaterThan(30);
    expect(Number(points.held)).toBeGreaterThan(0);
    expect(Number(points.held)).toBe(Number(points.posted));
    expect((await r.loyalty.listRewards(d.tenantId)).length).toBe(4);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const pdf = await r.app.inject({
      method: 'GET',
      url: `/v1/outreach/statements/pdf?from=${day(r.clock.now().getTime() - 30 * 86_400_000)}&to=${day(r.clock.now().getTime() + 86_400_000)}`,
      headers: d.headers,
    });
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(Number(pdf.headers['rapport-pages'])).toBeGreaterThan(0);

    // The rest of the story, read through the API as the console reads it.
    const get = async (path: string) => {
      const res = await r.app.inject({ method: 'GET', url: path, headers: d.headers });
      expect(res.statusCode, `${path}: ${res.body.slice(0, 200)}`).toBe(200);
      return res.json();
    };
    const channels = (await get('/v1/inbox/channels')).data.map((c: { kind: string }) => c.kind).sort();
    expect(channels).toEqual(['api', 'email', 'sms', 'webchat', 'wechat', 'whatsapp']);
    const agents = (await get('/v1/inbox/agents')).data.map((a: { status: string }) => a.status);
    expect(agents).toEqual(expect.arrayContaining(['online', 'offline']));
    const { rows: conversations } = await r.db.pool.query(
      `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE assignee_id IS NULL)::int AS queued FROM inbox_conversations WHERE tenant_id = $1 GROUP BY status`,
      [d.tenantId],
    );
    expect(conversations.map((c) => c.status).sort()).toEqual(['open', 'pending', 'resolved', 'snoozed']);
    const surveys = (await get('/v1/surveys')).data.map((x: { kind: string }) => x.kind).sort();
    expect(surveys).toEqual(['ces', 'csat', 'custom', 'nps']);
    const { rows: cases } = await r.db.pool.query(`SELECT status, count(customer_told_at)::int AS told FROM cases WHERE tenant_id = $1 GROUP BY status`, [
      d.tenantId,
    ]);
    expect(cases.map((c) => c.status).sort()).toEqual(['contacted', 'new', 'resolved', 'wont_fix']);
    expect(cases.find((c) => c.status === 'resolved')!.told).toBeGreaterThan(0);
    const issues = (await get('/v1/loop-issues')).data;
    expect(issues.map((i: { status: string }) => i.status).sort()).toEqual(['fixed', 'open']);
    const angles = new Set((await get('/v1/listening/watch-terms')).data.map((w: { angle: string }) => w.angle));
    expect(angles.size).toBe(12);
    const alerts = (await get('/v1/listening/alerts')).data;
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a: { ended_at: string | null }) => a.ended_at)).toBe(true);
    const articles = (await get('/v1/knowledge/articles?limit=50')).data;
    expect(new Set(articles.map((a: { language: string }) => a.language))).toEqual(new Set(['zh-CN', 'en']));
    const campaigns = (await get('/v1/outreach/campaigns')).data;
    expect(campaigns).toHaveLength(2);
    // The promotions are marketing: each message that went out went to a customer whose latest word on
    // marketing by email is yes; the others' are recorded as dropped.
    const {
      rows: [sent],
    } = await r.db.pool.query(
      `SELECT count(*) FILTER (WHERE m.status <> 'dropped')::int AS n, count(*) FILTER (WHERE m.status = 'dropped')::int AS dropped,
              count(*) FILTER (WHERE m.purpose <> 'marketing')::int AS not_marketing,
              count(*) FILTER (WHERE m.status <> 'dropped' AND coalesce(l.status, '') <> 'granted')::int AS without_consent
         FROM outreach_messages m
         LEFT JOIN LATERAL (SELECT status FROM consent_records c WHERE c.tenant_id = m.tenant_id AND c.customer_id = m.customer_id
                               AND c.channel = 'email' AND c.purpose = 'marketing' ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1) l ON true
        WHERE m.tenant_id = $1 AND m.campaign_id IS NOT NULL`,
      [d.tenantId],
    );
    expect(sent.n).toBeGreaterThan(0);
    // The gold-and-platinum segment is the loyalty programme's gold and platinum members.
    const gold = (await get('/v1/outreach/segments')).data.find((x: { name: string }) => /Gold and Platinum/.test(x.name));
    const counted = await get(`/v1/outreach/segments/${gold.id}/count`);
    const { rows: members } = await r.db.pool.query(
      "SELECT count(*)::int AS n FROM loyalty_accounts WHERE tenant_id = $1 AND tier IN ('gold', 'platinum') AND merged_into IS NULL AND NOT is_closed",
      [d.tenantId],
    );
    expect(members[0].n).toBeGreaterThan(0);
    expect(counted.count).toBe(members[0].n);
    expect(sent.dropped).toBeGreaterThan(0);
    expect(sent).toMatchObject({ not_marketing: 0, without_consent: 0 });
    const {
      rows: [refresh],
    } = await r.db.pool.query('SELECT refreshed_at FROM analytics_refreshes WHERE tenant_id = $1', [d.tenantId]);
    expect(refresh?.refreshed_at).toBeTruthy();
    // The dashboards' loyalty figures are the ledger's: the seed's last refresh saw every point it wrote.
    const programme = await get('/v1/analytics/programme');
    const liability = await get('/v1/loyalty/liability');
    expect(programme.points_issued).toBeGreaterThan(0);
    expect(programme).toMatchObject({
      members: liability.members,
      points_issued: liability.cohorts.reduce((n: number, c: { issued: number }) => n + c.issued, 0),
      liability: { points_outstanding: liability.points_outstanding },
    });
    // The desk answered on every channel (they are sandboxes): first responses count beyond web chat.
    const operations = await get('/v1/analytics/operations');
    expect(
      operations.channels.filter((c: { channel: string; first_responses: number }) => c.channel !== 'webchat' && c.first_responses > 0).length,
    ).toBeGreaterThan(0);
    expect(operations.channels.reduce((n: number, c: { backlog: number }) => n + c.backlog, 0)).toBe(operations.backlog);
    const loop = await get('/v1/analytics/loop');
    expect(loop.loop_closure_rate).toBeGreaterThan(0);
    expect(loop.cost_per_complaint).toBeGreaterThan(0);
  }, 600_000);
});
