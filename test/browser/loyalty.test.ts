// Loyalty admin in Chromium: an admin sets a category rate and a tier, dry-runs a purchase and sees
// the points the rules give, adds a reward to the catalogue, and reads the liability the ledger owes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('loyalty admin journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it('edits rules and tiers, dry-runs a purchase, adds a reward and shows the liability', async () => {
    const customer = await j.api('POST', '/v1/customers', { identities: { email: 'qian.li@example.com' } }, 201);
    await j.api('POST', '/v1/loyalty/earn', { customer_id: customer.id, points: 1500, idempotency_key: 'welcome-1' }, 201);

    const page = await j.signedIn('/loyalty');
    await page.getByLabel('Points per unit spent').fill('2');
    await page.getByRole('button', { name: 'Add rate' }).click();
    await page.getByLabel('Rule id').fill('coffee_bonus');
    await page.locator('.rate-row').getByLabel('Category').fill('coffee');
    await page.locator('.rate-row').getByLabel('Rate').fill('5');
    await page.getByRole('button', { name: 'Add tier' }).click();
    await page.getByLabel('Id', { exact: true }).fill('gold');
    // A tier without a name is refused, and the problem's list of bad fields names it.
    await page.getByRole('button', { name: 'Save programme' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Tiers › 1 › Name: / })
      .waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Gold');
    await page.getByLabel('Threshold').fill('1000');
    await page.getByRole('button', { name: 'Save programme' }).click();
    await page.getByText('Programme saved.').waitFor();
    const program = await j.api('GET', '/v1/loyalty/program');
    expect(program.purchase).toMatchObject({ base_rate: 2, rates: [{ id: 'coffee_bonus', category: 'coffee', rate: 5 }] });
    expect(program.tiers).toEqual([expect.objectContaining({ id: 'gold', name: 'Gold', threshold: 1000 })]);
    // A member whose purchase earns past the threshold reaches Gold.
    const member = await j.api('POST', '/v1/customers', { identities: { email: 'zhou.gold@example.com' } }, 201);
    await j.api('POST', '/v1/loyalty/purchases', { customer_id: member.id, order_id: 'o-1', amount: 600, currency: 'CNY', idempotency_key: 'gold-1' }, 201);
    await expect.poll(async () => (await j.api('GET', `/v1/loyalty/customers/${member.id}/balance`)).tier).toBe('gold');

    // The review runs as a job: the notice says it has started, not empty figures.
    await page.getByRole('button', { name: 'Review tiers now' }).click();
    await page.getByRole('status').filter({ hasText: 'The tier review has started and will finish shortly.' }).waitFor();

    const dry = page.locator('section.card', { hasText: 'Dry run' });
    await dry.getByLabel('Amount').fill('100');
    await dry.getByLabel('Category').fill('coffee');
    await dry.getByRole('button', { name: 'Run' }).click();
    const expected = await j.api(
      'POST',
      '/v1/loyalty/rules/dry-run',
      { tier: null, purchase: { amount: 100, items: [{ category: 'coffee', price: 100, quantity: 1 }] } },
      200,
    );
    expect(expected.points).toBe(500);
    await dry.getByText('This purchase earns 500 points.').waitFor();
    // Each step and Rapport's own rules read in words; the tenant's rule keeps its id.
    expect(await dry.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)))).toEqual(
      [
        ['Earning rate', 'coffee_bonus'],
        ['Tier multiplier', 'No tier'],
        ['Rounding', 'Down to whole points'],
      ],
    );

    const rewards = page.locator('section.card', { hasText: 'Rewards catalogue' });
    await rewards.getByLabel('Reward').fill('Free latte');
    await rewards.getByLabel('Cost (points)').fill('300');
    await rewards.getByRole('button', { name: 'Add reward' }).click();
    await rewards.locator('tr[data-reward="Free latte"]').waitFor();
    expect((await j.api('GET', '/v1/loyalty/rewards')).data).toEqual([expect.objectContaining({ name: 'Free latte', cost_points: 300, is_active: true })]);

    const liability = await j.api('GET', '/v1/loyalty/liability', undefined, 200);
    expect(liability.points_outstanding).toBe(2700);
    // The finance view was read as the page opened, before the member's purchase.
    await page.reload();
    await page.locator('.stat-value[data-outstanding="2700"]').waitFor();
    expect(await page.locator('.stat-value[data-outstanding]').textContent()).toBe('2,700');
    // Cohorts' figures are formatted; the cost by tier names each tier, lowest first.
    const report = page.locator('section.card', { hasText: 'Liability report' });
    await report
      .locator('td', { hasText: /^2,700$/ })
      .first()
      .waitFor();
    expect(await report.locator('tr[data-tier] td:first-child').allTextContents()).toEqual(['No tier', 'Gold']);
    await j.shot(page, 'console-loyalty');
  });
});
