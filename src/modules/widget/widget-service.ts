// The widget service: the publishable key and allowed sites, and feedback from the widget's button.
import type { ModuleContext } from '../../platform/context.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { KnowledgeService } from '../knowledge/index.js';
import { getWidgetSettings, saveWidgetSettings, tenantOfWidgetKey } from './manage-widget-settings.js';
import { submitFeedback, listFeedback, type FeedbackInput, type VisitorCheck } from './submit-feedback.js';
import { widgetFeedback } from './schema.js';

const ExportedFeedback = rowOf(widgetFeedback, ['id', 'text', 'rating', 'page_url', 'created_at']);

export function createWidgetService(
  ctx: ModuleContext & {
    customers: CustomersService;
    events: EventsService;
    knowledge: Pick<KnowledgeService, 'widgetSearch' | 'recordSearchEscalated' | 'limitVisitor'>;
  },
) {
  const pool = ctx.db.pool;
  // Until the inbox says how to check a visitor token, no anonymous id is honoured.
  let isVisitor: VisitorCheck = async () => false;

  ctx.customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE widget_feedback SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  });
  // What a person wrote is personal data: erasure removes it, and the feedback left under their email
  // address without proof of it (kept on the feedback, not on the profile) too.
  ctx.customers.onErase(async (tx, tenantId, customerIds, subject) => {
    const emails = subject.identities.filter((i) => i.kind === 'email').map((i) => i.value);
    await tx.query('DELETE FROM widget_feedback WHERE tenant_id = $1 AND (customer_id = ANY($2::text[]) OR lower(email) = ANY($3::text[]))', [
      tenantId,
      customerIds,
      emails,
    ]);
  });
  ctx.customers.addExportSection('widget_feedback', async (tenantId, customerIds) => {
    const rows = await queryRows(
      pool,
      ExportedFeedback,
      'SELECT id, text, rating, page_url, created_at FROM widget_feedback WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY id',
      [tenantId, customerIds],
    );
    return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
  });

  return {
    getSettings: (tenantId: string) => getWidgetSettings(pool, tenantId),
    saveSettings: (tenantId: string, input: { allowed_origins: string[]; rotate_key: boolean }) => saveWidgetSettings(pool, tenantId, input),
    tenantOfKey: (key: string) => tenantOfWidgetKey(pool, key),
    /** The inbox's web chat issues anonymous ids and their visitor tokens; it checks them too. */
    setVisitorCheck(check: VisitorCheck) {
      isVisitor = check;
    },
    submitFeedback: (tenantId: string, input: FeedbackInput, client: string) =>
      submitFeedback({ pool, events: ctx.events, limiter: ctx.limiter, clock: ctx.clock, isVisitor }, tenantId, input, client),
    listFeedback: (tenantId: string, q: { limit: number; cursor?: string }) => listFeedback(pool, tenantId, q),
    /** The help centre searched from the widget before a chat; the visitor's anonymous id only with its token. */
    async searchHelp(
      tenantId: string,
      q: { q: string; language?: string; acceptLanguage?: string; anonymous_id?: string; visitor_token?: string },
      client: string,
    ) {
      await ctx.knowledge.limitVisitor(tenantId, client);
      const isKnown = !!q.anonymous_id && !!q.visitor_token && (await isVisitor(tenantId, q.anonymous_id, q.visitor_token));
      return ctx.knowledge.widgetSearch(tenantId, {
        q: q.q,
        language: q.language,
        acceptLanguage: q.acceptLanguage,
        anonymousId: isKnown ? q.anonymous_id : null,
        limit: 5,
      });
    },
    /** "Still need help": the search did not answer the visitor, who goes on to a chat. */
    async escalateSearch(tenantId: string, searchId: string, visitor: { anonymous_id?: string; visitor_token?: string }) {
      const isKnown = !!visitor.anonymous_id && !!visitor.visitor_token && (await isVisitor(tenantId, visitor.anonymous_id, visitor.visitor_token));
      await ctx.knowledge.recordSearchEscalated(tenantId, searchId, isKnown ? visitor.anonymous_id! : null);
    },
  };
}

export type WidgetService = ReturnType<typeof createWidgetService>;
