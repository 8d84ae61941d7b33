// Listening in Chromium: an analyst adds the brand and a competitor to the watch-list, mentions are
// imported, the stream filters to the negative ones the analysis found, and share of voice counts
// brand against competitor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('listening journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it('edits the watch-list, filters the mention stream and charts share of voice', async () => {
    const page = await j.signedIn('/listening');
    await page.getByText('The watch-list is empty.').waitFor();
    const watch = page.locator('section.card', { hasText: 'Watch-list' });
    await watch.getByLabel('Term').fill('Rapport Coffee');
    await watch.getByRole('button', { name: 'Add to watch-list' }).click();
    await watch.locator('li[data-term="Rapport Coffee"]').waitFor();
    await watch.getByLabel('Angle').selectOption('competitor');
    await watch.getByLabel('Term').fill('Bean Bros');
    await watch.getByRole('button', { name: 'Add to watch-list' }).click();
    await watch.locator('li[data-term="Bean Bros"]').waitFor();
    expect((await j.api('GET', '/v1/listening/watch-terms')).data.map((x: { angle: string; term: string }) => [x.angle, x.term]).sort()).toEqual([
      ['brand', 'Rapport Coffee'],
      ['competitor', 'Bean Bros'],
    ]);

    const now = Date.now();
    const at = (h: number) => new Date(now - h * 3_600_000).toISOString();
    const imported = await j.api(
      'POST',
      '/v1/listening/mentions',
      {
        mentions: [
          { channel: 'weibo', author: 'a1', text: 'Rapport Coffee is terrible, the latte was cold and the staff were rude. Never again.', published_at: at(3) },
          { channel: 'review', author: 'a2', text: 'I love Rapport Coffee, great latte and friendly staff!', published_at: at(2) },
          { channel: 'forum', author: 'a3', text: 'Bean Bros opened a new shop downtown, excellent espresso', published_at: at(1) },
        ],
      },
      200,
    );
    expect(imported.accepted).toBe(3);
    const negatives = (await j.api('GET', '/v1/listening/mentions?sentiment=negative')).data.map((m: { text: string }) => m.text);
    expect(negatives).toContain('Rapport Coffee is terrible, the latte was cold and the staff were rude. Never again.');

    await page.reload();
    const stream = page.locator('section.card', { hasText: 'Mention stream' });
    await expect.poll(() => stream.locator('li.mention').count(), { timeout: 15_000 }).toBe(3);

    // The charts above the stream are drawn when their data and chart code arrive, and push the stream
    // down: its filters are used once the page stands still, or a click can land where Apply was.
    const sov = (await j.api('GET', '/v1/listening/share-of-voice')).data;
    expect(sov.length).toBeGreaterThan(1);
    for (const r of sov) await page.locator(`.sov li[data-name="${r.name}"]`, { hasText: `(${r.mentions})` }).waitFor();
    await expect.poll(() => page.locator('.chart svg').count(), { timeout: 15_000 }).toBe(2);
    // Our own share reads as "Us", and each mention's source in words, never as their codes.
    await page.locator('.sov li[data-name="us"]', { hasText: /^Us: / }).waitFor();
    await stream.locator('[data-source="review"]', { hasText: /^Review site/ }).waitFor();

    const sentiment = stream.getByLabel('Sentiment');
    await sentiment.selectOption('negative');
    await expect.poll(() => sentiment.inputValue()).toBe('negative');
    await stream.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => stream.locator('li.mention .mention-text').allTextContents(), { timeout: 15_000 }).toEqual(negatives);
    await j.shot(page, 'console-listening');
  });
});
