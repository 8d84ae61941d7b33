// Consent per (channel, purpose) is a history: each answer is a new row with its source and time,
// never an overwrite, so "when did she agree, and through what?" always has an answer.
import type pg from 'pg';
import type { Queryable } from '../../platform/db.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { z } from '../../platform/validation.js';
import { CHANNELS, channelName } from './channel-names.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { consentRecords } from './schema.js';

const Recorded = rowOf(consentRecords, ['id', 'recorded_at']);
const History = rowOf(consentRecords, ['id', 'channel', 'purpose', 'status', 'source', 'recorded_at', 'details']);

export const PURPOSES = ['transactional', 'service', 'marketing'] as const;

export const ConsentInput = z.object({
  channel: channelName(CHANNELS),
  purpose: z.enum(PURPOSES),
  status: z.enum(['granted', 'withdrawn']),
  source: z.string().min(1).max(200),
  details: z
    .record(z.string(), z.unknown())
    .refine((d) => JSON.stringify(d).length <= 4096, 'must be at most 4 KB of JSON')
    .optional(),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

/** Recorded at `at`, the platform clock's instant: the latest answer per channel and purpose is the one in force. */
export async function recordConsent(tx: pg.PoolClient, tenantId: string, customerId: string, c: ConsentInput, actor: Actor, at: Date) {
  const r = (await queryRow(
    tx,
    Recorded,
    'INSERT INTO consent_records (tenant_id, customer_id, channel, purpose, status, source, details, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id, recorded_at',
    [tenantId, customerId, c.channel, c.purpose, c.status, c.source, JSON.stringify(c.details ?? {}), at],
  ))!;
  await writeAudit(
    tx,
    tenantId,
    actor,
    'customer.consent.record',
    { type: 'customer', id: customerId },
    { channel: c.channel, purpose: c.purpose, status: c.status },
  );
  return { id: Number(r.id), recorded_at: new Date(r.recorded_at).toISOString() };
}

export async function consentHistory(db: Queryable, tenantId: string, customerId: string) {
  const rows = await queryRows(
    db,
    History,
    'SELECT id, channel, purpose, status, source, recorded_at, details FROM consent_records WHERE tenant_id = $1 AND customer_id = $2 ORDER BY recorded_at, id',
    [tenantId, customerId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    channel: r.channel,
    purpose: r.purpose,
    status: r.status,
    source: r.source,
    recorded_at: new Date(r.recorded_at).toISOString(),
    details: r.details,
  }));
}
