import fs from 'node:fs';
import { normalizeText } from '../src/modules/text/normalize-text.js';
import { loadDevelopment, duplicateKeys } from '../scripts/sentiment-data.js';
const train = new Map<string, number[]>();
for (const line of fs.readFileSync('/work/shared/data/sentiment-zh/chnsenticorp-train.tsv', 'utf8').split(/\r?\n/).slice(1)) {
  const tab = line.indexOf('\t'); if (tab < 0) continue;
  const k = duplicateKeys(line.slice(tab + 1), normalizeText)[0];
  (train.get(k) ?? train.set(k, []).get(k)!).push(Number(line.slice(0, tab)));
}
let rep = 0, agree = 0, conflict = 0;
for (const d of loadDevelopment()) {
  const ls = train.get(duplicateKeys(d.text, normalizeText)[0]);
  if (!ls) continue;
  rep++;
  if (ls.every((l) => l === d.label)) agree++; else conflict++;
}
console.log({ rep, agree, conflict });
