// The customer timeline: newest first, keyset-paginated, filterable by type, source and time.
import type pg from 'pg';
import { badRequest } from '../../platform/errors.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { customerEvents } from './schema.js';

export interface TimelineItem {
  id: string;
  type: string;
  occurred_at: string;
  received_at: string;
  source: string;
  customer_id: string;
  properties: Record<string, unknown>;
}

export interface TimelineQuery {
  limit: number;
  cursor?: string;
  types?: string[];
  sources?: string[];
  from?: string;
  to?: string;
}

const TimelineRow = rowOf(customerEvents, ['id', 'type', 'occurred_at', 'received_at', 'source', 'customer_id', 'properties']);

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    if (!at || !id || Number.isNaN(Date.parse(at))) throw new Error('bad');
    return { at, id };
  } catch {
    throw badRequest('The cursor is not one this API gave out', [{ field: 'query.cursor', message: 'is not valid' }]);
  }
}

export async function readTimeline(
  pool: pg.Pool,
  tenantId: string,
  customerId: string,
  q: TimelineQuery,
): Promise<{ data: TimelineItem[]; next_cursor: string | null }> {
  const where = ['tenant_id = $1', 'customer_id = $2'];
  const args: unknown[] = [tenantId, customerId];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (q.types?.length) add('type = ANY(?::text[])', q.types);
  if (q.sources?.length) add('source = ANY(?::text[])', q.sources);
  if (q.from) add('occurred_at >= ?', q.from);
  if (q.to) add('occurred_at < ?', q.to);
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    args.push(c.at, c.id);
    where.push(`(occurred_at, id) < ($${args.length - 1}::timestamptz, $${args.length})`);
  }
  args.push(q.limit + 1);
  const rows = await queryRows(
    pool,
    TimelineRow,
    `SELECT id, type, occurred_at, received_at, source, customer_id, properties FROM customer_events
      WHERE ${where.join(' AND ')} ORDER BY occurred_at DESC, id DESC LIMIT $${args.length}`,
    args,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    data: page.map((r) => ({
      ...r,
      occurred_at: r.occurred_at.toISOString(),
      received_at: r.received_at.toISOString(),
      // The customer asked for (the WHERE), and the object the event's properties are stored as.
      customer_id: r.customer_id!,
      properties: r.properties as Record<string, unknown>,
    })),
    next_cursor: rows.length > q.limit ? Buffer.from(`${last.occurred_at.toISOString()}|${last.id}`).toString('base64url') : null,
  };
}
