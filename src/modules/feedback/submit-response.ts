// Storing an answer set: checked against the version it answers, kept when partial, completed once.
// A partial response is updated by later answers to the same invitation or submission key; once
// complete, the same submission again is refused and stores nothing.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { EventsService } from '../events/index.js';

type TimelineEntry = Parameters<EventsService['append']>[2][number];
import { checkAnswers, type Answers, type SurveyDefinition } from './survey-definition.js';
import { alreadyAnswered, invalidAnswers, surveyNotActive } from './errors.js';
import { addResponsesToSums } from './keep-rollups.js';
import { openInvitationSql } from './insert-responses.js';
import { surveyResponses } from './schema.js';

const Prior = rowOf(surveyResponses, ['id', 'status', 'answers']);
// ins.* is what the insert returns; the invitation's conversation comes from its context (openInvitationSql).
const Linked = rowOf(surveyResponses, ['invitation_id', 'channel', 'touchpoint', 'journey_stage', 'trigger']).and<{ conversation_id: string | null }>([
  'conversation_id',
]);

export interface SubmitInput {
  surveyId: string;
  answers: Answers;
  isPartial: boolean;
  customerId?: string | null;
  invitationId?: string;
  submissionKey?: string;
  channel?: string | null;
  touchpoint?: string | null;
  journeyStage?: string | null;
  trigger?: string | null;
  /** The inbox conversation the survey asks about (a CSAT after resolving): kept on the timeline item. */
  conversationId?: string | null;
  language?: string | null;
  pageUrl?: string | null;
  /**
   * Posted through the API for a known customer: an app that shows the survey itself answers the
   * customer's open invitation to it as surely as the link does, so the response is linked to it and
   * the invitation counts as answered in the response rate.
   */
  answersInvitation?: boolean;
  at: Date;
}

export interface SurveyForSubmit {
  id: string;
  kind: string;
  status: string;
  version: number;
  definition: SurveyDefinition;
}

export interface StoredResponse {
  id: string;
  status: 'partial' | 'complete';
  surveyId: string;
  surveyVersion: number;
  customerId: string | null;
  kind: string;
  score: number | null;
  openText: string | null;
  channel: string | null;
  touchpoint: string | null;
  journeyStage: string | null;
  trigger: string | null;
  missing: string[];
}

export async function submitResponse(
  tx: pg.PoolClient,
  tenantId: string,
  survey: SurveyForSubmit,
  input: SubmitInput,
  appendTimeline: (tx: pg.PoolClient, entries: TimelineEntry[]) => Promise<unknown>,
): Promise<StoredResponse> {
  if (survey.status !== 'active') throw surveyNotActive();
  const prior = input.invitationId
    ? await queryRow(tx, Prior, 'SELECT id, status, answers FROM survey_responses WHERE tenant_id = $1 AND invitation_id = $2 FOR UPDATE', [
        tenantId,
        input.invitationId,
      ])
    : input.submissionKey
      ? await queryRow(
          tx,
          Prior,
          'SELECT id, status, answers FROM survey_responses WHERE tenant_id = $1 AND survey_id = $2 AND submission_key = $3 FOR UPDATE',
          [tenantId, survey.id, input.submissionKey],
        )
      : undefined;
  if (prior?.status === 'complete') throw alreadyAnswered('This survey was already answered; nothing was stored', [], { response_id: prior.id });

  // Later answers add to (and correct) the ones a partial response already holds.
  const merged: Answers = { ...prior?.answers, ...input.answers };
  const checked = checkAnswers(survey.definition, survey.kind, merged, { isPartial: input.isPartial });
  if (checked.problems.length) throw invalidAnswers('Some answers are not valid; nothing was stored', checked.problems);
  const status = input.isPartial || !checked.isComplete ? 'partial' : 'complete';
  const submittedAt = status === 'complete' ? input.at : null;
  const id: string = prior?.id ?? newId('rsp');
  const invitationGiven = !!input.invitationId;

  if (prior) {
    await tx.query(
      `UPDATE survey_responses SET answers = $3, score = $4, open_text = $5, status = $6, submitted_at = $7, updated_at = $8,
              text_processed_at = NULL, language = coalesce($9, language), page_url = coalesce($10, page_url)
        WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        id,
        JSON.stringify(checked.answers),
        checked.score,
        checked.openText,
        status,
        submittedAt,
        input.at,
        input.language ?? null,
        input.pageUrl ?? null,
      ],
    );
  } else {
    // Linked to the customer's open invitation (input.answersInvitation) and marking it answered in the same statement.
    const [linked] = await queryRows(
      tx,
      Linked,
      `WITH w AS (SELECT $5::text AS cid, $3::text AS survey_id, $19::timestamptz AS at WHERE $21::bool AND $5::text IS NOT NULL),
            inv AS (SELECT i.* FROM w CROSS JOIN LATERAL (${openInvitationSql('w')}) i),
            ins AS (
              INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, invitation_id, submission_key, kind, score, answers,
                open_text, status, channel, touchpoint, journey_stage, trigger, language, page_url, started_at, submitted_at, updated_at)
              SELECT $1,$2,$3,$4,$5,coalesce($6::text, inv.id),$7,$8,$9,$10,$11,$12,coalesce(inv.channel, $13),coalesce(inv.touchpoint, $14),coalesce(inv.journey_stage, $15),coalesce(inv.trigger, $16),$17,$18,$19,$20,$19
                FROM (SELECT 1) one LEFT JOIN inv ON true
              RETURNING invitation_id, channel, touchpoint, journey_stage, trigger
            ),
            answered AS (UPDATE survey_invitations i SET status = CASE WHEN $12 = 'complete' THEN 'answered' ELSE 'partial' END FROM ins WHERE i.tenant_id = $1 AND i.id = ins.invitation_id)
       SELECT ins.*, inv.conversation_id FROM ins LEFT JOIN inv ON inv.id = ins.invitation_id`,
      [
        tenantId,
        id,
        survey.id,
        survey.version,
        input.customerId ?? null,
        input.invitationId ?? null,
        input.submissionKey ?? null,
        survey.kind,
        checked.score,
        JSON.stringify(checked.answers),
        checked.openText,
        status,
        input.channel ?? null,
        input.touchpoint ?? null,
        input.journeyStage ?? null,
        input.trigger ?? null,
        input.language ?? null,
        input.pageUrl ?? null,
        input.at,
        submittedAt,
        !!input.answersInvitation && !input.invitationId,
      ],
    );
    if (linked.invitation_id) {
      input = {
        ...input,
        invitationId: linked.invitation_id,
        channel: linked.channel,
        touchpoint: linked.touchpoint,
        journeyStage: linked.journey_stage,
        trigger: linked.trigger,
        conversationId: input.conversationId ?? linked.conversation_id,
      };
    }
  }
  if (invitationGiven) {
    await tx.query(`UPDATE survey_invitations SET status = $3 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      input.invitationId,
      status === 'complete' ? 'answered' : 'partial',
    ]);
  }
  if (status === 'complete') await addResponsesToSums(tx, tenantId, [id]);
  if (status === 'complete' && input.customerId) {
    await appendTimeline(tx, [
      {
        id: `feedback:${id}`,
        customerId: input.customerId,
        type: 'survey.response',
        source: 'feedback',
        occurredAt: input.at,
        properties: {
          response_id: id,
          survey_id: survey.id,
          survey_version: survey.version,
          kind: survey.kind,
          score: checked.score,
          touchpoint: input.touchpoint ?? null,
          channel: input.channel ?? null,
          journey_stage: input.journeyStage ?? null,
          ...(input.conversationId ? { conversation_id: input.conversationId } : {}),
        },
      },
    ]);
  }
  return storedResponse(id, status, survey, input, checked);
}

/** What a stored response answers its submitter, one at a time or in a batch (prepare-response.ts). */
export function storedResponse(
  id: string,
  status: 'partial' | 'complete',
  survey: SurveyForSubmit,
  input: SubmitInput,
  checked: { answers: Answers; score: number | null; openText: string | null },
): StoredResponse {
  const missing = status === 'partial' ? survey.definition.questions.filter((q) => q.required && checked.answers[q.key] === undefined).map((q) => q.key) : [];
  return {
    id,
    status,
    surveyId: survey.id,
    surveyVersion: survey.version,
    customerId: input.customerId ?? null,
    kind: survey.kind,
    score: checked.score,
    openText: checked.openText,
    channel: input.channel ?? null,
    touchpoint: input.touchpoint ?? null,
    journeyStage: input.journeyStage ?? null,
    trigger: input.trigger ?? null,
    missing,
  };
}
