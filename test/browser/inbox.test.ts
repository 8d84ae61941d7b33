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

    // The customer who writes is a member of a tier, which the panel names as the programme does.
    const program = await j.api('GET', '/v1/loyalty/program');
    await j.api('PUT', '/v1/loyalty/program', { ...program, tiers: [{ id: 'platinum', name: 'Platinum Card', threshold: 1 }] }, 200);
    const zhou = await j.api('POST', '/v1/customers', { identities: { email: 'zhou.min@example.com' }, given_name: 'Zhou Min' }, 201);
    await j.api('POST', '/v1/loyalty/purchases', { customer_id: zhou.id, order_id: 'o-1', amount: 100, currency: 'CNY', idempotency_key: 'o-1' }, 201);
    expect((await j.api('GET', `/v1/loyalty/customers/${zhou.id}/balance`)).tier).toBe('platinum');

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
    // The narrow panel keeps an address on one line (it broke between any two characters), and says
    // that the customer gave no preferred channel rather than showing a dash.
    const lines = await page
      .getByRole('complementary')
      .getByText('zhou.min@example.com')
      .first()
      .evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
    expect(lines).toBe(1);
    await page.getByRole('complementary').getByText('No preference given').waitFor();
    await page
      .getByRole('complementary')
      .locator('dd', { hasText: /^Platinum Card$/ })
      .waitFor();
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
