// The public help centre at /help/<tenant slug>: home, category listing through the home page,
// articles, search and a sitemap, all server-rendered. Only published public articles exist here.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { KnowledgeService } from './knowledge-service.js';
import { pickLanguage, pickSearchLanguage } from './pick-language.js';
import { articlePage, homePage, notFoundPage, searchPage, sitemap, t, type PageContext } from './render-help-centre.js';
import type { Language } from './search-articles.js';

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | undefined> }>;

const isId = (s: unknown): s is string => typeof s === 'string' && /^[\w-]{1,64}$/.test(s);
const one = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** `publicUrl`: where visitors reach the server (RAPPORT_PUBLIC_URL); canonical links and the sitemap name it. */
export function helpCentreRoutes(service: KnowledgeService, opts: { publicUrl: string }): FastifyPluginAsync {
  return async (app) => {
    // Feedback forms post urlencoded bodies; only this plugin (not the JSON API) accepts them.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    async function context(req: Req, reply: FastifyReply) {
      const slug = req.params.slug;
      const hc = isId(slug) ? await service.helpCentre(slug) : undefined;
      // `lang` is the former name of `language`, still read so links already shared keep working.
      const given = one(req.query.language) ?? one(req.query.lang);
      const q = one(req.query.q);
      const fallback = hc?.defaultLanguage ?? 'en';
      const lang = q ? pickSearchLanguage(given, q, req.headers['accept-language'], fallback) : pickLanguage(given, req.headers['accept-language'], fallback);
      const url = new URL(req.url, 'http://x');
      url.searchParams.delete('lang');
      url.searchParams.delete('language');
      const c: PageContext = { slug: slug ?? '', tenantName: hc?.name ?? '', lang, path: url.pathname + url.search };
      reply.header('content-language', lang).header('vary', 'Accept-Language');
      return { hc, c };
    }

    const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);
    // Never the request's Host: these pages are cached publicly, and a forged Host would put another
    // site in every canonical link and sitemap entry a crawler or cache keeps.
    const origin = opts.publicUrl;

    app.get('/help/:slug', { schema: { hide: true }, config: { isPublic: true } }, async (req, reply) => {
      const { hc, c } = await context(req as Req, reply);
      if (!hc) return html(reply, 404, notFoundPage(c));
      const [categories, articles] = await Promise.all([service.listCategories(hc.tenantId), service.listPublicArticles(hc.tenantId, c.lang)]);
      const name = (names: Record<string, string>) =>
        names[c.lang] || names[c.lang.startsWith('zh') ? (c.lang === 'zh-CN' ? 'zh-TW' : 'zh-CN') : 'en'] || Object.values(names)[0] || '';
      const sections = [
        ...categories.map((cat) => ({ id: cat.id, name: name(cat.names), articles: articles.filter((a) => a.category_id === cat.id) })),
        { id: '', name: t(c.lang, 'other'), articles: articles.filter((a) => !a.category_id || !categories.some((cat) => cat.id === a.category_id)) },
      ];
      reply.header('cache-control', 'public, max-age=60');
      return html(reply, 200, homePage(c, sections));
    });

    app.get('/help/:slug/articles/:id', { schema: { hide: true }, config: { isPublic: true } }, async (req, reply) => {
      const r = req as Req;
      const { hc, c } = await context(r, reply);
      const article = hc && isId(r.params.id) ? await service.getPublicArticle(hc.tenantId, r.params.id, c.lang) : undefined;
      if (!hc || !article) return html(reply, 404, notFoundPage(c));
      reply.header('cache-control', 'public, max-age=60');
      return html(reply, 200, articlePage({ ...c, tenantName: hc.name }, article, { origin, thanks: r.query.thanks === '1' }));
    });

    app.post('/help/:slug/articles/:id/feedback', { schema: { hide: true }, config: { isPublic: true } }, async (req, reply) => {
      const r = req as Req;
      const { hc, c } = await context(r, reply);
      if (!hc || !isId(r.params.id)) return html(reply, 404, notFoundPage(c));
      await service.limitVisitor(hc.tenantId, req.ip);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const helpful = one(body.helpful);
      if (helpful !== 'yes' && helpful !== 'no')
        return reply.redirect(`/help/${encodeURIComponent(hc ? r.params.slug : '')}/articles/${r.params.id}?language=${c.lang}`, 303);
      const comment =
        one(body.comment)
          ?.slice(0, 2000)
          .replace(/\u0000/g, '') || null;
      try {
        await service.recordFeedback(hc.tenantId, r.params.id, { helpful: helpful === 'yes', comment }, { isPublic: true });
      } catch (err) {
        if ((err as { status?: number }).status === 404) return html(reply, 404, notFoundPage(c));
        throw err;
      }
      // Post/redirect/get: reloading the thank-you page does not send the feedback twice.
      return reply.redirect(`/help/${encodeURIComponent(r.params.slug)}/articles/${encodeURIComponent(r.params.id)}?language=${c.lang}&thanks=1`, 303);
    });

    app.get('/help/:slug/search', { schema: { hide: true }, config: { isPublic: true } }, async (req, reply) => {
      const r = req as Req;
      const { hc, c } = await context(r, reply);
      if (!hc) return html(reply, 404, notFoundPage(c));
      const q = (one(r.query.q) ?? '')
        .replace(/\u0000/g, '')
        .trim()
        .slice(0, 500);
      if (!q) return reply.redirect(`/help/${encodeURIComponent(r.params.slug)}?language=${c.lang}`, 303);
      await service.limitVisitor(hc.tenantId, req.ip);
      const found = await service.visitorSearch(hc.tenantId, { q, language: c.lang as Language, limit: 20, source: 'help_centre' });
      return html(reply, 200, searchPage({ ...c, tenantName: hc.name }, q, found.results));
    });

    app.get('/help/:slug/sitemap.xml', { schema: { hide: true }, config: { isPublic: true } }, async (req, reply) => {
      const r = req as Req;
      const hc = isId(r.params.slug) ? await service.helpCentre(r.params.slug) : undefined;
      if (!hc) return reply.status(404).type('text/plain').send('not found');
      const lists = await Promise.all((['en', 'zh-CN', 'zh-TW'] as Language[]).map((l) => service.listPublicArticles(hc.tenantId, l, { limit: 50_000 })));
      const seen = new Set<string>();
      const all = lists.flat().filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
      return reply.type('application/xml').send(sitemap(origin, r.params.slug, all));
    });
  };
}
