// The analytics dashboard in Chromium: a manager signs in, opens the dashboard and reads the NPS of
// the answers given, the figure worked out by hand and the one the API measures; filtering by
// touchpoint, then by channel, changes it to those answers' NPS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

/** NPS of a list of 0-10 answers: % promoters (9-10) minus % detractors (0-6), to two places. */
const npsOf = (scores: number[]) => Math.round((10000 * (scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length)) / scores.length) / 100;

describe.skipIf(!hasChromium)('analytics dashboard journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  const nps = (page: Page, value: number) => page.locator(`[data-figure="nps"][data-value="${value}"]`).waitFor();

  it('shows a manager the NPS of the answers, and the NPS of a touchpoint and of a channel when filtered', async () => {
    // An app built for tests runs job workers but fires no recurring job (the hourly refresh among them).
    expect(j.r.jobs.isScheduling).toBe(false);
    const manager = { email: 'mei.chen@example.com', password: 'manager password 1' };
    await j.api('POST', '/v1/users', { ...manager, name: 'Mei Chen', role: 'manager' }, 201);
    const survey = await j.api(
      'POST',
      '/v1/surveys',
      { name: 'After visit', kind: 'nps', definition: { title: 'NPS', questions: [{ key: 'nps', type: 'nps', required: true, text: 'Recommend us?' }] } },
      201,
    );
    const answers: [string, string, number[]][] = [
      ['store', 'email', [10, 9, 10, 6]],
      ['delivery', 'sms', [3, 4, 8, 10]],
      ['web', 'web', [9]],
    ];
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    let k = 0;
    for (const [touchpoint, channel, scores] of answers) {
      for (const score of scores) {
        await j.api(
          'POST',
          '/v1/survey-responses',
          { survey_id: survey.id, answers: { nps: score }, touchpoint, channel, submission_key: `a${k++}`, submitted_at: yesterday },
          201,
        );
      }
    }
    await j.api('POST', '/v1/analytics/refresh', undefined, 200);

    // 9 answers: promoters 5, detractors 3 -> 22.22; at delivery 3, 4, 8, 10 -> -25; by email 10, 9, 10, 6 -> 50.
    const all = npsOf(answers.flatMap(([, , s]) => s));
    const delivery = npsOf(answers[1][2]);
    const email = npsOf(answers[0][2]);
    expect([all, delivery, email]).toEqual([22.22, -25, 50]);
    const measured = async (q: string) => (await j.api('GET', `/v1/analytics/experience${q}`, undefined, 200)).totals[0];
    expect(await measured('')).toMatchObject({ kind: 'nps', n: 9, score: all });
    expect(await measured('?touchpoint=delivery')).toMatchObject({ n: 4, score: delivery });
    expect(await measured('?channel=email')).toMatchObject({ n: 4, score: email });

    const page = await j.signedIn('/analytics', {}, manager);
    await nps(page, all);
    await page.getByText(/^Figures as of .* · last rebuilt whole /).waitFor();
    // The segments are offered in words, not as their codes.
    expect(await page.getByLabel('Segment').locator('option').allTextContents()).toEqual([
      'All',
      'Champions',
      'Loyal',
      'New',
      'Potential',
      'At risk',
      'Lost',
      'Not yet scored',
      'Prospects (no purchase yet)',
    ]);
    expect(await page.locator('[data-figure="nps"] > div').nth(1).textContent()).toBe('22.22');
    // The month's NPS is drawn, through the console's one chart element, under its own label.
    const npsChart = page.locator('figure', { hasText: 'NPS by month with its 95% confidence interval' }).locator('.chart svg');
    await npsChart.waitFor();
    // What a screen reader hears of it is its label (ECharts' generated description read a gap in a series as "NaN").
    expect(await page.locator('figure', { hasText: 'NPS by month with its 95% confidence interval' }).locator('.chart').getAttribute('aria-label')).toBe(
      'NPS by month with its 95% confidence interval',
    );
    await j.shot(page, 'console-analytics-nps');

    await page.getByLabel('Touchpoint').fill('delivery');
    await page.getByLabel('Touchpoint').press('Enter');
    await nps(page, delivery);
    expect(await page.locator('[data-figure="nps"] > div').nth(1).textContent()).toBe('-25');
    // Reputation cannot apply a touchpoint: its card says so rather than show an unfiltered figure as filtered.
    await page.locator('[data-not-filtered="touchpoint"]').first().waitFor();
    await j.shot(page, 'console-analytics-nps-delivery');

    await page.getByLabel('Touchpoint').fill('');
    await page.getByLabel('Touchpoint').press('Enter');
    await page.getByLabel('Channel').fill('email');
    await page.getByLabel('Channel').press('Enter');
    await nps(page, email);
    expect(await page.locator('[data-figure="nps"] > div').nth(1).textContent()).toBe('50');
    await j.shot(page, 'console-analytics-nps-email');
  });
});
