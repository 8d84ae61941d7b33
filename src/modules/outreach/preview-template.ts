// A template rendered for one customer on every channel it has, with the language, time zone and the
// channel a send would take (and why the others were skipped): what the console shows before a send.
import { chooseLocale, flattenVariables, renderChannel, RenderError, type Channel, type RenderedContent } from './render-template.js';
import { chooseChannel } from './choose-channel.js';
import { timeZoneOf } from './plan-message.js';
import { customerVariables } from './deliver-message.js';
import { getTemplate } from './manage-templates.js';
import { templateNotFound, renderFailed } from './errors.js';
import type { OutreachContext } from './outreach-context.js';

export async function previewTemplate(
  oc: OutreachContext,
  tenantId: string,
  templateId: string,
  customerRef: string,
  opts: { variables?: Record<string, unknown>; locale?: string } = {},
) {
  const template = await getTemplate(oc.pool, tenantId, templateId);
  if (!template) throw templateNotFound();
  const customerId = await oc.resolveCustomer(tenantId, customerRef);
  const profile = (await oc.customers.readContactProfiles(tenantId, [customerId])).get(customerId)!;
  const s = await oc.settings(tenantId);
  const locale = chooseLocale(Object.keys(template.content), [opts.locale, profile.language, profile.locale], template.defaultLocale);
  const vars = flattenVariables({ customer: customerVariables(profile), loyalty: await oc.loyaltyVariables(tenantId, customerId), ...(opts.variables ?? {}) });
  const tz = timeZoneOf(profile, s);
  const rendered: Partial<Record<Channel, RenderedContent>> = {};
  try {
    for (const ch of template.channels) rendered[ch] = renderChannel(template.content[locale], ch, locale, tz, vars);
  } catch (err) {
    if (err instanceof RenderError) throw renderFailed(err.message, [{ field: `variables.${err.variable}`, message: err.message }]);
    throw err;
  }
  const choice = chooseChannel(profile, template.purpose, template.channels);
  return { template_id: template.id, customer_id: customerId, locale, timezone: tz, channel: choice.channel, skipped: choice.skipped, rendered };
}
