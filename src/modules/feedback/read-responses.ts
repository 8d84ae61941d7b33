// Reading invitations and responses (console, API), newest first.
import type { Queryable } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { surveyInvitations, surveyResponses } from './schema.js';

const Invitation = rowOf(surveyInvitations, [
  'id',
  'survey_id',
  'survey_version',
  'customer_id',
  'channel',
  'touchpoint',
  'journey_stage',
  'trigger',
  'status',
  'expires_at',
  'created_at',
]);
const Response = rowOf(surveyResponses, [
  'id',
  'survey_id',
  'survey_version',
  'customer_id',
  'invitation_id',
  'kind',
  'score',
  'answers',
  'open_text',
  'status',
  'channel',
  'touchpoint',
  'journey_stage',
  'trigger',
  'language',
  'page_url',
  'sentiment',
  'topics',
  'topic_sentiments',
  'started_at',
  'submitted_at',
]);
const RESPONSE_COLUMNS = Response.selectList;
const toResponse = (r: typeof Response.row) => ({
  ...r,
  started_at: r.started_at.toISOString(),
  submitted_at: r.submitted_at ? r.submitted_at.toISOString() : null,
});

export async function listInvitations(db: Queryable, tenantId: string, q: { surveyId?: string; customerId?: string; limit: number }) {
  const rows = await queryRows(
    db,
    Invitation,
    `SELECT ${Invitation.selectList} FROM survey_invitations
      WHERE tenant_id = $1 AND ($2::text IS NULL OR survey_id = $2) AND ($3::text IS NULL OR customer_id = $3) ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, q.surveyId ?? null, q.customerId ?? null, q.limit],
  );
  return rows.map((r) => ({ ...r, expires_at: r.expires_at.toISOString(), created_at: r.created_at.toISOString() }));
}

export interface ResponseQuery {
  surveyId?: string;
  customerId?: string;
  status?: string;
  kind?: string;
  /** The next_cursor of the page before: responses older than it. */
  cursor?: string;
  limit: number;
}

/**
 * Responses newest first, a page at a time. Ids grow with time (ids.ts), so the page walks the primary
 * key backwards from the cursor, the id of the page before's last response, whatever the filters.
 */
export async function listResponses(db: Queryable, tenantId: string, q: ResponseQuery) {
  const rows = await queryRows(
    db,
    Response,
    `SELECT ${RESPONSE_COLUMNS}
       FROM survey_responses WHERE tenant_id = $1 AND ($2::text IS NULL OR survey_id = $2) AND ($3::text IS NULL OR customer_id = $3) AND ($4::text IS NULL OR status = $4)
        AND ($5::text IS NULL OR kind = $5) AND ($6::text IS NULL OR id < $6)
      ORDER BY id DESC LIMIT $7`,
    [tenantId, q.surveyId ?? null, q.customerId ?? null, q.status ?? null, q.kind ?? null, q.cursor ?? null, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  return { data: page.map(toResponse), next_cursor: rows.length > q.limit ? page[page.length - 1].id : null };
}

export async function getResponse(db: Queryable, tenantId: string, id: string) {
  const r = await queryRow(db, Response, `SELECT ${RESPONSE_COLUMNS} FROM survey_responses WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return r ? toResponse(r) : undefined;
}

const LastFeedback = rowOf(surveyResponses, ['id', 'kind', 'score', 'open_text']);
/** A customer's latest complete response, its text cut to 500 characters: what an agent sees beside a conversation. */
export async function lastFeedbackOf(db: Queryable, tenantId: string, customerId: string) {
  const r = await queryRow(
    db,
    LastFeedback,
    `SELECT id, kind, score, left(open_text, 500) AS open_text FROM survey_responses
      WHERE tenant_id = $1 AND customer_id = $2 AND status = 'complete' ORDER BY submitted_at DESC, id DESC LIMIT 1`,
    [tenantId, customerId],
  );
  return r ? { response_id: r.id, kind: r.kind, score: r.score, text: r.open_text } : null;
}
