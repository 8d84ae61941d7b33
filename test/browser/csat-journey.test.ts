// The journey the web issue names, in Chromium: an agent signs in; a visitor on a plain page of another
// origin chats in the widget; the agent replies and resolves; the visitor gets the CSAT pop-in in the
// widget and answers it; the response is stored with its score and customer (read back via the API).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, newContext, serveSitePage } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('CSAT after a widget chat journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  let site: { url: string; close(): void } | undefined;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => {
    site?.close();
    await j?.close();
  });

  it('asks the visitor for a rating in the widget once the agent resolves their chat, and stores the answer', async () => {
    const channel = await j.api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Website chat' }, 201);
    const { key } = await j.api('PUT', '/v1/widget/settings', { allowed_origins: [] }, 200);
    const survey = await j.api(
      'POST',
      '/v1/surveys',
      {
        name: 'Chat CSAT',
        kind: 'csat',
        touchpoint: 'web_chat',
        journey_stage: 'service',
        triggers: [{ type: 'conversation_resolved' }],
        definition: {
          title: { en: 'How did we do?', 'zh-CN': '我们的服务如何？' },
          thanks: { en: 'Thank you for rating us!', 'zh-CN': '感谢您的评价！' },
          questions: [
            { key: 'csat', type: 'csat', required: true, text: { en: 'How satisfied are you with our help?', 'zh-CN': '您对我们的帮助满意吗？' } },
            { key: 'comment', type: 'text', text: { en: 'Anything we could do better?', 'zh-CN': '我们还能做得更好吗？' } },
          ],
        },
      },
      201,
    );
    site = await serveSitePage(
      `<!doctype html><html><head><title>Tea shop</title><style>button { background: red; font-size: 40px; }</style></head><body><h1>Tea shop</h1>` +
        `<script src="${j.base}/widget.js" data-key="${key}" data-chat="${j.t.tenantId}/${channel.id}" data-lang="en" async></script></body></html>`,
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
    await visitor.getByLabel('Your message').fill('Is the Longjing tea from this spring?');
    await visitor.getByRole('button', { name: 'Send', exact: true }).click();

    const row = agentPage.locator('button.conv-row', { hasText: 'Is the Longjing tea from this spring?' });
    await row.waitFor();
    await row.click();
    await agentPage.getByLabel('Your reply').fill('Yes, picked in April this year.');
    await agentPage.getByRole('button', { name: 'Send reply' }).click();
    await visitor.locator('li.out', { hasText: 'picked in April' }).waitFor();
    await j.shot(agentPage, 'csat-journey-inbox');
    await agentPage.getByRole('button', { name: 'Resolve' }).click();
    await agentPage.getByRole('button', { name: 'Reopen' }).waitFor();

    // The pop-in arrives over the widget's socket, without a reload.
    const pop = visitor.getByRole('dialog', { name: 'How did we do?' });
    await pop.waitFor();
    await j.shot(visitor, 'csat-journey-pop-in');
    // The host page's CSS (red, 40px buttons) does not reach into the widget.
    expect(await pop.getByRole('button', { name: '4 of 5' }).evaluate((b) => getComputedStyle(b).fontSize)).toBe('15px');
    // On a phone the pop-in fits the screen, every score reachable.
    await visitor.setViewportSize({ width: 390, height: 844 });
    const box = (await pop.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(await pop.getByRole('button', { name: '5 of 5' }).isVisible()).toBe(true);
    await j.shot(visitor, 'csat-journey-pop-in-phone');
    await visitor.setViewportSize({ width: 1280, height: 800 });
    await pop.getByRole('button', { name: 'Send' }).click();
    await pop.getByText('Please answer the questions marked *.').waitFor();
    await pop.getByRole('button', { name: '4 of 5' }).click();
    await pop.getByLabel('Anything we could do better?').fill('Quick answer, thank you');
    await pop.getByRole('button', { name: 'Send' }).click();
    await pop.getByText('Thank you for rating us!').waitFor();
    await j.shot(visitor, 'csat-journey-thanks');

    const [conversation] = (await j.api('GET', '/v1/conversations?status=resolved')).data;
    const responses = (await j.api('GET', `/v1/survey-responses?survey_id=${survey.id}`, undefined, 200)).data;
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      score: 4,
      customer_id: conversation.customer_id,
      channel: 'widget',
      trigger: 'conversation_resolved',
      status: 'complete',
      open_text: 'Quick answer, thank you',
    });

    // The agent sees the rating beside the conversation, and on the customer's timeline.
    await agentPage.goto(`${j.base}/console/inbox?status=resolved&c=${conversation.id}`);
    await agentPage.getByRole('complementary').getByText('CSAT 4 · Quick answer, thank you').waitFor();
    await j.shot(agentPage, 'csat-journey-agent-sees-rating');
    const timeline = (await j.api('GET', `/v1/customers/${conversation.customer_id}/timeline`)).data;
    expect(timeline.find((e: { type: string }) => e.type === 'survey.response')?.properties).toMatchObject({
      score: 4,
      channel: 'widget',
      conversation_id: conversation.id,
    });

    // Answered: the next page of the visit is not asked again.
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat and feedback' }).click();
    await visitor.getByRole('tab', { name: 'Chat' }).click();
    await visitor.locator('li.out', { hasText: 'picked in April' }).waitFor();
    await visitor.getByLabel('Your message').fill('One more question');
    await visitor.getByRole('button', { name: 'Send', exact: true }).click();
    await agentPage.goto(`${j.base}/console/inbox`);
    await agentPage.locator('button.conv-row', { hasText: 'One more question' }).waitFor();
    expect(await visitor.getByRole('dialog', { name: 'How did we do?' }).count()).toBe(0);
  });
});
