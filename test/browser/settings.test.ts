// Settings in Chromium: an admin adds a team and an agent, an SLA policy, a routing rule and a signed
// API channel, copies the webhook URL and the once-shown secret from the page, and a message signed
// with them is accepted, routed to the team and given the SLA; a new API key is shown once and works.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('settings journey', { timeout: 120_000 }, () => {
  let j: ConsoleJourney;
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it('configures teams, SLA, routing and a channel whose pasted URL and secret work', async () => {
    const page = await j.signedIn('/settings/teams');
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    await page.getByLabel('Name').first().fill('Billing');
    await page.getByRole('button', { name: 'Add a team' }).click();
    await page.locator('tr[data-team="Billing"]').waitFor();
    const agents = page.locator('section.card', { hasText: 'Agents' });
    await agents.getByLabel('Name').fill('Mei');
    await agents.getByLabel('Billing').check();
    await agents.getByRole('button', { name: 'Add an agent' }).click();
    await page.locator('tr[data-agent="Mei"]').waitFor();
    await page.getByLabel('Status: Mei').selectOption('online');

    await page.getByRole('link', { name: 'SLA policies' }).click();
    await page.getByRole('heading', { name: 'Add an SLA policy' }).waitFor();
    await page.getByLabel('Name').fill('Standard');
    await page.getByLabel('First response (minutes)').fill('30');
    await page.getByRole('button', { name: 'Add an SLA policy' }).click();
    await page.locator('tr[data-sla="Standard"]').waitFor();

    await page.getByRole('link', { name: 'Routing', exact: true }).click();
    await page.getByRole('heading', { name: 'Add a routing rule' }).waitFor();
    await page.getByLabel('Name').fill('Invoices');
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Billing' });
    await page.getByLabel('Keywords (comma separated)').fill('invoice, 发票');
    await page.getByRole('button', { name: 'Add a routing rule' }).click();
    await page.locator('tr[data-rule="Invoices"]').waitFor();

    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('heading', { name: 'Add a channel' }).waitFor();
    await page.getByLabel('Kind').selectOption('api');
    await page.getByLabel('Name', { exact: true }).fill('Phone log');
    // Added as a sandbox while it is tried out, then made real.
    await page.getByLabel('Sandbox: keep what is sent, contact no provider').check();
    await page.getByRole('button', { name: 'Add a channel' }).click();
    const secret = await page.locator('code[data-secret="signing_secret"]').textContent();
    const phoneLog = page.locator('li[data-channel="Phone log"]');
    const url = await phoneLog.locator('dd code').first().textContent();
    expect(url).toMatch(new RegExp(`^${j.base}/hooks/inbox/${j.t.tenantId}/api/chn_`));
    await phoneLog.getByText('Sandbox', { exact: true }).waitFor();
    await j.shot(page, 'console-settings-channels');
    const channelNamed = async (name: string) => (await j.api('GET', '/v1/inbox/channels')).data.find((c: { name: string }) => c.name === name);
    expect(await channelNamed('Phone log')).toMatchObject({ is_sandbox: true, is_enabled: true });
    await phoneLog.getByRole('button', { name: 'Send for real' }).click();
    await phoneLog.getByRole('button', { name: 'Make it a sandbox' }).waitFor();
    expect(await phoneLog.getByText('Sandbox', { exact: true }).count()).toBe(0);
    expect(await channelNamed('Phone log')).toMatchObject({ is_sandbox: false, is_enabled: true });

    const body = JSON.stringify({ id: 'call-1', identities: { phone: '+8613800000001' }, text: 'My invoice has the wrong company name' });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(url!, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-rapport-timestamp': ts,
        'x-rapport-signature': createHmac('sha256', secret!).update(`${ts}.${body}`).digest('hex'),
      },
    });
    expect(res.status).toBe(201);
    const conv = await j.api('GET', `/v1/conversations/${(await res.json()).conversation_id}`);
    const [billing] = (await j.api('GET', '/v1/inbox/teams')).data;
    const [mei] = (await j.api('GET', '/v1/inbox/agents')).data;
    expect(conv).toMatchObject({ team_id: billing.id, assignee_id: mei.id });
    expect(conv.sla.first_response_due_at).not.toBeNull();

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'New API key' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Warehouse');
    await page.getByRole('button', { name: /Create/ }).click();
    const token = (await page.locator('.notice code').textContent())!;
    const me = await j.r.app.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
  });

  it('keeps a comma-separated list as typed and saves the list it names', async () => {
    const page = await j.signedIn('/settings/policies');
    const field = page.getByLabel('Hold back marketing while a case of these kinds is open (comma separated)');
    await field.waitFor();
    const before = (await j.api('GET', '/v1/settings/outreach')).suppress_case_types as string[];
    await field.click();
    await field.press('End');
    // Typed key by key, as a person types: each comma must stay where it was typed.
    await field.pressSequentially(', refund, lost_bag');
    expect(await field.inputValue()).toBe(`${before.join(', ')}, refund, lost_bag`);
    await page.locator('section.card', { has: field }).getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await j.api('GET', '/v1/settings/outreach')).suppress_case_types).toEqual([...before, 'refund', 'lost_bag']);
  });
});
