// A customer's points, survey answers, cases and conversations on their profile, in Chromium, on the
// demo's data (seeded once for this file, at a quarter of its size as in demo-journey.test.ts): a demo
// customer who has all four is picked through the API, and each of the four tabs shows their rows (not
// an empty state, not a placeholder); a case opens in the cases screen and a conversation in the inbox.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../helpers.js';
import { hasChromium, launchChromium, newContext, SCREENSHOT_DIR } from './browser.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import type { Rapport } from '../../src/app.js';

const LOADING = /^(Loading…|加载中…)$/;

describe.skipIf(!hasChromium)("a demo customer's loyalty, feedback, cases and messages tabs", { timeout: 600_000 }, () => {
  let r: Rapport;
  let t: TestTenant;
  let base: string;
  let chromium: Browser;
  const api = async (url: string) => {
    const res = await r.app.inject({ method: 'GET', url, headers: t.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    chromium = await launchChromium();
    r = await startTestApp(databases[0].url);
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
    r.config.publicUrl = base;
    // The demo's purchases are in yuan: points are earned only in the tenant's currency.
    t = await createTestTenant(r, { currency: 'CNY' });
    await seedDemo(r, t.tenantId, { customers: 500, events: 12_500 });
  }, 1_800_000);
  afterAll(async () => {
    await chromium?.close();
    await r?.close();
  });

  /** The first customer with a case who also has a conversation, a survey answer and points movements this year. */
  async function customerWithAll() {
    const from = new Date(r.clock.now().getTime() - 365 * 86_400_000).toISOString();
    const cases: { customer_id: string | null }[] = (await api('/v1/cases?limit=200')).data;
    for (const id of new Set(cases.map((c) => c.customer_id).filter((x): x is string => !!x))) {
      const q = encodeURIComponent(id);
      if (!(await api(`/v1/conversations?customer_id=${q}&limit=1`)).data.length) continue;
      if (!(await api(`/v1/survey-responses?customer_id=${q}&limit=1`)).data.length) continue;
      if ((await api(`/v1/loyalty/customers/${q}/statement?from=${from}`)).transactions.length) return id;
    }
    throw new Error('no demo customer has a case, a conversation, a survey answer and points');
  }

  async function settle(page: Page) {
    let quiet = 0;
    for (let i = 0; i < 120 && quiet < 2; i++) {
      await page.waitForTimeout(250);
      quiet = (await page.locator('main').getByText(LOADING).count()) ? 0 : quiet + 1;
    }
  }

  it('shows real rows on each of the four tabs, linked to the case and the conversation', async () => {
    const id = await customerWithAll();
    const page = await (await newContext(chromium)).newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()}: ${res.request().method()} ${res.url()}`);
    });
    await page.goto(`${base}/console/login`);
    await page.getByLabel(/Company|公司/).fill(t.slug);
    await page.getByLabel(/^(Email|邮箱)$/).fill(t.adminEmail);
    await page.getByLabel(/^(Password|密码)$/).fill(t.adminPassword);
    await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
    await page.waitForURL(/\/console\/home/, { timeout: 60_000 });
    await page.goto(`${base}/console/customers/${id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();

    const nav = page.getByRole('navigation', { name: 'Customer sections' });
    const tabs = [
      ['loyalty', 'Points and tier', 'Latest points movements'],
      ['feedback', 'Feedback', 'Answered'],
      ['cases', 'Cases', 'Opened'],
      ['messages', 'Messages', 'Last message'],
    ] as const;
    for (const [tab, name, header] of tabs) {
      await nav.getByRole('link', { name, exact: true }).click();
      await page.waitForURL((u) => u.pathname === `/console/customers/${id}/${tab}`);
      await settle(page);
      const main = page.locator('main');
      await expect.poll(() => main.locator('table tbody tr').count(), { message: tab }).toBeGreaterThan(0);
      expect(await main.locator('[data-empty]').count(), tab).toBe(0);
      expect(await main.getByText(/This screen arrives/).count(), tab).toBe(0);
      expect(await main.getByText(header).count(), tab).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `console-customer-${tab}.png`), fullPage: true });
      // No raw translation key (customer.points.kind.earn...) anywhere on the tab.
      const text = (await main.locator('h2, th, td, dt, dd, p').allTextContents()).join(' | ');
      expect(text, tab).not.toMatch(/\b(customer|cases|inbox|surveys|listening|channel)\.[a-z_]+(\.[a-z_]+)*\b/);
    }
    // The timeline names every kind of event in words: a case, a survey answer, a tier change, a message.
    await nav.getByRole('link', { name: 'Timeline', exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/console/customers/${id}/timeline`);
    const kinds = page.locator('main ol.timeline li > strong');
    await expect.poll(() => kinds.count()).toBeGreaterThan(0);
    const raw = (await kinds.allTextContents()).filter((k) => /^[a-z_]+(\.[a-z_]+)+$/.test(k.trim()));
    expect(raw).toEqual([]);
    // The points and tier tab starts with the balance: available and pending points and the tier.
    await nav.getByRole('link', { name: 'Points and tier', exact: true }).click();
    await page.getByText('Available points').waitFor();
    await page.getByText('Pending points').waitFor();

    // A case opens in the cases screen's drawer.
    await nav.getByRole('link', { name: 'Cases', exact: true }).click();
    const caseLink = page.locator('main table tbody tr a').first();
    await caseLink.waitFor();
    const caseHref = (await caseLink.getAttribute('href'))!;
    expect(caseHref).toMatch(/^\/console\/cases\?case=/);
    await caseLink.click();
    await page.waitForURL((u) => u.pathname === '/console/cases' && !!u.searchParams.get('case'));

    // A conversation opens in the inbox, whatever its status.
    await page.goto(`${base}/console/customers/${id}/messages`);
    const convLink = page.locator('main table tbody tr a').first();
    await convLink.waitFor();
    const convId = new URL((await convLink.getAttribute('href'))!, base).searchParams.get('c')!;
    await convLink.click();
    await page.waitForURL((u) => u.pathname === '/console/inbox' && u.searchParams.get('c') === convId);
    await expect.poll(() => page.locator(`.conv-row[data-id="${convId}"]`).count()).toBe(1);

    expect(problems).toEqual([]);
    await page.context().close();
  });
});
