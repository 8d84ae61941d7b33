// Merging two profiles of one person. Nothing is lost: identities, preferences, attributes, consent
// and aggregates move to the survivor, other modules move their rows through merge hooks in the same
// transaction, and a merge record lets a reader of the old id be sent to the survivor.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { customerNotFound, cannotMerge } from './errors.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { customers, consentRecords } from './schema.js';

const Pair = rowOf(customers, ['id', 'status', 'attributes', 'first_seen_at', 'last_seen_at']);
const Conflict = rowOf(consentRecords, ['channel', 'purpose']);

export type MergeHook = (tx: pg.PoolClient, tenantId: string, survivorId: string, mergedId: string) => Promise<void>;

export interface MergeRecord {
  id: string;
  survivorId: string;
  mergedId: string;
  rule: string;
}

export async function mergeCustomers(
  tx: pg.PoolClient,
  tenantId: string,
  survivorId: string,
  mergedId: string,
  opts: { rule: string; actor: Actor; hooks: Iterable<MergeHook>; details?: Record<string, unknown>; at: Date },
): Promise<MergeRecord> {
  if (survivorId === mergedId) throw cannotMerge('A customer cannot be merged into itself');
  // Lock both rows in id order so two concurrent merges of the same pair cannot deadlock.
  const rows = await queryRows(
    tx,
    Pair,
    'SELECT id, status, attributes, first_seen_at, last_seen_at FROM customers WHERE tenant_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE',
    [tenantId, [survivorId, mergedId]],
  );
  const survivor = rows.find((r) => r.id === survivorId);
  const merged = rows.find((r) => r.id === mergedId);
  if (!survivor || !merged) throw customerNotFound();
  if (survivor.status !== 'active' || merged.status !== 'active') throw cannotMerge('Only active customers can be merged');

  await tx.query('UPDATE customer_identities SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);

  // Profile fields and attributes: the survivor's values win, the merged profile fills the gaps.
  await tx.query(
    `UPDATE customers s SET
        given_name = coalesce(s.given_name, m.given_name), family_name = coalesce(s.family_name, m.family_name),
        display_name = coalesce(s.display_name, m.display_name), locale = coalesce(s.locale, m.locale),
        timezone = coalesce(s.timezone, m.timezone), attributes = m.attributes || s.attributes,
        first_seen_at = least(s.first_seen_at, m.first_seen_at), last_seen_at = greatest(s.last_seen_at, m.last_seen_at),
        event_count = s.event_count + m.event_count, order_count = s.order_count + m.order_count,
        last_purchase_at = greatest(s.last_purchase_at, m.last_purchase_at),
        created_at = least(s.created_at, m.created_at), updated_at = now()
       FROM customers m WHERE s.tenant_id = $1 AND s.id = $2 AND m.tenant_id = $1 AND m.id = $3`,
    [tenantId, survivorId, mergedId],
  );
  await tx.query(
    `INSERT INTO customer_spend (tenant_id, customer_id, currency, amount)
       SELECT tenant_id, $2, currency, amount FROM customer_spend WHERE tenant_id = $1 AND customer_id = $3
     ON CONFLICT (tenant_id, customer_id, currency) DO UPDATE SET amount = customer_spend.amount + excluded.amount`,
    [tenantId, survivorId, mergedId],
  );
  await tx.query('DELETE FROM customer_spend WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId]);
  await tx.query(
    `INSERT INTO customer_preferences (tenant_id, customer_id, channels, contact_window, max_messages_per_week, language)
       SELECT tenant_id, $2, channels, contact_window, max_messages_per_week, language FROM customer_preferences WHERE tenant_id = $1 AND customer_id = $3
     ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
       channels = CASE WHEN cardinality(customer_preferences.channels) > 0 THEN customer_preferences.channels ELSE excluded.channels END,
       contact_window = coalesce(customer_preferences.contact_window, excluded.contact_window),
       -- the lower cap is the one the customer asked for most recently in spirit: never message more
       max_messages_per_week = least(customer_preferences.max_messages_per_week, excluded.max_messages_per_week),
       language = coalesce(customer_preferences.language, excluded.language), updated_at = now()`,
    [tenantId, survivorId, mergedId],
  );

  // Consent: the merged profile's history moves over, and for every (channel, purpose) the most
  // restrictive current answer wins, recorded as a new row so the history stays append-only.
  const conflicts = await queryRows(
    tx,
    Conflict,
    `SELECT channel, purpose FROM (
       SELECT DISTINCT ON (customer_id, channel, purpose) customer_id, channel, purpose, status
         FROM consent_records WHERE tenant_id = $1 AND customer_id = ANY($2)
        ORDER BY customer_id, channel, purpose, recorded_at DESC, id DESC) latest
      GROUP BY channel, purpose HAVING bool_or(status = 'withdrawn') AND bool_or(status = 'granted')`,
    [tenantId, [survivorId, mergedId]],
  );
  await tx.query('UPDATE consent_records SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  for (const c of conflicts) {
    await tx.query(
      `INSERT INTO consent_records (tenant_id, customer_id, channel, purpose, status, source, details, recorded_at) VALUES ($1,$2,$3,$4,'withdrawn','merge',$5,$6)`,
      [tenantId, survivorId, c.channel, c.purpose, JSON.stringify({ merged_id: mergedId, rule: 'most restrictive wins' }), opts.at],
    );
  }

  for (const hook of opts.hooks) await hook(tx, tenantId, survivorId, mergedId);

  await tx.query(`UPDATE customers SET status = 'merged', merged_into = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    mergedId,
    survivorId,
  ]);
  // A profile merged earlier into the one now disappearing must point at the new survivor.
  await tx.query(`UPDATE customers SET merged_into = $3 WHERE tenant_id = $1 AND merged_into = $2`, [tenantId, mergedId, survivorId]);
  const id = newId('mrg');
  await tx.query('INSERT INTO customer_merges (tenant_id, id, survivor_id, merged_id, rule, actor, details) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
    tenantId,
    id,
    survivorId,
    mergedId,
    opts.rule,
    `${opts.actor.type}:${opts.actor.id}`,
    JSON.stringify(opts.details ?? {}),
  ]);
  await writeAudit(tx, tenantId, opts.actor, 'customer.merge', { type: 'customer', id: survivorId }, { merged_id: mergedId, rule: opts.rule });
  return { id, survivorId, mergedId, rule: opts.rule };
}
