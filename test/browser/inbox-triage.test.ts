// The inbox console beyond answering, in Chromium: a photo the customer sent shows on their message;
// the agent comes online, sets priority and tags, takes the conversation, marks it pending, snoozes and wakes it,
// merges another customer's conversation into it, and pages through a list longer than one page.
// Each change is checked in the API, not only on screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

// A 2x2 PNG (red), small enough to inline.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

describe.skipIf(!hasChromium)('inbox triage journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it('shows attachments, and sets priority, tags, owner, pending, snooze and merges, as the API records', async () => {
    const created = await j.api('POST', '/v1/inbox/channels', { kind: 'api', name: 'Weibo DMs' }, 201);
    const channel = await j.r.inbox.getChannel(j.t.tenantId, created.id);
    const admin = (await j.api('GET', '/v1/users')).data.find((u: { email: string }) => u.email === j.t.adminEmail);
    const agent = await j.api('POST', '/v1/inbox/agents', { name: 'Lin Agent', user_id: admin.id, status: 'away' }, 201);
    // More than one page of the list (100): the oldest ones are behind "Load more".
    for (let i = 0; i < 101; i++) {
      await j.r.inbox.receive({
        channel,
        externalId: `old-${i}`,
        identities: { email: `old${i}@example.com` },
        text: `Older question ${i}`,
        replyAddress: `old${i}@example.com`,
      });
    }
    const a = await j.r.inbox.receive({
      channel,
      externalId: 'dm-a',
      identities: { email: 'wang.fang@example.com' },
      senderName: 'Wang Fang',
      text: 'The teapot arrived broken, photo attached.',
      replyAddress: 'wang.fang@example.com',
      attachments: [{ filename: 'teapot.png', contentType: 'image/png', size: PNG.length, content: PNG }],
    });
    const b = await j.r.inbox.receive({
      channel,
      externalId: 'dm-b',
      identities: { phone: '+8613800138000' },
      text: 'Same person here, writing from my phone about the teapot.',
      replyAddress: '+8613800138000',
    });
    await j.r.bus.drain();

    const page = await j.signedIn(`/inbox?c=${a.conversationId}`);
    const thread = page.locator('.thread');
    const img = thread.getByRole('img', { name: 'teapot.png' });
    await img.waitFor();
    await expect.poll(() => img.evaluate((x: HTMLImageElement) => x.complete && x.naturalWidth)).toBe(2);
    expect(await thread.getByRole('link', { name: /teapot\.png/ }).getAttribute('href')).toMatch(/^\/v1\/inbox\/attachments\//);

    const conv = () => j.api('GET', `/v1/conversations/${a.conversationId}`, undefined, 200);
    await page.getByLabel('Priority', { exact: true }).selectOption('urgent');
    await expect.poll(async () => (await conv()).priority).toBe('urgent');
    await page.locator(`button.conv-row[data-id="${a.conversationId}"]`).getByText('Urgent').waitFor();

    await page.getByLabel('Add a tag').fill('refund');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Remove tag refund' }).waitFor();
    await page.getByLabel('Add a tag').fill('broken-item');
    await page.getByLabel('Add a tag').press('Enter');
    await page.getByRole('button', { name: 'Remove tag broken-item' }).waitFor();
    await page.getByRole('button', { name: 'Remove tag refund' }).click();
    await expect.poll(async () => (await conv()).tags).toEqual(['broken-item']);

    // The agent comes online from the inbox itself.
    await page.getByLabel('My availability').selectOption('online');
    await expect.poll(async () => (await j.api('GET', `/v1/inbox/agents/${agent.id}`, undefined, 200)).status).toBe('online');
    await page.getByRole('button', { name: 'Take it' }).click();
    await expect.poll(async () => (await conv()).assignee_id).toBe(agent.id);

    await page.getByRole('button', { name: 'Mark pending' }).click();
    await expect.poll(async () => (await conv()).status).toBe('pending');
    await page.getByRole('button', { name: 'Mark open' }).click();
    await expect.poll(async () => (await conv()).status).toBe('open');

    const until = new Date(Date.now() + 2 * 86_400_000);
    const local = new Date(until.getTime() - until.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('Snooze until').fill(local);
    await page.getByRole('button', { name: 'Snooze', exact: true }).click();
    await page.getByText(/Snoozed until/).waitFor();
    const snoozed = await conv();
    expect(snoozed.status).toBe('snoozed');
    expect(Math.abs(new Date(snoozed.snoozed_until).getTime() - new Date(local).getTime())).toBeLessThan(60_000);
    await j.shot(page, 'console-inbox-triage');
    await page.getByRole('button', { name: 'Wake now' }).click();
    await expect.poll(async () => (await conv()).status).toBe('open');

    await page.getByText('Merge another conversation into this one').click();
    await page.getByLabel('Conversation to merge').selectOption(b.conversationId);
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await thread.getByText('Same person here, writing from my phone about the teapot.').waitFor();
    expect((await j.api('GET', `/v1/conversations/${b.conversationId}`, undefined, 200)).merged_into).toBe(a.conversationId);
    const texts = (await j.api('GET', `/v1/conversations/${a.conversationId}/messages`)).data.map((m: { text: string }) => m.text);
    expect(texts).toContain('Same person here, writing from my phone about the teapot.');

    // The list holds 100 rows; the oldest conversation comes with the next page.
    const oldest = page.locator('button.conv-row', { hasText: 'Older question 0' });
    expect(await oldest.count()).toBe(0);
    await page.getByRole('button', { name: 'Load more' }).click();
    await oldest.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'inbox overflows at 1280x800').toBe(true);
  });
});
