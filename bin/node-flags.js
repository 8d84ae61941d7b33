// Node's own flags for a Rapport server process (`rapport start`, `npm start`, and the benchmarks'
// servers, so that they measure what users run).
//
// On the embedded database (no DATABASE_URL) Rapport runs on one machine, often a laptop, beside
// PGlite's own memory. V8 lets its heap grow toward a limit sized from the machine's memory before it
// collects in earnest: after 200,000 events were imported, 195 MB of the heap was garbage and the
// process peaked at 607 MB resident. With a 384 MB limit the same import peaks at 445 MB, at the same
// speed (`npm run bench -- ingest`); what stays live is about 80 MB. With DATABASE_URL, Node's default
// stands, and a limit the operator sets in NODE_OPTIONS always wins.
export const EMBEDDED_HEAP_MB = 384;

/** The flags for a server started with this environment. */
export function serverNodeFlags(env = process.env) {
  if (env.DATABASE_URL) return [];
  if (/--max-old-space-size/.test(env.NODE_OPTIONS ?? '')) return [];
  return [`--max-old-space-size=${EMBEDDED_HEAP_MB}`];
}
