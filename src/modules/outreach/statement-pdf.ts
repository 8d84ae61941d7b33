// Post-ready loyalty statements: one A4 page per member, in the member's language (zh-CN, zh-TW or
// en), the postal address placed for a left-window envelope (DIN 5008 form B: 20 mm from the left,
// 45 mm from the top), then the period's figures and tier progress. A print house takes the file as
// it is; members without a postal address are counted so the caller can see who will not get one.
import { formatName, type ContactProfile } from '../customers/index.js';
import type { StatementFigures } from '../loyalty/index.js';
import { A4, mm, PdfPage, renderPdf, textWidth, type PdfFont } from '../../platform/pdf.js';

/** The figures a page prints, as the loyalty module reads them. */
export type StatementPage = Pick<
  StatementFigures,
  | 'customer_id'
  | 'from'
  | 'to'
  | 'opening'
  | 'earned'
  | 'spent'
  | 'expired'
  | 'other'
  | 'closing'
  | 'expiring_points'
  | 'expiring_at'
  | 'tier_name'
  | 'next_tier_name'
  | 'to_next_tier'
>;

type Lang = 'en' | 'zh-CN' | 'zh-TW';

const LABELS: Record<Lang, Record<string, string>> = {
  en: {
    title: 'Loyalty statement',
    period: 'Period',
    member: 'Member number',
    opening: 'Opening balance',
    earned: 'Points earned',
    spent: 'Points spent',
    expired: 'Points expired',
    other: 'Refunds and adjustments',
    closing: 'Closing balance',
    expiring: 'Expiring by {date}',
    tier: 'Your tier',
    next: '{points} more qualifying points to {tier}',
    top: 'You are in our highest tier.',
    none: 'No tier yet',
    thanks: 'Thank you for being with us.',
  },
  'zh-CN': {
    title: '积分对账单',
    period: '账单周期',
    member: '会员编号',
    opening: '期初积分',
    earned: '本期获得',
    spent: '本期使用',
    expired: '本期过期',
    other: '退款及调整',
    closing: '期末积分',
    expiring: '将于 {date} 前过期',
    tier: '会员等级',
    next: '再获得 {points} 定级积分即可升至{tier}',
    top: '您已是最高等级会员。',
    none: '暂无等级',
    thanks: '感谢您一直以来的支持。',
  },
  'zh-TW': {
    title: '積分對帳單',
    period: '帳單週期',
    member: '會員編號',
    opening: '期初積分',
    earned: '本期獲得',
    spent: '本期使用',
    expired: '本期過期',
    other: '退款及調整',
    closing: '期末積分',
    expiring: '將於 {date} 前過期',
    tier: '會員等級',
    next: '再獲得 {points} 定級積分即可升至{tier}',
    top: '您已是最高等級會員。',
    none: '尚無等級',
    thanks: '感謝您一直以來的支持。',
  },
};

export function statementLanguage(profile: Pick<ContactProfile, 'language' | 'locale'> | undefined, fallback: string): Lang {
  for (const tag of [profile?.language, profile?.locale, fallback]) {
    if (!tag) continue;
    const t = tag.toLowerCase();
    if (/^zh-(tw|hk|mo|hant)/.test(t)) return 'zh-TW';
    if (t.startsWith('zh')) return 'zh-CN';
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The postal address a member gave: the `postal_address` attribute (lines separated by newlines). */
export function postalAddress(profile: ContactProfile | undefined): string[] | null {
  const raw = profile?.attributes?.postal_address;
  if (typeof raw !== 'string' || !raw.trim()) return null;
  return raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 6);
}

const fill = (s: string, vars: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

export function renderStatementsPdf(
  statements: StatementPage[],
  profiles: Map<string, ContactProfile>,
  opts: { company: string; defaultLocale: string; timeZone: string },
): { pdf: Buffer; pages: number; withoutAddress: string[] } {
  const pages: PdfPage[] = [];
  const withoutAddress: string[] = [];
  for (const s of statements) {
    const profile = profiles.get(s.customer_id);
    const lang = statementLanguage(profile, opts.defaultLocale);
    const L = LABELS[lang];
    const font: PdfFont = lang === 'zh-TW' ? 'tc' : 'sc';
    const num = new Intl.NumberFormat(lang);
    const date = (iso: string) =>
      new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: opts.timeZone }).format(new Date(iso));
    // The period is [from, to): the last day printed is the day before `to`.
    const lastDay = new Date(new Date(s.to).getTime() - 1).toISOString();
    const page = new PdfPage();
    const left = mm(20);
    const right = A4.width - mm(20);
    page.text(left, mm(20), opts.company, { size: 14, font, isBold: true });
    page.text(right - textWidth(L.title, 16), mm(20), L.title, { size: 16, font, isBold: true });
    // The address field of a window envelope.
    const name = (profile && formatName({ givenName: profile.givenName, familyName: profile.familyName }, lang)) || profile?.displayName || '';
    const address = postalAddress(profile);
    if (!address) withoutAddress.push(s.customer_id);
    [name, ...(address ?? [])].forEach((line, i) => {
      page.text(left, mm(50) + i * 13, line, { size: 11, font });
    });
    let y = mm(105);
    page.text(left, y, `${L.period}: ${date(s.from)} – ${date(lastDay)}`, { size: 10, font });
    page.text(left, y + 14, `${L.member}: ${s.customer_id}`, { size: 10, font });
    y += 40;
    page.rule(left, y - 12, right);
    const rows: [string, number, boolean?][] = [
      [L.opening, s.opening],
      [L.earned, s.earned],
      [L.spent, -s.spent],
      [L.expired, -s.expired],
      ...(s.other ? [[L.other, s.other] as [string, number]] : []),
      [L.closing, s.closing, true],
    ];
    for (const [label, value, isBold] of rows) {
      if (isBold) {
        page.rule(left, y - 11, right);
        y += 4;
      }
      const v = (value > 0 && label !== L.opening && label !== L.closing ? '+' : '') + num.format(value || 0); // never "-0"
      page.text(left, y, label, { size: 11, font, isBold });
      page.text(right - textWidth(v, 11), y, v, { size: 11, font, isBold });
      y += 18;
    }
    if (s.expiring_points > 0 && s.expiring_at) {
      const v = num.format(s.expiring_points);
      const label = fill(L.expiring, { date: date(s.expiring_at) });
      page.text(left, y, label, { size: 11, font });
      page.text(right - textWidth(v, 11), y, v, { size: 11, font });
      y += 18;
    }
    y += 16;
    page.text(left, y, `${L.tier}: ${s.tier_name ?? L.none}`, { size: 11, font, isBold: true });
    y += 16;
    const progress =
      s.next_tier_name && s.to_next_tier != null ? fill(L.next, { points: num.format(s.to_next_tier), tier: s.next_tier_name }) : s.tier_name ? L.top : '';
    if (progress) page.text(left, y, progress, { size: 10, font });
    page.text(left, A4.height - mm(25), L.thanks, { size: 10, font });
    pages.push(page);
  }
  return { pdf: renderPdf(pages, { title: `${opts.company} loyalty statements`, author: opts.company }), pages: pages.length, withoutAddress };
}
