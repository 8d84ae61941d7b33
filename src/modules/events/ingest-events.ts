// Batched, idempotent ingestion. Each event is validated on its own: good events are stored even when
// others in the batch are bad, and a replayed id is reported as a duplicate and never counts twice.
// Storing, identity resolution and the customer's aggregates commit in one transaction, so an event
// acknowledged as accepted is durable and counted exactly once.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { zodIssuesToFields, type FieldProblem } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../../platform/audit.js';
import type { EventBus } from '../../platform/bus.js';
import type { CustomersService, Identities, Activity } from '../customers/index.js';
import { BUILT_IN_EVENT_TYPES, EventEnvelope, MAX_PROPERTIES_BYTES, type BuiltInType } from './event-schemas.js';

export const MAX_BATCH = 1000;

export interface IngestItemResult {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  id?: string;
  event_id?: string;
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
  identities: Identities;
  properties: Record<string, unknown>;
  propertiesJson: string;
}

export interface StoredEvent {
  id: string;
  clientId: string;
  type: string;
  occurredAt: Date;
  customerId: string;
  properties: Record<string, unknown>;
}

function validate(raw: unknown, index: number, customers: CustomersService): { candidate?: Candidate; errors?: FieldProblem[] } {
  const env = EventEnvelope.safeParse(raw);
  if (!env.success) return { errors: zodIssuesToFields(env.error.issues) };
  const e = env.data;
  const errors: FieldProblem[] = [];
  const { identities, problems } = customers.normalizeIdentities(e.identities);
  for (const p of problems) errors.push({ field: `identities.${p.kind}`, message: p.message });
  if (!problems.length && Object.keys(identities).length === 0) errors.push({ field: 'identities', message: 'must name the customer with at least one identity' });
  const schema = BUILT_IN_EVENT_TYPES[e.type as BuiltInType];
  let properties = e.properties;
  if (schema) {
    const p = schema.safeParse(e.properties);
    if (!p.success) errors.push(...zodIssuesToFields(p.error.issues, 'properties'));
    else properties = p.data;
  }
  const propertiesJson = JSON.stringify(properties);
  if (propertiesJson.length > MAX_PROPERTIES_BYTES) errors.push({ field: 'properties', message: `must be at most ${MAX_PROPERTIES_BYTES} bytes of JSON` });
  // PostgreSQL text and jsonb cannot hold NUL characters.
  if (propertiesJson.includes('\\u0000') || e.id.includes('\u0000')) errors.push({ field: 'properties', message: 'must not contain NUL characters' });
  const occurredAt = new Date(e.occurred_at);
  if (occurredAt.getTime() > Date.now() + 24 * 3600_000) errors.push({ field: 'occurred_at', message: 'must not be more than a day in the future' });
  if (errors.length) return { errors };
  return { candidate: { index, clientId: e.id, type: e.type, occurredAt, identities, properties, propertiesJson } };
}

function amountOf(p: Record<string, unknown>) {
  return { amount: Number(p.amount), currency: String(p.currency) };
}

export async function ingestEvents(
  deps: { pool: pg.Pool; customers: CustomersService; bus: EventBus },
  tenantId: string, raw: unknown[], opts: { source: string; actor: Actor },
): Promise<IngestResult & { stored: StoredEvent[] }> {
  const results: IngestItemResult[] = new Array(raw.length);
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item, index) => {
    const { candidate, errors } = validate(item, index, deps.customers);
    if (!candidate) {
      results[index] = { index, status: 'rejected', ...(typeof (item as { id?: unknown })?.id === 'string' ? { id: (item as { id: string }).id } : {}), errors };
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
    ? await withTransaction(deps.pool, (tx) => storeCandidates(tx, deps.customers, tenantId, candidates, opts, results))
    : { stored: [] as StoredEvent[], merges: [] };

  // Within-batch duplicates point at the event their first copy became.
  for (const r of results) {
    if (r.status === 'duplicate' && !r.event_id) {
      const first = results[seen.get(r.id!)!];
      if (first) { r.event_id = first.event_id; r.customer_id = first.customer_id; }
    }
  }

  deps.customers.publishMerges(tenantId, merges);
  deps.bus.publish(stored.map((e) => ({ type: `event.${e.type}`, tenantId, payload: e })));

  let accepted = 0, duplicates = 0, rejected = 0;
  for (const r of results) {
    if (r.status === 'accepted') accepted++;
    else if (r.status === 'duplicate') duplicates++;
    else rejected++;
  }
  return { accepted, duplicates, rejected, results, stored };
}

async function storeCandidates(
  tx: pg.PoolClient, customers: CustomersService, tenantId: string, candidates: Candidate[],
  opts: { source: string; actor: Actor }, results: IngestItemResult[],
) {
  // Replays are found before resolution, so a duplicate never creates or merges a profile.
  const { rows: existing } = await tx.query(
    'SELECT client_id, id, customer_id FROM customer_events WHERE tenant_id = $1 AND client_id = ANY($2::text[])',
    [tenantId, candidates.map((c) => c.clientId)],
  );
  const known = new Map(existing.map((r) => [r.client_id as string, r]));
  const fresh: Candidate[] = [];
  for (const c of candidates) {
    const k = known.get(c.clientId);
    if (k) results[c.index] = { index: c.index, status: 'duplicate', id: c.clientId, event_id: k.id, customer_id: k.customer_id };
    else fresh.push(c);
  }
  if (!fresh.length) return { stored: [] as StoredEvent[], merges: [] };

  const resolved = await customers.resolveCustomers(tx, tenantId, fresh.map((c) => c.identities), opts.actor);
  const ids = fresh.map(() => newId('evt'));
  const { rows: inserted } = await tx.query(
    `INSERT INTO customer_events (tenant_id, id, client_id, type, occurred_at, customer_id, source, identities, properties)
       SELECT $1, t.id, t.client_id, t.type, t.occurred_at, t.customer_id, $2, t.identities::jsonb, t.properties::jsonb
         FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[])
              AS t(id, client_id, type, occurred_at, customer_id, identities, properties)
     ON CONFLICT (tenant_id, client_id) DO NOTHING
     RETURNING client_id`,
    [tenantId, opts.source, ids, fresh.map((c) => c.clientId), fresh.map((c) => c.type), fresh.map((c) => c.occurredAt),
      resolved.customerIds, fresh.map((c) => JSON.stringify(c.identities)), fresh.map((c) => c.propertiesJson)],
  );
  const insertedIds = new Set(inserted.map((r) => r.client_id as string));
  const stored: StoredEvent[] = [];
  const activity: Activity[] = [];
  const raced: string[] = [];
  fresh.forEach((c, i) => {
    const customerId = resolved.customerIds[i]!;
    if (!insertedIds.has(c.clientId)) {
      // Another transaction stored this id between our check and our insert.
      raced.push(c.clientId);
      results[c.index] = { index: c.index, status: 'duplicate', id: c.clientId };
      return;
    }
    results[c.index] = { index: c.index, status: 'accepted', id: c.clientId, event_id: ids[i], customer_id: customerId };
    stored.push({ id: ids[i], clientId: c.clientId, type: c.type, occurredAt: c.occurredAt, customerId, properties: c.properties });
    activity.push({
      customerId, occurredAt: c.occurredAt,
      ...(c.type === 'purchase' ? { purchase: amountOf(c.properties) } : {}),
      ...(c.type === 'refund' ? { refund: amountOf(c.properties) } : {}),
    });
  });
  if (raced.length) {
    const { rows } = await tx.query('SELECT client_id, id, customer_id FROM customer_events WHERE tenant_id = $1 AND client_id = ANY($2::text[])', [tenantId, raced]);
    for (const r of rows) {
      const res = results.find((x) => x?.id === r.client_id && x.status === 'duplicate');
      if (res) { res.event_id = r.id; res.customer_id = r.customer_id; }
    }
  }
  await customers.recordActivity(tx, tenantId, activity);
  return { stored, merges: resolved.merges };
}
