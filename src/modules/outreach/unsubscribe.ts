// One-click unsubscribe (RFC 8058) and the preference page, both reached by a signed link from a
// message. Unsubscribing withdraws consent for the message's purpose on its channel through the
// customers module, so every module sees it, and the history says where it came from.
import type { CustomersService } from '../customers/index.js';
import { PURPOSES } from '../customers/index.js';
import type pg from 'pg';
import { verifyLink, type LinkPayload } from './sign-link.js';
import { signingKeyForToken } from './settings.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { outreachMessages } from './schema.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function readLink(pool: pg.Pool, token: string): Promise<LinkPayload | undefined> {
  const signer = await signingKeyForToken(pool, token);
  const link = signer && verifyLink(signer.key, token);
  if (!link || link.t !== signer.tenantId) return undefined;
  const tenantId = signer.tenantId;
  const m = await queryRow(
    pool,
    rowOf(outreachMessages, ['customer_id', 'channel', 'purpose']),
    'SELECT customer_id, channel, purpose FROM outreach_messages WHERE tenant_id = $1 AND id = $2',
    [tenantId, link.m],
  );
  return m && m.channel ? { ...link, c: m.customer_id, ch: m.channel, p: m.purpose } : undefined;
}

/** The customer the link was made for, or the profile it was merged into since. */
async function customerOf(customers: CustomersService, link: LinkPayload): Promise<string | undefined> {
  const found = await customers.findCustomerId(link.t, link.c);
  return found && found.status === 'active' ? found.id : undefined;
}

export async function unsubscribeOneClick(customers: CustomersService, link: LinkPayload): Promise<boolean> {
  const customerId = await customerOf(customers, link);
  if (!customerId) return false;
  await customers.recordConsent(
    link.t,
    customerId,
    { channel: link.ch as never, purpose: link.p as never, status: 'withdrawn', source: 'outreach:one_click_unsubscribe', details: { message_id: link.m } },
    { type: 'customer', id: customerId },
  );
  return true;
}

const LABELS: Record<string, Record<string, string>> = {
  en: {
    title: 'Your message preferences',
    marketing: 'Offers and news',
    service: 'Service updates and reminders',
    transactional: 'Orders, bookings and security (always sent while you have an account)',
    save: 'Save',
    saved: 'Your preferences are saved.',
    on: 'by',
  },
  zh: {
    title: '消息偏好设置',
    marketing: '优惠与资讯',
    service: '服务通知与提醒',
    transactional: '订单、预订与安全通知（账户存续期间始终发送）',
    save: '保存',
    saved: '您的偏好已保存。',
    on: '通过',
  },
};

export async function preferencePage(
  customers: CustomersService,
  link: LinkPayload,
  token: string,
  opts: { lang?: string; isSaved?: boolean } = {},
): Promise<string | undefined> {
  const customerId = await customerOf(customers, link);
  if (!customerId) return undefined;
  const profile = (await customers.readContactProfiles(link.t, [customerId])).get(customerId)!;
  const lang = (opts.lang ?? profile.language ?? profile.locale ?? 'en').startsWith('zh') ? 'zh' : 'en';
  const L = LABELS[lang];
  const box = (purpose: string) => {
    const status = profile.consent[`${link.ch}:${purpose}`];
    const isOn = purpose === 'marketing' ? status === 'granted' : status !== 'withdrawn';
    return `<label><input type="checkbox" name="${purpose}" value="on"${isOn ? ' checked' : ''}> ${esc(L[purpose])}</label><br>`;
  };
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(L.title)}</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}</style></head><body>
<h1>${esc(L.title)}</h1>${opts.isSaved ? `<p role="status">${esc(L.saved)}</p>` : ''}
<form method="post" action="/v1/outreach/preferences/${esc(token)}"><p>${L.on} ${esc(link.ch)}</p>${box('marketing')}${box('service')}
<p><small>${esc(L.transactional)}</small></p><button type="submit">${esc(L.save)}</button></form></body></html>`;
}

export async function savePreferences(customers: CustomersService, link: LinkPayload, form: URLSearchParams): Promise<boolean> {
  const customerId = await customerOf(customers, link);
  if (!customerId) return false;
  const profile = (await customers.readContactProfiles(link.t, [customerId])).get(customerId)!;
  for (const purpose of PURPOSES.filter((p) => p !== 'transactional')) {
    const want = form.get(purpose) === 'on' ? 'granted' : 'withdrawn';
    const current = profile.consent[`${link.ch}:${purpose}`];
    const isOn = purpose === 'marketing' ? current === 'granted' : current !== 'withdrawn';
    if ((want === 'granted') === isOn) continue;
    await customers.recordConsent(
      link.t,
      customerId,
      { channel: link.ch as never, purpose, status: want, source: 'outreach:preference_page', details: { message_id: link.m } },
      { type: 'customer', id: customerId },
    );
  }
  return true;
}
