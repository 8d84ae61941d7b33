// What customers reach without logging in: the hosted survey page behind a signed link, the page
// button's script and frame. Answers come back as JSON; bad links and answers get problem+json.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { parseOrThrow, z } from '../../platform/validation.js';
import type { FeedbackService } from './feedback-service.js';
import { AnswersInput, chooseLanguage, type Answers, type Language } from './survey-definition.js';
import { renderSurveyPage, renderMessagePage, feedbackButtonScript } from './render-survey-page.js';

const Body = z
  .object({
    answers: AnswersInput.default({}),
    partial: z.boolean().default(false),
    language: z.string().max(35).optional(),
    page_url: z.string().max(2000).optional(),
  })
  .strict();

const MESSAGES: Record<Language, Record<string, [string, string]>> = {
  en: {
    SURVEY_LINK_EXPIRED: ['Link expired', 'This survey link has expired.'],
    SURVEY_ALREADY_ANSWERED: ['Already answered', 'You have already answered this survey. Thank you!'],
    other: ['Link not valid', 'This survey link is not valid.'],
  },
  'zh-CN': {
    SURVEY_LINK_EXPIRED: ['链接已过期', '此问卷链接已过期。'],
    SURVEY_ALREADY_ANSWERED: ['已提交', '您已填写过此问卷，谢谢！'],
    other: ['链接无效', '此问卷链接无效。'],
  },
};

const tokenParam = z.object({ token: z.string().min(1).max(1000) });
const pageQuery = z.object({ lang: z.string().max(35).optional(), page: z.string().max(2000).optional() });

function pageError(reply: FastifyReply, err: unknown, lang: Language) {
  if (!(err instanceof AppError)) throw err;
  const [title, message] = MESSAGES[lang][err.code] ?? MESSAGES[lang].other;
  return reply
    .status(err.status)
    .type('text/html; charset=utf-8')
    .send(renderMessagePage(lang, title, message));
}

export function feedbackPublicRoutes(service: FeedbackService): FastifyPluginAsync {
  return async (app) => {
    const page = async (kind: 's' | 'b', req: { params: unknown; query: unknown; headers: Record<string, unknown> }, reply: FastifyReply) => {
      const { token } = parseOrThrow(tokenParam, req.params);
      const q = parseOrThrow(pageQuery, req.query);
      const accept = String(req.headers['accept-language'] ?? '').split(',')[0];
      const guess = chooseLanguage([q.lang, accept], { default_language: 'en' } as never);
      try {
        const l = await service.openLink(token);
        if ((kind === 's') !== !!l.invitation) return pageError(reply, new AppError(403, 'SURVEY_LINK_INVALID', 'wrong kind of link'), guess);
        const lang = chooseLanguage([q.lang, l.profile?.language, l.profile?.locale, accept], l.definition);
        if (l.invitation?.status === 'answered') return pageError(reply, new AppError(409, 'SURVEY_ALREADY_ANSWERED', 'answered'), lang);
        const answers: Answers = l.invitation ? await service.pendingPartial(l.tenantId, l.invitation.id) : {};
        reply
          .header('cache-control', 'no-store')
          .header('x-frame-options', kind === 'b' ? undefined : 'DENY')
          .header('referrer-policy', 'no-referrer');
        return reply
          .type('text/html; charset=utf-8')
          .send(renderSurveyPage(l.definition, lang, { postUrl: `/${kind}/${encodeURIComponent(token)}`, answers, pageUrl: q.page }));
      } catch (err) {
        return pageError(reply, err, guess);
      }
    };

    app.get('/s/:token', { schema: { hide: true }, config: { isPublic: true } }, (req, reply) => page('s', req, reply));
    app.get('/b/:token', { schema: { hide: true }, config: { isPublic: true } }, (req, reply) => page('b', req, reply));

    // The widget's pop-in answers from the customer's site: JSON sent as text/plain is a CORS "simple
    // request" (no preflight), and the origin may read the answer (the signed token is the credential).
    // Parsed as JSON is, prototype-poisoning guard included.
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
    const allowOrigin = async (req: FastifyRequest, reply: FastifyReply) => {
      const origin = req.headers.origin;
      if (typeof origin === 'string') reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    };

    const answer = (kind: 's' | 'b') => async (req: { params: unknown; body: unknown }, reply: FastifyReply) => {
      const { token } = parseOrThrow(tokenParam, req.params);
      const body = parseOrThrow(Body, req.body ?? {});
      const pageUrl = kind === 'b' && body.page_url && /^https?:\/\//i.test(body.page_url) ? body.page_url : undefined;
      const r = await service.submitByLink(token, { answers: body.answers as Answers, isPartial: body.partial, language: body.language, pageUrl });
      return reply.status(201).send({ id: r.id, status: r.status, missing: r.missing });
    };
    app.post('/s/:token', { schema: { hide: true }, config: { isPublic: true }, onSend: allowOrigin }, answer('s'));
    app.post('/b/:token', { schema: { hide: true }, config: { isPublic: true } }, answer('b'));

    const script = feedbackButtonScript();
    app.get('/feedback/button.js', { schema: { hide: true }, config: { isPublic: true } }, async (_req, reply) =>
      reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(script),
    );
  };
}
