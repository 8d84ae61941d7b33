// Restoring an earlier version of an article through HTTP, on both databases: the old wording comes
// back as a new version, status and visibility stay, a retry adds nothing, and bad versions are named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('restoring an article version on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  const call = (method: string, path: string, payload?: unknown, tenant = t) =>
    r.app.inject({ method: method as 'GET', url: path, headers: tenant.headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  it('brings back an old title and body as a new version, keeping the article published', async () => {
    const created = await call('POST', '/v1/knowledge/articles', { title: '行李额度', body: '经济舱可托运一件二十公斤行李。', language: 'zh-CN' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const edited = await call('PATCH', `/v1/knowledge/articles/${id}`, {
      title: '托运行李额度',
      body: '经济舱可免费托运一件二十三公斤行李。',
      status: 'published',
    });
    expect(edited.json()).toMatchObject({ version: 2, status: 'published' });

    const restored = await call('POST', `/v1/knowledge/articles/${id}/versions/1/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ version: 3, title: '行李额度', body: '经济舱可托运一件二十公斤行李。', status: 'published', visibility: 'public' });
    const versions = (await call('GET', `/v1/knowledge/articles/${id}/versions`)).json().data;
    expect(versions.map((v: { version: number; title: string; status: string }) => [v.version, v.title, v.status])).toEqual([
      [3, '行李额度', 'published'],
      [2, '托运行李额度', 'published'],
      [1, '行李额度', 'draft'],
    ]);
    // The search index follows the restored words: a word only version 2 had no longer finds it.
    const found = (await call('GET', `/v1/knowledge/search?q=${encodeURIComponent('托运')}`)).json().results;
    expect(found.map((h: { id: string }) => h.id)).toEqual([id]);
    expect((await call('GET', `/v1/knowledge/search?q=${encodeURIComponent('免费')}`)).json().results).toEqual([]);

    // A retried restore finds the content already there and makes no fourth version.
    const again = await call('POST', `/v1/knowledge/articles/${id}/versions/1/restore`);
    expect(again.statusCode).toBe(200);
    expect(again.json().version).toBe(3);
  });

  it("answers problem+json for a version or article that does not exist, or another tenant's", async () => {
    const id = (await call('POST', '/v1/knowledge/articles', { title: 'Seats', body: 'Choose a seat online.', language: 'en' })).json().id;
    const missing = await call('POST', `/v1/knowledge/articles/${id}/versions/9/restore`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.json().code).toBe('KNOWLEDGE_VERSION_NOT_FOUND');
    expect((await call('POST', '/v1/knowledge/articles/art_nope/versions/1/restore')).json().code).toBe('KNOWLEDGE_ARTICLE_NOT_FOUND');
    const bad = await call('POST', `/v1/knowledge/articles/${id}/versions/zero/restore`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['params.version']);
    const other = await createTestTenant(r);
    expect((await call('POST', `/v1/knowledge/articles/${id}/versions/1/restore`, undefined, other)).json().code).toBe('KNOWLEDGE_ARTICLE_NOT_FOUND');
  });
});
