// Analytics reads the other modules' data only through the views they publish (customers_v,
// survey_responses_v, cases_v, …), never their tables: a module can then change its tables behind its
// views without analytics' SQL noticing. Every string and template literal of analytics' source (not
// its tests, which set up rows where they like) is read as SQL; each relation named after FROM, JOIN,
// UPDATE, INTO or USING must not be a table another module's schema.ts declares, and each published
// view it names must be one a migration creates.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { getTableName, is, type Table } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const modulesDir = path.join(root, 'src/modules');

/** Table name → the module whose schema.ts declares it, for every module but analytics. */
async function foreignTables(): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const name of fs.readdirSync(modulesDir).filter((m) => m !== 'analytics' && fs.existsSync(path.join(modulesDir, m, 'schema.ts')))) {
    const schema = (await import(path.join(modulesDir, name, 'schema.ts'))) as Record<string, unknown>;
    for (const t of Object.values(schema).filter((x) => is(x, PgTable))) owners.set(getTableName(t as Table), name);
  }
  return owners;
}

/** The views the migrations create. */
function migratedViews(): Set<string> {
  const views = new Set<string>();
  for (const f of fs.readdirSync(path.join(root, 'migrations')).filter((f) => f.endsWith('.sql'))) {
    const sql = fs.readFileSync(path.join(root, 'migrations', f), 'utf8');
    for (const m of sql.matchAll(/CREATE (?:OR REPLACE )?VIEW "?(\w+)"?/gi)) views.add(m[1]);
  }
  return views;
}

/** Every string and template literal of a file (`${…}` kept as written), with its line. */
function literalsIn(file: string): { text: string; line: number }[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = [node.head.text, ...node.templateSpans.map((s) => `\${${s.expression.getText(src)}}${s.literal.text}`)].join('');
    if (text !== undefined) out.push({ text, line: src.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

/** The relations a piece of SQL names where a table can stand. */
const relationsIn = (sql: string) => [...sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO|USING)\s+(?:ONLY\s+)?"?(\w+)"?/gi)].map((m) => m[1]);

function problemsIn(sql: string, owners: Map<string, string>): string[] {
  return relationsIn(sql)
    .filter((r) => owners.has(r))
    .map((r) => `reads ${owners.get(r)}'s table ${r}`);
}

const analyticsFiles = () =>
  fs
    .readdirSync(path.join(modulesDir, 'analytics'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(modulesDir, 'analytics', f));

describe('analytics reads other modules through their views', () => {
  it('finds the mistakes it is looking for', () => {
    const owners = new Map([
      ['survey_responses', 'feedback'],
      ['cases', 'loop'],
    ]);
    expect(problemsIn('SELECT count(*) FROM survey_responses WHERE tenant_id = $1', owners)).toEqual(["reads feedback's table survey_responses"]);
    expect(problemsIn('SELECT 1 FROM analytics_cases a LEFT JOIN cases c ON c.tenant_id = a.tenant_id', owners)).toEqual(["reads loop's table cases"]);
    expect(problemsIn('SELECT 1 FROM cases_v c JOIN survey_responses_v r ON r.id = c.source_id', owners)).toEqual([]);
    // A column that happens to share a table's name is not a read of that table.
    expect(problemsIn('SELECT sum(cases) AS cases FROM analytics_cases', owners)).toEqual([]);
  });

  it('knows every module table and reads enough of analytics to mean something', async () => {
    const owners = await foreignTables();
    for (const [t, m] of [
      ['survey_responses', 'feedback'],
      ['cases', 'loop'],
      ['loyalty_entries', 'loyalty'],
      ['inbox_conversations', 'inbox'],
      ['listening_mentions', 'listening'],
      ['customer_events', 'events'],
      ['customers', 'customers'],
    ])
      expect(owners.get(t), t).toBe(m);
    const read = new Set(analyticsFiles().flatMap((f) => literalsIn(f).flatMap((l) => relationsIn(l.text))));
    for (const v of ['customers_v', 'purchases_v', 'survey_responses_v', 'cases_v', 'ledger_entries_v', 'conversations_v', 'mentions_v'])
      expect(read.has(v), v).toBe(true);
  });

  it('names no table of another module in any SQL of analytics, and only views the migrations create', async () => {
    const owners = await foreignTables();
    const views = migratedViews();
    const problems: string[] = [];
    for (const file of analyticsFiles()) {
      const rel = path.relative(root, file);
      for (const l of literalsIn(file)) {
        for (const p of problemsIn(l.text, owners)) problems.push(`${rel}:${l.line} ${p}`);
        for (const r of relationsIn(l.text)) if (/_v$/.test(r) && !views.has(r)) problems.push(`${rel}:${l.line} reads ${r}, which no migration creates`);
      }
    }
    expect(problems).toEqual([]);
  });
});
