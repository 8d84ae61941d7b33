// Server-rendered help centre pages: plain HTML that search engines index and that works without
// JavaScript, in the visitor's language (UI strings in zh-CN, zh-TW and en).
import { escapeHtml } from './highlight-text.js';
import type { Language } from './search-articles.js';

const UI: Record<Language, Record<string, string>> = {
  en: {
    helpCentre: 'Help Centre',
    search: 'Search',
    searchPlaceholder: 'Search for answers',
    results: 'Results for',
    noResults: 'No articles match your search. Try other words, or contact us.',
    categories: 'Categories',
    articles: 'Articles',
    wasHelpful: 'Was this article helpful?',
    yes: 'Yes',
    no: 'No',
    comment: 'Tell us more (optional)',
    send: 'Send',
    thanks: 'Thank you for your feedback.',
    otherLanguages: 'Also available in',
    updated: 'Updated',
    notFound: 'This page does not exist.',
    home: 'Home',
    other: 'Other',
  },
  'zh-CN': {
    helpCentre: '帮助中心',
    search: '搜索',
    searchPlaceholder: '搜索答案',
    results: '搜索结果：',
    noResults: '没有找到相关文章。请换个说法，或联系我们。',
    categories: '分类',
    articles: '文章',
    wasHelpful: '这篇文章对您有帮助吗？',
    yes: '有帮助',
    no: '没有帮助',
    comment: '补充说明（可选）',
    send: '提交',
    thanks: '感谢您的反馈。',
    otherLanguages: '其他语言版本',
    updated: '更新于',
    notFound: '页面不存在。',
    home: '首页',
    other: '其他',
  },
  'zh-TW': {
    helpCentre: '說明中心',
    search: '搜尋',
    searchPlaceholder: '搜尋答案',
    results: '搜尋結果：',
    noResults: '沒有找到相關文章。請換個說法，或聯絡我們。',
    categories: '分類',
    articles: '文章',
    wasHelpful: '這篇文章對您有幫助嗎？',
    yes: '有幫助',
    no: '沒有幫助',
    comment: '補充說明（選填）',
    send: '送出',
    thanks: '感謝您的意見。',
    otherLanguages: '其他語言版本',
    updated: '更新於',
    notFound: '頁面不存在。',
    home: '首頁',
    other: '其他',
  },
};

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' };

export const t = (lang: Language, key: string) => UI[lang][key] ?? UI.en[key] ?? key;

export interface PageContext {
  slug: string;
  tenantName: string;
  lang: Language;
  path: string;
}

const base = (c: PageContext) => `/help/${encodeURIComponent(c.slug)}`;
const withLang = (href: string, lang: string) => `${href}${href.includes('?') ? '&' : '?'}language=${encodeURIComponent(lang)}`;

/**
 * A small, safe subset of Markdown for article bodies: headings (#), lists (- or *), paragraphs and
 * line breaks. Everything is escaped first, so an article can never inject markup into the page.
 */
export function renderBody(body: string): string {
  const out: string[] = [];
  for (const block of body.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.trim());
    if (!lines.length) continue;
    const heading = /^(#{1,3})\s+(.*)$/.exec(lines[0]);
    if (heading && lines.length === 1) {
      const level = heading[1].length + 1;
      out.push(`<h${level}>${escapeHtml(heading[2])}</h${level}>`);
    } else if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      out.push(`<ul>${lines.map((l) => `<li>${escapeHtml(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`);
    } else {
      out.push(`<p>${lines.map(escapeHtml).join('<br>')}</p>`);
    }
  }
  return out.join('\n');
}

export function layout(
  c: PageContext,
  page: { title: string; description?: string; main: string; alternates?: { lang: string; href: string }[]; canonical?: string; noindex?: boolean },
): string {
  const alternates = (page.alternates ?? []).map((a) => `<link rel="alternate" hreflang="${escapeHtml(a.lang)}" href="${escapeHtml(a.href)}">`).join('\n');
  return `<!doctype html>
<html lang="${c.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · ${escapeHtml(c.tenantName)} ${escapeHtml(t(c.lang, 'helpCentre'))}</title>
${page.description ? `<meta name="description" content="${escapeHtml(page.description)}">` : ''}
${page.noindex ? '<meta name="robots" content="noindex">' : ''}
${page.canonical ? `<link rel="canonical" href="${escapeHtml(page.canonical)}">` : ''}
${alternates}
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:760px;margin:0 auto;padding:1rem;line-height:1.6;color:#222}a{color:#0b5cad}mark{background:#fff2a8}header{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}form.search input{width:60%;padding:.4rem}.snippet{color:#555;margin:.2rem 0 1rem}nav.langs a{margin-left:.5rem}</style>
</head>
<body>
<header><a href="${withLang(base(c), c.lang)}"><strong>${escapeHtml(c.tenantName)} ${escapeHtml(t(c.lang, 'helpCentre'))}</strong></a>
<nav class="langs">${Object.entries(LANGUAGE_NAMES)
    .map(([l, name]) => (l === c.lang ? `<span>${name}</span>` : `<a href="${escapeHtml(withLang(c.path, l))}" hreflang="${l}">${name}</a>`))
    .join(' ')}</nav></header>
<form class="search" method="get" action="${base(c)}/search" role="search"><input type="hidden" name="lang" value="${c.lang}"><input type="search" name="q" placeholder="${escapeHtml(t(c.lang, 'searchPlaceholder'))}" aria-label="${escapeHtml(t(c.lang, 'search'))}"> <button>${escapeHtml(t(c.lang, 'search'))}</button></form>
<main>
${page.main}
</main>
</body>
</html>`;
}

export function articleLink(c: PageContext, a: { id: string; title: string; language: string }) {
  return `<a href="${escapeHtml(withLang(`${base(c)}/articles/${encodeURIComponent(a.id)}`, a.language))}">${escapeHtml(a.title)}</a>`;
}

export function homePage(c: PageContext, categories: { id: string; name: string; articles: { id: string; title: string; language: string }[] }[]) {
  const main = categories
    .filter((cat) => cat.articles.length)
    .map((cat) => `<section><h2>${escapeHtml(cat.name)}</h2><ul>${cat.articles.map((a) => `<li>${articleLink(c, a)}</li>`).join('')}</ul></section>`)
    .join('\n');
  return layout(c, { title: t(c.lang, 'helpCentre'), main: `<h1>${escapeHtml(t(c.lang, 'helpCentre'))}</h1>\n${main}` });
}

export function articlePage(
  c: PageContext,
  a: { id: string; title: string; body: string; language: string; updated_at: string; alternates: { id: string; language: string }[] },
  opts: { origin: string; thanks: boolean },
) {
  const href = (x: { id: string; language: string }) => `${opts.origin}${base(c)}/articles/${encodeURIComponent(x.id)}?language=${x.language}`;
  const others = a.alternates.filter((x) => x.language !== a.language);
  const feedback = opts.thanks
    ? `<p role="status">${escapeHtml(t(c.lang, 'thanks'))}</p>`
    : `<form method="post" action="${base(c)}/articles/${encodeURIComponent(a.id)}/feedback?language=${c.lang}"><p>${escapeHtml(t(c.lang, 'wasHelpful'))}</p>
<textarea name="comment" maxlength="2000" placeholder="${escapeHtml(t(c.lang, 'comment'))}"></textarea><br>
<button name="helpful" value="yes">${escapeHtml(t(c.lang, 'yes'))}</button> <button name="helpful" value="no">${escapeHtml(t(c.lang, 'no'))}</button></form>`;
  const main = `<article><h1>${escapeHtml(a.title)}</h1>
<p><small>${escapeHtml(t(c.lang, 'updated'))} <time datetime="${a.updated_at}">${a.updated_at.slice(0, 10)}</time></small></p>
${renderBody(a.body)}
</article>
${others.length ? `<p>${escapeHtml(t(c.lang, 'otherLanguages'))}: ${others.map((x) => `<a href="${escapeHtml(href(x))}" hreflang="${x.language}">${LANGUAGE_NAMES[x.language]}</a>`).join(' ')}</p>` : ''}
<aside>${feedback}</aside>`;
  return layout(c, {
    title: a.title,
    description: a.body.replace(/\s+/g, ' ').slice(0, 160),
    main,
    canonical: href(a),
    alternates: a.alternates.map((x) => ({ lang: x.language, href: href(x) })),
  });
}

export function searchPage(c: PageContext, q: string, results: { id: string; language: string; title_html: string; snippet_html: string }[]) {
  const items = results
    .map(
      (r) =>
        `<li><a href="${escapeHtml(withLang(`${base(c)}/articles/${encodeURIComponent(r.id)}`, r.language))}">${r.title_html}</a><p class="snippet">${r.snippet_html}</p></li>`,
    )
    .join('\n');
  const main = `<h1>${escapeHtml(t(c.lang, 'results'))} ${escapeHtml(q)}</h1>\n${results.length ? `<ol>${items}</ol>` : `<p>${escapeHtml(t(c.lang, 'noResults'))}</p>`}`;
  return layout(c, { title: `${t(c.lang, 'search')}: ${q}`, main, noindex: true });
}

export function notFoundPage(c: PageContext) {
  return layout(c, {
    title: t(c.lang, 'notFound'),
    main: `<h1>${escapeHtml(t(c.lang, 'notFound'))}</h1><p><a href="${withLang(base(c), c.lang)}">${escapeHtml(t(c.lang, 'home'))}</a></p>`,
    noindex: true,
  });
}

export function sitemap(origin: string, slug: string, articles: { id: string; language: string }[]) {
  const urls = articles
    .map((a) => `<url><loc>${escapeHtml(`${origin}/help/${encodeURIComponent(slug)}/articles/${encodeURIComponent(a.id)}?language=${a.language}`)}</loc></url>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`;
}
