// Templates: one message in several locales, with a variant per channel. Every ICU message is
// parsed when the template is saved, so a broken plural is refused then, not at send time.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { z } from '../../platform/validation.js';
import { PURPOSES } from '../customers/index.js';
import {
  checkTemplateContent,
  checkTemplateVariables,
  templateChannels,
  type Channel,
  type TemplateContent,
  type TemplateVariable,
} from './render-template.js';
import { invalidTemplate } from './errors.js';
import { outreachTemplates } from './schema.js';

const Text = (max: number) => z.string().min(1).max(max);
export const ChannelContentInput = z.object({
  email: z.object({ subject: Text(500), html: Text(200_000), text: Text(100_000) }).optional(),
  sms: z.object({ text: Text(2000) }).optional(),
  wechat: z
    .object({ template_id: Text(128), url: z.string().max(2000).optional(), fields: z.record(z.string().regex(/^[A-Za-z][\w.]{0,63}$/), Text(1000)) })
    .optional(),
  whatsapp: z
    .object({
      text: Text(4096),
      content_sid: z
        .string()
        .regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content SID (HX and 32 hex digits)')
        .optional(),
      variables: z.record(z.string().regex(/^[1-9][0-9]?$/, 'placeholders are numbered 1 to 99'), Text(1024)).optional(),
    })
    .refine((w) => !w.variables || w.content_sid, { message: 'variables fill a content template: content_sid is required', path: ['variables'] })
    .optional(),
});
export const TemplateInput = z.object({
  name: z.string().trim().min(1).max(200),
  purpose: z.enum(PURPOSES),
  default_locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as zh-CN')
    .default('zh-CN'),
  content: z
    .record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale keys are BCP 47 tags such as zh-CN'), ChannelContentInput)
    .refine((c) => Object.keys(c).length >= 1 && Object.keys(c).length <= 20, 'needs 1 to 20 locales'),
  // What a send passes to the template, besides the built-in customer_…, loyalty_…, event_…, survey_… and statement_… variables.
  // Left out of a replacement (PUT), the template keeps the ones it declared.
  variables: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and underscores, starting with a letter'),
        required: z.boolean().default(true).describe('A send without a value for it is not queued: it is recorded as skipped, with the missing names'),
        description: z.string().max(500).optional(),
      }),
    )
    .max(100)
    .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, 'names each variable once')
    .optional(),
});
export type TemplateInput = z.infer<typeof TemplateInput>;

export interface Template {
  id: string;
  name: string;
  purpose: (typeof PURPOSES)[number];
  defaultLocale: string;
  content: TemplateContent;
  channels: Channel[];
  variables: TemplateVariable[];
  createdAt: string;
  updatedAt: string;
}

const TemplateRow = rowOf(outreachTemplates, '*');

function toTemplate(r: typeof TemplateRow.row): Template {
  return {
    id: r.id,
    name: r.name,
    // The check constraint holds purpose to the three; content, channels and variables are what validate() accepted.
    purpose: r.purpose as Template['purpose'],
    defaultLocale: r.default_locale,
    content: r.content as TemplateContent,
    channels: r.channels as Channel[],
    variables: (r.variables ?? []) as TemplateVariable[],
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function validate(input: TemplateInput, variables: TemplateVariable[]) {
  const problems = checkTemplateContent(input.content as TemplateContent, input.default_locale);
  problems.push(...checkTemplateVariables(input.content as TemplateContent, variables));
  if (problems.length) throw invalidTemplate('Some messages of the template are not valid', problems);
  return templateChannels(input.content as TemplateContent, input.default_locale);
}

export async function createTemplate(db: Queryable, tenantId: string, input: TemplateInput): Promise<Template> {
  const variables = (input.variables ?? []) as TemplateVariable[];
  const channels = validate(input, variables);
  const r = await queryRow(
    db,
    TemplateRow,
    'INSERT INTO outreach_templates (tenant_id, id, name, purpose, default_locale, content, channels, variables) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *',
    [tenantId, newId('tpl'), input.name, input.purpose, input.default_locale, JSON.stringify(input.content), channels, JSON.stringify(variables)],
  );
  return toTemplate(r!);
}

/** A template Rapport provides under a fixed id, made the first time it is needed; the tenant may edit it. */
export async function ensureTemplate(db: Queryable, tenantId: string, id: string, input: TemplateInput): Promise<Template> {
  const variables = (input.variables ?? []) as TemplateVariable[];
  const channels = validate(input, variables);
  await db.query(
    'INSERT INTO outreach_templates (tenant_id, id, name, purpose, default_locale, content, channels, variables) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING',
    [tenantId, id, input.name, input.purpose, input.default_locale, JSON.stringify(input.content), channels, JSON.stringify(variables)],
  );
  return (await getTemplate(db, tenantId, id))!;
}

export async function updateTemplate(db: Queryable, tenantId: string, id: string, input: TemplateInput): Promise<Template | undefined> {
  const variables = input.variables ? (input.variables as TemplateVariable[]) : (await getTemplate(db, tenantId, id))?.variables;
  if (!variables) return undefined;
  const channels = validate(input, variables);
  const r = await queryRow(
    db,
    TemplateRow,
    `UPDATE outreach_templates SET name = $3, purpose = $4, default_locale = $5, content = $6, channels = $7, variables = $8, updated_at = now()
      WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, input.name, input.purpose, input.default_locale, JSON.stringify(input.content), channels, JSON.stringify(variables)],
  );
  return r ? toTemplate(r) : undefined;
}

export async function getTemplate(db: Queryable, tenantId: string, id: string): Promise<Template | undefined> {
  const r = await queryRow(db, TemplateRow, 'SELECT * FROM outreach_templates WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return r ? toTemplate(r) : undefined;
}

export async function listTemplates(db: Queryable, tenantId: string): Promise<Template[]> {
  const rows = await queryRows(db, TemplateRow, 'SELECT * FROM outreach_templates WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1000', [tenantId]);
  return rows.map(toTemplate);
}
