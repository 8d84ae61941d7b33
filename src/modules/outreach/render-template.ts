// Rendering a template for one customer: ICU MessageFormat (intl-messageformat) in the customer's
// locale, with plurals, numbers, currency and dates (shown in the customer's timezone), per channel.
// Variables are flattened with underscores (customer_given_name, event_amount, loyalty_points)
// because ICU argument names cannot contain dots.
import { IntlMessageFormat } from 'intl-messageformat';
import type { FieldProblem } from '../../platform/errors.js';
import { measureSms, type SmsSize } from './sms-segments.js';

export const CONTACT_CHANNELS = ['email', 'sms', 'wechat', 'whatsapp'] as const;
export type Channel = (typeof CONTACT_CHANNELS)[number];

export interface ChannelContent {
  email?: { subject: string; html: string; text: string };
  sms?: { text: string };
  wechat?: { template_id: string; url?: string; fields: Record<string, string> };
  /**
   * WhatsApp through Twilio. Outside the 24-hour window after the customer's last message, WhatsApp
   * takes only pre-approved templates: content_sid names one (Twilio Content API, HX...), variables
   * fill its numbered placeholders; text is what the customer reads and what is kept on record.
   */
  whatsapp?: { text: string; content_sid?: string; variables?: Record<string, string> };
}
export type TemplateContent = Record<string, ChannelContent>;

export type RenderedContent =
  | { channel: 'email'; subject: string; html: string; text: string }
  | { channel: 'sms'; text: string; sms: SmsSize }
  | { channel: 'wechat'; template_id: string; url?: string; data: Record<string, { value: string }> }
  | { channel: 'whatsapp'; text: string; content_sid?: string; variables?: Record<string, string> };

/** Which of the template's locales serves a customer: exact tag, then same script/region family, then language, then the default. */
export function chooseLocale(available: string[], wanted: (string | null | undefined)[], fallback: string): string {
  const lower = new Map(available.map((l) => [l.toLowerCase(), l]));
  for (const w of wanted) {
    if (!w) continue;
    const tag = w.toLowerCase();
    if (lower.has(tag)) return lower.get(tag)!;
    // Traditional Chinese (Taiwan, Hong Kong, Macau, Hant) reads zh-TW; other Chinese reads zh-CN.
    if (tag.startsWith('zh')) {
      const isTraditional = /(^|-)(hant|tw|hk|mo)(-|$)/.test(tag);
      const pick = lower.get(isTraditional ? 'zh-tw' : 'zh-cn') ?? lower.get('zh');
      if (pick) return pick;
    }
    const lang = tag.split('-')[0];
    const sameLang = available.find((l) => l.toLowerCase().split('-')[0] === lang);
    if (sameLang) return sameLang;
  }
  return available.includes(fallback) ? fallback : available[0];
}

/** { customer: { given_name } } -> { customer_given_name }; arrays are left as they are. */
export function flattenVariables(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}_${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) flattenVariables(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

export class RenderError extends Error {
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const cache = new Map<string, IntlMessageFormat>();
function compile(source: string, locale: string, timeZone: string): IntlMessageFormat {
  const key = `${locale}\u0000${timeZone}\u0000${source}`;
  let mf = cache.get(key);
  if (!mf) {
    // Dates and times read in the customer's own timezone: every named format carries it.
    const withZone = (group: Record<string, Intl.DateTimeFormatOptions>) => Object.fromEntries(Object.entries(group).map(([k, v]) => [k, { ...v, timeZone }]));
    mf = new IntlMessageFormat(
      source,
      locale,
      { date: withZone(IntlMessageFormat.formats.date), time: withZone(IntlMessageFormat.formats.time) },
      { ignoreTag: true },
    );
    if (cache.size > 2000) cache.clear();
    cache.set(key, mf);
  }
  return mf;
}

interface AstNode {
  type: number;
  value?: string;
  options?: Record<string, { value: AstNode[] }>;
  children?: AstNode[];
}
/** Argument names by how the message uses them, so ISO strings become dates and numeric strings numbers. */
function argumentKinds(nodes: AstNode[], out = new Map<string, 'date' | 'number'>()) {
  for (const n of nodes) {
    if ((n.type === 3 || n.type === 4) && n.value) out.set(n.value, 'date');
    if ((n.type === 2 || n.type === 6) && n.value) out.set(n.value, 'number');
    for (const o of Object.values(n.options ?? {})) argumentKinds(o.value, out);
    if (n.children) argumentKinds(n.children, out);
  }
  return out;
}

export function formatMessage(source: string, locale: string, timeZone: string, vars: Record<string, unknown>, opts: { isHtml?: boolean } = {}): string {
  const mf = compile(source, locale, timeZone);
  const kinds = argumentKinds(mf.getAst() as unknown as AstNode[]);
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    const kind = kinds.get(k);
    if (kind === 'date' && (typeof v === 'string' || typeof v === 'number')) values[k] = new Date(v);
    else if (kind === 'number' && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) values[k] = Number(v);
    else if (opts.isHtml && typeof v === 'string') values[k] = escapeHtml(v);
    else values[k] = v;
  }
  // A missing name renders empty (a template can select on it); a missing number or date is an
  // error, because a message with a wrong amount or date is worse than no message.
  for (const [k, kind] of kinds) {
    if (values[k] == null) throw new RenderError(`variable ${k} is missing`, k);
    if (kind === 'date' && Number.isNaN((values[k] as Date).getTime?.())) throw new RenderError(`variable ${k} is not a date`, k);
  }
  for (const n of mf.getAst() as unknown as AstNode[]) if (n.type === 1 && n.value && values[n.value] == null) values[n.value] = '';
  return String(mf.format(values as Record<string, string>));
}

export function renderChannel(content: ChannelContent, channel: Channel, locale: string, timeZone: string, vars: Record<string, unknown>): RenderedContent {
  const f = (s: string, isHtml = false) => formatMessage(s, locale, timeZone, vars, { isHtml });
  if (channel === 'email') {
    const e = content.email!;
    return { channel, subject: f(e.subject), html: f(e.html, true), text: f(e.text) };
  }
  if (channel === 'sms') {
    const text = f(content.sms!.text);
    return { channel, text, sms: measureSms(text) };
  }
  if (channel === 'whatsapp') {
    const w = content.whatsapp!;
    return {
      channel,
      text: f(w.text),
      ...(w.content_sid ? { content_sid: w.content_sid, variables: Object.fromEntries(Object.entries(w.variables ?? {}).map(([k, v]) => [k, f(v)])) } : {}),
    };
  }
  const w = content.wechat!;
  return {
    channel,
    template_id: w.template_id,
    ...(w.url ? { url: f(w.url) } : {}),
    data: Object.fromEntries(Object.entries(w.fields).map(([k, v]) => [k, { value: f(v) }])),
  };
}

/** The channels a template can go out on: those its default locale has a variant for. */
export function templateChannels(content: TemplateContent, defaultLocale: string): Channel[] {
  const c = content[defaultLocale] ?? {};
  return CONTACT_CHANNELS.filter((ch) => c[ch]);
}

/** Every message must parse; every locale must offer the channels the default locale offers. */
export function checkTemplateContent(content: TemplateContent, defaultLocale: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!content[defaultLocale]) problems.push({ field: `content.${defaultLocale}`, message: 'the default locale must have content' });
  const channels = templateChannels(content, defaultLocale);
  if (content[defaultLocale] && !channels.length)
    problems.push({ field: `content.${defaultLocale}`, message: 'needs at least one channel variant (email, sms, wechat, whatsapp)' });
  for (const [locale, c] of Object.entries(content)) {
    try {
      Intl.getCanonicalLocales(locale);
    } catch {
      problems.push({ field: `content.${locale}`, message: 'is not a BCP 47 locale' });
      continue;
    }
    for (const ch of channels) if (!c[ch]) problems.push({ field: `content.${locale}.${ch}`, message: `is missing: the default locale has a ${ch} variant` });
    const check = (field: string, s: string | undefined) => {
      if (s === undefined) return;
      try {
        new IntlMessageFormat(s, locale, undefined, { ignoreTag: true });
      } catch (e) {
        problems.push({ field: `content.${locale}.${field}`, message: `is not valid ICU MessageFormat: ${(e as Error).message}` });
      }
    };
    check('email.subject', c.email?.subject);
    check('email.html', c.email?.html);
    check('email.text', c.email?.text);
    check('sms.text', c.sms?.text);
    check('wechat.url', c.wechat?.url);
    check('whatsapp.text', c.whatsapp?.text);
    for (const [k, v] of Object.entries(c.whatsapp?.variables ?? {})) check(`whatsapp.variables.${k}`, v);
    for (const [k, v] of Object.entries(c.wechat?.fields ?? {})) check(`wechat.fields.${k}`, v);
  }
  return problems;
}

/**
 * Variables every template may use without declaring them, by prefix: the customer's profile and
 * attributes (customer_…), the loyalty figures (loyalty_…), and what Rapport's own sends pass: the
 * triggering event of a journey (event_…), the survey link of an invitation (survey_…), the figures
 * of a statement (statement_…).
 */
export const BUILT_IN_PREFIXES = ['customer_', 'loyalty_', 'event_', 'survey_', 'statement_'] as const;
export const isBuiltIn = (name: string) => BUILT_IN_PREFIXES.some((p) => name.startsWith(p));

/** A variable a template declares: the caller of a send passes it; a required one without a value keeps the message from being queued. */
export interface TemplateVariable {
  name: string;
  required: boolean;
  description?: string;
}

/** Every message of one locale's content, by its field under `content.<locale>.`. */
function messagesOf(c: ChannelContent): [string, string][] {
  const out: [string, string | undefined][] = [
    ['email.subject', c.email?.subject],
    ['email.html', c.email?.html],
    ['email.text', c.email?.text],
    ['sms.text', c.sms?.text],
    ['wechat.url', c.wechat?.url],
    ['whatsapp.text', c.whatsapp?.text],
    ...Object.entries(c.whatsapp?.variables ?? {}).map(([k, v]) => [`whatsapp.variables.${k}`, v] as [string, string]),
    ...Object.entries(c.wechat?.fields ?? {}).map(([k, v]) => [`wechat.fields.${k}`, v] as [string, string]),
  ];
  return out.filter((m): m is [string, string] => m[1] !== undefined);
}

function argumentNames(nodes: AstNode[], out = new Set<string>()) {
  for (const n of nodes) {
    if (n.type >= 1 && n.type <= 6 && n.value) out.add(n.value);
    for (const o of Object.values(n.options ?? {})) argumentNames(o.value, out);
    if (n.children) argumentNames(n.children, out);
  }
  return out;
}

/**
 * Each variable a message uses that is neither declared nor built in, named where it is used: a
 * misspelt name would otherwise render empty ("Your flight  has changed"). Messages that do not parse
 * are left to checkTemplateContent.
 */
export function checkTemplateVariables(content: TemplateContent, declared: readonly TemplateVariable[]): FieldProblem[] {
  const known = new Set(declared.map((v) => v.name));
  const problems: FieldProblem[] = [];
  for (const [locale, c] of Object.entries(content)) {
    for (const [field, source] of messagesOf(c)) {
      let names: Set<string>;
      try {
        names = argumentNames(new IntlMessageFormat(source, locale, undefined, { ignoreTag: true }).getAst() as unknown as AstNode[]);
      } catch {
        continue;
      }
      for (const name of names) {
        if (known.has(name) || isBuiltIn(name)) continue;
        problems.push({
          field: `content.${locale}.${field}`,
          message: `uses the unknown variable ${name}: declare it in variables, or use a built-in one (${BUILT_IN_PREFIXES.map((p) => `${p}…`).join(', ')})`,
        });
      }
    }
  }
  return problems;
}

/**
 * The declared required variables a send gives no value for (missing, null or empty), in declaration
 * order. The customer's and the loyalty figures are read at dispatch, not passed: they are not checked here.
 */
export function missingVariables(declared: readonly TemplateVariable[], given: Record<string, unknown>): string[] {
  const flat = flattenVariables(given);
  const isReadAtDispatch = (name: string) => name.startsWith('customer_') || name.startsWith('loyalty_');
  return declared.filter((v) => v.required && !isReadAtDispatch(v.name) && (flat[v.name] == null || flat[v.name] === '')).map((v) => v.name);
}
