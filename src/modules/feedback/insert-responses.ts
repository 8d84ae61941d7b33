// Writing prepared responses, many in one statement: each joins its open invitation, completes or
// updates what it answers, adds to the roll-ups and the customer's timeline (write-response-batches.ts
// commits them together; submit-response.ts shares the invitation look-up).
import { prepared, type Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { activeCustomersSql } from '../customers/index.js';
import { timelineInsertSql } from '../events/index.js';
import { addToSumsSql, SUMMED_COLUMNS } from './keep-rollups.js';
import type { PreparedResponse } from './prepare-response.js';
import { surveyResponses } from './schema.js';

const SUMS = addToSumsSql('ins');
const Written = rowOf(surveyResponses, ['id', 'customer_id', 'invitation_id', 'channel', 'touchpoint', 'journey_stage', 'trigger']);
/**
 * The customer's latest invitation to the survey still waiting for a first answer at the response's
 * instant, for a response `w` (with cid, survey_id, at) that answers one: probed through the
 * (tenant, customer, created_at) index, so it plans the same on a tenant's first rows.
 */
export const openInvitationSql = (w: string) =>
  `SELECT i.id, i.channel, i.touchpoint, i.journey_stage, i.trigger, i.context->>'conversation_id' AS conversation_id FROM survey_invitations i
    WHERE i.tenant_id = $1 AND i.customer_id = ${w}.cid AND i.survey_id = ${w}.survey_id AND i.status = 'issued' AND i.created_at <= ${w}.at AND i.expires_at > ${w}.at
    ORDER BY i.created_at DESC LIMIT 1`;
const INSERT_RESPONSES = prepared(
  'feedback-insert-responses',
  `WITH r AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::text[], $10::text[], $11::text[], $12::text[],
                            $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::timestamptz[], $21::bool[], $22::bool[], $23::text[])
         AS r(id, survey_id, version, customer_id, submission_key, kind, score, answers, open_text, status, channel, touchpoint, journey_stage, trigger, language, page_url, sentiment, topics, at, checked, answers_invitation, topic_sentiments)
     ),
     found AS (${activeCustomersSql('SELECT customer_id FROM r WHERE checked')}),
     w AS (
       SELECT r.*, coalesce(f.id, r.customer_id) AS cid
         FROM r LEFT JOIN found f ON r.checked AND f.asked = r.customer_id
        WHERE NOT r.checked OR r.customer_id IS NULL OR f.id IS NOT NULL
     ),
     -- Each open invitation is answered by one response of the batch (the earliest); the others stand alone.
     inv AS (
       SELECT DISTINCT ON (i.id) w.id AS response_id, i.*
         FROM w CROSS JOIN LATERAL (${openInvitationSql('w')}) i
        WHERE w.answers_invitation AND w.cid IS NOT NULL
        ORDER BY i.id, w.at, w.id
     ),
     ins AS (
       INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, invitation_id, submission_key, kind, score, answers, open_text, status, channel, touchpoint,
         journey_stage, trigger, language, page_url, sentiment, topics, topic_sentiments, text_processed_at, started_at, submitted_at, updated_at)
       SELECT $1, w.id, w.survey_id, w.version, w.cid, i.id, w.submission_key, w.kind, w.score, w.answers::jsonb, w.open_text, w.status,
              coalesce(i.channel, w.channel), coalesce(i.touchpoint, w.touchpoint), coalesce(i.journey_stage, w.journey_stage), coalesce(i.trigger, w.trigger),
              w.language, w.page_url, w.sentiment, ARRAY(SELECT jsonb_array_elements_text(coalesce(w.topics, '[]')::jsonb)), coalesce(w.topic_sentiments, '{}')::jsonb,
              CASE WHEN w.sentiment IS NOT NULL THEN now() END, w.at, CASE WHEN w.status = 'complete' THEN w.at END, w.at
         FROM w LEFT JOIN inv i ON i.response_id = w.id
       ON CONFLICT DO NOTHING
       RETURNING id, status, customer_id, invitation_id, trigger, survey_version, submitted_at, ${SUMMED_COLUMNS}
     ),
     answered AS (
       UPDATE survey_invitations i SET status = CASE WHEN ins.status = 'complete' THEN 'answered' ELSE 'partial' END
         FROM ins WHERE i.tenant_id = $1 AND i.id = ins.invitation_id
     ),
     sums AS (${SUMS.sums}),
     topic_sums AS (${SUMS.topicSums}),
     timeline AS (${timelineInsertSql(`SELECT 'feedback:' || ins.id, 'survey.response', ins.submitted_at, ins.customer_id, 'feedback',
         jsonb_build_object('response_id', ins.id, 'survey_id', ins.survey_id, 'survey_version', ins.survey_version, 'kind', ins.kind, 'score', ins.score, 'touchpoint', ins.touchpoint, 'channel', ins.channel, 'journey_stage', ins.journey_stage)
           || CASE WHEN inv.conversation_id IS NOT NULL THEN jsonb_build_object('conversation_id', inv.conversation_id) ELSE '{}' END
         FROM ins LEFT JOIN inv ON inv.id = ins.invitation_id WHERE ins.status = 'complete' AND ins.customer_id IS NOT NULL`)})
     SELECT id, customer_id, invitation_id, channel, touchpoint, journey_stage, trigger FROM ins`,
);

/** What the write decided for a response: the customer it was stored for, and the invitation it answers (with where that invitation was sent). */
export interface WrittenResponse {
  customerId: string | null;
  invitationId: string | null;
  channel: string | null;
  touchpoint: string | null;
  journeyStage: string | null;
  trigger: string | null;
}

/**
 * Writes prepared responses with their daily sums, topic sums and timeline items in one statement: one
 * round trip, atomic without an open transaction, so the sums' rows are locked only while the database
 * itself works on them. A row is not written when its submission key is already stored, or when it
 * must name an active customer and does not; the caller answers those the one-by-one way (which merges
 * partial answers, refuses a second completion, or names the unknown customer). A response that
 * answers the customer's open invitation (input.answersInvitation) is linked to it and marks it
 * answered in the same statement. Returns the rows written, each with the customer it was stored for
 * (the survivor, when the id given was merged) and the invitation it answers. The
 * sums are computed from the rows the insert returned, so a skipped row is never counted.
 */
export async function insertResponses(db: Queryable, tenantId: string, rows: PreparedResponse[]): Promise<Map<string, WrittenResponse>> {
  const col = <T>(f: (r: PreparedResponse) => T) => rows.map(f);
  const inserted = await queryRows(
    db,
    Written,
    INSERT_RESPONSES([
      tenantId,
      col((r) => r.id),
      col((r) => r.survey.id),
      col((r) => r.survey.version),
      col((r) => r.input.customerId ?? null),
      col((r) => r.input.submissionKey ?? null),
      col((r) => r.survey.kind),
      col((r) => r.score),
      col((r) => JSON.stringify(r.answers)),
      col((r) => r.openText),
      col((r) => r.status),
      col((r) => r.input.channel ?? null),
      col((r) => r.input.touchpoint ?? null),
      col((r) => r.input.journeyStage ?? null),
      col((r) => r.input.trigger ?? null),
      col((r) => r.input.language ?? null),
      col((r) => r.input.pageUrl ?? null),
      col((r) => r.analysis?.sentiment ?? null),
      col((r) => (r.analysis ? JSON.stringify(r.analysis.topics) : null)),
      col((r) => r.input.at),
      col((r) => !!r.checkCustomer),
      col((r) => !!r.input.answersInvitation),
      col((r) => (r.analysis ? JSON.stringify(r.analysis.topicSentiments) : null)),
    ]),
  );
  return new Map(
    inserted.map((r) => [
      r.id,
      {
        customerId: r.customer_id,
        invitationId: r.invitation_id,
        channel: r.channel,
        touchpoint: r.touchpoint,
        journeyStage: r.journey_stage,
        trigger: r.trigger,
      },
    ]),
  );
}
