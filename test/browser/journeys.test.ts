// Real journeys in Chromium against a running server: an admin signs in, finds a customer, reads the
// 360 and filters the timeline; the language choice follows the person; a customer signs in to the
// portal with the code from a local SMTP listener, changes consent and preferences and downloads their
// data; a visitor on a plain page leaves feedback through the widget. Layouts are checked for
// horizontal overflow at 1280x800 and on a phone, and screenshots land in test-results/screens.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../helpers.js';
import { startSmtpListener, type SmtpListener } from '../fixtures/smtp.js';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium, newContext, SCREENSHOT_DIR, serveSitePage } from './browser.js';
import { requestPortalCode } from './portal-sign-in.js';
import { signInToConsole } from './console-journey.js';
import type { Rapport } from '../../src/app.js';

const PHONE = { width: 390, height: 844 };

async function expectNoHorizontalOverflow(page: Page, what: string) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, `${what} overflows horizontally`).toBeLessThanOrEqual(width);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

describe.skipIf(!hasChromium)('browser journeys', { timeout: 120_000 }, () => {
  let r: Rapport;
  let t: TestTenant;
  let smtp: SmtpListener;
  let base: string;
  let wang: { id: string; email: string };
  let chromium: Browser;

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    r.app.inject({ method, url, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function browser(opts: Parameters<typeof newContext>[1] = {}) {
    const context = await newContext(chromium, opts);
    return context.newPage();
  }

  async function consoleLogin(page: Page) {
    await page.goto(`${base}/console/`);
    await page.waitForURL(/\/console\/login/);
    await signInToConsole(page, t.slug, { email: t.adminEmail, password: t.adminPassword });
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    chromium = await launchChromium();
    smtp = await startSmtpListener();
    r = await startTestApp(databases[0].url, { smtpUrl: smtp.url });
    const address = await r.app.listen({ port: 0, host: '127.0.0.1' });
    base = address;
    r.config.publicUrl = base;
    t = await createTestTenant(r);
    const email = 'wang.fang@example.com';
    const events = [
      {
        id: 'j-buy-1',
        type: 'purchase',
        occurred_at: '2026-01-10T09:00:00Z',
        identities: { email },
        properties: { order_id: 'o-1', amount: 1280, currency: 'CNY' },
      },
      {
        id: 'j-buy-2',
        type: 'purchase',
        occurred_at: '2026-02-12T09:00:00Z',
        identities: { email },
        properties: { order_id: 'o-2', amount: 399, currency: 'CNY' },
      },
      { id: 'j-view-1', type: 'page_view', occurred_at: '2026-02-11T09:00:00Z', identities: { email }, properties: { url: 'https://shop.example.com/seats' } },
      {
        id: 'j-other',
        type: 'purchase',
        occurred_at: '2026-02-01T09:00:00Z',
        identities: { email: 'li.lei@example.com' },
        properties: { order_id: 'o-9', amount: 10, currency: 'CNY' },
      },
    ];
    const res = await api('POST', '/v1/events', { events });
    expect(res.statusCode, res.body).toBe(200);
    wang = { id: res.json().results[0].customer_id, email };
    expect((await api('PATCH', `/v1/customers/${wang.id}`, { given_name: 'Fang', family_name: 'Wang' })).statusCode).toBe(200);
  });

  afterAll(async () => {
    await chromium?.close();
    await r?.close();
    await smtp?.close();
  });

  it('an admin signs in, finds a customer, reads the 360 and filters the timeline', async () => {
    const page = await browser();
    await consoleLogin(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
    await page.getByRole('navigation').getByRole('link', { name: 'Customers', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Customers');
    await page.getByLabel('Search', { exact: true }).fill('wang');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'Fang Wang' }).click();
    await page.waitForURL(new RegExp(`/console/customers/${wang.id}$`));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Fang Wang');
    await page.getByText('wang.fang@example.com').first().waitFor();
    await page.locator('.chart svg').waitFor();
    await shot(page, 'console-customer-360');
    await expectNoHorizontalOverflow(page, 'customer 360 at 1280x800');

    await page.getByRole('link', { name: 'Timeline' }).click();
    await page.locator('li[data-type="page_view"]').waitFor();
    expect(await page.locator('li[data-type="purchase"]').count()).toBe(2);
    await page.getByLabel('Event types').fill('purchase');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.locator('ol.timeline > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))), { timeout: 15_000 })
      .toEqual(['purchase', 'purchase']);
    await shot(page, 'console-timeline');

    await page.getByRole('link', { name: 'Consent' }).click();
    await page.getByRole('heading', { name: 'Consent history' }).waitFor();
    await page.getByRole('link', { name: 'Merges' }).click();
    await page.getByRole('heading', { name: 'Merge history' }).waitFor();

    await page.setViewportSize(PHONE);
    await page.goto(`${base}/console/customers`);
    await page.getByRole('link', { name: 'Fang Wang' }).waitFor();
    await expectNoHorizontalOverflow(page, 'customers list on a phone');
    await shot(page, 'console-customers-phone');
  });

  it('remembers the language a person chose, in this browser and on the server', async () => {
    const page = await browser();
    await consoleLogin(page);
    await page.getByLabel('Language').first().selectOption('zh-CN');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('首页');
    // The choice is saved on the server after it shows; a reload before that would read the old one.
    await expect.poll(async () => (await api('GET', '/v1/users')).json().data.find((u: { email: string }) => u.email === t.adminEmail).locale).toBe('zh-CN');
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('首页');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    const users = await api('GET', '/v1/users');
    expect(users.json().data.find((u: { email: string }) => u.email === t.adminEmail).locale).toBe('zh-CN');
    await shot(page, 'console-zh-CN');

    // Another browser, English by default: signing in brings the person's language back.
    const fresh = await browser({ locale: 'en-US' });
    await consoleLogin(fresh);
    await expect.poll(() => fresh.getByRole('heading', { level: 1 }).textContent()).toBe('首页');
    await fresh.getByLabel('语言').first().selectOption('en');
    await expect.poll(() => fresh.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
  });

  it('a customer signs in to the portal with the mailed code, changes consent and preferences, redeems a reward and downloads their data', async () => {
    // Points to spend, and two rewards: one within reach, one beyond it.
    expect((await api('POST', '/v1/loyalty/earn', { customer_id: wang.id, points: 500, idempotency_key: 'journey-goodwill' })).statusCode).toBeLessThan(300);
    const lounge = (await api('POST', '/v1/loyalty/rewards', { name: 'Lounge pass', description: 'One visit to the airport lounge', cost_points: 300 })).json();
    await api('POST', '/v1/loyalty/rewards', { name: 'Business upgrade', cost_points: 5000 });
    const page = await browser({ viewport: PHONE, isMobile: true });
    await page.goto(`${base}/portal/${t.slug}/`);
    await page.waitForURL(/\/sign-in$/);
    const { code } = await requestPortalCode(page, smtp, wang.email);
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Hello, Fang Wang' }).waitFor();
    await expectNoHorizontalOverflow(page, 'portal profile on a phone');
    await shot(page, 'portal-profile-phone');

    await page.getByRole('link', { name: 'History' }).click();
    await page.getByText('1280 CNY').waitFor();

    await page.getByRole('link', { name: 'Preferences' }).click();
    const marketingByEmail = page.getByLabel('Marketing by Email');
    await marketingByEmail.check();
    await expect
      .poll(async () => (await api('GET', `/v1/customers/${wang.id}/consent`)).json().current)
      .toContainEqual(expect.objectContaining({ channel: 'email', purpose: 'marketing', status: 'granted', source: 'portal' }));
    await page.getByLabel('WeChat', { exact: true }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your preferences are saved.').waitFor();
    expect((await api('GET', `/v1/customers/${wang.id}`)).json().preferences.channels).toEqual(['wechat']);
    await expectNoHorizontalOverflow(page, 'portal preferences on a phone');
    await shot(page, 'portal-preferences-phone');

    const before = (await api('GET', `/v1/loyalty/customers/${wang.id}/balance`)).json().available as number;
    expect(before).toBeGreaterThanOrEqual(500);
    await page.getByRole('link', { name: 'Points and rewards' }).click();
    await expect.poll(() => page.getByTestId('points').textContent()).toBe(`${before.toLocaleString('en')} points`);
    expect(await page.getByRole('button', { name: 'Redeem Business upgrade' }).isDisabled()).toBe(true);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Redeem Lounge pass' }).click();
    const voucher = await page.getByTestId('voucher').textContent();
    expect(voucher).toMatch(/\S{6,}/);
    await expect.poll(() => page.getByTestId('points').textContent()).toBe(`${(before - 300).toLocaleString('en')} points`);
    // The redemption is in the customer's own records at once: the voucher just issued, listed as
    // usable, and the points history with the 300 spent on it beside the 500 earned.
    const row = page.locator(`tr[data-voucher="${voucher}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('issued');
    expect(await row.textContent()).toContain('Lounge pass');
    const spent = page.locator('tr[data-movement="spent"]');
    await spent.waitFor();
    expect(await spent.textContent()).toContain('Reward redeemed');
    expect(await spent.textContent()).toContain('-300');
    expect(await page.locator('tr[data-movement]', { hasText: '+500' }).count()).toBe(1);
    await expectNoHorizontalOverflow(page, 'portal rewards on a phone');
    await shot(page, 'portal-rewards-phone');
    // The company sees the same redemption: the points spent and the voucher issued for this reward.
    const balance = (await api('GET', `/v1/loyalty/customers/${wang.id}/balance`)).json();
    expect(balance.available).toBe(before - 300);
    const {
      rows: [redemption],
    } = await r.db.pool.query('SELECT reward_id, voucher_code FROM loyalty_redemptions WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, wang.id]);
    expect(redemption).toEqual({ reward_id: lounge.id, voucher_code: voucher });

    await page.getByRole('link', { name: 'My data' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download all my data (JSON)' }).click()]);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(JSON.stringify(exported)).toContain(wang.id);
    expect(JSON.stringify(exported)).not.toContain('li.lei@example.com');

    await page.setViewportSize({ width: 1280, height: 800 });
    await expectNoHorizontalOverflow(page, 'portal at 1280x800');
  });

  it('a visitor on a plain page leaves feedback through the one-script-tag widget', async () => {
    const settings = await api('PUT', '/v1/widget/settings', { allowed_origins: [] });
    const key = settings.json().key as string;
    // A different origin from the server, with page CSS that would restyle every button it could reach.
    const site = await serveSitePage(
      `<!doctype html><html><head><meta name="viewport" content="width=device-width,initial-scale=1"><style>button{background:rgb(255,0,0)!important}</style></head>` +
        `<body><h1>A plain shop page</h1><script src="${base}/widget.js" data-key="${key}" data-lang="en" async></script></body></html>`,
      '/product/42',
    );
    const siteUrl = site.url;
    try {
      for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
        const page = await browser({ viewport, isMobile: viewport === PHONE });
        await page.goto(siteUrl);
        const launcher = page.getByRole('button', { name: 'Open chat and feedback' });
        await launcher.click();
        expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe('rgb(255, 0, 0)');
        await page.getByLabel('4 of 5').check({ force: true });
        await page.getByLabel('Your feedback').fill(`Seat map is confusing (${viewport.width}px)`);
        await page.getByRole('button', { name: 'Send' }).click();
        await page.getByText('Thank you! Your feedback reached us.').waitFor();
        await expectNoHorizontalOverflow(page, `widget page at ${viewport.width}px`);
        await shot(page, `widget-${viewport.width}`);
      }
      const list = (await api('GET', '/v1/widget/feedback')).json().data;
      expect(list.map((f: { text: string }) => f.text)).toEqual(['Seat map is confusing (390px)', 'Seat map is confusing (1280px)']);
      expect(list[0]).toMatchObject({ rating: 4, page_url: siteUrl });
    } finally {
      site.close();
    }
  });
});
