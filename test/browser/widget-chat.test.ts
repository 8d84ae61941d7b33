// The widget's chat in Chromium, two pages: a visitor on a plain page of another origin writes in the
// widget; the message reaches the agent's inbox live; the agent's reply reaches the widget; and after
// a reload the visitor still sees the conversation; feedback they leave then is the same customer's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, newContext, serveSitePage } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('widget chat journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  let site: { url: string; close(): void } | undefined;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => {
    site?.close();
    await j?.close();
  });

  it("carries a visitor's message to the agent and the agent's reply back to the widget", async () => {
    const channel = await j.api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Website chat' }, 201);
    const { key } = await j.api('PUT', '/v1/widget/settings', { allowed_origins: [] }, 200);
    site = await serveSitePage(
      `<!doctype html><html><body><h1>Shop</h1><script src="${j.base}/widget.js" data-key="${key}" data-chat="${j.t.tenantId}/${channel.id}" data-lang="en" async></script></body></html>`,
    );
    const siteUrl = site.url;

    const agentPage = await j.signedIn('/inbox');
    await agentPage.getByText('Live', { exact: true }).waitFor();

    const visitor = await (await newContext(j.chromium)).newPage();
    await visitor.goto(siteUrl);
    await visitor.getByRole('button', { name: 'Open chat and feedback' }).click();
    await visitor.getByRole('tab', { name: 'Chat' }).click();
    // A first-time visitor is offered the help articles first; the chat is one click further.
    await visitor.getByRole('button', { name: 'Still need help? Chat with us' }).click();
    await visitor.getByLabel('Your message').fill('Do you ship to Hangzhou?');
    await visitor.getByRole('button', { name: 'Send' }).click();

    const row = agentPage.locator('button.conv-row', { hasText: 'Do you ship to Hangzhou?' });
    await row.waitFor();
    await row.click();
    await agentPage.getByLabel('Your reply').fill('Yes, delivery to Hangzhou takes two days.');
    await agentPage.getByRole('button', { name: 'Send reply' }).click();

    await visitor.locator('li.out', { hasText: 'Yes, delivery to Hangzhou takes two days.' }).waitFor();
    await j.shot(visitor, 'widget-chat');

    // The visitor's history survives a reload, and the same visitor stays in the same conversation.
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat and feedback' }).click();
    await visitor.getByRole('tab', { name: 'Chat' }).click();
    await visitor.locator('li.out', { hasText: 'takes two days' }).waitFor();
    await visitor.getByLabel('Your message').fill('Great, thanks');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await agentPage.locator('.thread li[data-direction="in"]', { hasText: 'Great, thanks' }).waitFor();

    const conversations = (await j.api('GET', '/v1/conversations')).data;
    expect(conversations).toHaveLength(1);
    const messages = (await j.api('GET', `/v1/conversations/${conversations[0].id}/messages`)).data;
    expect(messages.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([
      ['in', 'Do you ship to Hangzhou?'],
      ['out', 'Yes, delivery to Hangzhou takes two days.'],
      ['in', 'Great, thanks'],
    ]);

    // Feedback the same visitor leaves afterwards belongs to the customer of their chat.
    await visitor.getByRole('tab', { name: 'Feedback' }).click();
    await visitor.getByLabel('Your feedback').fill('Quick answer, thank you');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.getByText('Thank you! Your feedback reached us.').waitFor();
    const feedback = (await j.api('GET', '/v1/widget/feedback')).data;
    expect(feedback).toEqual([expect.objectContaining({ text: 'Quick answer, thank you', customer_id: conversations[0].customer_id })]);
    expect(conversations[0].customer_id).toBeTruthy();
    // The widget sent it with a submission key of its own, so a resend would have stored it once.
    const {
      rows: [stored],
    } = await j.r.db.pool.query('SELECT submission_key FROM widget_feedback WHERE tenant_id = $1 AND id = $2', [j.t.tenantId, feedback[0].id]);
    expect(stored.submission_key).toMatch(/^wsk_[0-9a-f]{32}$/);
  });

  it('links the chat to the search it escalates, even when the escalation reaches the server after the first message was typed', async () => {
    const channel = await j.api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Help chat' }, 201);
    const { key } = await j.api('PUT', '/v1/widget/settings', { allowed_origins: [] }, 200);
    const page = await serveSitePage(
      `<!doctype html><html><body><h1>Help</h1><script src="${j.base}/widget.js" data-key="${key}" data-chat="${j.t.tenantId}/${channel.id}" data-lang="en" async></script></body></html>`,
    );
    try {
      const visitor = await (await newContext(j.chromium)).newPage();
      // The chat's server names the visitor only after their search (a slow connection), so the search
      // is stored without their id; then the "still need help" mark, which brings it, is slow to arrive:
      // the visitor's first message must wait for it, or the chat starts before the search is theirs.
      let searched!: () => void;
      const isSearched = new Promise<void>((r) => {
        searched = r;
      });
      await visitor.routeWebSocket(/\/hooks\/inbox\//, async (ws) => {
        await isSearched;
        ws.connectToServer();
      });
      await visitor.route('**/v1/widget/help-searches/*/chat', async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      await visitor.goto(page.url);
      await visitor.getByRole('button', { name: 'Open chat and feedback' }).click();
      await visitor.getByRole('tab', { name: 'Chat' }).click();
      await visitor.getByRole('searchbox', { name: 'Search our help articles' }).fill('lost boarding pass');
      await visitor.getByRole('button', { name: 'Search', exact: true }).click();
      await visitor.getByText('No article matches that.').waitFor();
      searched();
      await visitor.getByRole('button', { name: 'Still need help? Chat with us' }).click();
      await visitor.getByLabel('Your message').fill('I lost my boarding pass');
      await visitor.getByRole('button', { name: 'Send' }).click();
      const linked = async () =>
        (await j.r.db.pool.query('SELECT conversation_id FROM knowledge_searches WHERE tenant_id = $1 AND query = $2', [j.t.tenantId, 'lost boarding pass']))
          .rows[0]?.conversation_id ?? null;
      await expect.poll(linked, { timeout: 15_000 }).toMatch(/^cnv_/);
      const messages = (await j.api('GET', `/v1/conversations/${await linked()}/messages`)).data;
      expect(messages.map((m: { text: string }) => m.text)).toEqual(['I lost my boarding pass']);
    } finally {
      page.close();
    }
  });
});
