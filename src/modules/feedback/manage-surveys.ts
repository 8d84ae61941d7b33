// Surveys and their versions. Changing what a survey asks makes a new version; responses keep the
// version they answered, so old answers are always read against the questions they answered.
import type pg from 'pg';
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { z } from '../../platform/validation.js';
import { SurveyDefinition, checkDefinition } from './survey-definition.js';
import { invalidSurvey } from './errors.js';
import { surveys, surveyVersions } from './schema.js';
import { channelName } from '../customers/index.js';

export const SURVEY_KINDS = ['nps', 'csat', 'ces', 'custom'] as const;
export const JOURNEY_STAGES = ['purchase', 'use', 'service'] as const;
export const SURVEY_CHANNELS = ['email', 'sms', 'wechat', 'weibo', 'webchat', 'phone', 'whatsapp', 'app_push', 'web', 'widget'] as const;
const EventType = z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/, 'must be an event type such as bill_issued');

export const Trigger = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('event'),
      event_type: EventType,
      delay_minutes: z
        .number()
        .int()
        .min(0)
        .max(60 * 24 * 60)
        .default(0),
      first_time_only: z.boolean().default(false),
      /** Older events (an import of history) never trigger a survey. */
      max_age_hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 365)
        .default(48),
    })
    .strict(),
  z
    .object({
      type: z.literal('abandonment'),
      start_event: EventType,
      complete_event: EventType,
      within_minutes: z
        .number()
        .int()
        .min(1)
        .max(60 * 24 * 30),
    })
    .strict(),
  z
    .object({
      type: z.literal('conversation_resolved'),
      delay_minutes: z
        .number()
        .int()
        .min(0)
        .max(60 * 24 * 30)
        .default(0),
    })
    .strict(),
  z
    .object({
      type: z.literal('periodic'),
      every_days: z.number().int().min(1).max(3650),
      segment: z.object({ is_core: z.boolean().optional() }).strict().default({}),
    })
    .strict(),
]);
export type Trigger = z.infer<typeof Trigger>;

const SurveyFields = {
  name: z.string().trim().min(1).max(200),
  throttle_days: z.number().int().min(0).max(3650).nullable().optional(),
  consent_purpose: z.enum(['transactional', 'service', 'marketing']).optional(),
  channel: channelName(SURVEY_CHANNELS).optional(),
  touchpoint: z.string().trim().min(1).max(100).nullable().optional(),
  journey_stage: z.enum(JOURNEY_STAGES).nullable().optional(),
  triggers: z.array(Trigger).max(20).optional(),
  link_ttl_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .optional(),
};

export const SurveyInput = z.object({ ...SurveyFields, kind: z.enum(SURVEY_KINDS), definition: SurveyDefinition }).strict();
export type SurveyInput = z.infer<typeof SurveyInput>;
export const SurveyPatch = z
  .object({
    ...SurveyFields,
    name: SurveyFields.name.optional(),
    status: z.enum(['active', 'paused', 'archived']).optional(),
    definition: SurveyDefinition.optional(),
  })
  .strict();
export type SurveyPatch = z.infer<typeof SurveyPatch>;

export interface SurveyRow {
  id: string;
  name: string;
  kind: string;
  status: string;
  current_version: number;
  throttle_days: number | null;
  consent_purpose: string;
  channel: string;
  touchpoint: string | null;
  journey_stage: string | null;
  triggers: Trigger[];
  link_ttl_hours: number;
  created_at: string;
  updated_at: string;
}

function checkOrThrow(input: { kind?: string; definition?: SurveyDefinition }) {
  if (!input.definition) return;
  const problems = checkDefinition(input.definition);
  if (input.kind && input.kind !== 'custom' && !input.definition.questions.some((q) => q.type === input.kind)) {
    problems.push({ field: 'definition.questions', message: `needs a question of the survey's kind (${input.kind.toUpperCase()})` });
  }
  if (problems.length) throw invalidSurvey('The survey definition is not valid', problems);
}

const Survey = rowOf(surveys, [
  'id',
  'name',
  'kind',
  'status',
  'current_version',
  'throttle_days',
  'consent_purpose',
  'channel',
  'touchpoint',
  'journey_stage',
  'triggers',
  'link_ttl_hours',
  'created_at',
  'updated_at',
]);
const COLUMNS = Survey.selectList;
const toSurvey = (r: typeof Survey.row): SurveyRow => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});
const Version = rowOf(surveyVersions, ['version', 'definition', 'created_at']);

export async function createSurvey(tx: pg.PoolClient, tenantId: string, input: SurveyInput): Promise<string> {
  checkOrThrow(input);
  const id = newId('srv');
  await tx.query(
    `INSERT INTO surveys (tenant_id, id, name, kind, throttle_days, consent_purpose, channel, touchpoint, journey_stage, triggers, link_ttl_hours)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [
      tenantId,
      id,
      input.name,
      input.kind,
      input.throttle_days ?? null,
      input.consent_purpose ?? 'service',
      input.channel ?? 'email',
      input.touchpoint ?? null,
      input.journey_stage ?? null,
      JSON.stringify(input.triggers ?? []),
      input.link_ttl_hours ?? 336,
    ],
  );
  await tx.query('INSERT INTO survey_versions (tenant_id, survey_id, version, definition) VALUES ($1,$2,1,$3)', [
    tenantId,
    id,
    JSON.stringify(input.definition),
  ]);
  return id;
}

/** Returns false when there is no such survey. A new definition becomes the next version. */
export async function updateSurvey(tx: pg.PoolClient, tenantId: string, id: string, patch: SurveyPatch): Promise<boolean> {
  const current = await queryRow(
    tx,
    rowOf(surveys, ['kind', 'current_version']),
    'SELECT kind, current_version FROM surveys WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, id],
  );
  if (!current) return false;
  checkOrThrow({ kind: current.kind, definition: patch.definition });
  const sets: string[] = [];
  const values: unknown[] = [tenantId, id];
  const set = (col: string, v: unknown) => {
    values.push(v);
    sets.push(`${col} = $${values.length}`);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.throttle_days !== undefined) set('throttle_days', patch.throttle_days);
  if (patch.consent_purpose !== undefined) set('consent_purpose', patch.consent_purpose);
  if (patch.channel !== undefined) set('channel', patch.channel);
  if (patch.touchpoint !== undefined) set('touchpoint', patch.touchpoint);
  if (patch.journey_stage !== undefined) set('journey_stage', patch.journey_stage);
  if (patch.triggers !== undefined) set('triggers', JSON.stringify(patch.triggers));
  if (patch.link_ttl_hours !== undefined) set('link_ttl_hours', patch.link_ttl_hours);
  if (patch.definition) {
    const version = current.current_version + 1;
    await tx.query('INSERT INTO survey_versions (tenant_id, survey_id, version, definition) VALUES ($1,$2,$3,$4)', [
      tenantId,
      id,
      version,
      JSON.stringify(patch.definition),
    ]);
    set('current_version', version);
  }
  await tx.query(`UPDATE surveys SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE tenant_id = $1 AND id = $2`, values);
  return true;
}

export async function getSurvey(db: Queryable, tenantId: string, id: string): Promise<SurveyRow | undefined> {
  const r = await queryRow(db, Survey, `SELECT ${COLUMNS} FROM surveys WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return r ? toSurvey(r) : undefined;
}

export async function listSurveys(db: Queryable, tenantId: string, opts: { status?: string } = {}): Promise<SurveyRow[]> {
  const rows = await queryRows(
    db,
    Survey,
    `SELECT ${COLUMNS} FROM surveys WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id LIMIT 500`,
    [tenantId, opts.status ?? null],
  );
  return rows.map(toSurvey);
}

export async function getSurveyVersion(db: Queryable, tenantId: string, surveyId: string, version: number): Promise<SurveyDefinition | undefined> {
  const r = await queryRow(
    db,
    rowOf(surveyVersions, ['definition']),
    'SELECT definition FROM survey_versions WHERE tenant_id = $1 AND survey_id = $2 AND version = $3',
    [tenantId, surveyId, version],
  );
  return r?.definition;
}

export async function listSurveyVersions(db: Queryable, tenantId: string, surveyId: string) {
  const rows = await queryRows(
    db,
    Version,
    'SELECT version, definition, created_at FROM survey_versions WHERE tenant_id = $1 AND survey_id = $2 ORDER BY version',
    [tenantId, surveyId],
  );
  return rows.map((r) => ({ version: r.version, definition: r.definition, created_at: r.created_at.toISOString() }));
}
