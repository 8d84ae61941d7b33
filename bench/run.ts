// npm run bench -- NAME: runs one benchmark from bench/NAME.ts. Benchmarks print figures, ratios to a
// baseline measured in the same run, and a last line holding one JSON object.
const name = process.argv[2];
const benches: Record<string, () => Promise<unknown>> = {
  ingest: () => import('./ingest.js').then((m) => m.run()),
  knowledge: () => import('./knowledge.js').then((m) => m.run()),
  loyalty: () => import('./loyalty.js').then((m) => m.run()),
  feedback: () => import('./feedback.js').then((m) => m.run()),
  web: () => import('./web.js').then((m) => m.run()),
  text: () => import('./text.js').then((m) => m.run()),
  inbox: () => import('./inbox.js').then((m) => m.run()),
  outreach: () => import('./outreach.js').then((m) => m.run()),
  analytics: () => import('./analytics.js').then((m) => m.run()),
  scale: () => import('./scale.js').then((m) => m.run()),
};
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await benches[name]();
