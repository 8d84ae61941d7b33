// The knowledge console in Chromium, on each database: a manager searches in Chinese, opens the
// article, edits it with both languages previewed as the help centre draws them, publishes it (a new
// version), restores the old wording, and writes an article for what visitors could not find; an admin
// makes a category, a guided script and the help centre's default language; an agent
// sees an article suggested for a customer's message and puts its link into the reply. No page logs
// an error or has a request fail; every change is read back through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { databases } from '../helpers.js';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

/** Console errors, uncaught exceptions, failed requests and error answers the page met. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

for (const db of databases) {
  describe.skipIf(!hasChromium)(`knowledge journey (${db.name})`, { timeout: 180_000 }, () => {
    let j: ConsoleJourney;
    beforeAll(async () => {
      j = await startConsoleJourney({}, db.url);
    });
    afterAll(async () => j?.close());

    it('a manager searches in Chinese, edits with both previews, publishes, restores, and writes for a content gap', async () => {
      const manager = { email: 'he.manager@example.com', password: 'manager-pass-1' };
      await j.api('POST', '/v1/users', { ...manager, name: 'He', role: 'manager', locale: 'en' }, 201);
      const zh = await j.api(
        'POST',
        '/v1/knowledge/articles',
        { title: '如何申请退款', body: '签收后七天内可以申请退款。', language: 'zh-CN', status: 'published' },
        201,
      );
      const en = await j.api(
        'POST',
        '/v1/knowledge/articles',
        {
          title: 'How to request a refund',
          body: 'Request a refund within seven days of delivery.',
          language: 'en',
          translation_of: zh.id,
          status: 'published',
        },
        201,
      );
      // A visitor's search nobody could answer: the content gap the manager writes for.
      const gapQuery = '行李丢失怎么办';
      const visitor = await j.r.app.inject({ method: 'GET', url: `/v1/help-centres/${j.t.slug}/search?q=${encodeURIComponent(gapQuery)}&language=zh-CN` });
      expect(visitor.json().results).toEqual([]);

      const page = await j.signedIn('/knowledge', {}, manager);
      const problems = watch(page);
      await page.waitForURL(/\/console\/knowledge\/articles$/);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).waitFor();

      // The agents' search, Chinese-aware: an unspaced question finds the article, its words marked.
      await page.getByLabel('Search articles').fill('我想退款');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const hit = page.getByRole('region', { name: 'Search results' }).locator(`li[data-article="${zh.id}"]`);
      await hit.locator('mark', { hasText: '退款' }).first().waitFor();
      await hit.getByRole('link').click();
      await page.waitForURL(new RegExp(`/knowledge/articles/${zh.id}$`));

      const zhPane = page.locator('.article-pane[data-language="zh-CN"]');
      const enPane = page.locator('.article-pane[data-language="en"]');
      expect(await zhPane.getByLabel('Title').inputValue()).toBe('如何申请退款');
      expect(await enPane.getByLabel('Title').inputValue()).toBe('How to request a refund');
      await zhPane.getByLabel('Text').fill('# 退款条件\n\n签收后十四天内可以申请退款。\n\n- 保留发票\n- 商品完好');
      // The preview draws the help centre's Markdown: a heading and a list, beside the English one.
      const zhPreview = page.getByRole('region', { name: 'Preview in Chinese (Simplified)' });
      await zhPreview.getByRole('heading', { name: '退款条件' }).waitFor();
      expect(await zhPreview.getByRole('listitem').allTextContents()).toEqual(['保留发票', '商品完好']);
      const enPreview = page.getByRole('region', { name: 'Preview in English' });
      await enPreview.getByRole('heading', { name: 'How to request a refund' }).waitFor();
      await enPreview.getByText('Request a refund within seven days of delivery.').waitFor();

      // Unpublished in English while the Chinese text changes: both are saved, each as its own version.
      await enPane.getByLabel(/^Published/).uncheck();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved.').waitFor();
      await zhPane.getByRole('link', { name: 'Versions (2)' }).waitFor();
      expect(await j.api('GET', `/v1/knowledge/articles/${zh.id}`)).toMatchObject({
        version: 2,
        status: 'published',
        body: '# 退款条件\n\n签收后十四天内可以申请退款。\n\n- 保留发票\n- 商品完好',
      });
      expect(await j.api('GET', `/v1/knowledge/articles/${en.id}`)).toMatchObject({ version: 2, status: 'draft', body: en.body });
      // Publishing it again is one more version of the English article only.
      await enPane.getByLabel(/^Published/).check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await enPane.getByRole('link', { name: 'Versions (3)' }).waitFor();
      expect(await j.api('GET', `/v1/knowledge/articles/${en.id}`)).toMatchObject({ version: 3, status: 'published' });
      expect((await j.api('GET', `/v1/knowledge/articles/${zh.id}`)).version).toBe(2);

      await zhPane.getByRole('link', { name: 'Versions (2)' }).click();
      await page.locator('tr[data-version="2"]').getByText('Current').waitFor();
      await page.locator('tr[data-version="1"]').getByRole('button', { name: 'Show' }).click();
      await page.locator('[data-preview-version="1"]').getByText('签收后七天内可以申请退款。').waitFor();
      await page.getByRole('button', { name: 'Restore version 1' }).click();
      await page.getByText('Version 1 restored as a new version.').waitFor();
      await page.locator('tr[data-version="3"]').getByText('Current').waitFor();
      expect(await j.api('GET', `/v1/knowledge/articles/${zh.id}`)).toMatchObject({
        version: 3,
        status: 'published',
        title: '如何申请退款',
        body: '签收后七天内可以申请退款。',
      });
      await j.shot(page, 'console-knowledge-versions');

      await page.getByRole('navigation', { name: 'Knowledge sections' }).getByRole('link', { name: 'Content gaps' }).click();
      await page
        .locator(`tr[data-gap="${gapQuery}"]`)
        .getByRole('link', { name: `Write an article for "${gapQuery}"` })
        .click();
      await page.waitForURL(/\/knowledge\/articles\/new\?/);
      expect(await zhPane.getByLabel('Title').inputValue()).toBe(gapQuery);
      expect(await enPane.getByLabel('Title').inputValue()).toBe('');
      await zhPane.getByLabel('Text').fill('请在到达后二十四小时内到行李柜台登记。');
      await zhPane.getByLabel(/^Published/).check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/\/knowledge\/articles\/art_[^/]+$/);
      await page.getByText('Saved.').waitFor();
      const written = (await j.api('GET', '/v1/knowledge/articles?language=zh-CN')).data.find((a: { title: string }) => a.title === gapQuery);
      expect(written).toMatchObject({ status: 'published', visibility: 'public', version: 1 });
      expect(page.url()).toMatch(new RegExp(`/knowledge/articles/${written.id}$`));
      // Now the visitors' question has an answer.
      const again = await j.r.app.inject({ method: 'GET', url: `/v1/help-centres/${j.t.slug}/search?q=${encodeURIComponent(gapQuery)}&language=zh-CN` });
      expect(again.json().results.map((r: { id: string }) => r.id)).toContain(written.id);
      await j.shot(page, 'console-knowledge-editor');
      expect(problems).toEqual([]);
    });

    it("an admin makes a category in both languages, writes a guided script with a branch and sets the help centre's language", async () => {
      const page = await j.signedIn('/knowledge/categories');
      const problems = watch(page);
      await page.getByRole('button', { name: 'New category' }).click();
      await page.getByLabel('Name in Chinese (Simplified)').fill('行李');
      await page.getByLabel('Name in English').fill('Baggage');
      await page.getByLabel('Slug').fill('baggage');
      await page.getByRole('button', { name: 'Create category' }).click();
      await page.getByText('Category saved.').waitFor();
      await page.locator('tr[data-category="baggage"]').getByText('Baggage', { exact: true }).waitFor();
      const [category] = (await j.api('GET', '/v1/knowledge/categories')).data;
      expect(category).toMatchObject({ slug: 'baggage', names: { 'zh-CN': '行李', en: 'Baggage' }, parent_id: null });

      await page.getByRole('navigation', { name: 'Knowledge sections' }).getByRole('link', { name: 'Guided scripts' }).click();
      await page.getByRole('button', { name: 'New script' }).click();
      await page.getByLabel('Title', { exact: true }).fill('Lost baggage');
      await page.getByLabel('Case type').fill('lost_baggage');
      const first = page.locator('fieldset[data-step="step_1"]');
      await first.getByLabel('Text', { exact: true }).fill('Has the customer reported it at the airport?');
      await page.getByRole('button', { name: 'Add step' }).click();
      const second = page.locator('fieldset[data-step="step_2"]');
      await second.getByLabel('Text', { exact: true }).fill('Give them the report form.');
      await first.getByRole('button', { name: 'Add answer' }).click();
      await first.getByLabel('Answer', { exact: true }).fill('No');
      await first.getByLabel('Leads to').selectOption('step_2');
      await page.getByRole('button', { name: 'Save script' }).click();
      await page.getByText('Script saved.').waitFor();
      await page.locator('tr[data-script="Lost baggage"]').waitFor();
      const [script] = (await j.api('GET', '/v1/knowledge/scripts')).data;
      expect(script).toMatchObject({
        title: 'Lost baggage',
        case_type: 'lost_baggage',
        language: 'zh-CN',
        root_node: 'step_1',
        is_active: true,
        nodes: [
          { id: 'step_1', kind: 'question', text: 'Has the customer reported it at the airport?', options: [{ id: 'answer_1', label: 'No', next: 'step_2' }] },
          { id: 'step_2', kind: 'action', text: 'Give them the report form.', options: [] },
        ],
      });

      await page.getByRole('navigation', { name: 'Knowledge sections' }).getByRole('link', { name: 'Help centre' }).click();
      expect(await page.locator('[data-help-centre-url]').getAttribute('href')).toBe(`${j.base}/help/${j.t.slug}`);
      await page.getByLabel('Default language').selectOption('zh-CN');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Help centre settings saved.').waitFor();
      expect(await j.api('GET', '/v1/settings/knowledge')).toEqual({ default_language: 'zh-CN' });
      expect((await fetch(`${j.base}/help/${j.t.slug}`)).headers.get('content-language')).toBe('zh-CN');
      expect(problems).toEqual([]);
    });

    it("an agent sees an article suggested for the customer's message and inserts its link into the reply", async () => {
      const agentUser = { email: 'ma.agent@example.com', password: 'agent-pass-123' };
      await j.api('POST', '/v1/users', { ...agentUser, name: 'Ma', role: 'agent', locale: 'en' }, 201);
      const article = await j.api(
        'POST',
        '/v1/knowledge/articles',
        { title: '积分有效期说明', body: '积分自获得之日起两年内有效，到期自动清零。', language: 'zh-CN', status: 'published' },
        201,
      );
      const internal = await j.api(
        'POST',
        '/v1/knowledge/articles',
        { title: '积分过期申诉内部流程', body: '主管可为过期积分补发一次，需在工单注明。', language: 'zh-CN', status: 'published', visibility: 'internal' },
        201,
      );
      const created = await j.api('POST', '/v1/inbox/channels', { kind: 'api', name: 'App chat' }, 201);
      const channel = await j.r.inbox.getChannel(j.t.tenantId, created.id);
      const { conversationId } = await j.r.inbox.receive({
        channel,
        externalId: 'msg-points',
        identities: { email: 'liu.yang@example.com' },
        text: '我的积分什么时候过期？',
        replyAddress: 'liu.yang@example.com',
      });
      await j.r.bus.drain();

      const page = await j.signedIn(`/inbox?c=${conversationId}`, {}, agentUser);
      const problems = watch(page);
      const suggested = page.getByRole('group', { name: 'Suggested articles' }).locator(`li[data-article="${article.id}"]`);
      await suggested.getByText('积分有效期说明').waitFor();
      // An internal article guides the agent and is never offered for pasting to the customer.
      const guidance = page.getByRole('group', { name: 'Suggested articles' }).locator(`li[data-article="${internal.id}"]`);
      await guidance.getByText('Internal: guidance for you, not for the customer').waitFor();
      expect(await guidance.getByRole('button').count()).toBe(0);
      await page.getByLabel('Your reply').fill('您好，');
      await suggested.getByRole('button', { name: 'Insert a link to 积分有效期说明' }).click();
      expect(await page.getByLabel('Your reply').inputValue()).toBe(
        `您好，\n\n积分有效期说明: ${j.base}/help/${j.t.slug}/articles/${article.id}?language=zh-CN`,
      );
      await j.shot(page, 'console-inbox-article-suggestion');

      // The link leads to the article on the public help centre.
      const res = await fetch(`${j.base}/help/${j.t.slug}/articles/${article.id}?language=zh-CN`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('积分自获得之日起两年内有效');

      // Agents read the knowledge base but are not offered its editing.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).click();
      await page.getByText('You can read articles; managers change them.').waitFor();
      expect(await page.getByRole('link', { name: 'New article' }).count()).toBe(0);
      expect(problems).toEqual([]);
    });
  });
}
