import { DEFAULT_TOPICS, type TopicDefinition } from './default-topics.js';

/** Merge a tenant's topics over the defaults: same key extends the terms, a new key adds a topic. */
export function mergeTopics(extra: readonly TopicDefinition[] = [], base: readonly TopicDefinition[] = DEFAULT_TOPICS): TopicDefinition[] {
  const out = base.map((t) => ({ ...t, zh: [...t.zh], en: [...t.en] }));
  for (const e of extra) {
    const t = out.find((x) => x.key === e.key);
    if (t) {
      t.zh.push(...e.zh);
      t.en.push(...e.en);
    } else out.push({ ...e, zh: [...e.zh], en: [...e.en] });
  }
  return out;
}
