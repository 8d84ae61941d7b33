import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { createTestClock } from '../../platform/clock.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';
import { LoyaltyProgram as Program } from '../loyalty/index.js';
import { derivedMessageId } from './send-message.js';
import { statementPeriodEnding } from './send-loyalty-statements.js';

const system = { type: 'system' as const, id: 'test' };

/** Every page's text, read back by pdf.js (the reader in Firefox and many print workflows). */
async function pdfPages(data: Buffer): Promise<string[]> {
  const modules = path.resolve('node_modules/pdfjs-dist');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(data),
    cMapUrl: `${modules}/cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${modules}/standard_fonts/`,
    verbosity: 0,
  }).promise;
  const out: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    out.push(
      content.items
        .map((x) => ('str' in x ? x.str : ''))
        .filter((s) => s.trim())
        .join('\n'),
    );
  }
  return out;
}

describe('statement periods', () => {
  it('end on the first day of a month or quarter, covering the one before', () => {
    expect(statementPeriodEnding(new Date('2031-03-01T02:00:00Z'), 'month')).toEqual({
      from: new Date('2031-02-01T00:00:00Z'),
      to: new Date('2031-03-01T00:00:00Z'),
    });
    expect(statementPeriodEnding(new Date('2031-01-01T02:00:00Z'), 'month')).toEqual({
      from: new Date('2030-12-01T00:00:00Z'),
      to: new Date('2031-01-01T00:00:00Z'),
    });
    expect(statementPeriodEnding(new Date('2031-04-01T02:00:00Z'), 'quarter')).toEqual({
      from: new Date('2031-01-01T00:00:00Z'),
      to: new Date('2031-04-01T00:00:00Z'),
    });
    expect(statementPeriodEnding(new Date('2031-05-01T02:00:00Z'), 'quarter')).toBeNull();
    expect(statementPeriodEnding(new Date('2031-03-02T02:00:00Z'), 'month')).toBeNull();
  });
  it('derive message ids that sign-links accept and that differ by seed', () => {
    const a = derivedMessageId('statement|t|tpl|cus_1|2031-01|2031-02');
    expect(a).toMatch(/^msg_[0-9a-z]{25}$/);
    expect(derivedMessageId('statement|t|tpl|cus_1|2031-01|2031-02')).toBe(a);
    expect(derivedMessageId('statement|t|tpl|cus_2|2031-01|2031-02')).not.toBe(a);
  });
});

describe.each(databases)('loyalty in outreach on $name', ({ url }) => {
  let r: Rapport;
  let smtp: SmtpListener;
  let t: TestTenant;
  const ids: Record<string, string> = {};
  // The members' first points are booked on 5 March, the rest on 10 March: the statement period
  // [9 March, 12 March) opens with the first and holds the rest.
  const clock = createTestClock('2026-03-05T10:00:00Z', { frozen: true });
  const from = new Date('2026-03-09T00:00:00Z');
  const to = new Date('2026-03-12T00:00:00Z');
  const day = (d: Date) => d.toISOString().slice(0, 10);

  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { jobs: false, clock });
    t = await createTestTenant(r);
    const res = await r.app.inject({
      method: 'PUT',
      url: '/v1/outreach/settings',
      headers: t.headers,
      payload: {
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null, from: 'club@shop.example.com' },
        public_base_url: 'https://rapport.example.com',
        default_timezone: 'UTC',
        default_locale: 'en',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    await r.loyalty.setProgram(
      t.tenantId,
      Program.parse({
        expiry: { policy: 'fixed_days', days: 20, warning_days: 30 },
        tiers: [
          { id: 'silver', name: 'Silver', threshold: 100 },
          { id: 'gold', name: 'Gold', threshold: 1000 },
        ],
      }),
    );
    const member = async (name: string, p: { email?: string; language?: string; address?: string }) => {
      const id = await r.customers.createCustomer(
        t.tenantId,
        {
          given_name: name,
          family_name: name === '小明' ? '王' : 'Lee',
          identities: p.email ? { email: p.email } : {},
          attributes: p.address ? { postal_address: p.address } : {},
        },
        system,
      );
      await r.customers.setPreferences(
        t.tenantId,
        id,
        { channels: ['email'], contact_window: null, max_messages_per_week: null, language: (p.language ?? null) as never },
        system,
      );
      return id;
    };
    await r.customers.defineAttribute(t.tenantId, 'postal_address', 'string', 'Postal address');
    ids.ann = await member('Ann', { email: 'ann@example.com', address: '12 Harbour Road\nWan Chai\nHong Kong' });
    ids.ming = await member('小明', { email: 'ming@example.com', language: 'zh-CN' });
    ids.idle = await member('Idle', { email: 'idle@example.com' });
    ids.none = await member('Nobody', { email: 'nobody@example.com' });
    // Points given directly count toward tiers here (the loyalty settings' goodwill_toward_tier).
    const goodwill = await r.app.inject({
      method: 'PATCH',
      url: '/v1/settings/loyalty',
      headers: t.headers,
      payload: { goodwill_toward_tier: { manual: true } },
    });
    expect(goodwill.statusCode, goodwill.body).toBe(200);
    // Ann: 300 before the period (opening), then 150 earned and 50 spent in it; Ming: 80 before, nothing since.
    await r.loyalty.earn(t.tenantId, { customerId: ids.ann, points: 300, key: 'ann-1' });
    await r.loyalty.earn(t.tenantId, { customerId: ids.ming, points: 80, key: 'ming-1' });
    await r.loyalty.earn(t.tenantId, { customerId: ids.idle, points: 5, key: 'idle-1' });
    await r.loyalty.spend(t.tenantId, { customerId: ids.idle, points: 5, key: 'idle-2' });
    clock.set('2026-03-10T10:00:00Z');
    await r.loyalty.earn(t.tenantId, { customerId: ids.ann, points: 150, key: 'ann-2' });
    await r.loyalty.spend(t.tenantId, { customerId: ids.ann, points: 50, key: 'ann-3' });
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  const template = async (body: object) => {
    const res = await r.app.inject({ method: 'POST', url: '/v1/outreach/templates', headers: t.headers, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  it("renders a member's points, expiring points and tier progress in a template", async () => {
    clock.set('2026-03-10T10:00:00Z');
    const tpl = await template({
      name: 'points',
      purpose: 'transactional',
      default_locale: 'en',
      content: {
        en: {
          email: {
            subject: 'Your points',
            text: 'You have {loyalty_points} points, {loyalty_expiring_points} expiring. Tier: {loyalty_tier_name}. {loyalty_to_next_tier} more to {loyalty_next_tier_name}.',
            html: '<p>x</p>',
          },
        },
      },
    });
    const res = await r.app.inject({ method: 'POST', url: `/v1/outreach/templates/${tpl}/preview`, headers: t.headers, payload: { customer_id: ids.ann } });
    expect(res.statusCode, res.body).toBe(200);
    // 300 + 150 - 50 = 400 points; all earned within 20 days, so all expire within the 30-day warning;
    // qualifying points over the rolling year are 450: Silver, 550 short of Gold.
    expect(res.json().rendered.email.text).toBe('You have 400 points, 400 expiring. Tier: Silver. 550 more to Gold.');
  });

  it('plans one statement per member with activity or points, once however often it runs, with hand-checked figures', async () => {
    const tpl = await template({
      name: 'statement',
      purpose: 'transactional',
      default_locale: 'en',
      content: {
        en: {
          email: {
            subject: 'Statement',
            text: 'Opening {statement_opening}, earned {statement_earned}, spent {statement_spent}, closing {statement_closing}.',
            html: '<p>statement</p>',
          },
        },
        'zh-CN': {
          email: {
            subject: '积分对账单',
            text: '期初{statement_opening}，获得{statement_earned}，使用{statement_spent}，期末{statement_closing}。',
            html: '<p>对账单</p>',
          },
        },
      },
    });
    const period = { from, to };
    // Planned and sent inside the contact window; nothing else dispatches them.
    const at = new Date('2026-03-12T10:00:00Z');
    const first = await r.outreach.sendLoyaltyStatements(t.tenantId, tpl, period, at);
    // Ann (activity) and Ming (points, no activity); Idle has neither; Nobody has no account.
    expect(first).toEqual({ planned: 2, already: 0, failed: 0 });
    expect(await r.outreach.sendLoyaltyStatements(t.tenantId, tpl, period, at)).toEqual({ planned: 0, already: 2, failed: 0 });
    const before = smtp.messages.length;
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ sent: 2 });
    const mails = [await smtp.waitFor('ann@example.com', before), await smtp.waitFor('ming@example.com', before)];
    const texts = mails.map((m) => `${m.to.join()}: ${m.mail.text?.trim()}`);
    expect(texts).toEqual(['ann@example.com: Opening 300, earned 150, spent 50, closing 400.', 'ming@example.com: 期初80，获得0，使用0，期末80。']);
  });

  it('refuses a statement run with an unknown template or a backwards period, naming the field', async () => {
    const bad = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/statements',
      headers: t.headers,
      payload: { template_id: 'tpl_missing', from: day(from), to: day(to) },
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().errors).toEqual([{ field: 'template_id', message: 'no such template' }]);
    const backwards = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/statements',
      headers: t.headers,
      payload: { template_id: 'tpl_missing', from: day(to), to: day(from) },
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(backwards.json().errors)).toContain('from');
    const settings = await r.app.inject({
      method: 'PUT',
      url: '/v1/outreach/settings',
      headers: t.headers,
      payload: { statements: { template_id: 'tpl_missing', every: 'month' } },
    });
    expect(settings.statusCode).toBe(404);
    expect(settings.json().errors[0].field).toBe('statements.template_id');
  });

  it('prints post-ready statements, one page per member in their language, a file at a time', async () => {
    const res = await r.app.inject({ method: 'GET', url: `/v1/outreach/statements/pdf?from=${day(from)}&to=${day(to)}`, headers: t.headers });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['rapport-pages']).toBe('2');
    expect(res.headers['rapport-without-address']).toBe('1');
    expect(res.headers['rapport-next-after']).toBeUndefined();
    // The same period as instants with offsets, as the rest of the API takes them.
    const instants = await r.app.inject({
      method: 'GET',
      url: `/v1/outreach/statements/pdf?from=${encodeURIComponent(`${day(from)}T08:00:00+08:00`)}&to=${day(to)}T00:00:00Z`,
      headers: t.headers,
    });
    expect(instants.statusCode, instants.body.slice(0, 200)).toBe(200);
    expect(instants.headers['rapport-pages']).toBe('2');
    expect(instants.headers['content-disposition']).toBe(`attachment; filename="statements-${day(from)}-${day(to)}.pdf"`);
    const pages = await pdfPages(res.rawPayload);
    const ann = pages.find((p) => p.includes('Ann Lee'))!;
    const ming = pages.find((p) => p.includes('王小明'))!;
    for (const line of [
      'Loyalty statement',
      '12 Harbour Road',
      'Wan Chai',
      'Opening balance',
      '300',
      'Points earned',
      '+150',
      'Points spent',
      '-50',
      'Points expired\n0\n',
      'Closing balance',
      '400',
      'Your tier: Silver',
      '550 more qualifying points to Gold',
    ]) {
      expect(ann, line).toContain(line);
    }
    expect(ann).toMatch(/Expiring by .*\n400/);
    for (const line of ['积分对账单', '期初积分', '期末积分', '80', '会员等级: 暂无等级', '再获得 20 定级积分即可升至Silver'])
      expect(ming, line).toContain(line);
    expect(ming).not.toContain('Harbour');

    const firstFile = await r.app.inject({ method: 'GET', url: `/v1/outreach/statements/pdf?from=${day(from)}&to=${day(to)}&limit=1`, headers: t.headers });
    expect(firstFile.headers['rapport-pages']).toBe('1');
    const after = firstFile.headers['rapport-next-after'] as string;
    expect(after).toBeTruthy();
    const second = await r.app.inject({
      method: 'GET',
      url: `/v1/outreach/statements/pdf?from=${day(from)}&to=${day(to)}&limit=1&after=${after}`,
      headers: t.headers,
    });
    expect(second.headers['rapport-pages']).toBe('1');
    const both = [...(await pdfPages(firstFile.rawPayload)), ...(await pdfPages(second.rawPayload))];
    expect(both.filter((p) => p.includes('Ann Lee')).length).toBe(1);
    expect(both.filter((p) => p.includes('王小明')).length).toBe(1);
  });

  it('runs the schedule on the first day of a period only', async () => {
    const tpl = await template({
      name: 'monthly',
      purpose: 'transactional',
      default_locale: 'en',
      content: { en: { email: { subject: 'Monthly', text: 'closing {statement_closing}', html: '<p>m</p>' } } },
    });
    const res = await r.app.inject({
      method: 'PUT',
      url: '/v1/outreach/settings',
      headers: t.headers,
      payload: { statements: { template_id: tpl, every: 'month' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().statements).toEqual({ template_id: tpl, every: 'month' });
    // The schedule plans only on the first day of a period: 2 April is not one.
    expect(await r.outreach.runScheduledStatements(new Date('2026-04-02T02:00:00Z'), t.tenantId)).toBe(0);
    // On 1 April, March: Ann, Ming and Idle all have activity in it.
    expect(await r.outreach.runScheduledStatements(new Date('2026-04-01T02:00:00Z'), t.tenantId)).toBe(3);
    const { rows } = await r.db.pool.query(`SELECT customer_id FROM outreach_messages WHERE tenant_id = $1 AND template_id = $2 ORDER BY customer_id`, [
      t.tenantId,
      tpl,
    ]);
    expect(rows.map((x) => x.customer_id).sort()).toEqual([ids.ann, ids.ming, ids.idle].sort());
    expect(await r.outreach.runScheduledStatements(new Date('2026-04-01T02:00:00Z'), t.tenantId)).toBe(0);
    await r.app.inject({ method: 'PUT', url: '/v1/outreach/settings', headers: t.headers, payload: { statements: null } });
  });

  it("counts activity on a period's last millisecond in that period, and gives a period without activity statements for members with points only", async () => {
    const late = await r.customers.createCustomer(t.tenantId, { given_name: 'Late', family_name: 'Lee', identities: { email: 'late@example.com' } }, system);
    clock.set('2026-03-31T23:59:59.999Z');
    await r.loyalty.earn(t.tenantId, { customerId: late, points: 7, key: 'late-1' });
    const figures = async (from: string, to: string) => {
      const out: { customer_id: string; opening: number; earned: number; spent: number; closing: number; transactions: number }[] = [];
      for await (const s of r.loyalty.statements(t.tenantId, { from: new Date(from), to: new Date(to) })) out.push(s);
      return Object.fromEntries(out.map((s) => [s.customer_id, [s.opening, s.earned, s.spent, s.closing, s.transactions]]));
    };
    // March holds Late's only transaction (opening 0, earned 7), beside Ann's, Ming's and Idle's of the 5th and 10th.
    expect(await figures('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual({
      [ids.ann]: [0, 450, 50, 400, 3],
      [ids.ming]: [0, 80, 0, 80, 1],
      [ids.idle]: [0, 5, 5, 0, 2],
      [late]: [0, 7, 0, 7, 1],
    });
    // April has no activity: members with points get a statement that opens and closes alike; Idle (no points) none.
    expect(await figures('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual({
      [ids.ann]: [400, 0, 0, 400, 0],
      [ids.ming]: [80, 0, 0, 80, 0],
      [late]: [7, 0, 0, 7, 0],
    });
  });
});
