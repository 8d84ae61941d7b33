// What listening does when a customer is merged, erased or exported: their mentions go along, and an
// erased customer's mentions lose the author's personal data and text.
import type pg from 'pg';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { CustomersService } from '../customers/index.js';
import { mentions } from './schema.js';

const Exported = rowOf(mentions, ['id', 'channel', 'url', 'author', 'author_handle', 'text', 'published_at', 'sentiment', 'angles']);

export function subscribeListening(pool: pg.Pool, customers: CustomersService) {
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE listening_mentions SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId, survivorId]);
  });
  customers.onErase(async (tx, tenantId, ids) => {
    const rows = await queryRows(
      tx,
      rowOf(mentions, ['id']),
      `UPDATE listening_mentions SET customer_id = NULL, author = NULL, author_handle = NULL, text = '[erased]', url = NULL, media = NULL
                     WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, ids],
    );
    // Crisis alerts quote a few mentions (text and link) as examples: the customer's leave them.
    if (rows.length) {
      await tx.query(
        `UPDATE listening_alerts a SET examples = coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(a.examples) e WHERE NOT (e->>'id' = ANY($2::text[]))), '[]'::jsonb)
          WHERE a.tenant_id = $1 AND EXISTS (SELECT 1 FROM jsonb_array_elements(a.examples) e WHERE e->>'id' = ANY($2::text[]))`,
        [tenantId, rows.map((r) => r.id)],
      );
    }
  });
  customers.addExportSection('mentions', async (tenantId, ids) => {
    const rows = await queryRows(
      pool,
      Exported,
      'SELECT id, channel, url, author, author_handle, text, published_at, sentiment, angles FROM listening_mentions WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY published_at',
      [tenantId, ids],
    );
    return rows;
  });
}
