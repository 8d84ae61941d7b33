import pg from 'pg';
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/rapport_abench', max: 2 });
const { rows: [t] } = await pool.query(`SELECT tenant_id FROM tenants WHERE slug = 'bench-analytics-1'`);
const tid = t.tenant_id; const N = 1_000_000;
for (const table of ['inbox_messages', 'inbox_conversations', 'case_activities', 'cases']) { await pool.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tid]); }
const q = async (label: string, sql: string, params: unknown[] = []) => { const t0 = Date.now(); const r = await pool.query(sql, [tid, ...params]); console.log(label, r.rowCount, Date.now() - t0, 'ms'); };
await q('conversations', `INSERT INTO inbox_conversations (tenant_id, id, customer_id, status, reply_token, last_channel_kind, created_at, first_responded_at, first_response_due_at, resolved_at, resolution_due_at)
      SELECT $1, 'cnv_' || k, 'cus_b' || (1 + (k * 13) % $3::int), CASE WHEN k % 20 = 0 THEN 'open' ELSE 'resolved' END, 'tok' || k,
             (ARRAY['email', 'webchat', 'sms', 'wechat'])[1 + k % 4], ts, ts + random() * interval '2 hours', ts + interval '1 hour',
             CASE WHEN k % 20 <> 0 THEN ts + random() * interval '48 hours' END, ts + interval '24 hours'
        FROM generate_series(1, $2::bigint) k, LATERAL (SELECT now() - interval '3 days' - random() * interval '730 days' + 0 * k * interval '1 second' AS ts) x`, [100_000, N]);
await pool.query('ANALYZE inbox_conversations');
await q('messages', `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, author_type, text, created_at)
      SELECT $1, 'msg_' || c.id || '_' || m.i, c.id, c.customer_id, m.dir, c.last_channel_kind, CASE m.dir WHEN 'in' THEN 'customer' ELSE 'agent' END, 'hello',
             CASE m.i WHEN 1 THEN c.created_at WHEN 2 THEN c.first_responded_at ELSE c.created_at + interval '30 minutes' END
        FROM inbox_conversations c CROSS JOIN (VALUES (1, 'in'), (2, 'out'), (3, 'in')) m(i, dir) WHERE c.tenant_id = $1`);
await q('cases', `INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, status, touchpoint, created_at, customer_told_at)
      SELECT $1, 'case_' || k, 'detractor', 'response', 'rsp_' || k, 'cus_b' || (1 + (k * 7919) % $3::int), (ARRAY['resolved', 'contacted', 'new'])[1 + k % 3],
             (ARRAY['store', 'delivery', 'web', 'app', 'support', 'checkout'])[1 + k % 6], ts, CASE WHEN k % 3 = 0 THEN ts + interval '2 days' END
        FROM generate_series(1, $2::bigint) k, LATERAL (SELECT now() - random() * interval '730 days' + 0 * k * interval '1 second' AS ts) x`, [50_000, N]);
await pool.query('ANALYZE cases');
await q('case activities', `INSERT INTO case_activities (tenant_id, id, case_id, kind, actor, at)
      SELECT $1, 'act_' || c.id || '_' || i, c.id, 'contact', CASE WHEN i = 3 THEN 'system:loop' ELSE 'user:usr_bench' END, c.created_at + i * interval '1 hour'
        FROM cases c, generate_series(1, 3) i WHERE c.tenant_id = $1`);
const { rows: [d] } = await pool.query(`SELECT count(DISTINCT created_at::date) AS days FROM inbox_conversations WHERE tenant_id = $1`, [tid]);
console.log('conversation days', d.days);
await pool.end();
