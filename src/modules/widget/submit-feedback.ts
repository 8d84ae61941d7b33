// Feedback from the widget's button: stored with the page it was given on and, when the visitor is
// known by an anonymous id or email, put on that customer's timeline through event ingestion (which
// resolves the identity to one customer, creating the profile if needed).
import type pg from 'pg';
import { sha256 } from '../../platform/auth.js';
import { newId } from '../../platform/ids.js';
import type { RateLimit, RateLimiter } from '../../platform/rate-limit.js';
import type { EventsService } from '../events/index.js';
import { widgetThrottled } from './errors.js';

// Twenty per client address in ten minutes: enough for a shop floor's shared tablet, not for a script.
const FEEDBACK_LIMIT: RateLimit = { name: 'widget-feedback', limit: 20, windowSeconds: 600 };

export interface FeedbackInput { text: string; rating?: number; page_url?: string; anonymous_id?: string; email?: string }

export async function submitFeedback(deps: { pool: pg.Pool; events: EventsService; limiter: RateLimiter; now: Date }, tenantId: string, input: FeedbackInput, client: string) {
  const clientHash = sha256(`widget:${client}`);
  if (!(await deps.limiter.take(tenantId, FEEDBACK_LIMIT, client)).isAllowed) throw widgetThrottled();

  const id = newId('wfb');
  let customerId: string | null = null;
  const identities = { ...(input.anonymous_id ? { anonymous_id: input.anonymous_id } : {}), ...(input.email ? { email: input.email } : {}) };
  if (Object.keys(identities).length) {
    const r = await deps.events.ingest(tenantId, [{
      id, type: 'feedback.widget', occurred_at: deps.now.toISOString(), identities,
      properties: { text: input.text, ...(input.rating ? { rating: input.rating } : {}), ...(input.page_url ? { page_url: input.page_url } : {}) },
    }], { source: 'widget', actor: { type: 'system', id: 'widget' } });
    customerId = r.results[0]?.customer_id ?? null;
  }
  await deps.pool.query(
    'INSERT INTO widget_feedback (tenant_id, id, customer_id, text, rating, page_url, client_hash) VALUES ($1,$2,$3,$4,$5,$6,$7)',
    [tenantId, id, customerId, input.text, input.rating ?? null, input.page_url ?? null, clientHash],
  );
  return { id, customer_id: customerId };
}

export async function listFeedback(pool: pg.Pool, tenantId: string, q: { limit: number; cursor?: string }) {
  const { rows } = await pool.query(
    `SELECT id, customer_id, text, rating, page_url, created_at FROM widget_feedback
      WHERE tenant_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [tenantId, q.cursor ?? null, q.limit + 1],
  );
  const page = rows.slice(0, q.limit).map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() }));
  return { data: page, next_cursor: rows.length > q.limit ? page[page.length - 1].id : null };
}
