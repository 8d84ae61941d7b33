// A tenant's listening configuration in memory: the compiled watch-list, user words and topics,
// cached briefly and dropped, on every node, whenever the tenant changes its watch-list or settings.
import type { Queryable } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { mergeTopics, type TopicDefinition, type TenantTopicModel } from '../text/index.js';
import { compileWatchList, type WatchList, type WatchTerm } from './watch-list.js';
import { listeningSettings, watchTerms } from './schema.js';

export interface TenantListening {
  watchList: WatchList;
  userWords: string[];
  topics: TopicDefinition[];
  minVolume: number;
  /** Learned from the tenant's topic corrections (the text module's), when there are any. */
  topicModel?: TenantTopicModel;
}

const TTL_MS = 30_000;
const Term = rowOf(watchTerms, ['id', 'angle', 'term', 'aliases']);
const Settings = rowOf(listeningSettings, ['user_words', 'topics', 'min_volume']);

export function createTenantListeningCache(db: Queryable, topicModelOf?: (tenantId: string) => Promise<TenantTopicModel | undefined>) {
  async function load(tenantId: string): Promise<TenantListening> {
    const [terms, s, topicModel] = await Promise.all([
      queryRows(db, Term, 'SELECT id, angle, term, aliases FROM listening_watch_terms WHERE tenant_id = $1 ORDER BY id', [tenantId]),
      queryRow(db, Settings, 'SELECT user_words, topics, min_volume FROM listening_settings WHERE tenant_id = $1', [tenantId]),
      topicModelOf?.(tenantId),
    ]);
    return {
      // The angle is one of the watch-list's, checked when the term was added (watch-list routes).
      watchList: compileWatchList(terms as WatchTerm[]),
      userWords: s?.user_words ?? [],
      topics: mergeTopics((s?.topics ?? []) as TopicDefinition[]),
      minVolume: s?.min_volume ?? 20,
      ...(topicModel ? { topicModel } : {}),
    };
  }
  const cache = createTenantCache({ ttlMs: TTL_MS, load });
  return {
    get: (tenantId: string): Promise<TenantListening> => cache.get(tenantId),
    invalidate(tenantId: string) {
      cache.forget(tenantId);
    },
  };
}
