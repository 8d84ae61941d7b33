// The events module publishes the timeline to other modules' set-based reads as views (schema.ts,
// migration 0043): their columns are what schema.ts declares, and purchases_v holds purchases only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp } from '../../../test/helpers.js';
import { tableDrift } from '../../../test/fixtures/table-drift.js';
import { timelineView, purchasesView } from './schema.js';

describe.each(databases)('events published views on $name', ({ url }) => {
  let r: TestApp;
  beforeAll(async () => {
    r = await startTestApp(url);
  });
  afterAll(async () => r?.close());

  it('are declared in schema.ts as the migration made them', async () => {
    expect(await tableDrift(r.db.pool, timelineView)).toEqual([]);
    expect(await tableDrift(r.db.pool, purchasesView)).toEqual([]);
  });

  it('purchases_v holds the purchases of the timeline, timeline_v every event, neither the identities', async () => {
    const t = await createTestTenant(r);
    const res = await r.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.headers,
      payload: {
        events: [
          {
            id: 'e1',
            type: 'purchase',
            identities: { email: 'li@example.com' },
            occurred_at: '2026-03-01T10:00:00Z',
            properties: { order_id: 'o1', amount: 120, currency: 'CNY' },
          },
          {
            id: 'e2',
            type: 'page_view',
            identities: { email: 'li@example.com' },
            occurred_at: '2026-03-01T10:05:00Z',
            properties: { url: 'https://shop.example.com/' },
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const { rows: purchases } = await r.db.pool.query('SELECT id, type FROM purchases_v WHERE tenant_id = $1 ORDER BY id', [t.tenantId]);
    expect(purchases).toEqual([{ id: 'e1', type: 'purchase' }]);
    const { rows: timeline } = await r.db.pool.query(`SELECT id FROM timeline_v WHERE tenant_id = $1 AND id IN ('e1', 'e2') ORDER BY id`, [t.tenantId]);
    expect(timeline).toEqual([{ id: 'e1' }, { id: 'e2' }]);
    const { rows: columns } = await r.db.pool.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name IN ('timeline_v', 'purchases_v') AND column_name = 'identities'`,
    );
    expect(columns).toEqual([]);
  });
});
