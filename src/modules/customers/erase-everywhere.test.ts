// Erasure across every module: one marker string is planted in every place a customer's data reaches
// through the API (profile, identities, events, messages and attachment names, agent notes, survey
// answers, cases and their notes, a failed reply's reason naming the address, mentions, outreach, loyalty references, widget feedback, an idempotent
// replay), the customer is erased, and then every text, varchar, json and array column of every table
// in the database is searched for the marker. Erasure is only as good as its least careful module.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, publicColumns, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('erasure on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let base: string;
  // The customer's mail server refuses the recipient, naming the address, as real ones do.
  const refusing = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      cb(Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
    },
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    r = await startTestApp(url);
    t = await createTestTenant(r);
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await r?.close();
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
  });

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await r.app.inject({
      method,
      url: path,
      headers: { ...t.headers, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300);
    return res;
  };

  /**
   * Every table and column of the public schema that can hold text, with the rows holding the marker.
   * A partition is read through its parent (which reads them all): other test files running meanwhile
   * on the same database make and drop partitions, and a table dropped between the listing and its
   * read holds nothing any more.
   */
  async function findMarker(marker: string): Promise<string[]> {
    const columns = (await publicColumns(r.db.pool)).filter(
      (c) => c.table_type === 'BASE TABLE' && ['text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED'].includes(c.data_type),
    );
    expect(columns.length).toBeGreaterThan(100);
    const hits: string[] = [];
    for (const c of columns) {
      const rows = await r.db.pool
        .query(`SELECT count(*)::int AS n FROM "${c.table_name}" WHERE strpos(lower("${c.column_name}"::text), $1) > 0`, [marker.toLowerCase()])
        .then(
          (res) => res.rows,
          (err: { code?: string }) => {
            if (err.code === '42P01') return [{ n: 0 }]; // undefined_table: dropped since it was listed
            throw err;
          },
        );
      if (rows[0].n) hits.push(`${c.table_name}.${c.column_name} (${rows[0].n})`);
    }
    return hits;
  }

  it('leaves no trace of the customer in any column of any table', async () => {
    const M = `qz${randomBytes(5).toString('hex')}`;
    const email = `${M}@example.com`;
    const openid = `o${M}openid`;

    // Profile and identities, created with an Idempotency-Key and replayed once.
    await api('PUT', '/v1/customer-attributes/favourite', { type: 'string', label: 'Favourite' });
    const createBody = {
      identities: { email, external_id: `ext-${M}`, wechat_openid: openid },
      display_name: `${M} Display`,
      given_name: M,
      attributes: { favourite: `${M} seat 12A` },
    };
    const created = (await api('POST', '/v1/customers', createBody, { 'idempotency-key': `create-${M}` })).json();
    const replay = await api('POST', '/v1/customers', createBody, { 'idempotency-key': `create-${M}` });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const id = created.id as string;

    // An event with free-form properties.
    await api('POST', '/v1/events', {
      events: [
        {
          id: `ev-${M}`,
          type: 'purchase',
          occurred_at: r.clock.now().toISOString(),
          identities: { email },
          properties: { amount: 120, currency: 'CNY', note: `gift wrap for ${M}` },
        },
      ],
    });

    // An email through SendGrid with an attachment, then an agent's note on the conversation.
    const channel = (
      await api('POST', '/v1/inbox/channels', {
        kind: 'email',
        name: 'Support',
        settings: {
          address: `support@${t.slug}.example.com`,
          sendgrid_user: 'sg',
          smtp: { host: '127.0.0.1', port: (refusing.server.address() as AddressInfo).port },
        },
        secrets: { sendgrid_password: 'sendgrid-password-1' },
      })
    ).json();
    const fd = new FormData();
    fd.append('from', `${M} <${email}>`);
    fd.append('to', `support@${t.slug}.example.com`);
    fd.append('subject', `Refund for ${M}`);
    fd.append('text', `Please call ${M} back`);
    fd.append('headers', `Message-ID: <${M}-1@example.com>\r\n`);
    fd.append('attachment1', new Blob(['receipt']), `receipt-${M}.pdf`);
    const hook = await fetch(`${base}/hooks/inbox/${t.tenantId}/sendgrid/${channel.id}`, {
      method: 'POST',
      body: fd,
      headers: { authorization: `Basic ${Buffer.from('sg:sendgrid-password-1').toString('base64')}` },
    });
    expect(hook.status).toBe(200);
    const [conversation] = (await api('GET', `/v1/conversations?customer_id=${id}`)).json().data;
    await api('POST', `/v1/conversations/${conversation.id}/notes`, { text: `Customer ${M} was upset` }, { 'idempotency-key': `note-${M}` });
    // An agent's reply the customer's mail server refuses, naming the address in its reason.
    const reply = (await api('POST', `/v1/conversations/${conversation.id}/messages`, { text: 'We are on it' })).json();
    expect(reply).toMatchObject({ delivery_status: 'failed', delivery_error: expect.stringContaining(email) });

    // A survey answer.
    const survey = (
      await api('POST', '/v1/surveys', {
        name: 'Post-purchase',
        kind: 'nps',
        touchpoint: 'checkout',
        definition: {
          title: { en: 'How likely?' },
          questions: [
            { key: 'nps', type: 'nps', required: true, text: { en: 'Recommend us?' } },
            { key: 'why', type: 'text', text: { en: 'Why?' } },
          ],
        },
      })
    ).json();
    await api('POST', '/v1/survey-responses', {
      survey_id: survey.id,
      customer_id: id,
      answers: { nps: 3, why: `${M} waited an hour` },
      page_url: `https://shop.example.com/orders/${M}`,
    });

    // A case opened by hand, with a note.
    const kase = (await api('POST', '/v1/cases', { summary: `${M} called about a refund`, customer_id: id })).json();
    await api('POST', `/v1/cases/${kase.id}/notes`, { body: `called customer ${M} at home` });

    // A public mention by the customer's WeChat account.
    await api('POST', '/v1/listening/mentions', {
      mentions: [
        {
          channel: 'wechat',
          author: `${M} author`,
          author_handle: openid,
          text: `Terrible service, says ${M}`,
          url: `https://mp.weixin.qq.com/s/${M}`,
          published_at: r.clock.now().toISOString(),
        },
      ],
    });

    // A crisis alert quoting that mention among its examples, as the hourly check writes them.
    const {
      rows: [mention],
    } = await r.db.pool.query('SELECT id, url, text FROM listening_mentions WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, id]);
    await r.db.pool.query(
      `INSERT INTO listening_alerts (tenant_id, id, scope_kind, scope_key, started_at, last_hour_at, volume, baseline, negative_share, baseline_negative_share, p_value, top_terms, examples)
       VALUES ($1, $2, 'company', '', now(), now(), 40, 4, 0.9, 0.2, 0.0001, '[]', $3)`,
      [
        t.tenantId,
        'alr_erase_test',
        JSON.stringify([
          { id: mention.id, url: mention.url, text: mention.text, sentiment: 'negative' },
          { id: 'mnt_other', url: null, text: 'Another customer is unhappy', sentiment: 'negative' },
        ]),
      ],
    );

    // An outreach message with the operator's reason.
    const template = (
      await api('POST', '/v1/outreach/templates', {
        name: 'notice',
        purpose: 'service',
        default_locale: 'en',
        content: { en: { email: { subject: 'Hello', text: 'About your order', html: '<p>About your order</p>' } } },
      })
    ).json();
    await api('POST', '/v1/outreach/messages', {
      customer_id: id,
      template_id: template.id,
      reason: `apology to ${M} for the refund`,
      variables: { extra: M },
    });

    // Loyalty: points given and spent against an order reference.
    await api('PUT', '/v1/loyalty/program', {});
    await api('POST', '/v1/loyalty/earn', { customer_id: id, points: 100, idempotency_key: `earn-${id}` });
    await api('POST', '/v1/loyalty/spend', { customer_id: id, points: 10, idempotency_key: `spend-${id}`, reference: `order of ${M}` });

    // Widget feedback that names the customer's address without proof.
    const widgetKey = (await api('PUT', '/v1/widget/settings', { allowed_origins: [] })).json().key;
    const fb = await r.app.inject({
      method: 'POST',
      url: '/v1/widget/feedback',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ key: widgetKey, text: `I am ${M}`, email }),
    });
    expect(fb.statusCode, fb.body).toBe(201);

    await r.bus.drain();
    expect((await findMarker(M)).length).toBeGreaterThan(10);

    await api('POST', `/v1/customers/${id}/erase`);
    await r.bus.drain();
    expect(await findMarker(M)).toEqual([]);
    // The alert keeps its other examples.
    const {
      rows: [alert],
    } = await r.db.pool.query(`SELECT examples FROM listening_alerts WHERE tenant_id = $1`, [t.tenantId]);
    expect(alert.examples.map((e: { id: string }) => e.id)).toEqual(['mnt_other']);

    // The creating request's replay no longer answers with the profile.
    const after = await r.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { ...t.headers, 'idempotency-key': `create-${M}` },
      payload: createBody,
    });
    expect(after.headers['idempotent-replayed']).toBeUndefined();
  });
});
