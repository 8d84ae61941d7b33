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
      .filter({ hasText: /^tiers\.0\.name: / })
      .waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Gold');
    await page.getByLabel('Threshold').fill('1000');
    await page.getByRole('button', { name: 'Save programme' }).click();
    await page.getByText('Programme saved.').waitFor();
    const program = await j.api('GET', '/v1/loyalty/program');
    expect(program.purchase).toMatchObject({ base_rate: 2, rates: [{ id: 'coffee_bonus', category: 'coffee', rate: 5 }] });
    expect(program.tiers).toEqual([expect.objectContaining({ id: 'gold', name: 'Gold', threshold: 1000 })]);

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

    const rewards = page.locator('section.card', { hasText: 'Rewards catalogue' });
    await rewards.getByLabel('Reward').fill('Free latte');
    await rewards.getByLabel('Cost (points)').fill('300');
    await rewards.getByRole('button', { name: 'Add reward' }).click();
    await rewards.locator('tr[data-reward="Free latte"]').waitFor();
    expect((await j.api('GET', '/v1/loyalty/rewards')).data).toEqual([expect.objectContaining({ name: 'Free latte', cost_points: 300, is_active: true })]);

    const liability = await j.api('GET', '/v1/loyalty/liability', undefined, 200);
    expect(liability.points_outstanding).toBe(1500);
    await page.locator('.stat-value[data-outstanding="1500"]').waitFor();
    expect(await page.locator('.stat-value[data-outstanding]').textContent()).toBe('1,500');
    await j.shot(page, 'console-loyalty');
  });
});
