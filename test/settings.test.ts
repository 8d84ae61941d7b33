// Tenant settings through the API: every area readable with its defaults, changed by PATCH with
// validation and an audit entry, and the change reaching the module that reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import type { Rapport } from '../src/app.js';

describe.each(databases)('tenant settings on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  const call = (method: string, path: string, body?: unknown) =>
    r.app.inject({ method: method as 'GET', url: path, headers: t.headers, ...(body !== undefined ? { payload: body as object } : {}) });

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
  });
  afterAll(async () => {
    await r?.close();
  });

  it('lists every area with its defaults; the suppression default covers every complaint kind', async () => {
    const res = await call('GET', '/v1/settings');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual({
      customer_value: { core_percent: 20, lifespan_years: 3 },
      identity_resolution: { auto_merge: true },
      feedback: { throttle_days: null },
      loop: {
        sla: {
          urgent: { first_contact_minutes: 60, resolve_hours: 24 },
          high: { first_contact_minutes: 240, resolve_hours: 48 },
          normal: { first_contact_minutes: 1440, resolve_hours: 120 },
          low: { first_contact_minutes: 2880, resolve_hours: 240 },
        },
        high_value_clv: null,
      },
      outreach: { suppress_case_types: ['complaint', 'detractor', 'negative_mention'] },
      knowledge: { default_language: 'en' },
      loyalty: { base_currency: 'CNY', currency_rates: {}, goodwill_toward_tier: {} },
    });
  });

  it('holds back marketing while a detractor case is open, by default', async () => {
    const customer = (await call('POST', '/v1/customers', { identities: { phone: '+8613900000123' } })).json();
    const opened = await call('POST', '/v1/cases', { summary: 'Scored us 2', type: 'detractor', customer_id: customer.id });
    expect(opened.statusCode, opened.body).toBe(201);
    await r.bus.drain();
    const { rows } = await r.db.pool.query('SELECT reason FROM outreach_suppressions WHERE tenant_id = $1 AND customer_id = $2 AND resolved_at IS NULL', [
      t.tenantId,
      customer.id,
    ]);
    expect(rows.length).toBe(1);
  });

  it('changes only the fields named, audits what changed, and the module reads the new value', async () => {
    const res = await call('PATCH', '/v1/settings/customer_value', { core_percent: 12.5 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ core_percent: 12.5, lifespan_years: 3 });
    expect((await call('PATCH', '/v1/settings/customer_value', { lifespan_years: 5 })).json()).toEqual({ core_percent: 12.5, lifespan_years: 5 });
    const {
      rows: [tenant],
    } = await r.db.pool.query('SELECT settings FROM tenants WHERE tenant_id = $1', [t.tenantId]);
    expect(tenant.settings.customer_value).toEqual({ core_percent: 12.5, lifespan_years: 5 });
    const { rows: audit } = await r.db.pool.query(
      `SELECT actor_type, details FROM audit_log WHERE tenant_id = $1 AND action = 'settings.update' AND subject_id = 'customer_value' ORDER BY at, id`,
      [t.tenantId],
    );
    expect(audit.map((a) => a.details.changed)).toEqual([{ core_percent: { from: 20, to: 12.5 } }, { lifespan_years: { from: 3, to: 5 } }]);
    expect(audit[0].actor_type).toBe('api_key');

    // Feedback's throttle and the loop's SLA are read from here by their modules.
    await call('PATCH', '/v1/settings/feedback', { throttle_days: 45 });
    expect((await call('GET', '/v1/settings/feedback')).json()).toEqual({ throttle_days: 45 });
    const sla = await call('PATCH', '/v1/settings/loop', { sla: { urgent: { first_contact_minutes: 15 } } });
    expect(sla.json().sla.urgent).toEqual({ first_contact_minutes: 15, resolve_hours: 24 });
    const kase = (await call('POST', '/v1/cases', { summary: 'Stuck at the gate', priority: 'urgent' })).json();
    expect(new Date(kase.first_contact_due_at).getTime() - new Date(kase.created_at).getTime()).toBe(15 * 60_000);
    // A nested object merges field by field: naming one target leaves every other as it was.
    await call('PATCH', '/v1/settings/loop', { sla: { normal: { first_contact_minutes: 777, resolve_hours: 99 } }, high_value_clv: 5000 });
    const later = await call('PATCH', '/v1/settings/loop', { sla: { urgent: { resolve_hours: 12 } } });
    expect(later.statusCode, later.body).toBe(200);
    expect(later.json()).toMatchObject({
      sla: { urgent: { first_contact_minutes: 15, resolve_hours: 12 }, normal: { first_contact_minutes: 777, resolve_hours: 99 } },
      high_value_clv: 5000,
    });
    expect((await call('GET', '/v1/settings/loop')).json()).toEqual(later.json());
    // Unknown fields are refused at every depth.
    expect((await call('PATCH', '/v1/settings/loop', { sla: { urgent: { minutes: 1 } } })).statusCode).toBe(422);

    // Outreach keeps its own table; the area reads and writes it.
    expect((await call('PATCH', '/v1/settings/outreach', { suppress_case_types: ['complaint'] })).json()).toEqual({ suppress_case_types: ['complaint'] });
    expect((await call('GET', '/v1/outreach/settings')).json().suppress_case_types).toEqual(['complaint']);
  });

  it('refuses bad values by field and unknown fields and areas', async () => {
    const bad = await call('PATCH', '/v1/settings/customer_value', { core_percent: 0, lifespan_years: 'long' });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['core_percent', 'lifespan_years']);
    expect((await call('PATCH', '/v1/settings/identity_resolution', { auto_merge: false, merge_by_name: true })).statusCode).toBe(422);
    expect((await call('PATCH', '/v1/settings/outreach', { suppress_case_types: ['Complaint!'] })).json().errors[0].field).toMatch(/^suppress_case_types/);
    expect((await call('PATCH', '/v1/settings/billing', { x: 1 })).statusCode).toBe(404);
    expect((await call('GET', '/v1/settings/identity_resolution')).json()).toEqual({ auto_merge: true });
  });
});
