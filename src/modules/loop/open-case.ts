// Opening a case: one per source (a response, a mention, a conversation), so a replayed signal opens
// nothing twice. The case gets its team by the routing rules, its priority from the customer's value
// and its SLA from its priority; it goes on the customer's timeline.
import { prepared, type Queryable } from '../../platform/db.js';
import { timelineInsertSql } from '../events/index.js';
import { newId } from '../../platform/ids.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { Priority } from './case-rules.js';
import { cases } from './schema.js';

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

const OPEN_CASES = prepared(
  'loop-open-cases',
  `WITH c AS (
       INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, summary, touchpoint, topics, details, team_id, priority,
                          first_contact_due_at, resolve_due_at, created_at, updated_at)
       SELECT $1, c.id, c.type, c.source_type, c.source_id, c.customer_id, c.summary, c.touchpoint, ARRAY(SELECT jsonb_array_elements_text(c.topics::jsonb)), c.details::jsonb,
              c.team_id, c.priority, c.first_due, c.resolve_due, c.at, c.at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                     $13::timestamptz[], $14::timestamptz[], $15::timestamptz[])
           AS c(id, type, source_type, source_id, customer_id, summary, touchpoint, topics, details, team_id, priority, first_due, resolve_due, at)
       ON CONFLICT (tenant_id, source_type, source_id) DO NOTHING
       RETURNING id, type, customer_id, team_id, priority, created_at
     ),
     activities AS (
       INSERT INTO case_activities (tenant_id, id, case_id, kind, body, actor, at)
       SELECT $1, a.id, c.id, 'status', '{"code":"opened"}', 'system', c.created_at FROM c JOIN unnest($2::text[], $16::text[]) AS a(case_id, id) ON a.case_id = c.id
     ),
     timeline AS (${timelineInsertSql(`SELECT 'loop:' || id || ':opened', 'case.opened', created_at, customer_id, 'loop',
         jsonb_build_object('case_id', id, 'type', type, 'team_id', team_id, 'priority', priority) FROM c WHERE customer_id IS NOT NULL`)})
     SELECT id FROM c`,
);

/**
 * Returns each new case's id, or undefined where its source already opened one. The cases, their
 * "opened" activities and their timeline items are one statement: atomic without an open transaction.
 */
export async function openCase(db: Queryable, tenantId: string, list: NewCase[]): Promise<(string | undefined)[]> {
  if (!list.length) return [];
  const ids = list.map(() => newId('case'));
  const col = <T>(f: (c: NewCase) => T) => list.map(f);
  const rows = await queryRows(
    db,
    rowOf(cases, ['id']),
    OPEN_CASES([
      tenantId,
      ids,
      col((c) => c.type),
      col((c) => c.sourceType),
      col((c) => c.sourceId),
      col((c) => c.customerId ?? null),
      col((c) => c.summary ?? null),
      col((c) => c.touchpoint ?? null),
      col((c) => JSON.stringify(c.topics ?? [])),
      col((c) => JSON.stringify(c.details ?? {})),
      col((c) => c.teamId ?? null),
      col((c) => c.priority),
      col((c) => c.firstContactDueAt),
      col((c) => c.resolveDueAt),
      col((c) => c.at),
      ids.map(() => newId('act')),
    ]),
  );
  const inserted = new Set(rows.map((r) => r.id));
  return ids.map((id) => (inserted.has(id) ? id : undefined));
}
