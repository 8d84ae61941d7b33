// A template as its editor's form holds it (email subject, text and HTML, SMS text, per locale), and
// back: the content to save keeps what the form does not show as it was saved.
import type { LocaleContent, Purpose, Template } from './outreach-data.js';

export const LOCALES = ['en', 'zh-CN'] as const;

export type Locale = (typeof LOCALES)[number];

export interface Draft {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export interface Form {
  name: string;
  purpose: Purpose;
  default_locale: Locale;
  variables: string;
  byLocale: Record<Locale, Draft>;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Email needs an HTML part; one written from the text keeps paragraphs and line breaks (ICU braces pass through). */
const htmlFromText = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

export function formOf(tpl: Template | undefined): Form {
  const draft = (c: LocaleContent | undefined): Draft => ({
    subject: c?.email?.subject ?? '',
    text: c?.email?.text ?? '',
    html: c?.email?.html ?? '',
    sms: c?.sms?.text ?? '',
  });
  return {
    name: tpl?.name ?? '',
    purpose: tpl?.purpose ?? 'marketing',
    default_locale: tpl?.default_locale === 'en' ? 'en' : 'zh-CN',
    variables: (tpl?.variables ?? []).map((v) => (v.required ? v.name : `${v.name}?`)).join(', '),
    byLocale: { en: draft(tpl?.content.en), 'zh-CN': draft(tpl?.content['zh-CN']) },
  };
}

/** "flight, gate?" -> the declared variables, an optional one marked by its question mark. */
export const variablesOf = (list: string) =>
  list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => (x.endsWith('?') ? { name: x.slice(0, -1).trim(), required: false } : { name: x, required: true }));

/** The content to save: the edited email and SMS parts over whatever else the template already held. */
export function contentOf(form: Form, saved: Template['content'] = {}): Template['content'] {
  const content = { ...saved };
  for (const loc of LOCALES) {
    const d = form.byLocale[loc];
    const { email: _e, sms: _s, ...rest } = saved[loc] ?? {};
    const next: LocaleContent = { ...rest };
    if (d.subject || d.text || d.html) next.email = { subject: d.subject, text: d.text, html: d.html || htmlFromText(d.text) };
    if (d.sms) next.sms = { text: d.sms };
    if (Object.keys(next).length) content[loc] = next;
    else delete content[loc];
  }
  return content;
}
