// Knowledge search on the real PostgreSQL: 50,000 synthetic articles (Chinese words taken from jieba's
// own dictionary, English from a word list and generated words, word use following Zipf's law), then
// 500 mixed Chinese and English visitor queries (some misspelt, some through synonyms) timed one by
// one through the knowledge service. Baseline in the same run: the bare GIN match of the same
// tsquery texts, without query analysis, ranking or snippets.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import pino from 'pino';
import { createRapport } from '../src/app.js';
import { createTenant } from '../src/platform/tenancy.js';
import { newId } from '../src/platform/ids.js';
import { indexWords, vocabularyOf, VECTOR_SQL, analyzeQuery, toTsQuery } from '../src/modules/knowledge/index.js';
import { processCpuMs } from './child-server.js';
import { countQueries } from './lib/count-queries.js';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 50_000);
const QUERIES = 500;
const BATCH = 1000;

// A fixed seed: every run searches the same corpus with the same queries.
// mulberry32: 32-bit integer arithmetic throughout, so no precision is lost in doubles.
let seed = 42;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
/** A Zipf-distributed index into a list of n words (rank 1 most frequent). */
function zipf(n: number): number {
  const u = random();
  return Math.min(n - 1, Math.floor(Math.exp(u * Math.log(n + 1))) - 1);
}

function chineseWords(): string[] {
  const dict = fs.readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt'), 'utf8');
  const out: string[] = [];
  for (const line of dict.split('\n')) {
    const [w, f, tag] = line.split(' ');
    if (w && [...w].length >= 2 && [...w].length <= 4 && Number(f) > 1500 && Number(f) < 300_000 && /^(n|v|vn|nz)$/.test(tag)) out.push(w);
  }
  // Shuffled so that Zipf ranks do not follow dictionary order.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out.slice(0, 4000);
}

const EN_REAL = (
  'account address airline allowance app approval baggage balance bank billing booking cabin cancel card change charge check checkout class code coupon credit customer damage delay delivery deposit ' +
  'discount document email error exchange fare fee flight form gift guarantee hotel insurance invoice item journey language limit login lounge loyalty meal member membership message method miles mobile ' +
  'notification order package passenger passport password payment phone pickup points policy price privacy profile promotion purchase receipt redeem refund registration reservation return reward ' +
  'route schedule seat security service shipping signin status subscription support tax ticket tier transfer travel upgrade verification visa voucher wallet warranty website wifi window'
).split(' ');

function englishWords(): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'sto', 'var', 'pel', 'dun', 'tri', 'gos', 'ber', 'nax', 'fil', 'cor', 'vin', 'sal', 'mur', 'tep', 'zan', 'quo'];
  const made = new Set<string>();
  while (made.size < 3000) made.add(pick(syllables) + pick(syllables) + pick(syllables));
  const words = [...EN_REAL, ...made];
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [words[i], words[j]] = [words[j], words[i]];
  }
  return words;
}

function typo(w: string): string {
  if (w.length < 5) return w;
  const i = 1 + Math.floor(random() * (w.length - 2));
  return random() < 0.5 ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
}

function makeArticle(zh: string[], en: string[], i: number) {
  const language = i % 10 < 5 ? 'zh-CN' : i % 10 < 6 ? 'zh-TW' : 'en';
  const isZh = language !== 'en';
  const vocab = isZh ? zh : en;
  const titleWords = Array.from({ length: 2 + Math.floor(random() * 3) }, () => vocab[zipf(vocab.length)]);
  const bodyWords = Array.from({ length: 60 + Math.floor(random() * 120) }, () => vocab[zipf(vocab.length)]);
  if (isZh) {
    const sentences: string[] = [];
    for (let k = 0; k < bodyWords.length; k += 8) sentences.push(bodyWords.slice(k, k + 8).join(pick(['', '的', '和', '，'])));
    return { language, title: `${titleWords.join('')}${pick(['说明', '常见问题', '怎么办', '指南'])}`, body: sentences.join('。') + '。' };
  }
  const sentences: string[] = [];
  for (let k = 0; k < bodyWords.length; k += 10) sentences.push(bodyWords.slice(k, k + 10).join(' '));
  return { language, title: `How to ${titleWords.join(' ')}`, body: sentences.join('. ') + '.' };
}

function makeQueries(zh: string[], en: string[]) {
  const queries: { q: string; language: 'zh-CN' | 'en' }[] = [];
  // Visitors ask about specific things: query words are drawn from the 2,000 most used, evenly.
  for (let i = 0; i < QUERIES; i++) {
    const n = 1 + Math.floor(random() * 3);
    if (i % 2 === 0) {
      const words = Array.from({ length: n }, () => zh[Math.floor(random() * 2000)]);
      queries.push({ q: `${pick(['', '怎么', '请问', '我想'])}${words.join('')}${pick(['', '吗', '怎么办'])}`, language: 'zh-CN' });
    } else {
      const words = Array.from({ length: n }, () => en[Math.floor(random() * 2000)]);
      if (i % 10 === 1) words[0] = typo(words[0]);
      queries.push({ q: `${pick(['', 'how do I ', 'my '])}${words.join(' ')}`, language: 'en' });
    }
  }
  return queries;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('Set TEST_DATABASE_URL to the real PostgreSQL to benchmark against');
  console.log(`knowledge: ${ARTICLES} articles, ${QUERIES} queries, real PostgreSQL, ${os.cpus().length} cores (shared machine: figures are noisy)`);
  const r = await createRapport({ databaseUrl: url, log: pino({ level: 'warn' }), seedDemo: false, jobs: false });
  const slug = newId('bench').replace('_', '-');
  const { tenantId } = await createTenant(r.db.pool, {
    slug,
    name: 'Bench',
    admin: { email: 'bench@example.com', name: 'Bench', password: 'bench-password-1' },
  });
  const pool = r.db.pool;
  try {
    const zh = chineseWords();
    const en = englishWords();
    // Seeding: segmentation in this process, one multi-row INSERT per 1,000 articles.
    const t0 = performance.now();
    const vocabulary = new Map<string, number>();
    // One INSERT in flight while the next batch is cut into words.
    let inFlight: Promise<unknown> = Promise.resolve();
    let cutMs = 0,
      waitMs = 0;
    for (let start = 0; start < ARTICLES; start += BATCH) {
      const cols: string[][] = [[], [], [], [], [], [], []];
      for (let i = start; i < Math.min(ARTICLES, start + BATCH); i++) {
        const a = makeArticle(zh, en, i);
        const c0 = performance.now();
        const words = indexWords(a.title, a.body);
        cutMs += performance.now() - c0;
        for (const w of vocabularyOf(words)) vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
        const id = newId('art');
        [id, a.language, a.title, a.body, words.title, words.body, i % 20 === 0 ? 'internal' : 'public'].forEach((v, k) => {
          cols[k].push(v);
        });
      }
      const w0 = performance.now();
      await inFlight;
      waitMs += performance.now() - w0;
      inFlight = pool.query(
        `INSERT INTO knowledge_articles (tenant_id, id, group_id, language, slug, title, body, status, visibility, version, search_vector, published_at)
         SELECT $1, x.id, x.id, x.language, '', x.title, x.body, 'published', x.visibility, 1, ${VECTOR_SQL('x.tw', 'x.bw')}, now()
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(id, language, title, body, tw, bw, visibility)`,
        [tenantId, ...cols],
      );
    }
    await inFlight;
    const terms = [...vocabulary.keys()];
    await pool.query('INSERT INTO knowledge_terms (tenant_id, term, weight) SELECT $1, t, w FROM unnest($2::text[], $3::int[]) AS x(t, w)', [
      tenantId,
      terms,
      terms.map((t) => vocabulary.get(t)!),
    ]);
    await r.knowledge.createSynonymSet(tenantId, [zh[10], zh[11]]);
    await r.knowledge.createSynonymSet(tenantId, [en[5], en[6], en[7]]);
    await pool.query('VACUUM (ANALYZE) knowledge_articles, knowledge_terms');
    const seedS = (performance.now() - t0) / 1000;
    console.log(
      `seeded ${ARTICLES} articles (${terms.length} vocabulary terms) in ${seedS.toFixed(1)} s (${Math.round(ARTICLES / seedS)} articles/s; cutting words ${(cutMs / 1000).toFixed(1)} s, waiting for inserts ${(waitMs / 1000).toFixed(1)} s)`,
    );

    const queries = makeQueries(zh, en);
    // Warm-up outside the clock: plans, caches, JIT.
    for (const q of queries.slice(0, 50)) await r.knowledge.search(tenantId, { q: q.q, language: q.language, audience: 'public', limit: 10 });

    const times: number[] = [];
    let withResults = 0,
      corrected = 0;
    const counts = countQueries();
    const statements0 = counts.statements,
      cpu0 = processCpuMs();
    for (const q of queries) {
      const s = performance.now();
      const res = await r.knowledge.search(tenantId, { q: q.q, language: q.language, audience: 'public', limit: 10 });
      times.push(performance.now() - s);
      if (res.results.length) withResults++;
      if (res.corrections.length) corrected++;
    }
    // This process is the server here: its CPU per search is the application's.
    const cpuMsPerSearch = (processCpuMs() - cpu0) / queries.length;
    const statementsPerSearch = (counts.statements - statements0) / queries.length;

    // Baseline: the same tsquery texts, matched and limited with nothing else, built before the clock.
    const synonyms = (await r.knowledge.listSynonymSets(tenantId)).map(({ id, terms: t }) => ({ id, terms: t }));
    const texts = await Promise.all(
      queries.map(async (q) => ({ text: toTsQuery((await analyzeQuery(pool, tenantId, q.q, synonyms)).groups, 'all'), language: q.language })),
    );
    const base: number[] = [];
    for (const q of texts) {
      if (!q.text) continue;
      const s = performance.now();
      await pool.query(`SELECT id FROM knowledge_articles WHERE tenant_id = $1 AND search_vector @@ to_tsquery('simple', $2) AND language = $3 LIMIT 10`, [
        tenantId,
        q.text,
        q.language,
      ]);
      base.push(performance.now() - s);
    }

    const p50 = percentile(times, 50),
      p95 = percentile(times, 95);
    const b50 = percentile(base, 50),
      b95 = percentile(base, 95);
    console.log(
      `search (analysis + ranked full text + snippets): p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms`,
    );
    console.log(`  ${withResults}/${QUERIES} queries found articles, ${corrected} had a misspelling corrected`);
    console.log(
      `baseline (bare GIN match of the same tsquery, LIMIT 10, no ranking): p50 ${b50.toFixed(2)} ms, p95 ${b95.toFixed(2)} ms; ratio p95 ${(p95 / b95).toFixed(2)}`,
    );
    console.log(`application CPU ${cpuMsPerSearch.toFixed(2)} ms and ${statementsPerSearch.toFixed(2)} SQL statements per search`);
    console.log(
      JSON.stringify({
        bench: 'knowledge',
        p50_ms: Number(p50.toFixed(2)),
        p95_ms: Number(p95.toFixed(2)),
        articles: ARTICLES,
        cpu_ms_per_search: Math.round(cpuMsPerSearch * 100) / 100,
        statements_per_search: Math.round(statementsPerSearch * 100) / 100,
      }),
    );
  } finally {
    if (!process.env.BENCH_KEEP) {
      for (const table of ['knowledge_articles', 'knowledge_terms', 'knowledge_synonyms', 'knowledge_searches', 'audit_log', 'api_keys', 'users', 'tenants']) {
        await pool.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
      }
      await pool.query('VACUUM (ANALYZE) knowledge_articles, knowledge_terms');
    }
    await r.close();
  }
}
