// Per-tenant channel configuration. Secrets are sealed (see secret-box.ts) and answered masked; a
// secret Rapport generates (web chat identity secret, API channel signing secret) is shown once, in
// the answer that creates it.
import type pg from 'pg';
import { z, patchOf } from '../../platform/validation.js';
import { newId, randomToken } from '../../platform/ids.js';
import type { SecretBox } from '../../platform/secret-box.js';
import { maskSecret } from '../../platform/secret-box.js';
import { isValidEncodingAesKey } from './wechat-crypto.js';
import { channelNotFound, invalidChannelSettings } from './errors.js';
import { zodIssuesToFields } from '../../platform/errors.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { inboxChannels } from './schema.js';

const ChannelRow = rowOf(inboxChannels, '*');

export const CHANNEL_KINDS = ['webchat', 'email', 'sms', 'whatsapp', 'wechat', 'api'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const Url = z.url({ protocol: /^https?$/ }).max(2000);
const Email = z.email().max(254);

// Per kind: what is public (settings) and what is secret.
const KIND_SCHEMAS = {
  webchat: {
    settings: z
      .object({
        allowed_origins: z.array(z.string().max(200)).max(50).optional(),
        welcome: z.string().max(2000).optional(),
        // Minutes a reply may stay unseen by the visitor before it is mailed to them (null: never; 10 when absent).
        continue_by_email_after_minutes: z.number().int().min(1).max(10_080).nullable().optional(),
      })
      .strict(),
    secrets: z.object({ identity_secret: z.string().min(16).max(200).optional() }).strict(),
  },
  email: {
    settings: z
      .object({
        address: Email,
        from_name: z.string().max(200).optional(),
        smtp: z
          .object({
            host: z.string().min(1).max(255),
            port: z.number().int().min(1).max(65535),
            secure: z.boolean().default(false),
            user: z.string().max(255).optional(),
            require_tls: z.boolean().optional(),
          })
          .strict()
          .optional(),
        sendgrid_user: z.string().max(100).optional(),
      })
      .strict(),
    secrets: z
      .object({
        smtp_password: z.string().max(500).optional(),
        mailgun_signing_key: z.string().max(500).optional(),
        sendgrid_password: z.string().max(500).optional(),
      })
      .strict(),
  },
  sms: {
    settings: z
      .object({ account_sid: z.string().min(1).max(64), from: z.string().min(1).max(64), webhook_url: Url.optional(), api_base: Url.optional() })
      .strict(),
    secrets: z.object({ auth_token: z.string().min(8).max(200) }).strict(),
  },
  whatsapp: {
    settings: z
      .object({ account_sid: z.string().min(1).max(64), from: z.string().min(1).max(64), webhook_url: Url.optional(), api_base: Url.optional() })
      .strict(),
    secrets: z.object({ auth_token: z.string().min(8).max(200) }).strict(),
  },
  wechat: {
    settings: z.object({ app_id: z.string().min(1).max(64), original_id: z.string().max(64).optional(), api_base: Url.optional() }).strict(),
    secrets: z
      .object({
        token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'WeChat tokens are 3 to 32 letters or digits'),
        encoding_aes_key: z.string().refine(isValidEncodingAesKey, 'must be the 43-character EncodingAESKey').optional(),
        app_secret: z.string().max(200).optional(),
      })
      .strict(),
  },
  api: {
    settings: z.object({ source: z.string().min(1).max(64).default('api'), outbound_url: Url.optional() }).strict(),
    secrets: z.object({ signing_secret: z.string().min(16).max(200).optional() }).strict(),
  },
} satisfies Record<ChannelKind, { settings: z.ZodType; secrets: z.ZodType }>;

export const ChannelInput = z
  .object({
    kind: z.enum(CHANNEL_KINDS),
    name: z.string().trim().min(1).max(200),
    settings: z.record(z.string(), z.unknown()).default({}),
    secrets: z.record(z.string(), z.string()).default({}),
    is_enabled: z.boolean().default(true),
    /** Keep what would be sent, marked sent, and contact no provider (the demo's channels, one being tried out). */
    is_sandbox: z.boolean().default(false),
  })
  .strict();
export type ChannelInput = z.infer<typeof ChannelInput>;

/** `secrets` replaces only the secrets named; others are kept. */
export const ChannelPatch = patchOf(ChannelInput.omit({ kind: true }));
export type ChannelPatch = z.infer<typeof ChannelPatch>;

export interface Channel {
  tenantId: string;
  id: string;
  kind: ChannelKind;
  name: string;
  settings: Record<string, any>;
  secrets: Record<string, string>;
  isEnabled: boolean;
  isSandbox: boolean;
  createdAt: Date;
}

function validate(kind: ChannelKind, settings: unknown, secrets: unknown) {
  const s = KIND_SCHEMAS[kind];
  const a = s.settings.safeParse(settings);
  const b = s.secrets.safeParse(secrets);
  const errors = [...(a.success ? [] : zodIssuesToFields(a.error.issues, 'settings')), ...(b.success ? [] : zodIssuesToFields(b.error.issues, 'secrets'))];
  if (errors.length) throw invalidChannelSettings(`The ${kind} channel settings are not valid`, errors);
  const out = {
    settings: a.data as Record<string, any>,
    secrets: Object.fromEntries(Object.entries(b.data as Record<string, string | undefined>).filter(([, v]) => v)) as Record<string, string>,
  };
  // Secrets Rapport can generate: the visitor and identity signing secret, the API channel's key.
  const generated: Record<string, string> = {};
  if (kind === 'webchat' && !out.secrets.identity_secret) out.secrets.identity_secret = generated.identity_secret = randomToken(32);
  if (kind === 'api' && !out.secrets.signing_secret) out.secrets.signing_secret = generated.signing_secret = randomToken(32);
  return { ...out, generated };
}

export function inboundAddressOf(kind: ChannelKind, settings: Record<string, any>): string | null {
  return kind === 'email' && typeof settings.address === 'string' ? settings.address.toLowerCase() : null;
}

/**
 * Where each provider must send this channel's traffic, for an admin to paste into the provider's
 * console; web chat also gives the widget's data-chat value.
 */
export function webhookUrls(origin: string, c: Channel): Record<string, string> {
  const path = (provider: string) => `${origin}/hooks/inbox/${c.tenantId}/${provider}/${c.id}`;
  switch (c.kind) {
    case 'webchat':
      return { websocket: path('webchat').replace(/^http/, 'ws'), widget_chat: `${c.tenantId}/${c.id}` };
    case 'email':
      return { sendgrid: path('sendgrid'), mailgun: path('mailgun') };
    case 'sms':
    case 'whatsapp':
      return { twilio: path('twilio') };
    case 'wechat':
      return { wechat: path('wechat') };
    case 'api':
      return { api: path('api') };
  }
}

export function channelView(c: Channel, generated: Record<string, string> = {}, origin?: string) {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    settings: c.settings,
    is_enabled: c.isEnabled,
    is_sandbox: c.isSandbox,
    secrets: Object.fromEntries(Object.entries(c.secrets).map(([k, v]) => [k, generated[k] ?? maskSecret(v)])),
    ...(origin ? { webhook_urls: webhookUrls(origin, c) } : {}),
    created_at: c.createdAt.toISOString(),
  };
}

function rowToChannel(box: SecretBox, r: typeof ChannelRow.row): Channel {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    // The table's check allows only CHANNEL_KINDS; settings were validated for the kind before they were stored.
    kind: r.kind as ChannelKind,
    name: r.name,
    settings: r.settings as Channel['settings'],
    secrets: box.open(r.secrets),
    isEnabled: r.is_enabled,
    isSandbox: r.is_sandbox,
    createdAt: r.created_at,
  };
}

export function createChannelStore(pool: pg.Pool, box: SecretBox) {
  async function load(db: pg.Pool | pg.PoolClient, tenantId: string, id: string): Promise<Channel | undefined> {
    const r = await queryRow(db, ChannelRow, 'SELECT * FROM inbox_channels WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return r ? rowToChannel(box, r) : undefined;
  }

  // Webhooks look their channel up on every request; a short cache spares the decryption and query,
  // and hundreds of webhooks a second finding the entry expired together load it once. Entries are
  // per channel, not per tenant: a channel created on another node is found by its first webhook.
  const k = (t: string, id: string) => `${t}\u0000${id}`;
  const cache = createTenantCache<Channel | undefined>({
    ttlMs: 30_000,
    load: (key) => {
      const [tenantId, id] = key.split('\u0000');
      return load(pool, tenantId, id);
    },
  });

  return {
    /** A fresh read skips the cache: sending and starting conversations must see the channel as it is now. */
    async get(tenantId: string, id: string, opts: { fresh?: boolean } = {}): Promise<Channel | undefined> {
      return opts.fresh ? load(pool, tenantId, id) : cache.get(k(tenantId, id));
    },
    async require(tenantId: string, id: string): Promise<Channel> {
      const c = await this.get(tenantId, id, { fresh: true });
      if (!c) throw channelNotFound();
      return c;
    },
    /** Email channels whose inbound address is this one (an address may serve one tenant only in practice). */
    async findByAddress(address: string): Promise<Channel[]> {
      const rows = await queryRows(pool, ChannelRow, 'SELECT * FROM inbox_channels WHERE inbound_address = $1 AND is_enabled', [address.toLowerCase()]);
      return rows.map((r) => rowToChannel(box, r));
    },
    async list(tenantId: string): Promise<Channel[]> {
      const rows = await queryRows(pool, ChannelRow, 'SELECT * FROM inbox_channels WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
      return rows.map((r) => rowToChannel(box, r));
    },
    async create(tenantId: string, input: ChannelInput) {
      const v = validate(input.kind, input.settings, input.secrets);
      const id = newId('chn');
      await pool.query(
        'INSERT INTO inbox_channels (tenant_id, id, kind, name, settings, secrets, inbound_address, is_enabled, is_sandbox) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
        [
          tenantId,
          id,
          input.kind,
          input.name,
          JSON.stringify(v.settings),
          box.seal(v.secrets),
          inboundAddressOf(input.kind, v.settings),
          input.is_enabled,
          input.is_sandbox,
        ],
      );
      cache.forget(k(tenantId, id));
      return { channel: (await load(pool, tenantId, id))!, generated: v.generated };
    },
    async update(tenantId: string, id: string, patch: ChannelPatch) {
      const c = await load(pool, tenantId, id);
      if (!c) throw channelNotFound();
      const v = validate(c.kind, patch.settings ?? c.settings, { ...c.secrets, ...(patch.secrets ?? {}) });
      await pool.query(
        'UPDATE inbox_channels SET name = $3, settings = $4, secrets = $5, inbound_address = $6, is_enabled = $7, is_sandbox = $8 WHERE tenant_id = $1 AND id = $2',
        [
          tenantId,
          id,
          patch.name ?? c.name,
          JSON.stringify(v.settings),
          box.seal(v.secrets),
          inboundAddressOf(c.kind, v.settings),
          patch.is_enabled ?? c.isEnabled,
          patch.is_sandbox ?? c.isSandbox,
        ],
      );
      cache.forget(k(tenantId, id));
      return (await load(pool, tenantId, id))!;
    },
    async remove(tenantId: string, id: string) {
      // Messages keep their channel id as history; the channel is disabled rather than deleted.
      const r = await pool.query('UPDATE inbox_channels SET is_enabled = false WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      cache.forget(k(tenantId, id));
      if (!r.rowCount) throw channelNotFound();
    },
  };
}

export type ChannelStore = ReturnType<typeof createChannelStore>;
