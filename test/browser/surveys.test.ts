// Surveys in Chromium: a manager builds an NPS survey with a trigger and throttling, sees the preview
// in English and Chinese, saves it, and after responses arrive reads the score, the same figure the
// API measures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('surveys journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it('builds an NPS survey with a trigger, previews both languages and reads the results', async () => {
    const page = await j.signedIn('/surveys');
    await page.getByRole('button', { name: 'New survey' }).click();
    await page.getByLabel('Name', { exact: true }).fill('After delivery NPS');
    await page.getByLabel('Question (Chinese)').fill('您愿意把我们推荐给朋友吗？');
    await page.getByRole('button', { name: 'Add trigger' }).click();
    await page.getByLabel('Event type').fill('order_delivered');
    await page.getByLabel('Delay (minutes)').fill('120');
    await page.getByLabel(/at most once every/).fill('45');
    await page.locator('[data-preview="zh-CN"]').getByText('您愿意把我们推荐给朋友吗？').waitFor();
    await page.locator('[data-preview="en"]').getByText('How likely are you to recommend us to a friend or colleague?').waitFor();
    await page.getByRole('button', { name: 'Save survey' }).click();
    await page.getByText('Saved as version 1.').waitFor();

    const [survey] = (await j.api('GET', '/v1/surveys')).data;
    expect(survey).toMatchObject({
      name: 'After delivery NPS',
      kind: 'nps',
      throttle_days: 45,
      triggers: [expect.objectContaining({ type: 'event', event_type: 'order_delivered', delay_minutes: 120 })],
    });
    const full = await j.api('GET', `/v1/surveys/${survey.id}`);
    expect(full.definition.questions[0].text).toEqual({
      en: 'How likely are you to recommend us to a friend or colleague?',
      'zh-CN': '您愿意把我们推荐给朋友吗？',
    });

    for (const [i, score] of [10, 9, 3].entries()) {
      await j.api('POST', '/v1/survey-responses', { survey_id: survey.id, answers: { nps: score }, submission_key: `r${i}` }, 201);
    }
    const measured = (await j.api('GET', `/v1/feedback/measures?kind=nps&survey_id=${survey.id}`)).data[0];
    expect(measured.count).toBe(3);
    await page.reload();
    await page.locator(`.stat-value[data-score="${measured.score}"]`).waitFor();
    expect(await page.locator('.stat-value').first().textContent()).toBe(String(measured.score));
    await page.locator('.survey-results .chart svg').first().waitFor();

    // An open answer about a refund: its topic reads in words, not as its code.
    const withText = await j.api(
      'POST',
      '/v1/surveys',
      {
        name: 'Refund check',
        kind: 'nps',
        definition: {
          title: 'A quick question',
          questions: [
            { key: 'nps', type: 'nps', text: 'How likely are you to recommend us?', required: true },
            { key: 'comment', type: 'text', text: 'Why?' },
          ],
        },
      },
      201,
    );
    await j.api(
      'POST',
      '/v1/survey-responses',
      { survey_id: withText.id, answers: { nps: 2, comment: 'My refund has still not arrived after three weeks.' }, submission_key: 'refund-1' },
      201,
    );
    const [answered] = (await j.api('GET', `/v1/survey-responses?survey_id=${withText.id}`)).data;
    expect(answered.topics).toContain('refund');
    await page.reload();
    const topic = page.locator('.survey-results td[data-topic="refund"]');
    await topic.waitFor();
    expect(await topic.textContent()).toBe('Refund');
    await j.shot(page, 'console-surveys');
  });
});
