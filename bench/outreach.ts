// Plan a marketing campaign to a 1,000,000-customer segment on the real PostgreSQL: segment
// evaluation, channel choice by rank x consent x template x address, complaint suppression,
// frequency caps against 100,000 earlier messages, and quiet-hour scheduling in five timezones.
// The customers are seeded with set-based INSERT ... SELECT generate_series (outside the clock).
// Baseline, same run: a bare INSERT ... SELECT of the same number of rows from customers into an
// unindexed table, the floor any plan that writes one row per customer must pay.
import pg from 'pg';
import { dropTenant, processCpuMs } from './child-server.js';
import { countQueries } from './lib/count-queries.js';
import { migrateDatabase } from '../src/platform/migrate.js';
import { createTenant } from '../src/platform/tenancy.js';
import { newId } from '../src/platform/ids.js';
import { planCampaign, readOutreachSettings, createOutreachSecretBox, templateChannels } from '../src/modules/outreach/index.js';

const N = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function seed(pool: pg.Pool, t: string) {
  const q = (sql: string, params: unknown[] = []) => pool.query(sql, [t, N, ...params]);
  await q(`INSERT INTO customers (tenant_id, id, locale, timezone, order_count, is_core, attributes, status)
           SELECT $1, 'cus_bench' || lpad(i::text, 8, '0'), (ARRAY['zh-CN','en','zh-TW'])[i % 3 + 1],
                  (ARRAY['Asia/Shanghai','America/New_York','Europe/London','Asia/Tokyo', NULL])[i % 5 + 1], i % 7, i % 10 = 0, '{}', 'active'
             FROM generate_series(1, $2) i`);
  await q(`INSERT INTO customer_identities (tenant_id, kind, value, customer_id)
           SELECT $1, 'email', 'c' || i || '@bench.example.com', 'cus_bench' || lpad(i::text, 8, '0') FROM generate_series(1, $2) i
           UNION ALL SELECT $1, 'phone', '+86139' || lpad(i::text, 8, '0'), 'cus_bench' || lpad(i::text, 8, '0') FROM generate_series(1, $2) i WHERE i % 10 < 6
           UNION ALL SELECT $1, 'wechat_openid', 'o' || md5(i::text), 'cus_bench' || lpad(i::text, 8, '0') FROM generate_series(1, $2) i WHERE i % 10 < 4`);
  await q(`INSERT INTO customer_preferences (tenant_id, customer_id, channels, contact_window, max_messages_per_week)
           SELECT $1, 'cus_bench' || lpad(i::text, 8, '0'), CASE i % 4 WHEN 0 THEN ARRAY['email','sms','wechat'] WHEN 1 THEN ARRAY['wechat','email','sms'] WHEN 2 THEN ARRAY['sms','email','wechat'] ELSE ARRAY[]::text[] END,
                  (ARRAY[NULL, '{"start":"09:00","end":"21:00","days":[1,2,3,4,5,6,7]}', '{"start":"10:00","end":"18:00","days":[1,2,3,4,5]}'])[i % 3 + 1]::jsonb,
                  CASE WHEN i % 20 = 0 THEN 1 END
             FROM generate_series(1, $2) i`);
  await q(`INSERT INTO consent_records (tenant_id, customer_id, channel, purpose, status, source, recorded_at)
           SELECT $1, 'cus_bench' || lpad(i::text, 8, '0'), 'email', 'marketing', 'granted', 'bench', now() - interval '30 days' FROM generate_series(1, $2) i WHERE i % 10 < 8
           UNION ALL SELECT $1, 'cus_bench' || lpad(i::text, 8, '0'), 'sms', 'marketing', 'granted', 'bench', now() - interval '30 days' FROM generate_series(1, $2) i WHERE i % 10 < 5
           UNION ALL SELECT $1, 'cus_bench' || lpad(i::text, 8, '0'), 'wechat', 'marketing', 'granted', 'bench', now() - interval '30 days' FROM generate_series(1, $2) i WHERE i % 10 < 3
           UNION ALL SELECT $1, 'cus_bench' || lpad(i::text, 8, '0'), 'email', 'marketing', 'withdrawn', 'bench', now() - interval '1 day' FROM generate_series(1, $2) i WHERE i % 25 = 0`);
  // 100,000 marketing messages sent in the last half day (the daily cap drops a second one), 1% open complaints.
  await q(`INSERT INTO outreach_messages (tenant_id, id, customer_id, template_id, purpose, channel, status, reason, scheduled_at)
           SELECT $1, 'msg_bench' || i, 'cus_bench' || lpad(i::text, 8, '0'), 'tpl_prior', 'marketing', 'email', 'sent', 'earlier campaign', now() - interval '12 hours'
             FROM generate_series(1, $2) i WHERE i % 10 = 1`);
  await q(`INSERT INTO outreach_suppressions (tenant_id, customer_id, source_kind, source_id, reason)
           SELECT $1, 'cus_bench' || lpad(i::text, 8, '0'), 'case', 'case_bench' || i, 'open complaint' FROM generate_series(1, $2) i WHERE i % 100 = 7`);
  await pool.query('ANALYZE customers, customer_identities, customer_preferences, consent_records, outreach_messages, outreach_suppressions');
}

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL must name the real PostgreSQL to plan on');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrateDatabase(pool);
  const slug = `bench-outreach-${Date.now().toString(36)}`;
  const { tenantId } = await createTenant(pool, {
    slug,
    name: 'Outreach bench',
    admin: { email: 'admin@bench.example.com', name: 'Bench', password: 'bench password 123' },
  });
  try {
    let t0 = performance.now();
    await seed(pool, tenantId);
    console.log(
      `seeded ${N.toLocaleString('en')} customers with identities, preferences, consent, 100k earlier messages and 1% complaints in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const settings = await readOutreachSettings(pool, tenantId, createOutreachSecretBox({ secretKey: 'bench', dataDir: '/tmp' }));
    const content = {
      en: { email: { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' }, sms: { text: 'Hi' }, wechat: { template_id: 'T1', fields: { first: 'Hi' } } },
    };
    const templateId = newId('tpl');
    await pool.query(
      `INSERT INTO outreach_templates (tenant_id, id, name, purpose, default_locale, content, channels) VALUES ($1,$2,'bench','marketing','en',$3,$4)`,
      [tenantId, templateId, JSON.stringify(content), templateChannels(content, 'en')],
    );
    const rules = { all: [{ field: 'value.order_count', op: 'gte' as const, value: 0 }, { not: { field: 'profile.locale', op: 'eq' as const, value: 'xx' } }] };

    // Baseline: one bare row per customer into an unindexed table.
    await pool.query('CREATE TEMP TABLE IF NOT EXISTS bench_outreach_baseline (tenant_id text, id text, customer_id text, scheduled_at timestamptz)');
    const client = await pool.connect();
    t0 = performance.now();
    await client.query(
      `INSERT INTO bench_outreach_baseline SELECT tenant_id, 'msg_' || id, id, now() FROM customers WHERE tenant_id = $1 AND status = 'active'`,
      [tenantId],
    );
    const baseSeconds = (performance.now() - t0) / 1000;
    client.release();

    const campaignId = newId('cmp');
    const counts = countQueries();
    const statements0 = counts.statements,
      cpu0 = processCpuMs();
    t0 = performance.now();
    const stats = await planCampaign(
      pool,
      tenantId,
      { campaignId, templateId, purpose: 'marketing', templateChannels: ['email', 'sms', 'wechat'], rules, reason: 'campaign: bench' },
      settings,
      new Date(),
    );
    const seconds = (performance.now() - t0) / 1000;
    // Planning is set-based SQL: the application's CPU and statements per customer are small, the database's work is the time.
    const cpuMsPerCustomer = (processCpuMs() - cpu0) / N,
      statementsPerCustomer = (counts.statements - statements0) / N;
    if (stats.segment !== N) throw new Error(`planned ${stats.segment} of ${N}`);
    const {
      rows: [c],
    } = await pool.query(
      `SELECT count(*) FILTER (WHERE scheduled_at > now() + interval '1 minute') AS later FROM outreach_messages WHERE tenant_id = $1 AND campaign_id = $2 AND status = 'queued'`,
      [tenantId, campaignId],
    );
    console.log(`plan: ${JSON.stringify(stats)}`);
    console.log(`queued for later (quiet hours or deferred): ${c.later}`);
    console.log(
      `baseline (bare INSERT ... SELECT of ${N} rows): ${baseSeconds.toFixed(1)} s; plan: ${seconds.toFixed(1)} s = ${(seconds / baseSeconds).toFixed(1)}x baseline`,
    );
    console.log('figures from a shared, noisy 2-core machine');
    console.log(`application CPU ${(cpuMsPerCustomer * 1000).toFixed(2)} µs and ${statementsPerCustomer.toFixed(6)} SQL statements per customer planned`);
    console.log(
      JSON.stringify({
        bench: 'outreach',
        seconds: Number(seconds.toFixed(2)),
        customers_per_s: Math.round(N / seconds),
        peak_rss_mb: peakRssMb(),
        cpu_ms_per_customer: Number(cpuMsPerCustomer.toFixed(5)),
        statements_per_customer: Number(statementsPerCustomer.toFixed(6)),
      }),
    );
  } finally {
    if (!process.env.BENCH_KEEP)
      await dropTenant(url, tenantId, ['customers', 'customer_identities', 'customer_preferences', 'consent_records', 'outreach_messages']);
    await pool.end();
  }
}
