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
    const ada = await j.api('POST', '/v1/customers', { identities: { email: 'ada.case@example.com' }, given_name: 'Ada', family_name: 'Lovelace' }, 201);
    const late = await j.api(
      'POST',
      '/v1/cases',
      { summary: 'Parcel arrived two weeks late', team: 'delivery', type: 'complaint', topics: ['refund'], customer_id: ada.id },
      201,
    );
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

    // The open drawer shows words, never codes: the type, the topics, each step's title and who did it,
    // and the customer by name, linking to their page.
    const drawer = page.locator('.case-drawer');
    const timeline = drawer.locator('ol.timeline > li');
    await expect.poll(() => timeline.count(), { timeout: 15_000 }).toBe(3);
    expect(await timeline.locator('strong').allInnerTexts()).toEqual(['Status', 'Topics corrected', 'Contact · Phone']);
    expect(await timeline.locator('.actor').allInnerTexts()).toEqual(['System', 'Admin', 'Admin']);
    const values = drawer.locator('dl.kv > dd');
    expect(await values.nth(0).textContent()).toBe('Complaint');
    expect(await values.nth(1).textContent()).toBe('Normal');
    await values.last().getByText('Delivery').waitFor();
    const customer = drawer.getByRole('link', { name: 'Ada Lovelace' });
    await customer.waitFor();
    expect(await customer.getAttribute('href')).toBe(`/console/customers/${ada.id}`);
    const shown = await drawer.locator('dl.kv, ol.timeline').allInnerTexts();
    for (const text of shown) expect(text).not.toMatch(/_|\b(user|system|api_key):|\bcus_/);
    expect(await drawer.getByLabel('Channel').locator('option').allInnerTexts()).toEqual(['Phone', 'Email', 'SMS', 'WeChat', 'Web chat', 'In person', 'Other']);

    // The same drawer read by an agent who works in Chinese: not an administrator, and still shown who
    // took each step by name.
    const zh = { email: 'li.wei@example.com', password: 'correct horse battery staple' };
    await j.api('POST', '/v1/users', { ...zh, name: '李伟', role: 'agent', locale: 'zh-CN' }, 201);
    const zhPage = await j.signedIn(`/cases?case=${late.id}`, {}, zh);
    const zhDrawer = zhPage.locator('.case-drawer');
    const zhTimeline = zhDrawer.locator('ol.timeline > li');
    await expect.poll(() => zhTimeline.count(), { timeout: 15_000 }).toBe(3);
    expect(await zhTimeline.locator('strong').allInnerTexts()).toEqual(['状态', '更正话题', '联系客户 · 电话']);
    expect(await zhTimeline.locator('.actor').allInnerTexts()).toEqual(['系统', 'Admin', 'Admin']);
    expect(await zhDrawer.locator('dl.kv > dd').nth(0).textContent()).toBe('投诉');
    // (A Chinese reader sees the family name first.)
    await zhDrawer.getByRole('link', { name: 'Lovelace Ada' }).waitFor();
    await j.shot(zhPage, 'console-case-drawer-zh');
    await zhPage.context().close();

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
