// Every SQL statement in the source that touches a tenant table names tenant_id: as a filter (=, IN,
// ANY), in the columns it inserts, and in the condition of every join to another tenant table. On one
// PostgreSQL this is tenant isolation; on Citus (README "Scaling") it is also what keeps a query on the
// one worker holding the tenant and a join co-located. The statements are read from the TypeScript
// source (each string or template literal that begins with SELECT, INSERT, UPDATE, DELETE or WITH);
// the few that rightly cross tenants are listed below with the reason.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** file and the statement's first words (whitespace collapsed) → why it may run without a tenant filter. */
const EXCEPTIONS: Record<string, string> = {
  'src/modules/analytics/analytics-service.ts SELECT tenant_id FROM tenants': 'the nightly refresh visits every tenant, one at a time',
  'src/modules/analytics/analytics-service.ts SELECT tenant_id FROM analytics_settings': 'the digest job finds the tenants that asked for one',
  'src/modules/customers/schedule-jobs.ts SELECT tenant_id FROM tenants': 'the value job visits every tenant, one at a time',
  'src/modules/feedback/analyze-responses.ts SELECT DISTINCT tenant_id FROM survey_responses': 'the text job finds the tenants with answers to analyse',
  'src/modules/listening/listening-service.ts SELECT DISTINCT tenant_id FROM listening_mentions': 'the crisis check finds the tenants with recent mentions',
  'src/modules/loyalty/loyalty-context.ts SELECT tenant_id FROM loyalty_programs': 'the expiry job visits every tenant with a programme',
  'src/modules/inbox/manage-channels.ts SELECT * FROM inbox_channels WHERE inbound_address':
    'inbound mail names no tenant: its address finds the channel, and so the tenant',
  'src/modules/inbox/wake-snoozed.ts SELECT * FROM inbox_conversations WHERE status': 'the wake-up job takes due snoozed conversations of every tenant',
  'src/platform/idempotency.ts DELETE FROM idempotency_keys WHERE created_at': 'clean-up of expired keys, every tenant at once',
  'src/platform/rate-limit.ts DELETE FROM rate_limit_windows WHERE window_start': 'clean-up of old windows, every tenant at once',
  'src/platform/replay-guard.ts DELETE FROM webhook_nonces WHERE expires_at': 'clean-up of expired nonces, every tenant at once',
  // The WHERE is built in code (its first term is tenant_id = $1) and passed in as ${where}.
  'src/modules/analytics/measure-customers.ts SELECT count(*)::int AS n FROM analytics_customers': 'where begins with tenant_id = $1',
  'src/modules/analytics/measure-customers.ts SELECT customer_id, last_nps, last_csat, last_purchase_at,': 'where begins with tenant_id = $1',
  'src/modules/analytics/rollup-tables.ts SELECT f.customer_id, f.store, f.segment, f.tier,': "a fragment; its callers' where begins with f.tenant_id = $1",
  'src/modules/analytics/rollup-tables.ts SELECT f.store, f.segment, f.tier, f.channel,': "a fragment; its callers' where begins with f.tenant_id = $1",
  'src/modules/customers/list-customers.ts SELECT c.id, c.given_name, c.family_name, c.display_name,': 'where begins with c.tenant_id = $1',
  'src/modules/events/read-timeline.ts SELECT id, type, occurred_at, received_at, source,': 'where begins with tenant_id = $1',
};

function tenantTables(): Set<string> {
  const names = new Set<string>();
  for (const f of fs.readdirSync(path.join(root, 'migrations')).filter((f) => f.endsWith('.sql'))) {
    const sql = fs.readFileSync(path.join(root, 'migrations', f), 'utf8');
    for (const m of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(?:public"?\."?)?(\w+)"?\s*\(([\s\S]*?)\);/gi))
      if (/\btenant_id\b/.test(m[2])) names.add(m[1]);
    // A view published over tenant tables (customers_v, timeline_v, purchases_v) is read like one: every
    // statement on it names tenant_id too.
    for (const m of sql.matchAll(/CREATE (?:OR REPLACE )?VIEW "?(?:public"?\."?)?(\w+)"? AS([\s\S]*?);/gi)) if (/\btenant_id\b/.test(m[2])) names.add(m[1]);
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** SQL statements in a file: string and template literals that begin with a statement keyword (${…} kept as written). */
function statementsIn(file: string): { text: string; line: number }[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = [node.head.text, ...node.templateSpans.map((s) => `\${${s.expression.getText(src)}}${s.literal.text}`)].join('');
    if (text !== undefined && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s/i.test(text))
      out.push({ text, line: src.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    else ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

/** What is wrong with one statement: tenant tables it reads or writes without tenant_id, joins whose condition lacks it. */
function tenantFilterProblems(sql: string, tables: Set<string>): string[] {
  const problems: string[] = [];
  for (const j of sql.matchAll(
    /\bJOIN\s+(?:LATERAL\s+)?"?(\w+)"?(?:\s+(?:AS\s+)?(?!ON\b|USING\b)\w+)?\s+(ON|USING)\b([\s\S]*?)(?=\b(?:LEFT|RIGHT|INNER|FULL|CROSS|JOIN|WHERE|GROUP|ORDER|LIMIT|UNION|RETURNING)\b|$)/gi,
  )) {
    if (tables.has(j[1]) && !/\btenant_id\b/.test(j[3])) problems.push(`joins ${j[1]} without tenant_id`);
  }
  const touched = [...new Set([...sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?/gi)].map((m) => m[1]).filter((t) => tables.has(t)))];
  const isFiltered = /\btenant_id\b[\s\S]{0,80}?(=|\bIN\b|\bANY\b)/i.test(sql) || /\bINSERT\s+INTO\s+"?\w+"?(?:\s+AS\s+\w+)?\s*\([^)]*\btenant_id\b/i.test(sql);
  if (touched.length && !isFiltered) problems.push(`touches ${touched.join(', ')} without tenant_id`);
  return problems;
}

describe('tenant_id in every statement', () => {
  const tables = tenantTables();

  it('finds the mistakes it is looking for', () => {
    const t = new Set(['customers', 'customer_identities', 'orders']);
    expect(tenantFilterProblems('SELECT * FROM customers WHERE id = $1', t)).toEqual(['touches customers without tenant_id']);
    expect(tenantFilterProblems('SELECT c.id FROM customers c JOIN customer_identities i ON i.customer_id = c.id WHERE c.tenant_id = $1', t)).toEqual([
      'joins customer_identities without tenant_id',
    ]);
    expect(
      tenantFilterProblems(
        'SELECT c.id FROM customers c JOIN customer_identities i ON i.tenant_id = c.tenant_id AND i.customer_id = c.id WHERE c.tenant_id = $1',
        t,
      ),
    ).toEqual([]);
    expect(tenantFilterProblems('INSERT INTO orders (tenant_id, id) VALUES ($1, $2)', t)).toEqual([]);
    expect(tenantFilterProblems('UPDATE orders SET total = 0 WHERE id = $1', t)).toEqual(['touches orders without tenant_id']);
    expect(tenantFilterProblems('SELECT 1 FROM pg_class', t)).toEqual([]);
  });

  it('reads enough of the source to mean something', () => {
    expect(tables.size).toBeGreaterThan(100);
    expect(tables.has('customer_events')).toBe(true);
    for (const view of ['customers_v', 'timeline_v', 'purchases_v']) expect(tables.has(view), view).toBe(true);
    const count = sourceFiles(path.join(root, 'src')).reduce((n, f) => n + statementsIn(f).length, 0);
    expect(count).toBeGreaterThan(500);
  });

  it('names tenant_id in every statement on a tenant table, except the listed ones that rightly cross tenants', () => {
    const problems: string[] = [];
    const used = new Set<string>();
    for (const file of sourceFiles(path.join(root, 'src'))) {
      const rel = path.relative(root, file);
      for (const s of statementsIn(file)) {
        const found = tenantFilterProblems(s.text, tables);
        if (!found.length) continue;
        const normal = s.text.replace(/\s+/g, ' ').trim();
        const exception = Object.keys(EXCEPTIONS).find((k) => k.startsWith(`${rel} `) && normal.startsWith(k.slice(rel.length + 1)));
        if (exception) used.add(exception);
        else problems.push(`${rel}:${s.line} ${found.join('; ')}: ${normal.slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
    // An exception whose statement changed or went away is taken off the list.
    expect(Object.keys(EXCEPTIONS).filter((k) => !used.has(k))).toEqual([]);
  });
});
