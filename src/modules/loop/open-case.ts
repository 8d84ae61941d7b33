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

/** Returns each new case's id, or undefined where its source already opened one; one statement per table. */
export async function openCase(tx: pg.PoolClient, tenantId: string, list: NewCase[]): Promise<(string | undefined)[]> {
  if (!list.length) return [];
  const ids = list.map(() => newId('case'));
  const col = <T>(f: (c: NewCase) => T) => list.map(f);
  const { rows } = await tx.query(
    `INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, summary, touchpoint, topics, details, team_id, priority,
                        first_contact_due_at, resolve_due_at, created_at, updated_at)
     SELECT $1, c.id, c.type, c.source_type, c.source_id, c.customer_id, c.summary, c.touchpoint, ARRAY(SELECT jsonb_array_elements_text(c.topics::jsonb)), c.details::jsonb,
            c.team_id, c.priority, c.first_due, c.resolve_due, c.at, c.at
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                   $13::timestamptz[], $14::timestamptz[], $15::timestamptz[])
         AS c(id, type, source_type, source_id, customer_id, summary, touchpoint, topics, details, team_id, priority, first_due, resolve_due, at)
     ON CONFLICT (tenant_id, source_type, source_id) DO NOTHING
     RETURNING id`,
    [tenantId, ids, col((c) => c.type), col((c) => c.sourceType), col((c) => c.sourceId), col((c) => c.customerId ?? null), col((c) => c.summary ?? null),
      col((c) => c.touchpoint ?? null), col((c) => JSON.stringify(c.topics ?? [])), col((c) => JSON.stringify(c.details ?? {})), col((c) => c.teamId ?? null),
      col((c) => c.priority), col((c) => c.firstContactDueAt), col((c) => c.resolveDueAt), col((c) => c.at)],
  );
  const inserted = new Set(rows.map((r) => r.id as string));
  const opened = ids.map((id, i) => (inserted.has(id) ? { id, at: list[i].at } : undefined));
  const made = opened.filter((o): o is { id: string; at: Date } => !!o);
  if (made.length) {
    await tx.query(
      `INSERT INTO case_activities (tenant_id, id, case_id, kind, body, actor, at) SELECT $1, a.id, a.case_id, 'status', 'opened', 'system', a.at
         FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS a(id, case_id, at)`,
      [tenantId, made.map(() => newId('act')), made.map((m) => m.id), made.map((m) => m.at)],
    );
  }
  return opened.map((o) => o?.id);
}
