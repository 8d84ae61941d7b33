import fs from 'node:fs';
const f = process.argv[2];
const p = JSON.parse(fs.readFileSync(f, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
const counts = new Map();
p.samples.forEach((id, i) => { counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; });
const byKey = new Map(), byFile = new Map();
for (const [id, t] of counts) {
  const n = byId.get(id); const cf = n.callFrame;
  const file = (cf.url || '(native)').replace(/.*node_modules\//, 'nm/').replace(/.*\/work\/main\//, '');
  const key = `${cf.functionName || '(anon)'} ${file}:${cf.lineNumber}`;
  byKey.set(key, (byKey.get(key) ?? 0) + t);
  const pkg = file.startsWith('nm/') ? file.split('/').slice(0, file.split('/')[1].startsWith('@') ? 3 : 2).join('/') : file;
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + t);
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${(100 * t / total).toFixed(1).padStart(5)}%  ${n}`).join('\n');
console.log('total ms', (total / 1000).toFixed(0)); console.log(top(byFile, 25)); console.log('---'); console.log(top(byKey, 30));
