// Opening a case: one per source (a response, a mention, a conversation), so a replayed signal opens
// nothing twice. The case gets its team by the routing rules, its priority from the customer's value
// and its SLA from its priority; it goes on the customer's timeline.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import type { Priority } from './case-rules.js';

export interface NewCase {
  type: string;
  sourceType: string;
  sourceId: string;
  customerId?: string | null;
  summary?: string | null;
  touchpoint?: string | null;
  topics?: string[];
  details?: Record<string, unknown>;
  teamId?: string | null;
  priority: Priority;
  firstContactDueAt: Date;
  resolveDueAt: Date;
  at: Date;
}

/** Returns the new case's id, or undefined when its source already opened one. */
export async function openCase(tx: pg.PoolClient, tenantId: string, c: NewCase): Promise<string | undefined> {
  const id = newId('case');
  const r = await tx.query(
    `INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, summary, touchpoint, topics, details, team_id, priority,
                        first_contact_due_at, resolve_due_at, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$15) ON CONFLICT (tenant_id, source_type, source_id) DO NOTHING`,
    [tenantId, id, c.type, c.sourceType, c.sourceId, c.customerId ?? null, c.summary ?? null, c.touchpoint ?? null, c.topics ?? [],
      JSON.stringify(c.details ?? {}), c.teamId ?? null, c.priority, c.firstContactDueAt, c.resolveDueAt, c.at],
  );
  if (r.rowCount !== 1) return undefined;
  await tx.query(`INSERT INTO case_activities (tenant_id, id, case_id, kind, body, actor, at) VALUES ($1,$2,$3,'status',$4,'system',$5)`, [tenantId, newId('act'), id, 'opened', c.at]);
  return id;
}
