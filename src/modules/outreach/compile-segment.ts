// Segments are rules over profile, value, tier, events and feedback, compiled to one SQL WHERE clause
// over the customers module's audience read model (alias a). Field names come from a fixed list and
// every value is a bound parameter, so rules can never inject SQL.
import { z } from '../../platform/validation.js';
import { customerEventCountSql } from '../events/index.js';

const FIELDS = {
  'profile.locale': { col: 'a.locale', type: 'text' },
  'profile.timezone': { col: 'a.timezone', type: 'text' },
  'profile.language': { col: 'a.language', type: 'text' },
  'value.is_core': { col: 'a.is_core', type: 'boolean' },
  'value.clv': { col: 'a.clv', type: 'numeric' },
  'value.order_count': { col: 'a.order_count', type: 'numeric' },
  'value.recency_score': { col: 'a.recency_score', type: 'numeric' },
  'value.frequency_score': { col: 'a.frequency_score', type: 'numeric' },
  'value.monetary_score': { col: 'a.monetary_score', type: 'numeric' },
  'activity.last_purchase_at': { col: 'a.last_purchase_at', type: 'timestamptz' },
  'activity.first_seen_at': { col: 'a.first_seen_at', type: 'timestamptz' },
  'activity.last_seen_at': { col: 'a.last_seen_at', type: 'timestamptz' },
  'profile.created_at': { col: 'a.created_at', type: 'timestamptz' },
} as const;
export const SEGMENT_FIELDS = Object.keys(FIELDS) as (keyof typeof FIELDS)[];

const Scalar = z.union([z.string().max(500), z.number(), z.boolean()]);
const FieldRule = z
  .object({
    field: z.string().regex(/^(profile|value|activity)\.[a-z_]+$|^attribute\.[a-z][a-z0-9_]{0,62}$/, 'must be a known field or attribute.<key>'),
    op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'not_exists', 'within_days', 'before', 'after']),
    value: z.union([Scalar, z.array(Scalar).max(500)]).optional(),
  })
  .strict();
const EventRule = z
  .object({
    event: z
      .object({ type: z.string().min(1).max(100), within_days: z.number().int().min(1).max(3650), min_count: z.number().int().min(1).max(100000).default(1) })
      .strict(),
  })
  .strict();
const FeedbackRule = z
  .object({
    feedback: z
      .object({
        kind: z.string().min(1).max(32),
        min_score: z.number().optional(),
        max_score: z.number().optional(),
        within_days: z.number().int().min(1).max(3650),
      })
      .strict(),
  })
  .strict();
const TierRule = z.object({ tier: z.object({ in: z.array(z.string().min(1).max(64)).min(1).max(50) }).strict() }).strict();

export type SegmentRule =
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }
  | z.infer<typeof FieldRule>
  | z.infer<typeof EventRule>
  | z.infer<typeof FeedbackRule>
  | z.infer<typeof TierRule>;

export const SegmentRule: z.ZodType<SegmentRule> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(SegmentRule).min(1).max(50) }).strict(),
    z.object({ any: z.array(SegmentRule).min(1).max(50) }).strict(),
    z.object({ not: SegmentRule }).strict(),
    FieldRule,
    EventRule,
    FeedbackRule,
    TierRule,
  ]),
);

export class SegmentError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const OPS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** Compiles rules to SQL; $1 is the tenant id, further parameters follow from `params`. */
export function compileSegment(rule: SegmentRule, now: Date, params: unknown[] = []): { where: string; params: unknown[] } {
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length + 1}`;
  };
  const sinceDays = (days: number) => bind(new Date(now.getTime() - days * 86_400_000));
  const walk = (r: SegmentRule, path: string): string => {
    if ('all' in r) return `(${r.all.map((x, i) => walk(x, `${path}.all[${i}]`)).join(' AND ')})`;
    if ('any' in r) return `(${r.any.map((x, i) => walk(x, `${path}.any[${i}]`)).join(' OR ')})`;
    if ('not' in r) return `(NOT coalesce(${walk(r.not, `${path}.not`)}, false))`;
    if ('event' in r) {
      const e = r.event;
      return `(${customerEventCountSql('a.customer_id', { tenant: '$1', type: bind(e.type), since: sinceDays(e.within_days) })} >= ${bind(e.min_count)})`;
    }
    if ('feedback' in r) {
      const f = r.feedback;
      const conds = [`f.kind = ${bind(f.kind)}`, `f.at >= ${sinceDays(f.within_days)}`];
      if (f.min_score != null) conds.push(`f.score >= ${bind(f.min_score)}`);
      if (f.max_score != null) conds.push(`f.score <= ${bind(f.max_score)}`);
      return `EXISTS (SELECT 1 FROM outreach_feedback_scores f WHERE f.tenant_id = $1 AND f.customer_id = a.customer_id AND ${conds.join(' AND ')})`;
    }
    if ('tier' in r)
      return `EXISTS (SELECT 1 FROM outreach_customer_tiers t WHERE t.tenant_id = $1 AND t.customer_id = a.customer_id AND t.tier = ANY(${bind(r.tier.in)}::text[]))`;
    return fieldSql(r, path);
  };
  const fieldSql = (r: z.infer<typeof FieldRule>, path: string): string => {
    let col: string;
    let type: string;
    if (r.field.startsWith('attribute.')) {
      const key = bind(r.field.slice('attribute.'.length));
      const isNumber = typeof r.value === 'number' || (Array.isArray(r.value) && typeof r.value[0] === 'number');
      if (r.op === 'exists' || r.op === 'not_exists') return `(a.attributes ? ${key}) = ${r.op === 'exists'}`;
      type = isNumber ? 'numeric' : typeof r.value === 'boolean' ? 'boolean' : ['within_days', 'before', 'after'].includes(r.op) ? 'timestamptz' : 'text';
      col =
        type === 'numeric'
          ? `(CASE WHEN jsonb_typeof(a.attributes->${key}) = 'number' THEN (a.attributes->>${key})::numeric END)`
          : type === 'boolean'
            ? `(CASE WHEN jsonb_typeof(a.attributes->${key}) = 'boolean' THEN (a.attributes->>${key})::boolean END)`
            : type === 'timestamptz'
              ? `(CASE WHEN a.attributes->>${key} ~ '^\\d{4}-\\d{2}-\\d{2}' THEN (a.attributes->>${key})::timestamptz END)`
              : `(a.attributes->>${key})`;
    } else {
      const f = FIELDS[r.field as keyof typeof FIELDS];
      if (!f) throw new SegmentError(`unknown field ${r.field}`, `${path}.field`);
      ({ col, type } = f);
    }
    const need = (ok: boolean, what: string) => {
      if (!ok) throw new SegmentError(`${r.op} needs ${what}`, `${path}.value`);
    };
    switch (r.op) {
      case 'exists':
        return `${col} IS NOT NULL`;
      case 'not_exists':
        return `${col} IS NULL`;
      case 'within_days':
        need(typeof r.value === 'number' && type === 'timestamptz', 'a number of days on a date field');
        return `${col} >= ${sinceDays(r.value as number)}`;
      case 'before':
      case 'after':
        need(typeof r.value === 'string' && !Number.isNaN(Date.parse(r.value)) && type === 'timestamptz', 'an ISO date on a date field');
        return `${col} ${r.op === 'before' ? '<' : '>='} ${bind(new Date(r.value as string))}`;
      case 'in':
        need(Array.isArray(r.value) && r.value.length > 0, 'a list of values');
        return `${col} = ANY(${bind(r.value)}::${type}[])`;
      default:
        need(r.value !== undefined && !Array.isArray(r.value), 'one value');
        if (type === 'numeric') need(typeof r.value === 'number', 'a number');
        if (type === 'boolean') need(typeof r.value === 'boolean', 'true or false');
        return `${col} ${OPS[r.op]} ${bind(type === 'timestamptz' ? new Date(r.value as string) : r.value)}::${type}`;
    }
  };
  return { where: walk(rule, 'rules'), params };
}
