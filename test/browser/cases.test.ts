// The cases board in Chromium: cases sit in their status column, the team filter narrows the board,
// correcting a case's topics, recording a contact moves a case to "Contacted", and fixing an improvement action resolves the
// cases grouped under it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('cases board journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it("moves a case through contact and an improvement action's fix", async () => {
    const late = await j.api('POST', '/v1/cases', { summary: 'Parcel arrived two weeks late', team: 'delivery', type: 'complaint', topics: ['refund'] }, 201);
    await j.api('POST', '/v1/cases', { summary: 'Charged twice for one order', team: 'billing', type: 'complaint' }, 201);

    const page = await j.signedIn('/cases');
    const column = (s: string) => page.locator(`section.board-col[data-status="${s}"]`);
    await column('new').getByText('Parcel arrived two weeks late').waitFor();
    await column('new').getByText('Charged twice for one order').waitFor();
    await page.getByLabel('Team').first().selectOption('delivery');
    await expect.poll(() => column('new').locator('.case-card').count(), { timeout: 15_000 }).toBe(1);

    await column('new').getByText('Parcel arrived two weeks late').click();
    // The agent corrects the topics: the case is about the delivery, not a refund.
    await page.getByRole('button', { name: 'Correct topics' }).click();
    await page.getByLabel('Topics (keys, separated by commas)').fill('delivery');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // (The team's row also reads "delivery", so the page alone cannot say the save landed: ask the API.)
    await expect.poll(async () => (await j.api('GET', `/v1/cases/${late.id}`)).topics, { timeout: 15_000 }).toEqual(['delivery']);
    await page.getByLabel('What was said').fill('Called the customer and apologised');
    await page.getByRole('button', { name: 'Record' }).click();
    await column('contacted').getByText('Parcel arrived two weeks late').waitFor();

    await page.getByLabel('Issue', { exact: true }).fill('Courier delays in Zhejiang');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByLabel('Add to improvement action').selectOption({ label: 'Courier delays in Zhejiang' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('li.issue', { hasText: 'Courier delays in Zhejiang' }).getByText('Cases: 1').waitFor();
    await page.locator('li.issue').getByLabel('What was fixed').fill('Switched courier for Zhejiang');
    await page.getByRole('button', { name: 'Mark fixed and tell customers' }).click();
    await page.getByText('Fixed: 1 cases resolved').waitFor();
    await column('resolved').getByText('Parcel arrived two weeks late').waitFor();
    await j.shot(page, 'console-cases');

    expect((await j.api('GET', `/v1/cases/${late.id}`)).status).toBe('resolved');
    expect((await j.api('GET', '/v1/cases?status=new')).data.map((c: { summary: string }) => c.summary)).toEqual(['Charged twice for one order']);
  });
});
