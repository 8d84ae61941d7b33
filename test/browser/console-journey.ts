// What every console journey needs: a running server on a real port (on the embedded database unless
// a journey names another), a tenant, Chromium, a signed-in page, the API as the tenant's admin, and
// screenshots under test-results/screens.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../helpers.js';
import { launchChromium, newContext, SCREENSHOT_DIR, unansweredRequests } from './browser.js';
import type { Rapport } from '../../src/app.js';

export interface ConsoleJourney {
  r: Rapport;
  t: TestTenant;
  base: string;
  chromium: Browser;
  api<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, expected?: number): Promise<T>;
  /** A page signed in as the tenant's admin, or as `who` (a user made through /v1/users). */
  signedIn(path: string, opts?: Parameters<typeof newContext>[1], who?: { email: string; password: string }): Promise<Page>;
  shot(page: Page, name: string): Promise<unknown>;
  /** What is still in flight, in the page's browser and in the server: for a failure's message when a wait runs out. */
  inFlight(page: Page): string;
  close(): Promise<void>;
}

/** Signs in on the console's login form the page shows, and waits for the home screen. */
export async function signInToConsole(page: Page, slug: string, who: { email: string; password: string }) {
  await page.getByLabel(/Company|公司/).fill(slug);
  await page.getByLabel(/^(Email|邮箱)$/).fill(who.email);
  await page.getByLabel(/^(Password|密码)$/).fill(who.password);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  // The first sign-in of a run builds the home screen's chunk and its five reads: on a loaded CI
  // machine that has taken over Playwright's default 30 s.
  await page.waitForURL(/\/console\/home/, { timeout: 60_000 });
}

export async function startConsoleJourney(overrides: Parameters<typeof startTestApp>[1] = {}, databaseUrl = databases[0].url): Promise<ConsoleJourney> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const chromium = await launchChromium();
  const r = await startTestApp(databaseUrl, overrides);
  const base = await r.app.listen({ port: 0, host: '127.0.0.1' });
  const answering = new Map<IncomingMessage, number>();
  r.app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    answering.set(req, Date.now());
    res.once('close', () => answering.delete(req));
  });
  r.config.publicUrl = base;
  const t = await createTestTenant(r);
  const api = async (method: string, url: string, payload?: unknown, expected?: number) => {
    const res = await r.app.inject({ method: method as 'GET', url, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (expected) expect(res.statusCode, res.body).toBe(expected);
    return res.body ? res.json() : undefined;
  };
  return {
    r,
    t,
    base,
    chromium,
    api,
    async signedIn(to, opts = {}, who = { email: t.adminEmail, password: t.adminPassword }) {
      const page = await (await newContext(chromium, opts)).newPage();
      await page.goto(`${base}/console/login`);
      await signInToConsole(page, t.slug, who);
      await page.goto(`${base}/console${to}`);
      return page;
    },
    inFlight(page) {
      const now = Date.now();
      const server = [...answering].map(([req, at]) => `${req.method} ${req.url?.split('?')[0]} (${now - at} ms)`);
      return `the browser awaits ${JSON.stringify(unansweredRequests(page.context()))}; the server is answering ${JSON.stringify(server)}`;
    },
    shot: (page, name) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true }),
    async close() {
      await chromium.close();
      await r.close();
    },
  };
}
