import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('widget on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let key: string;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  const call = (method: 'GET' | 'PUT', path: string, payload?: unknown) => r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    r.app.inject({ method: 'POST', url: '/v1/widget/feedback', remoteAddress: '10.77.0.1', headers: { 'content-type': 'text/plain', ...headers }, payload: JSON.stringify(body) });

  it('creates a publishable key once and keeps it until rotated', async () => {
    expect((await call('GET', '/v1/widget/settings')).json()).toEqual({ key: null, allowed_origins: [] });
    const first = await call('PUT', '/v1/widget/settings', { allowed_origins: [] });
    expect(first.statusCode, first.body).toBe(200);
    key = first.json().key;
    expect(key).toMatch(new RegExp(`^wpk\\.${t.tenantId}\\.`));
    expect((await call('PUT', '/v1/widget/settings', { allowed_origins: [] })).json().key).toBe(key);
    const bad = await call('PUT', '/v1/widget/settings', { allowed_origins: ['javascript:alert(1)'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('allowed_origins.0');
  });

  it('takes feedback sent as text/plain from a page, and puts it on the visitor\'s timeline', async () => {
    const res = await post({ key, text: 'The checkout button is hidden on my phone', rating: 2, page_url: 'https://shop.example.com/cart', anonymous_id: 'visitor_abc12345' }, { origin: 'https://shop.example.com' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const list = await call('GET', '/v1/widget/feedback');
    const item = list.json().data[0];
    expect(item).toMatchObject({ id: res.json().id, text: 'The checkout button is hidden on my phone', rating: 2, page_url: 'https://shop.example.com/cart' });
    const timeline = await call('GET', `/v1/customers/${item.customer_id}/timeline`);
    expect(timeline.json().data.map((e: { type: string }) => e.type)).toContain('feedback.widget');
  });

  it('refuses an unknown key, a site not on the list, and bad fields by name', async () => {
    expect((await post({ key: `wpk.${t.tenantId}.nottherightkey1`, text: 'hi' })).statusCode).toBe(401);
    await call('PUT', '/v1/widget/settings', { allowed_origins: ['https://www.example.com'] });
    const other = await post({ key, text: 'hi' }, { origin: 'https://evil.example.net' });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('WIDGET_ORIGIN_REFUSED');
    expect((await post({ key, text: 'hi' }, { origin: 'https://www.example.com' })).statusCode).toBe(201);
    const bad = await post({ key, text: '', rating: 9 }, { origin: 'https://www.example.com' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['rating', 'text']);
  });

  it('erases what a visitor wrote when their profile is erased', async () => {
    await call('PUT', '/v1/widget/settings', { allowed_origins: [] });
    const res = await post({ key, text: 'Please call me at 138 0000 0000', anonymous_id: 'visitor_erase001' });
    const { rows: [row] } = await r.db.pool.query('SELECT customer_id FROM widget_feedback WHERE tenant_id = $1 AND id = $2', [t.tenantId, res.json().id]);
    expect((await r.app.inject({ method: 'POST', url: `/v1/customers/${row.customer_id}/erase`, headers: t.headers })).statusCode).toBe(200);
    const { rows } = await r.db.pool.query('SELECT 1 FROM widget_feedback WHERE tenant_id = $1 AND id = $2', [t.tenantId, res.json().id]);
    expect(rows).toHaveLength(0);
  });
});
