// The help centre's settings through HTTP, on both databases: where it is (for links agents paste),
// its default language changed by an admin through /v1/settings/knowledge, and the pages following it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('help centre settings on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  const call = (method: string, path: string, payload?: unknown, headers = t.headers) =>
    r.app.inject({ method: method as 'GET', url: path, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  it('names the help centre at the public address and opens it in the language an admin chose', async () => {
    r.config.publicUrl = 'https://help.example.com/';
    const before = await call('GET', '/v1/knowledge/help-centre');
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toEqual({ slug: t.slug, url: `https://help.example.com/help/${t.slug}`, default_language: 'en' });
    expect((await r.app.inject({ method: 'GET', url: `/help/${t.slug}` })).headers['content-language']).toBe('en');

    const changed = await call('PATCH', '/v1/settings/knowledge', { default_language: 'zh-CN' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toEqual({ default_language: 'zh-CN' });
    expect((await call('GET', '/v1/knowledge/help-centre')).json().default_language).toBe('zh-CN');
    // The help centre's per-slug cache was dropped: the next visitor without a language gets Chinese.
    const page = await r.app.inject({ method: 'GET', url: `/help/${t.slug}` });
    expect(page.headers['content-language']).toBe('zh-CN');
    expect(page.body).toContain('帮助中心');

    // An empty PATCH changes nothing (no defaults are applied).
    expect((await call('PATCH', '/v1/settings/knowledge', {})).json()).toEqual({ default_language: 'zh-CN' });
  });

  it('refuses a language it does not serve and unknown fields, naming them', async () => {
    const bad = await call('PATCH', '/v1/settings/knowledge', { default_language: 'fr', theme: 'dark' });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['(root)', 'default_language'].sort());
  });

  it('lets an agent find the help centre but not change its settings', async () => {
    const agent = { email: 'zhao.agent@example.com', password: 'agent-pass-123' };
    expect((await call('POST', '/v1/users', { ...agent, name: 'Zhao', role: 'agent' })).statusCode).toBe(201);
    const login = await r.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { tenant: t.slug, ...agent } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    expect((await call('GET', '/v1/knowledge/help-centre', undefined, { cookie })).statusCode).toBe(200);
    expect((await call('PATCH', '/v1/settings/knowledge', { default_language: 'en' }, { cookie })).statusCode).toBe(403);
  });
});
