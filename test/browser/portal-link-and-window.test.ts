// Two portal defects a tester met in Chromium. A sign-in link pasted into the tab that shows the code
// form changes only the #fragment: the page must sign in with it (and clear it from the address bar)
// just as when the link opens a fresh tab. And a contact window with only one of its two times must not
// be dropped as "no window" behind a "saved" notice: the missing time is named beside its field, what
// was typed stays, and nothing is sent. The console's customer editor, on the same shared form, too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../helpers.js';
import { startSmtpListener, type SmtpListener } from '../fixtures/smtp.js';
import { hasChromium, launchChromium, newContext } from './browser.js';
import { requestPortalCode } from './portal-sign-in.js';
import { signInToConsole } from './console-journey.js';
import type { Rapport } from '../../src/app.js';

describe.skipIf(!hasChromium)('portal sign-in link in the same tab, and a half contact window', { timeout: 120_000 }, () => {
  let r: Rapport;
  let t: TestTenant;
  let smtp: SmtpListener;
  let base: string;
  let chromium: Browser;
  const customer = { id: '', email: 'zhao.min@example.com' };
  const savedWindow = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    r.app.inject({ method, url, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const savedPreferences = async () => (await api('GET', `/v1/customers/${customer.id}`)).json().preferences;

  /** The PUTs of preferences the page sends from now on. */
  function preferencePuts(page: Page): string[] {
    const seen: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'PUT' && /\/preferences$/.test(new URL(req.url()).pathname)) seen.push(req.postData() ?? '');
    });
    return seen;
  }

  /** The note a field shows beside it (its aria-describedby), when it is marked invalid. */
  const fieldError = (page: Page, label: string) =>
    page
      .getByLabel(label, { exact: true })
      .evaluate((el) =>
        el.getAttribute('aria-invalid') === 'true' ? (document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '') : null,
      );

  beforeAll(async () => {
    chromium = await launchChromium();
    smtp = await startSmtpListener();
    r = await startTestApp(databases[0].url, { smtpUrl: smtp.url });
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
    r.config.publicUrl = base;
    t = await createTestTenant(r);
    const res = await api('POST', '/v1/events', {
      events: [
        {
          id: 'plw-1',
          type: 'page_view',
          occurred_at: '2026-02-11T09:00:00Z',
          identities: { email: customer.email },
          properties: { url: 'https://shop.example.com/' },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    customer.id = res.json().results[0].customer_id;
    expect((await api('PATCH', `/v1/customers/${customer.id}`, { given_name: 'Min', family_name: 'Zhao' })).statusCode).toBe(200);
    const prefs = await api('PUT', `/v1/customers/${customer.id}/preferences`, { channels: ['email'], contact_window: savedWindow });
    expect(prefs.statusCode, prefs.body).toBe(200);
  });

  afterAll(async () => {
    await chromium?.close();
    await r?.close();
    await smtp?.close();
  });

  it('signs in with a link pasted into the tab that shows the code form, then refuses a window with only its start time', async () => {
    const page = await (await newContext(chromium)).newPage();
    await page.goto(`${base}/portal/${t.slug}/sign-in`);
    const { token } = await requestPortalCode(page, smtp, customer.email);
    await page.getByLabel('6-digit code').waitFor();

    // The mailed link, into the same tab: only the fragment changes, the document stays.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.goto(`${base}/portal/${t.slug}/sign-in#token=${encodeURIComponent(token)}`);
    await page.getByRole('heading', { name: 'Hello, Min Zhao' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(page.url()).not.toContain('token');
    expect(page.url()).toBe(`${base}/portal/${t.slug}/`);

    // Preferences: both times cleared, then only "Contact from" filled.
    await page.getByRole('link', { name: 'Preferences' }).click();
    const start = page.getByLabel('Contact from', { exact: true });
    const end = page.getByLabel('Contact until', { exact: true });
    await expect.poll(() => start.inputValue()).toBe('09:00');
    await start.fill('');
    await end.fill('');
    await start.fill('08:15');
    const puts = preferencePuts(page);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fieldError(page, 'Contact until')).toBe('Fill in both times, or leave both empty.');
    expect(await fieldError(page, 'Contact from')).toBeNull();
    expect(await start.inputValue()).toBe('08:15');
    expect(await end.inputValue()).toBe('');
    expect(await page.getByText('Your preferences are saved.').count()).toBe(0);
    expect(puts).toEqual([]);
    expect((await savedPreferences()).contact_window).toEqual(savedWindow);

    // Both times empty is no window at all, and saves.
    await start.fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your preferences are saved.').waitFor();
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0]).contact_window).toBeNull();
    expect((await savedPreferences()).contact_window).toBeNull();
  });

  it('still signs in with a link opened in a fresh tab, and says so when a pasted link is spent', async () => {
    const page = await (await newContext(chromium)).newPage();
    await page.goto(`${base}/portal/${t.slug}/sign-in`);
    const { token } = await requestPortalCode(page, smtp, customer.email);
    const link = `${base}/portal/${t.slug}/sign-in#token=${encodeURIComponent(token)}`;

    const fresh = await (await newContext(chromium)).newPage();
    await fresh.goto(link);
    await fresh.getByRole('heading', { name: 'Hello, Min Zhao' }).waitFor({ timeout: 10_000 });
    expect(fresh.url()).toBe(`${base}/portal/${t.slug}/`);

    // The same link again, pasted over the code form: used up, so the form says so, token gone.
    await page.goto(link);
    await page.getByText('This link was used or has expired. Ask for a new code.').waitFor({ timeout: 10_000 });
    expect(page.url()).toBe(`${base}/portal/${t.slug}/sign-in`);
    await page.getByLabel('Email address').waitFor();
  });

  it('the console customer editor refuses a window with only its end time the same way', async () => {
    expect((await api('PUT', `/v1/customers/${customer.id}/preferences`, { channels: ['email'], contact_window: savedWindow })).statusCode).toBe(200);
    const page = await (await newContext(chromium)).newPage();
    await page.goto(`${base}/console/`);
    await page.waitForURL(/\/console\/login/);
    await signInToConsole(page, t.slug, { email: t.adminEmail, password: t.adminPassword });
    await page.goto(`${base}/console/customers/${customer.id}`);
    const start = page.getByLabel('Contact from', { exact: true });
    const end = page.getByLabel('Contact until', { exact: true });
    await expect.poll(() => start.inputValue()).toBe('09:00');
    await start.fill('');
    const puts = preferencePuts(page);
    await page.locator('form', { has: start }).getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => fieldError(page, 'Contact from')).toBe('Fill in both times, or leave both empty.');
    expect(await fieldError(page, 'Contact until')).toBeNull();
    expect(await end.inputValue()).toBe('18:00');
    expect(puts).toEqual([]);
    expect((await savedPreferences()).contact_window).toEqual(savedWindow);
  });
});
