// Saved segments: rules over the customers' profile, value and activity, checked when saved (a rule
// that cannot compile is refused then), counted now, and handed to analytics as a members subquery.
import { newId } from '../../platform/ids.js';
import { SegmentRule, SegmentError, compileSegment } from './compile-segment.js';
import { countSegment as countMembers, segmentMembersSql } from './plan-campaign.js';
import { segmentNotFound, invalidSegment } from './errors.js';
import { iso, type OutreachContext } from './outreach-context.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { outreachSegments } from './schema.js';

const Segment = rowOf(outreachSegments, ['id', 'name', 'rules', 'created_at']);
const Rules = rowOf(outreachSegments, ['rules']);

/** A saved segment's members as a subquery: appends its parameters to `params` (whose $1 is the tenant id) and returns the SQL. */
export type SegmentMembers = (params: unknown[]) => string;

export function parseRules(raw: unknown) {
  const r = SegmentRule.safeParse(raw);
  if (!r.success)
    throw invalidSegment(
      'The segment rules are not valid',
      r.error.issues.map((i) => ({ field: ['rules', ...i.path].join('.'), message: i.message })),
    );
  return r.data;
}

/** How many customers the rules select now; a rule that cannot compile is the request's fault (422). */
export async function countRules(oc: OutreachContext, tenantId: string, rules: unknown, at: Date = oc.now()) {
  try {
    return await countMembers(oc.pool, tenantId, parseRules(rules), at);
  } catch (err) {
    if (err instanceof SegmentError) throw invalidSegment(err.message, [{ field: err.field, message: err.message }]);
    throw err;
  }
}

export async function createSegment(oc: OutreachContext, tenantId: string, input: { name: string; rules: unknown }) {
  const rules = parseRules(input.rules);
  await countRules(oc, tenantId, rules); // compiles, so a bad rule is refused now
  const id = newId('seg');
  await oc.pool.query('INSERT INTO outreach_segments (tenant_id, id, name, rules) VALUES ($1,$2,$3,$4)', [tenantId, id, input.name, JSON.stringify(rules)]);
  return id;
}

export async function getSegment(oc: OutreachContext, tenantId: string, id: string) {
  const r = await queryRow(oc.pool, Segment, 'SELECT id, name, rules, created_at FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return r ? { id: r.id, name: r.name, rules: r.rules, created_at: iso(r.created_at)! } : undefined;
}

export async function listSegments(oc: OutreachContext, tenantId: string) {
  const rows = await queryRows(
    oc.pool,
    Segment,
    'SELECT id, name, rules, created_at FROM outreach_segments WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1000',
    [tenantId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, rules: r.rules, created_at: iso(r.created_at)! }));
}

export async function countSegment(oc: OutreachContext, tenantId: string, id: string) {
  const r = await queryRow(oc.pool, Rules, 'SELECT rules FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) throw segmentNotFound();
  return countRules(oc, tenantId, r.rules);
}

/**
 * The members of the tenant's saved segment `id` now, as a subquery builder for analytics (see
 * segmentMembersSql), or undefined when the tenant has no such segment.
 */
export async function segmentMembers(oc: OutreachContext, tenantId: string, id: string): Promise<SegmentMembers | undefined> {
  const r = await queryRow(oc.pool, Rules, 'SELECT rules FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) return undefined;
  const rules = parseRules(r.rules);
  const at = oc.now();
  // Compiled once here so a rule that cannot compile is refused as the segment's fault, not a 500 mid-measure.
  try {
    compileSegment(rules, at);
  } catch (err) {
    if (err instanceof SegmentError) throw invalidSegment(err.message, [{ field: err.field, message: err.message }]);
    throw err;
  }
  return (params) => segmentMembersSql(rules, at, params);
}
