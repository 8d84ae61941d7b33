// What every outreach use case is built on: the tenant's settings (SMTP secrets sealed at rest), the
// channel senders, the loyalty figures and sentiment src/app.ts wires in, the customer a request names,
// and the two per-tenant caches read on hot paths (which case types suppress marketing; which bus
// message types start or end a journey).
import type { ModuleContext } from '../../platform/context.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { Channel } from './render-template.js';
import type { VariablesProvider } from './deliver-message.js';
import { createSecretBox, readSettings, type OutreachSettings } from './settings.js';
import { createSmtpEmailSender, createRecordingSender, type OutboundSender } from './senders.js';
import { lexiconSentiment, type SentimentOf } from './handle-signals.js';
import type { StatementPage } from './statement-pdf.js';
import { customerNotFound } from './errors.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { outreachJourneys } from './schema.js';

/** Journeys' trigger and exit types are re-read at most this often on other nodes than the one that changed them. */
const JOURNEY_TYPES_TTL_MS = 10_000;

/** Periodic loyalty statements: the loyalty module yields each customer's figures for the period. */
export type LoyaltyStatementsProvider = (
  tenantId: string,
  period: { from: Date; to: Date },
  opts?: { customerIds?: string[]; after?: string },
) => AsyncIterable<StatementPage>;

export interface OutreachDeps extends ModuleContext {
  customers: CustomersService;
  events: EventsService;
  /** Channel adapters; email defaults to the tenant's SMTP server; src/app.ts gives SMS and WeChat the inbox's channels (recording senders otherwise). */
  senders?: Partial<Record<Channel, OutboundSender>>;
  loyaltyVariables?: VariablesProvider;
  loyaltyStatements?: LoyaltyStatementsProvider;
  sentimentOf?: SentimentOf;
}

export const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export function createOutreachContext(deps: OutreachDeps) {
  const { db, customers } = deps;
  const pool = db.pool;
  const now = () => deps.clock.now();
  const box = createSecretBox(deps.config);
  const settings = (tenantId: string): Promise<OutreachSettings> => readSettings(pool, tenantId, box);
  const email = createSmtpEmailSender(deps.mailer, async (tenantId) => (await settings(tenantId)).smtp);
  const senders: Partial<Record<Channel, OutboundSender>> = {
    email,
    sms: createRecordingSender('sms'),
    wechat: createRecordingSender('wechat'),
    whatsapp: createRecordingSender('whatsapp'),
    ...deps.senders,
  };
  const loyaltyVariables: VariablesProvider = deps.loyaltyVariables ?? (async () => ({}));
  const loyaltyStatements: LoyaltyStatementsProvider =
    deps.loyaltyStatements ??
    async function* () {
      /* no loyalty programme wired: no statements */
    };
  const sentimentOf = deps.sentimentOf ?? lexiconSentiment;

  // Which case types suppress marketing is read for every case opened: kept for ten seconds, dropped at
  // once on this node when the settings change.
  const suppressTypes = createTenantCache<string[]>({ ttlMs: 10_000, load: async (tenantId) => (await settings(tenantId)).suppressCaseTypes });
  // Every ingested event is a bus message, so which types a tenant's journeys start or end on is cached:
  // a message no journey names costs no query. Changes made on this node apply at once; on other nodes
  // within JOURNEY_TYPES_TTL_MS.
  const journeyTypes = createTenantCache<{ triggers: Set<string>; exits: Set<string> }>({
    ttlMs: JOURNEY_TYPES_TTL_MS,
    async load(tenantId) {
      const rows = await queryRows(
        pool,
        rowOf(outreachJourneys, ['trigger', 'exit_on', 'is_active']),
        'SELECT trigger, exit_on, is_active FROM outreach_journeys WHERE tenant_id = $1',
        [tenantId],
      );
      const types = { triggers: new Set<string>(), exits: new Set<string>() };
      for (const r of rows) {
        if (r.is_active) types.triggers.add(r.trigger);
        for (const e of r.exit_on ?? []) types.exits.add(e);
      }
      return types;
    },
  });

  async function resolveCustomer(tenantId: string, id: string): Promise<string> {
    const found = await customers.findCustomerId(tenantId, id);
    if (!found || found.status !== 'active') throw customerNotFound();
    return found.id;
  }

  return { ...deps, pool, now, box, settings, senders, loyaltyVariables, loyaltyStatements, sentimentOf, suppressTypes, journeyTypes, resolveCustomer };
}

export type OutreachContext = ReturnType<typeof createOutreachContext>;
