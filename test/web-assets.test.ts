// The built console, portal and widget are served by the API server: pages with a strict CSP, deep
// links falling back to the app, immutable hashed assets, and none of it in the API document.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp } from './helpers.js';
import { WEB_OUT_DIR } from '../src/platform/web-build.js';
import type { Rapport } from '../src/app.js';

describe('web assets', () => {
  let r: Rapport;
  beforeAll(async () => {
    r = await startTestApp(databases[0].url);
  });
  afterAll(async () => r?.close());
  const get = (url: string) => r.app.inject({ method: 'GET', url });

  it('serves the console and the portal, with deep links answered by the app page', async () => {
    for (const url of ['/console/', '/console/customers/cus_123/timeline', '/portal/demo/', '/portal/demo/sign-in']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).toContain('<div id="root"></div>');
    }
    expect((await get('/console')).statusCode).toBe(302);
  });

  it('serves hashed assets for a year and the widget script to any site', async () => {
    const asset = fs.readdirSync(path.join(WEB_OUT_DIR, 'assets')).find((f) => f.endsWith('.js'))!;
    const res = await get(`/assets/${asset}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-type']).toMatch(/javascript/);
    const widget = await get('/widget.js');
    expect(widget.statusCode).toBe(200);
    expect(widget.headers['access-control-allow-origin']).toBe('*');
    expect(widget.body).toContain('attachShadow');
    expect((await get('/assets/..%2F..%2Fpackage.json')).statusCode).toBe(404);
    expect((await get('/assets/nope.js')).statusCode).toBe(404);
  });

  it('is the production build of React even when the test run built it (NODE_ENV=test)', () => {
    const js = fs
      .readdirSync(path.join(WEB_OUT_DIR, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(WEB_OUT_DIR, 'assets', f), 'utf8'))
      .join('\n');
    expect(js).toContain('createRoot');
    // What only development builds carry: the JSX dev runtime and React's list-key warning.
    expect(js).not.toContain('jsxDEV');
    expect(js).not.toContain('unique "key" prop');
  });

  it('keeps pages and assets out of the API document', async () => {
    const doc = (await get('/openapi.json')).json();
    const paths = Object.keys(doc.paths);
    expect(paths.some((p) => p.startsWith('/console') || p.startsWith('/portal/') || p.startsWith('/assets') || p === '/widget.js')).toBe(false);
    expect(paths).toContain('/v1/portal/me');
  });
});
