import { describe, expect, it } from 'vitest';
import { nextContactTime, isInContactWindow } from './contact-window.js';
import { measureSms } from './sms-segments.js';
import { chooseLocale, formatMessage, renderChannel, checkTemplateContent, checkTemplateVariables, missingVariables, RenderError } from './render-template.js';
import { chooseChannel } from './choose-channel.js';
import { signLink, verifyLink, tenantOfToken } from './sign-link.js';

const WIN = { start: '09:00', end: '21:00', days: [1, 2, 3, 4, 5, 6, 7] };

describe('quiet hours in the customer timezone', () => {
  it('waits for 09:00 Shanghai when it is 02:00 there, and sends at once at 10:00', () => {
    const now = new Date('2026-03-10T18:00:00Z'); // 02:00 on the 11th in Shanghai
    expect(nextContactTime(now, 'Asia/Shanghai', WIN).toISOString()).toBe('2026-03-11T01:00:00.000Z');
    const ten = new Date('2026-03-11T02:00:00Z');
    expect(nextContactTime(ten, 'Asia/Shanghai', WIN)).toBe(ten);
  });
  it('the same instant is open in New York and closed in Shanghai', () => {
    const now = new Date('2026-03-10T15:00:00Z'); // 11:00 New York (EDT), 23:00 Shanghai
    expect(isInContactWindow(now, 'America/New_York', WIN)).toBe(true);
    expect(isInContactWindow(now, 'Asia/Shanghai', WIN)).toBe(false);
  });
  it('skips days the customer did not allow (weekdays only, Friday night -> Monday 09:00)', () => {
    const fri = new Date('2026-03-13T14:00:00Z'); // Fri 22:00 Shanghai
    expect(nextContactTime(fri, 'Asia/Shanghai', { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] }).toISOString()).toBe('2026-03-16T01:00:00.000Z');
  });
  it('handles windows past midnight and DST (London 08:00 the morning after the spring change)', () => {
    expect(isInContactWindow(new Date('2026-03-10T17:30:00Z'), 'Asia/Shanghai', { start: '22:00', end: '02:00', days: [2] })).toBe(true); // Wed 01:30 after Tue
    expect(
      nextContactTime(new Date('2026-03-29T00:30:00Z'), 'Europe/London', { start: '08:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] }).toISOString(),
    ).toBe('2026-03-29T07:00:00.000Z');
  });
  it("waits across New Year in the customer's zone, not in UTC", () => {
    // 31 December 2026 23:30 in Shanghai is still 15:30 UTC on the 31st: the next 09:00 there is 1 January, 01:00 UTC.
    expect(nextContactTime(new Date('2026-12-31T15:30:00Z'), 'Asia/Shanghai', WIN).toISOString()).toBe('2027-01-01T01:00:00.000Z');
    // The same instant is 10:30 on the 31st in New York: inside the window already.
    expect(isInContactWindow(new Date('2026-12-31T15:30:00Z'), 'America/New_York', WIN)).toBe(true);
    // A weekdays-only customer in Auckland, where New Year's Day 2027 (a Friday) has begun while UTC is still in 2026:
    // Thursday 31 December 22:00 NZDT -> Friday 1 January 09:00 NZDT = 20:00 UTC on the 31st.
    expect(nextContactTime(new Date('2026-12-31T09:00:00Z'), 'Pacific/Auckland', { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] }).toISOString()).toBe(
      '2026-12-31T20:00:00.000Z',
    );
  });
  it('keeps quiet hours local through the autumn DST change (New York, 1 November 2026)', () => {
    // Saturday 31 October 22:00 EDT (02:00 UTC on 1 November): the window opens Sunday 09:00 EST = 14:00 UTC.
    expect(nextContactTime(new Date('2026-11-01T02:00:00Z'), 'America/New_York', WIN).toISOString()).toBe('2026-11-01T14:00:00.000Z');
    // 29 February 2028 in a leap year: 23:30 in Shanghai waits for 1 March 09:00.
    expect(nextContactTime(new Date('2028-02-29T15:30:00Z'), 'Asia/Shanghai', WIN).toISOString()).toBe('2028-03-01T01:00:00.000Z');
  });
});

describe('SMS segments', () => {
  it('counts GSM-7, its extension table and UCS-2 as carriers do', () => {
    expect(measureSms('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(measureSms('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(measureSms('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(measureSms('您好'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(measureSms('您好'.repeat(36))).toMatchObject({ encoding: 'UCS-2', units: 72, segments: 2 });
    expect(measureSms('😀'.repeat(34))).toMatchObject({ encoding: 'UCS-2', characters: 34, units: 68, segments: 1 });
  });
});

describe('ICU rendering', () => {
  const msg = '{points, plural, one {# point} other {# points}} worth {amount, number, ::currency/CNY} expire on {expires, date, long}';
  it('renders plurals, currency and dates in English, in the customer timezone', () => {
    expect(formatMessage(msg, 'en', 'Asia/Shanghai', { points: 1, amount: 35.5, expires: '2026-01-31T20:00:00Z' })).toBe(
      '1 point worth CN¥35.50 expire on February 1, 2026',
    );
    expect(formatMessage(msg, 'en', 'America/New_York', { points: 1200, amount: '35.5', expires: '2026-01-31T20:00:00Z' })).toBe(
      '1,200 points worth CN¥35.50 expire on January 31, 2026',
    );
  });
  it('renders zh-CN and zh-TW', () => {
    const zh = '您有{points, plural, other {#积分}}，价值{amount, number, ::currency/CNY}，将于{expires, date, long}到期';
    expect(formatMessage(zh, 'zh-CN', 'Asia/Shanghai', { points: 1200, amount: 35.5, expires: '2026-01-31T20:00:00Z' })).toBe(
      '您有1,200积分，价值¥35.50，将于2026年2月1日到期',
    );
    expect(formatMessage('{amount, number, ::currency/TWD}', 'zh-TW', 'Asia/Taipei', { amount: 1200 })).toBe('$1,200.00');
  });
  it('escapes variables in HTML but not in text, and refuses a missing amount', () => {
    const r = renderChannel({ email: { subject: 'Hi {name}', html: '<p>Hi {name}</p>', text: 'Hi {name}' } }, 'email', 'en', 'UTC', { name: '<b>Li</b>' });
    expect(r).toMatchObject({ subject: 'Hi <b>Li</b>', html: '<p>Hi &lt;b&gt;Li&lt;/b&gt;</p>', text: 'Hi <b>Li</b>' });
    expect(() => formatMessage('{amount, number}', 'en', 'UTC', {})).toThrow(RenderError);
  });
  it('picks the locale: exact, Traditional Chinese family, language, default', () => {
    const av = ['zh-CN', 'zh-TW', 'en'];
    expect(chooseLocale(av, ['zh-HK'], 'zh-CN')).toBe('zh-TW');
    expect(chooseLocale(av, ['zh-Hans-SG'], 'en')).toBe('zh-CN');
    expect(chooseLocale(av, [null, 'en-GB'], 'zh-CN')).toBe('en');
    expect(chooseLocale(av, ['fr'], 'zh-CN')).toBe('zh-CN');
  });
  it('refuses broken ICU and a locale missing a channel the default has, naming the field', () => {
    const problems = checkTemplateContent({ en: { sms: { text: '{n, plural, one {#}' } }, 'zh-CN': {} }, 'en');
    expect(problems.map((p) => p.field).sort()).toEqual(['content.en.sms.text', 'content.zh-CN.sms']);
  });

  it('names each undeclared variable where it is used, inside plurals, selects and WeChat fields too', () => {
    const problems = checkTemplateVariables(
      {
        en: { sms: { text: '{n, plural, one {# seat on {fligth}} other {# seats}} for {customer_given_name}' } },
        'zh-CN': { sms: { text: '{tier, select, gold {金卡} other {{event_order_id}}}' }, wechat: { template_id: 'T', fields: { first: '{gate}' } } },
      },
      [
        { name: 'n', required: true },
        { name: 'tier', required: false },
      ],
    );
    expect(problems.map((p) => `${p.field}: ${p.message.split(':')[0]}`)).toEqual([
      'content.en.sms.text: uses the unknown variable fligth',
      'content.zh-CN.wechat.fields.first: uses the unknown variable gate',
    ]);
  });

  it("lists the required variables a send has no value for, leaving the customer's and loyalty figures to dispatch", () => {
    const declared = [
      { name: 'flight', required: true },
      { name: 'gate', required: false },
      { name: 'event_order_id', required: true },
      { name: 'customer_vip', required: true },
    ];
    expect(missingVariables(declared, { flight: '', event: { order_id: 'o-1' } })).toEqual(['flight']);
    expect(missingVariables(declared, { flight: 'MU5101' })).toEqual(['event_order_id']);
    expect(missingVariables(declared, { flight: 'MU5101', event: { order_id: 7 } })).toEqual([]);
  });
});

describe('channel choice', () => {
  it('takes the first ranked channel with consent for the purpose, a variant and an address', () => {
    const profile = {
      channels: ['sms', 'email', 'wechat'],
      consent: { 'sms:marketing': 'withdrawn', 'email:marketing': 'granted', 'wechat:marketing': 'granted' } as Record<string, 'granted' | 'withdrawn'>,
      addresses: { sms: '+8613800000000', email: 'a@example.com' },
    };
    expect(chooseChannel(profile, 'marketing', ['sms', 'email', 'wechat']).channel).toBe('email');
    expect(chooseChannel(profile, 'marketing', ['sms', 'wechat'])).toEqual({
      channel: null,
      skipped: [
        { channel: 'sms', why: 'no_consent' },
        { channel: 'email', why: 'no_template_variant' },
        { channel: 'wechat', why: 'no_address' },
      ],
    });
    // Service messages need no opt-in, only no withdrawal.
    expect(chooseChannel({ ...profile, consent: {} }, 'service', ['sms']).channel).toBe('sms');
    expect(chooseChannel({ ...profile, consent: {} }, 'marketing', ['sms']).channel).toBe(null);
  });
});

describe('signed links', () => {
  it('verifies its own links and refuses a changed purpose or another key', () => {
    const token = signLink('k1', { t: 'ten_01kaaaaaaaaaaaaaaaaaaaaaaa', m: 'msg_01kbbbbbbbbbbbbbbbbbbbbbbb', k: 'u' });
    expect(token.length).toBeLessThanOrEqual(100);
    expect(tenantOfToken(token)).toBe('ten_01kaaaaaaaaaaaaaaaaaaaaaaa');
    expect(verifyLink('k1', token)?.m).toBe('msg_01kbbbbbbbbbbbbbbbbbbbbbbb');
    expect(verifyLink('k2', token)).toBeUndefined();
    const [t, , sig] = token.split('.');
    expect(verifyLink('k1', `${t}.msg_01kccccccccccccccccccccccc.${sig}`)).toBeUndefined();
  });
});
