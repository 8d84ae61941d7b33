// Outreach in Chromium, on each database: a manager writes a template in both languages and previews
// it, makes a segment and a campaign that sends the template to it, and reads the campaign's figures;
// the settings stay an admin's, who changes the contact window, time zone and a cap after the form has
// shown the problem the API named; an agent is kept out. Every change is read back through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases } from '../helpers.js';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

for (const db of databases) {
  describe.skipIf(!hasChromium)(`outreach journey (${db.name})`, { timeout: 180_000 }, () => {
    let j: ConsoleJourney;
    beforeAll(async () => {
      j = await startConsoleJourney({}, db.url);
    });
    afterAll(async () => j?.close());

    it('a manager writes a template and schedules a campaign with it; an admin changes a setting', async () => {
      const manager = { email: 'lin.manager@example.com', password: 'manager-pass-1' };
      const agent = { email: 'wu.agent@example.com', password: 'agent-pass-12' };
      await j.api('POST', '/v1/users', { ...manager, name: 'Lin', role: 'manager', locale: 'en' }, 201);
      await j.api('POST', '/v1/users', { ...agent, name: 'Wu', role: 'agent', locale: 'en' }, 201);
      const reader = await j.api('POST', '/v1/customers', { identities: { email: 'ada@example.com' }, locale: 'en', given_name: 'Ada' }, 201);
      await j.api('POST', '/v1/customers', { identities: { email: 'ben@example.com' }, locale: 'en' }, 201);
      await j.api('POST', '/v1/customers', { identities: { email: 'chen@example.com' }, locale: 'zh-CN' }, 201);
      // An English reader the email template cannot reach: the campaign does not send to them, and says why.
      const phoneOnly = await j.api('POST', '/v1/customers', { identities: { phone: '+8613800000009' }, locale: 'en' }, 201);

      const page = await j.signedIn('/outreach', {}, manager);
      await page.getByRole('button', { name: 'New template' }).click();
      const editor = page.locator('section.card', { hasText: 'Email subject' });
      await editor.getByLabel('Name', { exact: true }).fill('Autumn offer');
      await editor.getByLabel('Purpose').selectOption('service');
      const en = editor.locator('fieldset[data-locale="en"]');
      await en.getByLabel('Email subject').fill('Autumn offer for you');
      await en.getByLabel('Email text').fill('Dear {customer_given_name},\n\nTea is on us.');
      const zh = editor.locator('fieldset[data-locale="zh-CN"]');
      await zh.getByLabel('Email subject').fill('秋季优惠');
      // The Chinese text leaves a brace open: the API refuses the message and the form says where.
      await zh.getByLabel('Email text').fill('请来喝茶 {');
      await editor.getByRole('button', { name: 'Save template' }).click();
      await zh.locator('.field', { hasText: 'Email text' }).locator('.field-error', { hasText: 'ICU MessageFormat' }).waitFor();
      expect((await j.api('GET', '/v1/outreach/templates')).data).toEqual([]);
      await zh.getByLabel('Email text').fill('请来喝茶。');
      await editor.getByRole('button', { name: 'Save template' }).click();
      await page.getByText('Template saved.').waitFor();
      const [template] = (await j.api('GET', '/v1/outreach/templates')).data;
      expect(template).toMatchObject({
        name: 'Autumn offer',
        purpose: 'service',
        default_locale: 'zh-CN',
        channels: ['email'],
        content: {
          en: {
            email: {
              subject: 'Autumn offer for you',
              text: 'Dear {customer_given_name},\n\nTea is on us.',
              html: '<p>Dear {customer_given_name},</p>\n<p>Tea is on us.</p>',
            },
          },
          'zh-CN': { email: { subject: '秋季优惠', text: '请来喝茶。', html: '<p>请来喝茶。</p>' } },
        },
      });

      const preview = page.locator('section.card', { hasText: 'Preview' });
      await preview.getByLabel('Customer id').fill(reader.id);
      await preview.getByRole('button', { name: 'Render' }).click();
      const rendered = await j.api('POST', `/v1/outreach/templates/${template.id}/preview`, { customer_id: reader.id }, 200);
      expect(rendered.rendered.email.subject).toBe('Autumn offer for you');
      await preview.locator('dl[data-channel="email"]', { hasText: rendered.rendered.email.text.trim().split('\n')[0] }).waitFor();
      // For a customer no channel reaches, the preview says why, channel by channel, in words.
      await preview.getByLabel('Customer id').fill(phoneOnly.id);
      await preview.getByRole('button', { name: 'Render' }).click();
      await preview.getByText('No channel would carry it to this customer.').waitFor();
      const why = await j.api('POST', `/v1/outreach/templates/${template.id}/preview`, { customer_id: phoneOnly.id }, 200);
      expect(why.skipped.length).toBeGreaterThan(0);
      await preview.locator('[data-skipped] li').first().waitFor();
      expect(await preview.locator('[data-skipped]').textContent()).not.toMatch(/no_\w+|not_supported/);

      await page.getByRole('navigation', { name: 'Outreach sections' }).getByRole('link', { name: 'Campaigns' }).click();
      const segments = page.locator('section.card', { hasText: 'New segment' });
      await segments.getByLabel('Name', { exact: true }).fill('English readers');
      await segments.getByLabel('Rules (JSON)').fill('{"field": "profile.locale", "op": "eq", "value": "en"}');
      await segments.getByRole('button', { name: 'Count' }).click();
      await segments.locator('[data-count="3"]').waitFor();
      await segments.getByRole('button', { name: 'Create segment' }).click();
      await segments.locator('li[data-segment="English readers"]').waitFor();
      const [segment] = (await j.api('GET', '/v1/outreach/segments')).data;

      const create = page.locator('section.card', { hasText: 'New campaign' });
      await create.getByLabel('Name', { exact: true }).fill('Autumn 2026');
      await create.getByLabel('Segment').selectOption({ label: 'English readers' });
      await create.getByLabel('Template').selectOption({ label: 'Autumn offer (Service)' });
      await create.getByRole('button', { name: 'Create campaign' }).click();
      const row = page.locator('tr[data-campaign="Autumn 2026"][data-status="planned"]');
      await row.waitFor();
      const [campaign] = (await j.api('GET', '/v1/outreach/campaigns')).data;
      expect(campaign).toMatchObject({ name: 'Autumn 2026', segment_id: segment.id, template_id: template.id, status: 'planned', stats: { segment: 3 } });
      expect(campaign.stats.dropped).toEqual({ no_channel: 1 });
      expect(await row.locator('td[data-stat="segment"]').textContent()).toBe('3');
      expect(await row.locator('td[data-stat="queued"]').textContent()).toBe(String(campaign.stats.queued));

      // What a provider would report: one of the two messages delivered, the other delivered and then opened.
      await j.r.db.pool.query(
        `UPDATE outreach_messages SET status = CASE WHEN id = (SELECT min(id) FROM outreach_messages WHERE tenant_id = $1 AND campaign_id = $2 AND status = 'queued') THEN 'opened' ELSE 'delivered' END
          WHERE tenant_id = $1 AND campaign_id = $2 AND status = 'queued'`,
        [j.t.tenantId, campaign.id],
      );
      await row.getByRole('button', { name: 'Figures for Autumn 2026' }).click();
      await page.locator('[data-plan="segment"]', { hasText: '3' }).waitFor();
      // The reason a message was not sent reads in words, not as its code.
      const notSent = page.locator('[data-not-sent]');
      await notSent.getByText('Not sent, by reason: No channel reaches the customer 1').waitFor();
      expect(await notSent.textContent()).not.toContain('no_channel');
      const messages = (await j.api('GET', `/v1/outreach/messages?campaign_id=${campaign.id}`)).data as { status: string }[];
      expect(messages).toHaveLength(3);
      const { delivery } = await j.api('GET', `/v1/outreach/campaigns/${campaign.id}`);
      expect(Object.values(delivery as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
      for (const [status, count] of Object.entries(delivery as Record<string, number>)) {
        await page.locator(`[data-delivery="${status}"]`, { hasText: String(count) }).waitFor();
      }
      // The opened message reached the customer as the delivered one did: both count as reached.
      expect(delivery).toMatchObject({ delivered: 1, opened: 1 });
      expect(await page.locator('[data-delivery="reached"]').textContent()).toBe('2');
      await j.shot(page, 'console-outreach-campaigns');

      // The settings API takes the admin scope: a manager is not offered the tab (nor the console's
      // Settings), and opening its address tells them so instead of a form that would fail.
      const sections = page.getByRole('navigation', { name: 'Outreach sections' });
      // A journey's trigger reads as the event that starts it, in words.
      await j.api('POST', '/v1/outreach/journeys', { name: 'Welcome', trigger: 'event.sign_up', steps: [{ template_id: template.id }] }, 201);
      await sections.getByRole('link', { name: 'Journeys' }).click();
      await page.locator('tr[data-journey="Welcome"] [data-trigger="event.sign_up"]', { hasText: /^Event: Sign-up$/ }).waitFor();
      expect(await sections.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      expect(await page.locator('nav.nav a[href="/console/settings"]').count()).toBe(0);
      await page.goto(page.url().replace(/\/console\/.*$/, '/console/outreach/settings'));
      await page.getByText('Only administrators can see and change outreach settings.').waitFor();

      const admin = await j.signedIn('/outreach/settings');
      await admin.getByLabel('From').fill('10:00');
      await admin.getByLabel('Until').fill('20:30');
      await admin.getByLabel('Sun', { exact: true }).uncheck();
      await admin.locator('fieldset[data-purpose="marketing"]').getByLabel('Per week').fill('2');
      await admin.getByLabel('Time zone').fill('Mars/Olympus');
      await admin.getByRole('button', { name: 'Save settings' }).click();
      await admin.locator('.field', { hasText: 'Time zone' }).locator('.field-error', { hasText: 'IANA time zone' }).waitFor();
      expect((await j.api('GET', '/v1/outreach/settings')).default_timezone).toBe('Asia/Shanghai');
      await admin.getByLabel('Time zone').fill('Europe/London');
      await admin.getByRole('button', { name: 'Save settings' }).click();
      await admin.getByText('Outreach settings saved.').waitFor();
      const settings = await j.api('GET', '/v1/outreach/settings', undefined, 200);
      expect(settings).toMatchObject({
        default_window: { start: '10:00', end: '20:30', days: [1, 2, 3, 4, 5, 6] },
        default_timezone: 'Europe/London',
        caps: { marketing: { per_day: 1, per_week: 2, over_cap: 'drop' }, service: { per_day: 3, per_week: 10, over_cap: 'defer' } },
      });
      await j.shot(admin, 'console-outreach-settings');

      const agentPage = await j.signedIn('/outreach/templates', {}, agent);
      await agentPage.getByText('Outreach is for managers and administrators.').waitFor();
      // Nor does the navigation offer an agent what is not theirs to use.
      const agentNav = await agentPage.locator('nav.nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(agentNav).toContain('/console/inbox');
      expect(agentNav).not.toContain('/console/outreach');
      expect(agentNav).not.toContain('/console/settings');
      expect(await agentPage.locator('section.card').count()).toBe(0);
    });
  });
}
