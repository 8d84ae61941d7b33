// `rapport import events|customers FILE`: streams the file in batches, stores what is good, writes each
// rejected row with its line number and reasons to a reject file, and can be re-run safely (event ids
// and customer identities make every row idempotent).
import fs from 'node:fs';
import type { Rapport } from '../app.js';
import { IDENTITY_KINDS } from '../modules/customers/index.js';
import { propertiesFromText } from '../modules/events/index.js';
import { createProgress } from './progress.js';
import { readRows, type SourceRow } from './read-rows.js';

const BATCH = 500;

export interface ImportSummary {
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejectsFile: string;
}

/** CSV cells are text: identity columns, prop.<name> / attr.<key> columns and a JSON properties column. */
function eventFromCsv(r: Record<string, unknown>) {
  const identities: Record<string, unknown> = {};
  const cells: Record<string, string> = {};
  let propsError: string | undefined;
  for (const [k, v] of Object.entries(r)) {
    if (v === '' || v == null) continue;
    if ((IDENTITY_KINDS as readonly string[]).includes(k)) identities[k] = v;
    else if (k.startsWith('prop.')) cells[k.slice(5)] = String(v);
  }
  const properties = propertiesFromText(String(r.type ?? ''), cells);
  if (typeof r.properties === 'string' && r.properties) {
    try {
      Object.assign(properties, JSON.parse(r.properties));
    } catch {
      propsError = 'properties is not valid JSON';
    }
  }
  return { event: { id: r.id, type: r.type, occurred_at: r.occurred_at, identities, properties }, propsError };
}

/** Mentions CSV: channel,url,author,author_handle,reach,text,published_at (empty cells are absent). */
function mentionFromCsv(r: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const k of ['channel', 'url', 'author', 'author_handle', 'text', 'published_at']) if (r[k] !== '' && r[k] != null) out[k] = r[k];
  if (typeof r.reach === 'string' && r.reach !== '') out.reach = /^\d+$/.test(r.reach) ? Number(r.reach) : r.reach;
  return out;
}

function customerFromRow(r: Record<string, unknown>, isCsv: boolean) {
  if (!isCsv) return { identities: (r.identities ?? {}) as Record<string, unknown>, ...r } as never;
  const identities: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === '' || v == null) continue;
    if ((IDENTITY_KINDS as readonly string[]).includes(k)) identities[k] = v;
    else if (k.startsWith('attr.')) attributes[k.slice(5)] = v;
  }
  const s = (k: string) => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
  return {
    identities,
    attributes,
    given_name: s('given_name'),
    family_name: s('family_name'),
    display_name: s('display_name'),
    locale: s('locale'),
    timezone: s('timezone'),
  };
}

export async function importFile(
  rapport: Rapport,
  tenantId: string,
  kind: 'events' | 'customers' | 'mentions',
  file: string,
  opts: { format: 'csv' | 'ndjson'; rejectsFile: string; quiet?: boolean },
): Promise<ImportSummary> {
  const size = fs.statSync(file).size;
  const progress = opts.quiet ? undefined : createProgress(`import ${kind}`, size);
  const rejects = fs.createWriteStream(opts.rejectsFile);
  const summary: ImportSummary = { rows: 0, accepted: 0, duplicates: 0, rejected: 0, rejectsFile: opts.rejectsFile };
  let bytes = 0;
  const actor = { type: 'system' as const, id: 'cli-import' };
  let pending: { line: number; errors: unknown }[] = [];
  const reject = async (line: number, errors: unknown) => {
    summary.rejected++;
    pending.push({ line, errors });
  };
  // A batch's rejects are written in line order, whichever check caught them.
  async function writeRejects() {
    pending.sort((x, y) => x.line - y.line);
    for (const p of pending) if (!rejects.write(JSON.stringify(p) + '\n')) await new Promise<void>((r) => rejects.once('drain', () => r()));
    pending = [];
  }

  async function flush(batch: SourceRow[]) {
    await flushRows(batch);
    await writeRejects();
  }

  async function flushRows(batch: SourceRow[]) {
    const rows: { line: number; value: unknown }[] = [];
    for (const b of batch) {
      if (b.error || !b.value) {
        await reject(b.line, [{ field: '(row)', message: b.error ?? 'empty row' }]);
        continue;
      }
      if (kind === 'events') {
        const { event, propsError } = opts.format === 'csv' ? eventFromCsv(b.value) : { event: b.value, propsError: undefined };
        if (propsError) {
          await reject(b.line, [{ field: 'properties', message: propsError }]);
          continue;
        }
        rows.push({ line: b.line, value: event });
      } else if (kind === 'mentions') {
        rows.push({ line: b.line, value: opts.format === 'csv' ? mentionFromCsv(b.value) : b.value });
      } else {
        rows.push({ line: b.line, value: customerFromRow(b.value, opts.format === 'csv') });
      }
    }
    if (!rows.length) return;
    if (kind === 'events') {
      const r = await rapport.events.ingest(
        tenantId,
        rows.map((x) => x.value),
        { source: 'import', actor },
      );
      summary.accepted += r.accepted;
      summary.duplicates += r.duplicates;
      for (const item of r.results) if (item.status === 'rejected') await reject(rows[item.index].line, item.errors);
    } else if (kind === 'mentions') {
      const r = await rapport.listening.importMentions(
        tenantId,
        rows.map((x) => x.value),
      );
      summary.accepted += r.accepted;
      summary.duplicates += r.duplicates;
      for (const item of r.results) if (item.status === 'rejected') await reject(rows[item.index].line, item.errors);
    } else {
      const r = await rapport.customers.importCustomers(tenantId, rows.map((x) => x.value) as never, actor);
      for (const item of r) {
        if (item.status === 'upserted') summary.accepted++;
        else await reject(rows[item.index].line, item.errors);
      }
    }
  }

  let batch: SourceRow[] = [];
  for await (const row of readRows(file, opts.format, (n) => {
    bytes = n;
  })) {
    summary.rows++;
    batch.push(row);
    if (batch.length >= BATCH) {
      await flush(batch);
      batch = [];
      progress?.update(bytes, summary.rows);
    }
  }
  await flush(batch);
  // A bulk load outruns autovacuum's analyse: plan the next queries on figures that include it.
  if (summary.accepted > 0) await rapport.db.pool.query('ANALYZE');
  progress?.done(summary.rows);
  await new Promise<void>((resolve) => rejects.end(resolve));
  if (summary.rejected === 0) fs.rmSync(opts.rejectsFile, { force: true });
  return summary;
}
