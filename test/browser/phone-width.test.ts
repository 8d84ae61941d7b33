// The console on a phone (390×844): no settings or outreach screen is wider than the phone, a wide
// table (the users, the campaigns) scrolls inside its card instead of pushing the page sideways, and
// the customer's Profile card forgets what was typed when its edit is cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

const PHONE = { width: 390, height: 844 };

describe.skipIf(!hasChromium)('the console at phone width', { timeout: 180_000 }, () => {
  let j: ConsoleJourney;
  let customerId: string;
  beforeAll(async () => {
    j = await startConsoleJourney();
    // A row in every table the tabs show: a second user, an API key, a template, a segment and a campaign.
    await j.api('POST', '/v1/users', { email: 'lin.manager@example.com', password: 'manager-pass-1', name: 'Lin Manager', role: 'manager', locale: 'en' }, 201);
    await j.api('POST', '/v1/api-keys', { name: 'Warehouse' });
    const ada = await j.api(
      'POST',
      '/v1/customers',
      { identities: { email: 'ada@example.com' }, locale: 'en', given_name: 'Ada', display_name: 'Ada Lovelace' },
      201,
    );
    customerId = ada.id;
    const template = await j.api(
      'POST',
      '/v1/outreach/templates',
      {
        name: 'Autumn offer',
        purpose: 'service',
        default_locale: 'en',
        content: { en: { email: { subject: 'Autumn', text: 'Tea is on us.', html: '<p>Tea is on us.</p>' } } },
      },
      201,
    );
    const segment = await j.api('POST', '/v1/outreach/segments', { name: 'English readers', rules: { field: 'profile.locale', op: 'eq', value: 'en' } }, 201);
    await j.api('POST', '/v1/outreach/campaigns', { name: 'Autumn 2026', segment_id: segment.id, template_id: template.id }, 201);
  });
  afterAll(async () => j?.close());

  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
  /** The table holding `row` is wider than the phone and scrolls inside its wrapper, which fits. */
  async function scrollsInside(page: Page, row: string) {
    const wrap = await page.locator(row).evaluate((tr) => {
      const w = tr.closest('.table-wrap')!;
      return { right: w.getBoundingClientRect().right, scrollWidth: w.scrollWidth, clientWidth: w.clientWidth };
    });
    expect(wrap.right).toBeLessThanOrEqual(PHONE.width);
    expect(wrap.scrollWidth).toBeGreaterThan(wrap.clientWidth);
  }

  it('keeps every settings and outreach tab within 390 px; wide tables scroll in their cards', async () => {
    const page = await j.signedIn('/settings', { viewport: PHONE });
    await page.getByRole('cell', { name: 'Lin Manager' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await scrollsInside(page, 'tr:has(td:text-is("Lin Manager"))');
    await j.shot(page, 'console-phone-settings-users');

    const widths: Record<string, number> = {};
    for (const tab of ['users', 'api-keys', 'attributes', 'widget', 'channels', 'teams', 'sla', 'routing', 'policies']) {
      await page.goto(`${j.base}/console/settings/${tab}`);
      await page.locator('section.card').first().waitFor();
      await page
        .getByText(/^(Loading…|加载中…)$/)
        .first()
        .waitFor({ state: 'detached' });
      widths[`settings/${tab}`] = await pageWidth(page);
    }
    for (const tab of ['templates', 'campaigns', 'journeys', 'settings']) {
      await page.goto(`${j.base}/console/outreach/${tab}`);
      await page.locator('section.card').first().waitFor();
      await page
        .getByText(/^(Loading…|加载中…)$/)
        .first()
        .waitFor({ state: 'detached' });
      widths[`outreach/${tab}`] = await pageWidth(page);
    }
    expect(Object.entries(widths).filter(([, w]) => w > PHONE.width)).toEqual([]);

    // The campaigns tab, with its list and the figures of one campaign open.
    await page.goto(`${j.base}/console/outreach/campaigns`);
    const row = 'tr[data-campaign="Autumn 2026"]';
    await page.locator(row).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await scrollsInside(page, row);
    await page.locator(row).getByRole('button', { name: 'Figures for Autumn 2026' }).click();
    await page.locator('[data-plan="segment"]').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await j.shot(page, 'console-phone-outreach-campaigns');
  });

  it("the Profile card's Cancel puts back the saved values", async () => {
    const page = await j.signedIn(`/customers/${customerId}`, { viewport: PHONE });
    const profile = page.locator('section.card', { has: page.getByRole('heading', { name: 'Profile', exact: true }) });
    await profile.getByRole('button', { name: 'Edit' }).click();
    const name = profile.getByLabel('Display name');
    expect(await name.inputValue()).toBe('Ada Lovelace');
    await name.fill('TYPO NOT SAVED');
    await profile.getByRole('button', { name: 'Cancel' }).click();
    await profile.getByText('Ada Lovelace').waitFor();
    await profile.getByRole('button', { name: 'Edit' }).click();
    expect(await name.inputValue()).toBe('Ada Lovelace');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    // Saving after the cancel stores what is typed now, not the cancelled text.
    await profile.getByLabel('Given name').fill('Augusta Ada');
    await profile.getByRole('button', { name: 'Save' }).click();
    await profile.getByText('Augusta Ada').waitFor();
    expect(await j.api('GET', `/v1/customers/${customerId}`)).toMatchObject({ given_name: 'Augusta Ada', display_name: 'Ada Lovelace' });
  });
});
