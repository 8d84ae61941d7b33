// The inbox in Chromium: a message posted to the signed API channel's webhook appears in the agent's
// list without a reload (the WebSocket feed), with the customer beside it; the agent picks the
// suggested canned reply, sends it, leaves a private note and resolves the conversation.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('inbox journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it('shows a webhook message live, and the agent replies with a canned reply, notes and resolves', async () => {
    const channel = await j.api('POST', '/v1/inbox/channels', { kind: 'api', name: 'Weibo DMs' }, 201);
    await j.api(
      'POST',
      '/v1/inbox/canned-replies',
      { shortcut: 'parcel', title: 'Parcel status', body: 'Hello {{customer.name}}, your parcel is on its way.' },
      201,
    );
    const admin = (await j.api('GET', '/v1/users')).data.find((u: { email: string }) => u.email === j.t.adminEmail);
    const agent = await j.api('POST', '/v1/inbox/agents', { name: 'Lin Agent', user_id: admin.id, status: 'online' }, 201);

    const page = await j.signedIn('/inbox');
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByText('No conversations here.').waitFor();

    const body = JSON.stringify({
      id: 'dm-1',
      identities: { email: 'zhou.min@example.com' },
      sender_name: 'Zhou Min',
      text: 'Where is my parcel? It is late.',
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${j.base}/hooks/inbox/${j.t.tenantId}/api/${channel.id}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-rapport-timestamp': ts,
        'x-rapport-signature': createHmac('sha256', channel.secrets.signing_secret).update(`${ts}.${body}`).digest('hex'),
      },
    });
    expect(res.status).toBe(201);
    const { conversation_id: id } = await res.json();

    // No reload: the row arrives over the feed.
    const row = page.locator(`button.conv-row[data-id="${id}"]`);
    await row.getByText('Where is my parcel? It is late.').waitFor();
    // The keyboard opens it: j selects the first conversation, r goes to the composer.
    await page.keyboard.press('j');
    await page.waitForURL(new RegExp(`c=${id}`));
    await page.getByLabel('Your reply').waitFor();
    await page.keyboard.press('r');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`composer-${id}`);
    await page.getByRole('complementary').getByText('zhou.min@example.com').first().waitFor();
    await page.locator('.thread li[data-direction="in"]').getByText('Where is my parcel?').waitFor();

    await page.getByRole('button', { name: 'Parcel status' }).click();
    expect(await page.getByLabel('Your reply').inputValue()).toBe('Hello {{customer.name}}, your parcel is on its way.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page
      .locator('.thread li[data-direction="out"]')
      .getByText(/your parcel is on its way/)
      .waitFor();
    // The composer empties when the server has answered the reply (the thread may show it sooner, from the feed).
    await expect
      .poll(() => page.getByLabel('Your reply').inputValue(), { timeout: 30_000 })
      .toBe('')
      .catch((err) => {
        throw new Error(`the reply got no answer: ${j.inFlight(page)}`, { cause: err });
      });

    await page.getByLabel('Internal note').check();
    await page.getByLabel(/Note for the team/).fill('Courier confirmed delivery tomorrow');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.thread li[data-direction="note"]').getByText('Courier confirmed delivery tomorrow').waitFor();
    await j.shot(page, 'console-inbox');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'inbox overflows at 1280x800').toBe(true);

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();

    const conv = await j.api('GET', `/v1/conversations/${id}`, undefined, 200);
    expect(conv.status).toBe('resolved');
    const messages = (await j.api('GET', `/v1/conversations/${id}/messages`)).data;
    expect(messages.map((m: { direction: string }) => m.direction)).toEqual(['in', 'out', 'note']);
    expect(messages[1]).toMatchObject({ author_id: agent.id });
    expect(messages[1].text).not.toContain('{{');
  });
});
