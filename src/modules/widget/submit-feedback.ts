// Feedback from the widget's button: stored with the page it was given on and, when the visitor proves
// their anonymous id (the visitor token a web chat channel signed for it), put on that visitor's
// timeline through event ingestion. An email typed into the form proves nothing: it is kept on the
// feedback for the team to read and never joins a profile, so that nobody can pair their own visitor
// id with somebody else's address and read that customer's chat. A resend with the same submission key (an
// answer lost on a phone's network) finds the stored row and stores nothing twice.
import type pg from 'pg';
import { sha256 } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { RateLimit, RateLimiter } from '../../platform/rate-limit.js';
import type { EventsService } from '../events/index.js';
import { widgetThrottled } from './errors.js';
import { widgetFeedback } from './schema.js';

// Twenty per client address in ten minutes: enough for a shop floor's shared tablet, not for a script.
const FEEDBACK_LIMIT: RateLimit = { name: 'widget-feedback', limit: 20, windowSeconds: 600 };

export interface FeedbackInput {
  text: string;
  rating?: number;
  page_url?: string;
  anonymous_id?: string;
  visitor_token?: string;
  email?: string;
  submission_key?: string;
}

/** Whether a visitor token proves an anonymous id (the inbox's web chat signs them). */
export type VisitorCheck = (tenantId: string, anonymousId: string, token: string) => Promise<boolean>;

export async function submitFeedback(
  deps: { pool: pg.Pool; events: EventsService; limiter: RateLimiter; clock: Clock; isVisitor: VisitorCheck },
  tenantId: string,
  input: FeedbackInput,
  client: string,
) {
  const clientHash = sha256(`widget:${client}`);
  if (!(await deps.limiter.take(tenantId, FEEDBACK_LIMIT, client)).isAllowed) throw widgetThrottled();

  // The row first: it decides, once, whether this is a new submission or the resend of one stored.
  const stored = await deps.pool.query<{ id: string }>(
    `INSERT INTO widget_feedback (tenant_id, id, text, rating, page_url, client_hash, email, submission_key, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
     ON CONFLICT (tenant_id, submission_key) WHERE submission_key IS NOT NULL DO NOTHING RETURNING id`,
    [
      tenantId,
      newId('wfb'),
      input.text,
      input.rating ?? null,
      input.page_url ?? null,
      clientHash,
      input.email ?? null,
      input.submission_key ?? null,
      deps.clock.now(),
    ],
  );
  if (!stored.rows.length) {
    const prior = await deps.pool.query<{ id: string; customer_id: string | null }>(
      'SELECT id, customer_id FROM widget_feedback WHERE tenant_id = $1 AND submission_key = $2',
      [tenantId, input.submission_key],
    );
    return { id: prior.rows[0].id, customer_id: prior.rows[0].customer_id, isReplay: true };
  }
  const id = stored.rows[0].id;
  let customerId: string | null = null;
  const isProven = !!input.anonymous_id && !!input.visitor_token && (await deps.isVisitor(tenantId, input.anonymous_id, input.visitor_token));
  if (isProven) {
    const r = await deps.events.ingest(
      tenantId,
      [
        {
          id,
          type: 'feedback.widget',
          occurred_at: deps.clock.now().toISOString(),
          identities: { anonymous_id: input.anonymous_id },
          properties: { text: input.text, ...(input.rating ? { rating: input.rating } : {}), ...(input.page_url ? { page_url: input.page_url } : {}) },
        },
      ],
      { source: 'widget', actor: { type: 'system', id: 'widget' } },
    );
    customerId = r.results[0]?.customer_id ?? null;
    if (customerId) await deps.pool.query('UPDATE widget_feedback SET customer_id = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, customerId]);
  }
  return { id, customer_id: customerId, isReplay: false };
}

const ListedFeedback = rowOf(widgetFeedback, ['id', 'customer_id', 'email', 'text', 'rating', 'page_url', 'created_at']);

export async function listFeedback(pool: pg.Pool, tenantId: string, q: { limit: number; cursor?: string }) {
  const rows = await queryRows(
    pool,
    ListedFeedback,
    `SELECT id, customer_id, email, text, rating, page_url, created_at FROM widget_feedback
      WHERE tenant_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [tenantId, q.cursor ?? null, q.limit + 1],
  );
  const page = rows.slice(0, q.limit).map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
  return { data: page, next_cursor: rows.length > q.limit ? page[page.length - 1].id : null };
}
