// The demo as a newcomer meets it in the first ten minutes. A freshly seeded demo tenant (seeded once
// for this file, at a quarter of its size); its manager and its agent sign in, in English and in
// Chinese, and open every screen the navigation offers (read from the page, so screens added later are
// covered): each shows data, not an empty state, with no console error and no failed request. A demo
// customer with points, a survey answer, a case and a conversation shows real rows on each of those
// four tabs of their page, and the case and the conversation open from there. Then a visitor on the
// company's site searches the help centre in the widget, finds an article, still needs help and starts
// a chat: the search is counted as followed by a chat. Screenshots go to test-results/screens.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../helpers.js';
import { hasChromium, launchChromium, newContext, SCREENSHOT_DIR, serveSitePage } from './browser.js';
import { signInToConsole } from './console-journey.js';
import { insertUser } from '../../src/platform/tenancy.js';
import { hashPassword } from '../../src/platform/auth.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import type { Rapport } from '../../src/app.js';

const PASSWORD = 'demo journey password';
// The demo's people, as `rapport start` creates them (the inbox's demo agent is tied to this login).
const PEOPLE = {
  manager: { email: 'manager@demo.rapport.dev', name: '李经理 (Manager)', role: 'manager' as const, locale: 'zh-CN' },
  agent: { email: 'agent@demo.rapport.dev', name: 'Agent Chen', role: 'agent' as const, locale: 'en' },
};
const LOADING = /^(Loading…|加载中…)$/;

// The demo seeds in about 20 s on a quiet machine; a loaded one has taken minutes.
describe.skipIf(!hasChromium)('the demo, screen by screen', { timeout: 600_000 }, () => {
  let r: Rapport;
  let t: TestTenant;
  let base: string;
  let chromium: Browser;
  const api = async (method: 'GET' | 'PUT', url: string, payload?: unknown) => {
    const res = await r.app.inject({ method, url, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    chromium = await launchChromium();
    r = await startTestApp(databases[0].url);
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
    r.config.publicUrl = base;
    t = await createTestTenant(r, { currency: 'CNY' });
    for (const p of Object.values(PEOPLE)) await insertUser(r.db.pool, t.tenantId, p, await hashPassword(PASSWORD));
    // The demo's story at a quarter of the size `rapport start` seeds (2,000 customers, 50,000 events):
    // every part of it scales with the customers (seed-story.ts), so each screen has the same kinds of
    // data, and the seed takes a quarter of the time (18 s against 68 s on a quiet machine, and it runs in
    // all three of CI's passes).
    await seedDemo(r, t.tenantId, { customers: 500, events: 12_500 });
  }, 1_800_000);
  afterAll(async () => {
    await chromium?.close();
    await r?.close();
  });

  /** Waits until the screen has stopped loading: no loading note for two looks in a row. */
  async function settle(page: Page) {
    let quiet = 0;
    for (let i = 0; i < 120 && quiet < 2; i++) {
      await page.waitForTimeout(250);
      quiet = (await page.locator('main').getByText(LOADING).count()) ? 0 : quiet + 1;
    }
  }

  for (const who of ['manager', 'agent'] as const) {
    for (const lang of ['en', 'zh-CN'] as const) {
      it(`the ${who} sees data on every screen of the navigation, in ${lang}`, async () => {
        const page = await (await newContext(chromium, { locale: lang === 'en' ? 'en-US' : 'zh-CN' })).newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        page.on('requestfailed', (req) => problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`));
        page.on('response', (res) => {
          if (res.status() >= 400) problems.push(`${res.status()}: ${res.request().method()} ${res.url()}`);
        });

        await page.goto(`${base}/console/login`);
        await signInToConsole(page, t.slug, { email: PEOPLE[who].email, password: PASSWORD });
        // Signing in brings back the person's saved language; the journey then picks the one under test.
        await settle(page);
        await page.getByRole('combobox', { name: /^(Language|语言)$/ }).selectOption(lang);
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(lang === 'en' ? 'Home' : '首页');

        const links = await page.locator('nav.nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        expect(links.length).toBeGreaterThanOrEqual(who === 'agent' ? 3 : 8);
        expect(links[0]).toBe('/console/home');
        const seen: Record<string, string[]> = {};
        for (const href of links) {
          await page.locator(`nav.nav a[href="${href}"]`).click();
          await page.waitForURL((u) => u.pathname.startsWith(href));
          await settle(page);
          await page.getByRole('heading', { level: 1 }).waitFor();
          seen[href] = await page.locator('main [data-empty]').allTextContents();
          const name = href.replace('/console/', '').replace(/\W+/g, '-');
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `demo-${who}-${lang}-${name}.png`), fullPage: true });
        }
        expect({ empty: seen, problems }).toEqual({ empty: Object.fromEntries(links.map((h) => [h, []])), problems: [] });
        await page.context().close();
      });
    }
  }

  /** For the customer tabs: the first customer with a case who also has a conversation, a survey answer and points movements this year. */
  async function customerWithAll() {
    const from = new Date(r.clock.now().getTime() - 365 * 86_400_000).toISOString();
    const cases: { customer_id: string | null }[] = (await api('GET', '/v1/cases?limit=200')).data;
    for (const id of new Set(cases.map((c) => c.customer_id).filter((x): x is string => !!x))) {
      const q = encodeURIComponent(id);
      if (!(await api('GET', `/v1/conversations?customer_id=${q}&limit=1`)).data.length) continue;
      if (!(await api('GET', `/v1/survey-responses?customer_id=${q}&limit=1`)).data.length) continue;
      if ((await api('GET', `/v1/loyalty/customers/${q}/statement?from=${from}`)).transactions.length) return id;
    }
    throw new Error('no demo customer has a case, a conversation, a survey answer and points');
  }

  it("a demo customer's points, feedback, cases and messages tabs show real rows, linked to the case and the conversation", async () => {
    const id = await customerWithAll();
    const page = await (await newContext(chromium)).newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()}: ${res.request().method()} ${res.url()}`);
    });
    await page.goto(`${base}/console/login`);
    await signInToConsole(page, t.slug, { email: t.adminEmail, password: t.adminPassword });
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

  it('a visitor searches the help centre in the widget, finds an article, still needs help and chats: the search counts as followed by a chat', async () => {
    const { key } = await api('PUT', '/v1/widget/settings', { allowed_origins: [] });
    const webchat = (await api('GET', '/v1/inbox/channels')).data.find((c: { kind: string }) => c.kind === 'webchat');
    const site = await serveSitePage(
      '<!doctype html><html><head><meta name="viewport" content="width=device-width,initial-scale=1"></head>' +
        `<body><h1>Demo Air</h1><script src="${base}/widget.js" data-key="${key}" data-chat="${t.tenantId}/${webchat.id}" data-lang="en" async></script></body></html>`,
      '/flights',
    );
    try {
      const page = await (await newContext(chromium)).newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`${res.status()}: ${res.url()}`);
      });
      await page.goto(site.url);
      await page.getByRole('button', { name: 'Open chat and feedback' }).click();
      await page.getByRole('tab', { name: 'Chat' }).click();
      // Typed in Chinese on an English page, with no language given: the Chinese article answers.
      const query = '行李丢了怎么办';
      await page.getByRole('searchbox', { name: 'Search our help articles' }).fill(query);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const article = page.getByRole('link', { name: '行李延误或丢失怎么办' });
      await article.waitFor();
      expect(await article.getAttribute('href')).toMatch(new RegExp(`^${base}/help/${t.slug}/articles/art_\\w+\\?language=zh-CN$`));
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'widget-help-search.png') });

      await page.getByRole('button', { name: 'Still need help? Chat with us' }).click();
      await page.getByLabel('Your message').fill('我的行李还没到，已经三天了');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const gapOf = async () =>
        ((await api('GET', '/v1/knowledge/gaps')).data as { queries: string[]; followed_by_chat: number; no_result: number }[]).find((g) =>
          g.queries.includes(query),
        );
      await expect.poll(gapOf, { timeout: 15_000 }).toMatchObject({ followed_by_chat: 1, no_result: 0 });
      // The chat the visitor started is the one the search is linked to.
      const linked = async () =>
        (await r.db.pool.query('SELECT conversation_id FROM knowledge_searches WHERE tenant_id = $1 AND query = $2', [t.tenantId, query])).rows[0]
          ?.conversation_id as string | null;
      await expect.poll(linked, { timeout: 15_000 }).toMatch(/^cnv_/);
      const messages = (await api('GET', `/v1/conversations/${await linked()}/messages`)).data as { text: string | null }[];
      expect(messages.map((m) => m.text)).toContain('我的行李还没到，已经三天了');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'widget-help-then-chat.png') });
      expect(problems).toEqual([]);
    } finally {
      site.close();
    }
  });
});
