// With DATABASE_READ_URL, list and search screens and analytics dashboards read a streaming replica,
// while writes and the reads that must see them (a customer fetched after its creation) stay on the
// primary. The test makes its own primary and replica (fixtures/replica-cluster.ts) and holds the
// replica's replay to show which copy each request read.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createTestTenant, type TestApp, type TestTenant } from './helpers.js';
import { createTestClock } from '../src/platform/clock.js';
import { findServerBinaries, startReplicaCluster, type ReplicaCluster } from './fixtures/replica-cluster.js';

const binaries = process.env.TEST_DATABASE_URL ? await findServerBinaries() : { reason: 'runs with the real PostgreSQL suite (TEST_DATABASE_URL unset)' };
const skipReason = 'reason' in binaries ? binaries.reason : undefined;

describe.skipIf(skipReason)(`a read replica${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let cluster: ReplicaCluster;
  let r: TestApp;
  let t: TestTenant;
  let replica: pg.Pool;
  let primary: pg.Pool;
  const api = async (method: 'GET' | 'POST', url: string, payload?: object) =>
    r.app.inject({ method, url, headers: t.headers, ...(payload ? { payload } : {}) });

  /**
   * Until the replica has replayed everything the primary has written so far: up to the WAL *inserted*,
   * since the primary commits asynchronously (replica-cluster.ts) and its write position can still be
   * short of a commit record that sits in the WAL buffers.
   */
  async function caughtUp() {
    const {
      rows: [{ lsn }],
    } = await primary.query('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    for (let i = 0; i < 200; i++) {
      if ((await replica.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn])).rows[0].ok) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the replica did not catch up');
  }

  beforeAll(async () => {
    cluster = await startReplicaCluster((binaries as { bindir: string }).bindir);
    r = await startTestApp(cluster.primaryUrl, { databaseReadUrl: cluster.replicaUrl, jobs: false, clock: createTestClock(new Date('2026-03-10T09:00:00Z')) });
    t = await createTestTenant(r);
    replica = new pg.Pool({ connectionString: cluster.replicaUrl, max: 1 });
    primary = new pg.Pool({ connectionString: cluster.primaryUrl, max: 1 });
  }, 120_000);

  afterAll(async () => {
    await replica?.end();
    await primary?.end();
    await r?.close();
    await cluster?.stop();
  });

  it('opens the read pool on the replica and the write pool on the primary', async () => {
    expect(r.db.read).not.toBe(r.db.pool);
    expect((await r.db.read.query('SELECT pg_is_in_recovery() AS standby')).rows[0].standby).toBe(true);
    expect((await r.db.pool.query('SELECT pg_is_in_recovery() AS standby')).rows[0].standby).toBe(false);
  });

  it('lists customers from the replica, and writes and fetches a new one on the primary', async () => {
    const first = (await api('POST', '/v1/customers', { given_name: 'Mei', identities: { external_id: 'mei-1' } })).json();
    await caughtUp();
    expect((await api('GET', '/v1/customers')).json().data.map((c: { id: string }) => c.id)).toEqual([first.id]);

    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      const second = await api('POST', '/v1/customers', { given_name: 'Jun', identities: { external_id: 'jun-1' } });
      expect(second.statusCode).toBe(201);
      // Read-your-write: the profile comes from the primary at once.
      expect((await api('GET', `/v1/customers/${second.json().id}`)).json().given_name).toBe('Jun');
      // The list comes from the replica, which has not replayed the new customer yet.
      expect((await api('GET', '/v1/customers')).json().data.map((c: { id: string }) => c.id)).toEqual([first.id]);
      await replica.query('SELECT pg_wal_replay_resume()');
      await caughtUp();
      expect((await api('GET', '/v1/customers')).json().data).toHaveLength(2);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    }
  });

  it('answers analytics dashboards and their CSV exports from the replica, with the refresh time of that copy', async () => {
    await caughtUp();
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      const refreshed = await api('POST', '/v1/analytics/refresh?mode=full');
      expect(refreshed.statusCode).toBe(200);
      // The roll-ups were written on the primary; the replica has not replayed them.
      const stale = await api('GET', '/v1/analytics/customer-value');
      expect(stale.statusCode).toBe(200);
      expect(stale.json().refreshed_at).toBeNull();
      const staleCsv = await api('GET', '/v1/analytics/customer-value?format=csv');
      expect(staleCsv.statusCode).toBe(200);
      expect(staleCsv.headers['x-refreshed-at']).toBe('');
      await replica.query('SELECT pg_wal_replay_resume()');
      await caughtUp();
      expect((await api('GET', '/v1/analytics/customer-value')).json().refreshed_at).toBe(refreshed.json().refreshed_at);
      expect(new Date(String((await api('GET', '/v1/analytics/customer-value?format=csv')).headers['x-refreshed-at'])).toISOString()).toBe(
        refreshed.json().refreshed_at,
      );
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    }
  });
});
