// A tenant's outreach settings: SMTP, frequency caps, the default contact window, timezone and
// locale, per-channel throttles and the key that signs links. The row is made on first use.
import type { Queryable } from '../../platform/db.js';
import type { Config } from '../../platform/config.js';
import { isTimeZone, z } from '../../platform/validation.js';
import { randomToken } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { createTextBox, loadSecretKey } from '../../platform/secret-box.js';
import type { ContactWindow, Purpose } from '../customers/index.js';
import { tenantOfToken } from './sign-link.js';
import { outreachSettings } from './schema.js';

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');
export const ContactWindowInput = z.object({
  start: Clock,
  end: Clock,
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6, 7]),
});
export const CapRule = z.object({
  per_day: z.number().int().min(0).max(100).nullable().default(null),
  per_week: z.number().int().min(0).max(500).nullable().default(null),
  over_cap: z.enum(['drop', 'defer']).default('defer'),
});
export type CapRule = z.infer<typeof CapRule>;
export const Caps = z.object({ transactional: CapRule.optional(), service: CapRule.optional(), marketing: CapRule.optional() });
export type Caps = z.infer<typeof Caps>;

export const DEFAULT_CAPS: Record<Purpose, CapRule> = {
  transactional: { per_day: null, per_week: null, over_cap: 'defer' },
  service: { per_day: 3, per_week: 10, over_cap: 'defer' },
  marketing: { per_day: 1, per_week: 3, over_cap: 'drop' },
};

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export interface OutreachSettings {
  smtp: SmtpSettings | null;
  caps: Record<Purpose, CapRule>;
  defaultWindow: ContactWindow;
  defaultTimezone: string;
  defaultLocale: string;
  throttle: Record<string, number>;
  suppressCaseTypes: string[];
  publicBaseUrl: string | null;
  statements: { template_id: string; every: 'month' | 'quarter' } | null;
  surveyTemplateId: string | null;
  trackEmail: boolean;
  signingKey: string;
}

/** Stored credentials are sealed under the installation key (RAPPORT_SECRET_KEY, or a key file in the data
 * directory), read when first needed. */
export function createSecretBox(config: Pick<Config, 'secretKey' | 'dataDir'>) {
  let box: ReturnType<typeof createTextBox> | undefined;
  const get = () => (box ??= createTextBox(loadSecretKey(config.secretKey, config.dataDir)));
  return { seal: (plain: string) => get().seal(plain), open: (sealed: string) => get().open(sealed) };
}
export type SecretBox = ReturnType<typeof createSecretBox>;

const SettingsRow = rowOf(outreachSettings, '*');

export async function readSettings(db: Queryable, tenantId: string, box: SecretBox): Promise<OutreachSettings> {
  let r = await queryRow(db, SettingsRow, 'SELECT * FROM outreach_settings WHERE tenant_id = $1', [tenantId]);
  if (!r) {
    await db.query('INSERT INTO outreach_settings (tenant_id, signing_key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tenantId, randomToken(32)]);
    // Made just now, or by a concurrent first use.
    r = (await queryRow(db, SettingsRow, 'SELECT * FROM outreach_settings WHERE tenant_id = $1', [tenantId]))!;
  }
  const smtp = r.smtp as (Omit<SmtpSettings, 'password'> & { password_enc?: string | null }) | null;
  return {
    smtp: smtp
      ? {
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          user: smtp.user ?? null,
          from: smtp.from,
          password: smtp.password_enc ? box.open(smtp.password_enc) : null,
        }
      : null,
    // The jsonb columns hold what the settings areas' schemas accepted.
    caps: { ...DEFAULT_CAPS, ...(r.caps as Partial<Record<Purpose, CapRule>>) },
    defaultWindow: r.default_window as ContactWindow,
    defaultTimezone: r.default_timezone,
    defaultLocale: r.default_locale,
    throttle: r.throttle as Record<string, number>,
    suppressCaseTypes: r.suppress_case_types,
    publicBaseUrl: r.public_base_url,
    statements: (r.statements ?? null) as OutreachSettings['statements'],
    surveyTemplateId: r.survey_template_id,
    trackEmail: r.track_email,
    signingKey: r.signing_key,
  };
}

/** The key of the tenant a signed link names, read before verifying it; undefined for a token that names none. */
export async function signingKeyForToken(db: Queryable, token: string): Promise<{ tenantId: string; key: string } | undefined> {
  const tenantId = token.length <= 200 ? tenantOfToken(token) : undefined;
  if (!tenantId) return undefined;
  const s = await queryRow(db, rowOf(outreachSettings, ['signing_key']), 'SELECT signing_key FROM outreach_settings WHERE tenant_id = $1', [tenantId]);
  return s ? { tenantId, key: s.signing_key } : undefined;
}

/** While a customer has an open case of one of these kinds, marketing to them waits. */
export const DEFAULT_SUPPRESS_CASE_TYPES = ['complaint', 'detractor', 'negative_mention'];
export const SuppressionArea = z
  .object({
    suppress_case_types: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a case type in lower_snake_case'))
      .max(50)
      .default(DEFAULT_SUPPRESS_CASE_TYPES),
  })
  .strict();

export const SettingsInput = z.object({
  smtp: z
    .object({
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535),
      secure: z.boolean().default(false),
      user: z.string().max(255).nullable().default(null),
      password: z.string().max(1024).nullable().optional(),
      from: z.string().min(3).max(320),
    })
    .nullable()
    .optional(),
  caps: Caps.optional(),
  default_window: ContactWindowInput.optional(),
  default_timezone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').optional(),
  default_locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as zh-CN')
    .optional(),
  throttle: z
    .object({
      email: z.number().int().min(1).max(100000),
      sms: z.number().int().min(1).max(100000),
      wechat: z.number().int().min(1).max(100000),
      whatsapp: z.number().int().min(1).max(100000),
    })
    .partial()
    .optional(),
  suppress_case_types: z.array(z.string().min(1).max(64)).max(50).optional(),
  public_base_url: z.url().max(500).nullable().optional(),
  statements: z
    .object({ template_id: z.string().min(1).max(64), every: z.enum(['month', 'quarter']) })
    .nullable()
    .optional()
    .describe('periodic loyalty statements sent on the first day of each period through this template, or null for none'),
  track_email: z.boolean().optional().describe('count email opens (a tracking pixel) and clicks (signed redirects)'),
  survey_template_id: z
    .string()
    .min(1)
    .max(64)
    .nullable()
    .optional()
    .describe('the template survey invitations go out through (variables survey_url, survey_expires_at); null: the one Rapport provides'),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

export async function updateSettings(db: Queryable, tenantId: string, input: SettingsInput, box: SecretBox) {
  const current = await readSettings(db, tenantId, box);
  let smtp: unknown;
  if (input.smtp === null) smtp = null;
  else if (input.smtp) {
    // Leaving the password out keeps the stored one: clients never get it back to send again.
    const password = input.smtp.password === undefined ? (current.smtp?.password ?? null) : input.smtp.password;
    smtp = {
      host: input.smtp.host,
      port: input.smtp.port,
      secure: input.smtp.secure,
      user: input.smtp.user,
      from: input.smtp.from,
      password_enc: password ? box.seal(password) : null,
    };
  }
  await db.query(
    `UPDATE outreach_settings SET
       smtp = CASE WHEN $2::boolean THEN $3::jsonb ELSE smtp END,
       caps = coalesce($4::jsonb, caps), default_window = coalesce($5::jsonb, default_window),
       default_timezone = coalesce($6, default_timezone), default_locale = coalesce($7, default_locale),
       throttle = throttle || coalesce($8::jsonb, '{}'), suppress_case_types = coalesce($9, suppress_case_types),
       public_base_url = CASE WHEN $10::boolean THEN $11 ELSE public_base_url END,
       statements = CASE WHEN $12::boolean THEN $13::jsonb ELSE statements END, track_email = coalesce($14, track_email),
       survey_template_id = CASE WHEN $15::boolean THEN $16 ELSE survey_template_id END, updated_at = now()
     WHERE tenant_id = $1`,
    [
      tenantId,
      smtp !== undefined,
      smtp === undefined ? null : JSON.stringify(smtp),
      input.caps ? JSON.stringify({ ...current.caps, ...input.caps }) : null,
      input.default_window ? JSON.stringify(input.default_window) : null,
      input.default_timezone ?? null,
      input.default_locale ?? null,
      input.throttle ? JSON.stringify(input.throttle) : null,
      input.suppress_case_types ?? null,
      input.public_base_url !== undefined,
      input.public_base_url ?? null,
      input.statements !== undefined,
      input.statements ? JSON.stringify(input.statements) : null,
      input.track_email ?? null,
      input.survey_template_id !== undefined,
      input.survey_template_id ?? null,
    ],
  );
  return readSettings(db, tenantId, box);
}

/** What an admin may see: everything but the password and the signing key. */
export function publicSettings(s: OutreachSettings) {
  return {
    smtp: s.smtp
      ? { host: s.smtp.host, port: s.smtp.port, secure: s.smtp.secure, user: s.smtp.user, from: s.smtp.from, has_password: !!s.smtp.password }
      : null,
    caps: s.caps,
    default_window: s.defaultWindow,
    default_timezone: s.defaultTimezone,
    default_locale: s.defaultLocale,
    throttle: s.throttle,
    suppress_case_types: s.suppressCaseTypes,
    public_base_url: s.publicBaseUrl,
    statements: s.statements,
    track_email: s.trackEmail,
    survey_template_id: s.surveyTemplateId,
  };
}
