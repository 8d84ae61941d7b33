import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { createTestClock } from '../../platform/clock.js';
import { webhookHeaders, verifyWebhook } from '../../platform/sign-webhook.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';
import { deliverAlert } from './deliver-alert.js';

/** A receiver of alert webhooks on loopback: records each request and answers the next scripted status (204 when none is left). */
async function startHookStub() {
  const requests: { path: string; headers: Record<string, string>; body: string }[] = [];
  const answers = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers as Record<string, string>, body });
      res.writeHead(answers.get(path)?.shift() ?? 204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    answer: (path: string, ...statuses: number[]) => answers.set(path, statuses),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const HOUR = 3_600_000;

describe.each(databases)('listening on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  let smtp: SmtpListener;
  let hooks: Awaited<ReturnType<typeof startHookStub>>;
  const created: { type: string; payload: any }[] = [];
  beforeAll(async () => {
    smtp = await startSmtpListener();
    hooks = await startHookStub();
    r = await startTestApp(url, {
      clock: createTestClock('2026-03-20T12:05:00Z'),
      jobs: false,
      smtpUrl: smtp.url,
      mailFrom: 'Rapport <alerts@rapport.example>',
    });
    t = await createTestTenant(r);
    r.bus.subscribe('mention.created', (m) => {
      if (m.tenantId === t.tenantId) created.push(m as any);
    });
    for (const [angle, term, aliases] of [
      ['company', '东方航空', ['东航']],
      ['competitor', '南方航空', ['南航']],
      ['weakness', '延误', []],
    ] as const) {
      const res = await r.app.inject({ method: 'POST', url: '/v1/listening/watch-terms', headers: t.headers, payload: { angle, term, aliases } });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
    await hooks?.close();
  });

  const ingest = (mentions: unknown[]) => r.app.inject({ method: 'POST', url: '/v1/listening/mentions', headers: t.headers, payload: { mentions } });

  it('analyses each mention, links a known Weibo author and announces it', async () => {
    const cus = await r.app.inject({ method: 'POST', url: '/v1/customers', headers: t.headers, payload: { identities: { weibo_uid: '5566778899' } } });
    expect(cus.statusCode, cus.body).toBe(201);
    const customerId = cus.json().id;
    const res = await ingest([
      {
        channel: 'weibo',
        url: 'https://weibo.com/1/a',
        author: '小王',
        author_handle: '5566778899',
        text: '东航又延误了三个小时，客服态度还特别差[怒]',
        published_at: '2026-03-01T08:00:00Z',
        reach: 1200,
      },
      { channel: 'forum', url: 'https://bbs.example.com/2', text: '南航的空姐服务很好，餐食也不错', published_at: '2026-03-01T09:00:00Z' },
      { channel: 'weibo', text: '', published_at: 'yesterday' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.results.map((x: any) => x.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(body.results[2].errors.map((e: any) => e.field).sort()).toEqual(['published_at', 'text']);
    const m = (await r.app.inject({ method: 'GET', url: `/v1/listening/mentions/${body.results[0].id}`, headers: t.headers })).json();
    expect(m).toMatchObject({ language: 'zh', sentiment: 'negative', customer_id: customerId, about_company: true });
    expect(m.angles.sort()).toEqual(['company', 'weakness']);
    expect(m.topics.map((x: any) => x.topic)).toEqual(expect.arrayContaining(['waiting_time', 'service_attitude']));
    const other = (await r.app.inject({ method: 'GET', url: `/v1/listening/mentions/${body.results[1].id}`, headers: t.headers })).json();
    expect(other).toMatchObject({ sentiment: 'positive', about_company: false, angles: ['competitor'], customer_id: null });

    await r.bus.drain();
    const announced = created.find((c) => c.payload.mentionId === body.results[0].id)!;
    expect(announced.payload).toMatchObject({ customerId, sentiment: 'negative', aboutCompany: true, source: 'import', url: 'https://weibo.com/1/a' });
    expect(announced.payload.angles.sort()).toEqual(['company', 'weakness']);
    const timeline = (await r.app.inject({ method: 'GET', url: `/v1/customers/${customerId}/timeline?sources=listening`, headers: t.headers })).json();
    expect(timeline.data.map((e: any) => e.type)).toEqual(['mention']);
  });

  it('watches a spokesperson as the twelfth angle, and counts a post about them as about the company', async () => {
    const term = await r.app.inject({
      method: 'POST',
      url: '/v1/listening/watch-terms',
      headers: t.headers,
      payload: { angle: 'spokesperson', term: '易烊千玺', aliases: ['千玺'] },
    });
    expect(term.statusCode, term.body).toBe(201);
    expect(term.json()).toMatchObject({ angle: 'spokesperson', term: '易烊千玺' });
    const res = await ingest([{ channel: 'weibo', text: '千玺代言的新广告真好看', published_at: '2026-03-02T08:00:00Z' }]);
    expect(res.json().results[0]).toMatchObject({ status: 'accepted', angles: ['spokesperson'] });
    const m = (await r.app.inject({ method: 'GET', url: `/v1/listening/mentions/${res.json().results[0].id}`, headers: t.headers })).json();
    expect(m).toMatchObject({ angles: ['spokesperson'], about_company: true, matched_terms: ['易烊千玺'] });
    const bad = await r.app.inject({ method: 'POST', url: '/v1/listening/watch-terms', headers: t.headers, payload: { angle: 'celebrity', term: 'x' } });
    expect(bad.statusCode).toBe(422);
  });

  it('links every known author of a batch, by the identity kind of the channel', async () => {
    const make = async (identities: Record<string, string>) => {
      const res = await r.app.inject({ method: 'POST', url: '/v1/customers', headers: t.headers, payload: { identities } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const weiboFan = await make({ weibo_uid: '7700000001' });
    const wechatFan = await make({ wechat_openid: 'oAbC-link-test' });
    const at = '2025-06-05T08:00:00Z'; // outside the window the share-of-voice test counts
    const res = await ingest([
      { channel: 'weibo', author_handle: '7700000001', text: '东航的值机柜台今天排队很快，点赞', published_at: at },
      { channel: 'WeChat', author_handle: 'oAbC-link-test', text: '东航的会员积分兑换机票很方便', published_at: at },
      { channel: 'weibo', author_handle: '7700000001', text: '东航的行李托运这次居然丢了箱子', published_at: at },
      { channel: 'forum', author_handle: '7700000001', text: '南航的飞机餐越来越难吃了', published_at: at },
      { channel: 'weibo', author_handle: '7799999999', text: '东航的飞机上网络终于可以用了', published_at: at },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().results.map((x: any) => {
      expect(x.status).toBe('accepted');
      return x.id as string;
    });
    const customers = [];
    for (const id of ids) customers.push((await r.app.inject({ method: 'GET', url: `/v1/listening/mentions/${id}`, headers: t.headers })).json().customer_id);
    // A Weibo uid on a forum is not a Weibo identity; an unknown uid links nobody.
    expect(customers).toEqual([weiboFan, wechatFan, weiboFan, null, null]);
  });

  it('stores a post once: same URL, or a near-same repost', async () => {
    const text = '东航的航班取消了也不通知，在机场等了五个小时，退款到现在都没到账，太让人失望了';
    const first = (await ingest([{ channel: 'weibo', url: 'https://weibo.com/dup/1', text, published_at: '2026-03-02T08:00:00Z' }])).json();
    const again = (
      await ingest([
        { channel: 'weibo', url: 'https://weibo.com/dup/1', text: 'edited text', published_at: '2026-03-02T08:00:00Z' },
        { channel: 'weibo', url: 'https://weibo.com/dup/2', text: `转发微博：${text}！！`, published_at: '2026-03-02T09:00:00Z' },
        { channel: 'weibo', url: 'https://weibo.com/dup/3', text: '东航的新航线开通了，机票很便宜，准备去旅行', published_at: '2026-03-02T09:00:00Z' },
      ])
    ).json();
    expect(again.results.map((x: any) => x.status)).toEqual(['duplicate', 'duplicate', 'accepted']);
    expect(again.results[0].id).toBe(first.results[0].id);
    expect(again.results[1].id).toBe(first.results[0].id);
  });

  it('accepts a connector post only with a valid Standard Webhooks signature', async () => {
    const src = await r.app.inject({ method: 'POST', url: '/v1/listening/sources', headers: t.headers, payload: { kind: 'webhook', name: 'Weibo connector' } });
    expect(src.statusCode, src.body).toBe(201);
    const { id, secret } = src.json();
    expect(secret).toMatch(/^whsec_/);
    expect((await r.app.inject({ method: 'GET', url: `/v1/listening/sources/${id}`, headers: t.headers })).json().secret).toBeUndefined();
    const payload = JSON.stringify({
      channel: 'weibo',
      url: 'https://weibo.com/hook/1',
      text: '东航的服务越来越好了，点赞',
      published_at: '2026-03-03T08:00:00Z',
    });
    const post = (headers: Record<string, string>) =>
      r.app.inject({
        method: 'POST',
        url: '/v1/listening/inbound',
        headers: { ...headers, 'webhook-source': id, 'content-type': 'application/json' },
        payload,
      });
    const unsigned = await post({});
    expect(unsigned.statusCode).toBe(401);
    const wrong = await post(webhookHeaders('whsec_' + Buffer.from('not the secret').toString('base64'), 'msg_1', payload, r.clock.now()));
    expect(wrong.statusCode).toBe(401);
    // Signed six minutes ago: refused as stale; signed now: accepted.
    expect((await post(webhookHeaders(secret, 'msg_2', payload, new Date(r.clock.now().getTime() - 6 * 60_000)))).statusCode).toBe(401);
    const good = await post(webhookHeaders(secret, 'msg_2', payload, r.clock.now()));
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().results[0]).toMatchObject({ status: 'accepted', sentiment: 'positive' });
    const list = (await r.app.inject({ method: 'GET', url: '/v1/listening/mentions?limit=200', headers: t.headers })).json();
    expect(list.data.filter((m: any) => m.url?.startsWith('https://weibo.com/hook/'))).toHaveLength(1);
    expect(list.data.find((m: any) => m.url === 'https://weibo.com/hook/1').source_id).toBe(id);
  });

  it('opens one signed crisis alert for a negative storm and keeps it while the storm lasts', { timeout: 180_000 }, async () => {
    const c = await createTestTenant(r);
    await r.app.inject({
      method: 'POST',
      url: '/v1/listening/watch-terms',
      headers: c.headers,
      payload: { angle: 'company', term: '东方航空', aliases: ['东航'] },
    });
    const settings = await r.app.inject({
      method: 'PATCH',
      url: '/v1/listening/settings',
      headers: c.headers,
      payload: { alert_webhook_url: `${hooks.base}/crisis`, alert_email: 'pr@example.com, duty@example.com', min_volume: 10 },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const secret = settings.json().alert_webhook_secret;
    expect(secret).toMatch(/^whsec_/);

    const now = Date.UTC(2026, 2, 20, 12, 5);
    const stormHour = Math.floor(now / HOUR) * HOUR - HOUR;
    // Distinct texts (near-same ones would be de-duplicated): pieces combined by a counter.
    const pick = <T>(xs: T[], n: number) => xs[n % xs.length];
    const places = ['上海', '北京', '广州', '成都', '西安', '昆明', '青岛', '厦门', '杭州', '武汉', '南京', '重庆', '深圳'];
    const calmBits = ['航班很准时', '餐食还可以', '座位挺宽敞', '空姐很热情', '值机很顺利', '登机很快', '行李到得早', '机上很安静'];
    const moods = ['今天', '这次', '上周', '周末', '早上', '晚上', '刚刚', '昨天', '下午'];
    const stormBits = ['行李丢失还不赔偿', '行李箱被摔坏了没人管', '丢了行李客服推来推去', '托运的行李找不到了', '行李延误三天还没送到'];
    const angry = ['客服态度恶劣', '电话一直打不通', '投诉也没人理', '工作人员很冷漠', '只会说抱歉'];
    const items: unknown[] = [];
    // Eight days of calm, two mentions an hour.
    let n = 0;
    for (let h = 8 * 24; h >= 1; h--) {
      for (let k = 0; k < 2; k++, n++)
        items.push({
          channel: 'weibo',
          text: `${pick(moods, n)}坐东航去${pick(places, n * 7 + k)}，${pick(calmBits, n * 3 + h)}，第${n}次`,
          published_at: new Date(stormHour - h * HOUR + k * 60_000).toISOString(),
        });
    }
    for (let k = 0; k < 40; k++)
      items.push({
        channel: 'weibo',
        text: `东航${pick(places, k)}航班${pick(stormBits, k)}，${pick(angry, Math.floor(k / 5))}，太气人了，${pick(moods, k * 5)}第${k}位乘客`,
        published_at: new Date(stormHour + k * 60_000).toISOString(),
      });
    for (let i = 0; i < items.length; i += 500) {
      const res = await r.app.inject({ method: 'POST', url: '/v1/listening/mentions', headers: c.headers, payload: { mentions: items.slice(i, i + 500) } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().duplicates).toBeLessThan(5);
    }
    const sent = hooks.requests;
    const sentBefore = sent.length;
    const mailsBefore = smtp.messages.length;
    r.clock.set(new Date(now));
    const first = await r.listening.checkCrisis(c.tenantId, {});
    const scopes = first.opened.map((a) => `${a.scope.kind}:${a.scope.key}`).sort();
    expect(scopes).toContain('all:all');
    expect(scopes).toContain('angle:company');
    const all = first.opened.find((a) => a.scope.kind === 'all')!;
    expect(all.topTerms.map((x) => x.term)).toEqual(expect.arrayContaining(['行李']));
    expect(all.examples.length).toBeGreaterThan(0);
    expect(sent.length - sentBefore).toBe(first.opened.length);
    expect(sent[sentBefore].path).toBe('/crisis');
    expect(verifyWebhook(secret, sent[sentBefore].headers, sent[sentBefore].body, r.clock.now())).toEqual({ ok: true });
    expect(JSON.parse(sent[sentBefore].body).timestamp.slice(0, 16)).toBe('2026-03-20T12:05');
    expect(JSON.parse(sent[sentBefore].body).type).toBe('listening.crisis');
    // One mail per alert, to every configured address, naming the scope, the figures and the top terms.
    const mails = smtp.messages.slice(mailsBefore);
    expect(mails).toHaveLength(first.opened.length);
    expect(mails.every((m) => m.to.sort().join() === 'duty@example.com,pr@example.com' && m.from === 'alerts@rapport.example')).toBe(true);
    const allMail = mails.find((m) => m.mail.headers.get('x-rapport-alert') === all.id)!;
    expect(allMail.mail.subject).toBe(`Crisis alert: ${all.verdict.volume} mentions on all mentions, ${Math.round(all.verdict.negativeShare * 100)}% negative`);
    expect(allMail.mail.text).toContain('行李');
    expect(allMail.mail.text).toContain(all.examples[0].text);

    // The same storm checked again: no second alert, nothing sent.
    r.clock.set(new Date(now + 60_000));
    const again = await r.listening.checkCrisis(c.tenantId, {});
    expect(again.opened).toEqual([]);
    expect(again.continuing).toBe(first.opened.length);
    expect(sent.length - sentBefore).toBe(first.opened.length);
    expect(smtp.messages.length - mailsBefore).toBe(first.opened.length);
    const alerts = (await r.app.inject({ method: 'GET', url: '/v1/listening/alerts', headers: c.headers })).json().data;
    expect(alerts).toHaveLength(first.opened.length);
    expect(alerts[0].delivery).toEqual({ webhook: 'sent', webhook_error: null, email: 'sent' });
    // A calm hour ends it.
    r.clock.set(new Date(now + 2 * HOUR));
    const later = await r.listening.checkCrisis(c.tenantId, {});
    expect(later.closed).toBe(first.opened.length);
  });

  /** A tenant whose alert webhook is the stub at `path`, with one open alert stored as the crisis check stores it. */
  async function alertTo(path: string) {
    const c = await createTestTenant(r);
    const settings = await r.app.inject({
      method: 'PATCH',
      url: '/v1/listening/settings',
      headers: c.headers,
      payload: { alert_webhook_url: `${hooks.base}${path}` },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const alert = {
      id: `alr_${path.slice(1)}`,
      scope: { kind: 'all' as const, key: 'all' },
      hour: '2026-03-20T11:00:00.000Z',
      topTerms: [{ term: '行李', weight: 1 }],
      examples: [],
      verdict: { volume: 40, baseline: 2, negativeShare: 0.9, baselineNegativeShare: 0.1, pValue: 1e-9 } as any,
    };
    await r.db.pool.query(
      `INSERT INTO listening_alerts (tenant_id, id, scope_kind, scope_key, started_at, last_hour_at, volume, baseline, negative_share, baseline_negative_share, p_value, top_terms, examples)
       VALUES ($1,$2,'all','all',$3,$3,40,2,0.9,0.1,1e-9,$4,'[]')`,
      [c.tenantId, alert.id, new Date(alert.hour), JSON.stringify(alert.topTerms)],
    );
    return { c, alert, secret: settings.json().alert_webhook_secret as string };
  }
  const deliveryOf = async (c: TestTenant, id: string) =>
    (await r.app.inject({ method: 'GET', url: '/v1/listening/alerts', headers: c.headers })).json().data.find((a: any) => a.id === id).delivery;

  it('retries an alert webhook answered 500 and delivers it exactly once, signed at the retry', async () => {
    r.clock.set(new Date('2026-03-21T09:00:00Z'));
    const { c, alert, secret } = await alertTo('/flaky');
    hooks.answer('/flaky', 500);
    const first = await deliverAlert(r.db.pool, c.tenantId, alert, { outbox: r.outbox });
    expect(first).toMatchObject({ webhook: 'queued', webhook_error: 'HTTP 500' });
    expect(await deliveryOf(c, alert.id)).toMatchObject({ webhook: 'queued', webhook_error: 'HTTP 500' });
    const state = await r.outbox.get(c.tenantId, alert.id);
    const wait = new Date(state!.next_attempt_at!).getTime() - r.clock.now().getTime();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30_000);

    r.clock.advance(60_000);
    await r.outbox.runDue({ tenantId: c.tenantId });
    r.clock.advance(3_600_000);
    await r.outbox.runDue({ tenantId: c.tenantId });
    const got = hooks.requests.filter((q) => q.path === '/flaky');
    expect(got).toHaveLength(2);
    expect(got.map((q) => q.headers['webhook-id'])).toEqual([alert.id, alert.id]);
    // The retry is signed afresh: a receiver checking a five-minute tolerance accepts it at the retry's instant.
    const retryAt = new Date(Number(got[1].headers['webhook-timestamp']) * 1000);
    expect(retryAt.getTime()).toBeGreaterThan(Number(got[0].headers['webhook-timestamp']) * 1000);
    expect(verifyWebhook(secret, got[1].headers, got[1].body, retryAt)).toEqual({ ok: true });
    expect(JSON.parse(got[1].body).data).toMatchObject({ alert_id: alert.id, volume: 40, top_terms: [{ term: '行李', weight: 1 }] });
    expect((await r.outbox.get(c.tenantId, alert.id))!.attempt_log.map((a) => [a.outcome, a.http_status])).toEqual([
      ['retry', 500],
      ['sent', null],
    ]);
    expect(await deliveryOf(c, alert.id)).toEqual({ webhook: 'sent', webhook_error: null, email: 'not configured' });
  });

  it('stops an alert webhook answered 400 at once', async () => {
    r.clock.set(new Date('2026-03-21T10:00:00Z'));
    const { c, alert } = await alertTo('/refuses');
    hooks.answer('/refuses', 400, 400);
    expect(await deliverAlert(r.db.pool, c.tenantId, alert, { outbox: r.outbox })).toMatchObject({ webhook: 'failed', webhook_error: 'HTTP 400' });
    r.clock.advance(3_600_000);
    await r.outbox.runDue({ tenantId: c.tenantId });
    expect(hooks.requests.filter((q) => q.path === '/refuses')).toHaveLength(1);
    expect(await deliveryOf(c, alert.id)).toEqual({ webhook: 'failed', webhook_error: 'HTTP 400', email: 'not configured' });
  });

  it('reports share of voice against competitors and the sentiment trend per angle', async () => {
    const sov = (
      await r.app.inject({ method: 'GET', url: '/v1/listening/share-of-voice?from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z', headers: t.headers })
    ).json().data;
    const byName = Object.fromEntries(sov.map((x: any) => [x.name, x]));
    expect(byName.us.mentions).toBe(4);
    expect(byName.南方航空.mentions).toBe(1);
    expect(byName.us.share).toBeCloseTo(0.8, 5);
    const trend = (
      await r.app.inject({ method: 'GET', url: '/v1/listening/sentiment-trend?from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z', headers: t.headers })
    ).json().data;
    const company = trend.filter((x: any) => x.angle === 'company');
    expect(company.map((x: any) => x.period)).toEqual(['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z']);
    expect(company[0]).toMatchObject({ mentions: 1, negative: 1 });
  });
});
