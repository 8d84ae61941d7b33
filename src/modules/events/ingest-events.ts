// Batched, idempotent ingestion. Each event is validated on its own: good events are stored even when
// others in the batch are bad, and a replayed id is reported as a duplicate and never counts twice.
// Storing, identity resolution and the customer's aggregates commit in one transaction, so an event
// acknowledged as accepted is durable and counted exactly once.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { zodIssuesToFields, type FieldProblem } from '../../platform/errors.js';
import { holdsUnstorable, unstorableFields } from '../../platform/validation.js';
import type { Actor } from '../../platform/audit.js';
import type { EventBus } from '../../platform/bus.js';
import type { CustomersService, Identities, Activity } from '../customers/index.js';
import { BUILT_IN_EVENT_TYPES, EventEnvelope, MAX_PROPERTIES_BYTES, parseEnvelopeFast, hasValidPropertiesFast, type BuiltInType } from './event-schemas.js';
import { customerEvents } from './schema.js';

export const MAX_BATCH = 1000;

export interface IngestItemResult {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  id?: string;
  customer_id?: string | null;
  errors?: FieldProblem[];
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: IngestItemResult[];
}

interface Candidate {
  index: number;
  clientId: string;
  type: string;
  occurredAt: Date;
  occurredAtText: string;
  identities: Identities;
  properties: Record<string, unknown>;
  propertiesJson: string;
}

export interface StoredEvent {
  id: string;
  type: string;
  occurredAt: Date;
  customerId: string;
  properties: Record<string, unknown>;
}

function validate(raw: unknown, index: number, customers: CustomersService, now: Date): { candidate?: Candidate; errors?: FieldProblem[] } {
  let e = parseEnvelopeFast(raw);
  if (!e) {
    const env = EventEnvelope.safeParse(raw);
    if (!env.success) return { errors: zodIssuesToFields(env.error.issues) };
    e = env.data;
  }
  const errors: FieldProblem[] = [];
  const { identities, problems } = customers.normalizeIdentities(e.identities);
  for (const p of problems) errors.push({ field: `identities.${p.kind}`, message: p.message });
  if (!problems.length && Object.keys(identities).length === 0)
    errors.push({ field: 'identities', message: 'must name the customer with at least one identity' });
  const schema = BUILT_IN_EVENT_TYPES[e.type as BuiltInType];
  let properties = e.properties;
  if (schema && !hasValidPropertiesFast(e.type, e.properties)) {
    const p = schema.safeParse(e.properties);
    if (!p.success) errors.push(...zodIssuesToFields(p.error.issues, 'properties'));
    else properties = p.data;
  }
  const propertiesJson = JSON.stringify(properties);
  if (propertiesJson.length > MAX_PROPERTIES_BYTES) errors.push({ field: 'properties', message: `must be at most ${MAX_PROPERTIES_BYTES} bytes of JSON` });
  // PostgreSQL stores neither a NUL nor half a surrogate pair: the event holding one is refused alone,
  // naming the field. JSON.stringify writes both as \u escapes, so properties without one need no walk.
  // The id and identities are a few short strings: looked at one by one before any walk.
  const isSuspect = holdsUnstorable(e.id) || Object.values(e.identities).some((v) => typeof v !== 'string' || holdsUnstorable(v));
  for (const field of [
    ...(isSuspect ? unstorableFields({ id: e.id, identities: e.identities }) : []),
    ...(propertiesJson.includes('\\u') ? unstorableFields(properties).map((f) => `properties.${f}`) : []),
  ])
    errors.push({ field, message: 'holds a NUL character or half of a surrogate pair' });
  const occurredAt = new Date(e.occurred_at);
  if (occurredAt.getTime() > now.getTime() + 24 * 3600_000) errors.push({ field: 'occurred_at', message: 'must not be more than a day in the future' });
  if (errors.length) return { errors };
  return { candidate: { index, clientId: e.id, type: e.type, occurredAt, occurredAtText: e.occurred_at, identities, properties, propertiesJson } };
}

function amountOf(p: Record<string, unknown>) {
  return { amount: Number(p.amount), currency: String(p.currency) };
}

export async function ingestEvents(
  deps: { pool: pg.Pool; customers: CustomersService; bus: EventBus; now: Date },
  tenantId: string,
  raw: unknown[],
  opts: { source: string; actor: Actor },
): Promise<IngestResult & { stored: StoredEvent[] }> {
  const results: IngestItemResult[] = new Array(raw.length);
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item, index) => {
    const { candidate, errors } = validate(item, index, deps.customers, deps.now);
    if (!candidate) {
      // The id is echoed to help the client match its rows, but never an oversized one back at it.
      const id = (item as { id?: unknown } | null)?.id;
      results[index] = { index, status: 'rejected', ...(typeof id === 'string' && id.length <= 255 ? { id } : {}), errors };
      return;
    }
    if (seen.has(candidate.clientId)) {
      results[index] = { index, status: 'duplicate', id: candidate.clientId };
      return;
    }
    seen.set(candidate.clientId, index);
    candidates.push(candidate);
  });

  const { stored, merges } = candidates.length
    ? await withTransaction(deps.pool, (tx) => storeCandidates(tx, deps.customers, tenantId, candidates, opts, results), {
        // A new tenant's first imports grow its customers from empty: the identities' foreign-key checks
        // must not keep a plan made while there were none (db.ts).
        customPlans: true,
      })
    : { stored: [] as StoredEvent[], merges: [] };

  // Within-batch duplicates name the customer their first copy went to.
  for (const r of results) {
    if (r.status === 'duplicate' && r.customer_id === undefined) r.customer_id = results[seen.get(r.id!)!]?.customer_id;
  }

  deps.customers.publishMerges(tenantId, merges);
  deps.bus.publish(stored.map((e) => ({ type: `event.${e.type}`, tenantId, payload: e })));

  let accepted = 0,
    duplicates = 0,
    rejected = 0;
  for (const r of results) {
    if (r.status === 'accepted') accepted++;
    else if (r.status === 'duplicate') duplicates++;
    else rejected++;
  }
  return { accepted, duplicates, rejected, results, stored };
}

async function storeCandidates(
  tx: pg.PoolClient,
  customers: CustomersService,
  tenantId: string,
  candidates: Candidate[],
  opts: { source: string; actor: Actor },
  results: IngestItemResult[],
) {
  // No separate look-up for replays: a replayed event's identities were resolved when it was first
  // stored, so resolving them again finds the same customer and creates or merges nothing; the
  // insert then tells replays from new events in the same statement: the table's trigger claims each id
  // in customer_event_ids and skips a row whose id is claimed (in any month's partition), so only new
  // events come back from RETURNING.
  const resolved = await customers.resolveCustomers(
    tx,
    tenantId,
    candidates.map((c) => c.identities),
    opts.actor,
  );
  // One JSON document for the whole batch: the properties are already serialised, so they are spliced
  // in as they are, which costs far less than node-postgres escaping six text arrays element by element.
  const rowsJson =
    '[' +
    candidates
      .map(
        (c, i) =>
          `[${JSON.stringify(c.clientId)},${JSON.stringify(c.type)},${JSON.stringify(c.occurredAtText)},${JSON.stringify(resolved.customerIds[i])},${JSON.stringify(c.identities)},${c.propertiesJson}]`,
      )
      .join(',') +
    ']';
  const inserted = await queryRows(
    tx,
    rowOf(customerEvents, ['id']),
    `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, identities, properties)
       SELECT $1, r->>0, r->>1, (r->>2)::timestamptz, r->>3, $2, r->4, r->5
         FROM jsonb_array_elements($3::jsonb) AS r
     RETURNING id`,
    [tenantId, opts.source, rowsJson],
  );
  const insertedIds = new Set(inserted.map((r) => r.id));
  const stored: StoredEvent[] = [];
  const activity: Activity[] = [];
  candidates.forEach((c, i) => {
    const customerId = resolved.customerIds[i]!;
    if (!insertedIds.has(c.clientId)) {
      results[c.index] = { index: c.index, status: 'duplicate', id: c.clientId, customer_id: customerId };
      return;
    }
    results[c.index] = { index: c.index, status: 'accepted', id: c.clientId, customer_id: customerId };
    stored.push({ id: c.clientId, type: c.type, occurredAt: c.occurredAt, customerId, properties: c.properties });
    activity.push({
      customerId,
      occurredAt: c.occurredAt,
      ...(c.type === 'purchase' ? { purchase: amountOf(c.properties) } : {}),
      ...(c.type === 'refund' ? { refund: amountOf(c.properties) } : {}),
    });
  });
  await customers.recordActivity(tx, tenantId, activity);
  return { stored, merges: resolved.merges };
}
