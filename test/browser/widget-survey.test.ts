// A survey waiting for a visitor in the widget, in Chromium and in Chinese: an invitation issued for the
// widget (no conversation, so nothing to push to) shows as a pop-in on the visitor's next page, with
// choices, several-choice answers and a question that appears only after a given answer; the answer
// is stored as the feedback module checks it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, newContext, serveSitePage } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('widget survey on the next page', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  let site: { url: string; close(): void } | undefined;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => {
    site?.close();
    await j?.close();
  });

  it("shows a pending survey in the visitor's language on their next page, with branching, and stores the answer", async () => {
    const channel = await j.api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Website chat' }, 201);
    const { key } = await j.api('PUT', '/v1/widget/settings', { allowed_origins: [] }, 200);
    site = await serveSitePage(
      `<!doctype html><html><body><h1>茶叶店</h1><script src="${j.base}/widget.js" data-key="${key}" data-chat="${j.t.tenantId}/${channel.id}" data-lang="zh-CN" async></script></body></html>`,
    );
    const siteUrl = site.url;

    const visitor = await (await newContext(j.chromium, { locale: 'zh-CN' })).newPage();
    await visitor.goto(siteUrl);
    await visitor.getByRole('button', { name: '打开聊天与反馈' }).click();
    await visitor.getByRole('tab', { name: '聊天' }).click();
    await visitor.getByRole('button', { name: '仍需帮助？与我们聊天' }).click();
    await visitor.getByLabel('您的消息').fill('你好，我想问一下包装');
    await visitor.getByRole('button', { name: '发送', exact: true }).click();
    await expect.poll(async () => (await j.api('GET', '/v1/conversations')).data.length).toBe(1);
    const [conversation] = (await j.api('GET', '/v1/conversations')).data;

    const survey = await j.api(
      'POST',
      '/v1/surveys',
      {
        name: 'Packaging',
        kind: 'custom',
        channel: 'widget',
        touchpoint: 'packaging',
        definition: {
          title: { en: 'About our packaging', 'zh-CN': '关于我们的包装' },
          thanks: { en: 'Thank you!', 'zh-CN': '谢谢您的反馈！' },
          questions: [
            {
              key: 'verdict',
              type: 'single_choice',
              required: true,
              text: { en: 'How was the packaging?', 'zh-CN': '包装怎么样？' },
              options: [
                { value: 'good', text: { en: 'Good', 'zh-CN': '很好' } },
                { value: 'damaged', text: { en: 'Damaged', 'zh-CN': '有破损' } },
              ],
            },
            {
              key: 'parts',
              type: 'multiple_choice',
              text: { en: 'What was damaged?', 'zh-CN': '哪些部分破损了？' },
              show_if: { question: 'verdict', equals: 'damaged' },
              options: [
                { value: 'box', text: { en: 'Box', 'zh-CN': '盒子' } },
                { value: 'tin', text: { en: 'Tin', 'zh-CN': '茶罐' } },
                { value: 'seal', text: { en: 'Seal', 'zh-CN': '封口' } },
              ],
            },
            { key: 'comment', type: 'text', text: { en: 'Anything else?', 'zh-CN': '还有其他意见吗？' } },
          ],
        },
      },
      201,
    );
    const issued = await j.api('POST', `/v1/surveys/${survey.id}/invitations`, { customer_id: conversation.customer_id }, 200);
    expect(issued.outcome).toBe('issued');

    // The visitor's next page asks, in Chinese.
    await visitor.reload();
    const pop = visitor.getByRole('dialog', { name: '关于我们的包装' });
    await pop.waitFor();
    expect(await pop.getByRole('group', { name: '哪些部分破损了？' }).isVisible()).toBe(false);
    await pop.getByRole('button', { name: '有破损' }).click();
    await pop.getByRole('button', { name: '茶罐' }).click();
    await pop.getByRole('button', { name: '封口' }).click();
    await pop.getByRole('button', { name: '盒子' }).click();
    await pop.getByRole('button', { name: '盒子' }).click();
    await pop.getByLabel('还有其他意见吗？').fill('茶罐凹了一块');
    await j.shot(visitor, 'widget-survey-zh');
    await pop.getByRole('button', { name: '发送' }).click();
    await pop.getByText('谢谢您的反馈！').waitFor();

    const [response] = (await j.api('GET', `/v1/survey-responses?survey_id=${survey.id}`, undefined, 200)).data;
    expect(response).toMatchObject({
      customer_id: conversation.customer_id,
      channel: 'widget',
      touchpoint: 'packaging',
      trigger: 'manual',
      status: 'complete',
      language: 'zh-CN',
      answers: { verdict: 'damaged', parts: ['tin', 'seal'], comment: '茶罐凹了一块' },
    });
  });
});
