import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from './helpers.js';
import { createTestClock } from '../src/platform/clock.js';
import { createPartitionKeeper, maintainPartitions, parseRetentionMonths, PARTITIONS_QUEUE } from '../src/platform/partitions.js';
import type { Jobs } from '../src/platform/jobs.js';

// The events test runs in a year of its own, far ahead, so a run finds none of its months made by an
// earlier run on the same database, and drops what it made.
const Y = 2100 + (randomBytes(2).readUInt16BE() % 800);
const Y1 = Y + 1;

const migration = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../migrations', name), 'utf8').split('--> statement-breakpoint');

describe('retention settings', () => {
  it('reads months per table and refuses what is not table=months', () => {
    expect(parseRetentionMonths(' customer_events=36, listening_mentions = 24 ')).toEqual({ customer_events: 36, listening_mentions: 24 });
    expect(parseRetentionMonths(undefined)).toEqual({});
    expect(() => parseRetentionMonths('customer_events=0')).toThrow(/customer_events=0/);
    expect(() => parseRetentionMonths('customer_events')).toThrow(/table=months/);
  });
});

describe.each(databases)('monthly partitions on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url, { clock: createTestClock(`${Y}-05-31T12:00:00Z`) });
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  const partitionOf = async (table: string, where: string, params: unknown[]) =>
    (await r.db.pool.query(`SELECT id, tableoid::regclass::text AS part FROM ${table} WHERE ${where} ORDER BY id`, params)).rows;

  it('turns a populated events table into monthly partitions, keeping every row, key and index', async () => {
    const schema = `mig_${randomBytes(4).toString('hex')}`;
    const client = await r.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET LOCAL search_path = ${schema}`);
      // The table as migrations 0000–0040 left it.
      await client.query(`CREATE TABLE customer_events (
          tenant_id text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, type text NOT NULL,
          occurred_at timestamptz NOT NULL, received_at timestamptz DEFAULT now() NOT NULL, customer_id text COLLATE "C",
          source text NOT NULL, identities jsonb DEFAULT '{}'::jsonb NOT NULL, properties jsonb DEFAULT '{}'::jsonb NOT NULL,
          CONSTRAINT customer_events_tenant_id_id_pk PRIMARY KEY (tenant_id, id))`);
      await client.query('CREATE INDEX customer_events_timeline_idx ON customer_events (tenant_id, customer_id, occurred_at)');
      await client.query(`CREATE INDEX customer_events_received_idx ON customer_events (tenant_id, received_at) WHERE type IN ('purchase', 'refund')`);
      // Three recent months (relative to the database's own clock, which the migration reads), one
      // event far older than the five years the migration makes months for, and one next month.
      await client.query(`INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
        SELECT 'ten_a', 'e' || g, 'purchase', date_trunc('month', now()) - (g || ' months')::interval + interval '3 days', 'c1', 'api', jsonb_build_object('n', g)
          FROM generate_series(0, 2) g
        UNION ALL SELECT 'ten_a', 'old', 'page_view', timestamptz '1999-06-01T00:00:00Z', 'c1', 'import', '{}'
        UNION ALL SELECT 'ten_b', 'next', 'page_view', date_trunc('month', now()) + interval '1 month 1 day', 'c2', 'api', '{}'`);

      for (const statement of migration('0041_partition-customer-events.sql')) await client.query(statement);

      const {
        rows: [{ relkind }],
      } = await client.query(`SELECT relkind FROM pg_class WHERE oid = 'customer_events'::regclass`);
      expect(relkind).toBe('p');
      const { rows } = await client.query(`SELECT id, tableoid::regclass::text AS part,
          'customer_events_p' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY_MM') AS month, properties FROM customer_events ORDER BY id`);
      expect(rows.map((x) => x.id)).toEqual(['e0', 'e1', 'e2', 'next', 'old']);
      for (const x of rows.filter((x) => x.id !== 'old')) expect(x.part).toBe(x.month);
      expect(rows.find((x) => x.id === 'old')!.part).toBe('customer_events_default');
      expect(rows.find((x) => x.id === 'e2')!.properties).toEqual({ n: 2 });
      // Months ahead are made: three after the current one.
      const { rows: ahead } = await client.query(`SELECT to_char(date_trunc('month', now()) + interval '3 months', '"customer_events_p"YYYY_MM') AS name`);
      expect((await client.query('SELECT to_regclass($1) AS r', [ahead[0].name])).rows[0].r).not.toBeNull();
      expect((await client.query(`SELECT to_regclass('customer_events_unpartitioned') AS r`)).rows[0].r).toBeNull();

      const { rows: indexes } = await client.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'customer_events' ORDER BY 1`,
        [schema],
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        'customer_events_received_idx',
        'customer_events_tenant_id_id_occurred_at_pk',
        'customer_events_timeline_idx',
      ]);
      expect(indexes[2].indexdef).toMatch(/\(tenant_id, customer_id, occurred_at\)/);

      // Every stored id is claimed, and a replayed id is skipped whatever month it names.
      expect((await client.query('SELECT count(*)::int AS n FROM customer_event_ids')).rows[0].n).toBe(5);
      const replay = await client.query(
        `INSERT INTO customer_events (tenant_id, id, type, occurred_at, source) VALUES ('ten_a', 'e1', 'purchase', now(), 'api'), ('ten_a', 'fresh', 'purchase', now(), 'api') RETURNING id`,
      );
      expect(replay.rows.map((x) => x.id)).toEqual(['fresh']);
      // The same id in another tenant is another event.
      expect(
        (await client.query(`INSERT INTO customer_events (tenant_id, id, type, occurred_at, source) VALUES ('ten_b', 'e1', 'purchase', now(), 'api')`))
          .rowCount,
      ).toBe(1);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('stores ingested events in their month, keeps an id once across months and makes months ahead at a month end', async () => {
    const jobs = { define: async () => undefined, send: async () => null, isScheduling: false } as unknown as Jobs;
    const keeper = createPartitionKeeper({ pool: r.db.pool, jobs, clock: r.clock, log: pino({ level: 'silent' }) });
    // Noon on 31 May: May and the three months after it.
    const made = (await keeper.maintain()).created;
    for (const table of ['customer_events', 'listening_mentions']) {
      for (const m of [`${Y}_05`, `${Y}_06`, `${Y}_07`, `${Y}_08`]) {
        expect((await r.db.pool.query('SELECT to_regclass($1) AS r', [`${table}_p${m}`])).rows[0].r, `${table}_p${m}`).not.toBeNull();
      }
    }
    expect((await keeper.maintain()).created).toEqual([]);

    const tag = randomBytes(4).toString('hex');
    const ev = (id: string, at: string) => ({
      id: `${tag}_${id}`,
      type: 'bag_checked',
      occurred_at: at,
      identities: { email: `${tag}@example.com` },
      properties: {},
    });
    const post = (events: unknown[]) => r.app.inject({ method: 'POST', url: '/v1/events', headers: t.headers, payload: { events } });
    const res = (await post([ev('may', `${Y}-05-31T23:59:59Z`), ev('jun', `${Y}-06-01T00:00:00Z`)])).json();
    expect(res.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted']);
    // October has no partition yet (made through August): its events wait in the default partition.
    r.clock.set(`${Y}-10-14T09:00:00Z`);
    expect((await post([ev('oct', `${Y}-10-15T00:00:00Z`)])).json().accepted).toBe(1);
    // The same id again in another month is the same event: a duplicate, stored once.
    const again = (await post([ev('may', `${Y}-07-02T00:00:00Z`)])).json();
    expect([again.accepted, again.duplicates]).toEqual([0, 1]);
    expect(await partitionOf('customer_events', 'tenant_id = $1', [t.tenantId])).toEqual([
      { id: `${tag}_jun`, part: `customer_events_p${Y}_06` },
      { id: `${tag}_may`, part: `customer_events_p${Y}_05` },
      { id: `${tag}_oct`, part: 'customer_events_default' },
    ]);

    // A month made later takes its rows out of the default partition; across the year's end too.
    r.clock.set(`${Y}-10-31T23:59:00Z`);
    const later = await keeper.maintain();
    made.push(...later.created);
    expect(later.created).toEqual(
      expect.arrayContaining([`customer_events_p${Y}_10`, `customer_events_p${Y}_11`, `customer_events_p${Y}_12`, `customer_events_p${Y1}_01`]),
    );
    expect(later.moved).toBeGreaterThanOrEqual(1);
    expect(await partitionOf('customer_events', 'tenant_id = $1 AND id = $2', [t.tenantId, `${tag}_oct`])).toEqual([
      { id: `${tag}_oct`, part: `customer_events_p${Y}_10` },
    ]);
    // The moved event is still one event: its key still holds, its timeline index still serves.
    expect((await post([ev('oct', `${Y}-10-15T00:00:00Z`)])).json().duplicates).toBe(1);
    const customerId = res.results[0].customer_id;
    const timeline = await r.app.inject({ method: 'GET', url: `/v1/customers/${customerId}/timeline`, headers: t.headers });
    expect(timeline.statusCode).toBe(200);
    expect(JSON.stringify(timeline.json())).toContain(`${tag}_oct`);
    for (const name of made) await r.db.pool.query(`DROP TABLE ${name}`);
  });

  it("keeps a table's months by retention, with its default partition and its key table, and is idempotent", async () => {
    // A table of its own in a schema of its own, so dropping months touches no other test's rows.
    const schema = `keep_${randomBytes(4).toString('hex')}`;
    const pool = r.db.pool;
    await pool.query(`CREATE SCHEMA ${schema}`);
    try {
      await pool.query(
        `CREATE TABLE ${schema}.things (tenant_id text NOT NULL, id text NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (tenant_id, id, at)) PARTITION BY RANGE (at)`,
      );
      await pool.query(`CREATE TABLE ${schema}.things_default PARTITION OF ${schema}.things DEFAULT`);
      await pool.query(`CREATE TABLE ${schema}.thing_ids (tenant_id text NOT NULL, id text NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (tenant_id, id))`);
      const rows = [
        ['a', '2020-01-15'],
        ['b', '2027-11-30'],
        ['c', '2027-12-31T23:59:59Z'],
        ['d', '2028-01-01'],
        ['e', '2028-02-29'],
      ];
      for (const [id, at] of rows) {
        await pool.query(`INSERT INTO ${schema}.things VALUES ('ten', $1, $2)`, [id, at]);
        await pool.query(`INSERT INTO ${schema}.thing_ids VALUES ('ten', $1, $2)`, [id, at]);
      }
      const opts = { schema, monthsAhead: 2, companions: [{ partitioned: 'things', table: 'thing_ids', column: 'at' }] };
      const where = async () =>
        Object.fromEntries(
          (await pool.query(`SELECT id, tableoid::regclass::text AS part FROM ${schema}.things ORDER BY id`)).rows.map((x) => [
            x.id,
            x.part.replace(`${schema}.`, ''),
          ]),
        );

      // Near the end of December 2027: December and the two months after it, across the year, and
      // November, whose row waits in the default partition; January 2020 is older than five years.
      const december = await maintainPartitions(pool, new Date('2027-12-31T23:30:00Z'), opts);
      expect(december).toEqual({ created: ['things_p2027_12', 'things_p2028_01', 'things_p2028_02', 'things_p2027_11'], moved: 4, dropped: [], deleted: 0 });
      expect(await where()).toEqual({ a: 'things_default', b: 'things_p2027_11', c: 'things_p2027_12', d: 'things_p2028_01', e: 'things_p2028_02' });
      expect(await maintainPartitions(pool, new Date('2027-12-31T23:30:00Z'), opts)).toEqual({ created: [], moved: 0, dropped: [], deleted: 0 });
      // New rows of a made month go straight to it.
      await pool.query(`INSERT INTO ${schema}.things VALUES ('ten', 'f', '2028-02-01T00:00:00Z')`);
      expect((await where()).f).toBe('things_p2028_02');

      // Keeping two months, on 15 March 2028: January, February and March stay; November and December
      // go, and the older rows of the default partition and of the key table with them.
      const march = await maintainPartitions(pool, new Date('2028-03-15T08:00:00Z'), { ...opts, retentionMonths: { things: 2 } });
      expect(march.created).toEqual(['things_p2028_03', 'things_p2028_04', 'things_p2028_05']);
      expect(march.dropped).toEqual(['things_p2027_11', 'things_p2027_12']);
      expect(march.deleted).toBe(1 + 3);
      expect(await where()).toEqual({ d: 'things_p2028_01', e: 'things_p2028_02', f: 'things_p2028_02' });
      expect((await pool.query(`SELECT id FROM ${schema}.thing_ids ORDER BY id`)).rows.map((x) => x.id)).toEqual(['d', 'e']);
      expect(await maintainPartitions(pool, new Date('2028-03-15T08:00:00Z'), { ...opts, retentionMonths: { things: 2 } })).toEqual({
        created: [],
        moved: 0,
        dropped: [],
        deleted: 0,
      });
      // A table named in no retention keeps everything.
      expect((await maintainPartitions(pool, new Date('2030-01-15T08:00:00Z'), { ...opts, monthsAhead: 0 })).dropped).toEqual([]);
    } finally {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it('is a monthly job, run once at start on a node that schedules', async () => {
    const defined: { name: string; cron?: string }[] = [];
    const sent: string[] = [];
    const jobs = (isScheduling: boolean) =>
      ({
        define: async (name: string, _h: unknown, o?: { cron?: string }) => {
          defined.push({ name, cron: o?.cron });
        },
        send: async (name: string) => {
          sent.push(name);
          return 'id';
        },
        isScheduling,
      }) as unknown as Jobs;
    const log = pino({ level: 'silent' });
    await createPartitionKeeper({ pool: r.db.pool, jobs: jobs(false), clock: r.clock, log }).start();
    expect(sent).toEqual([]);
    await createPartitionKeeper({ pool: r.db.pool, jobs: jobs(true), clock: r.clock, log }).start();
    expect(defined).toEqual([
      { name: PARTITIONS_QUEUE, cron: '11 0 1 * *' },
      { name: PARTITIONS_QUEUE, cron: '11 0 1 * *' },
    ]);
    expect(sent).toEqual([PARTITIONS_QUEUE]);
  });
});
