// The text library's one stateful part: topic corrections people make in the console, and each
// tenant's topic model trained on them, which the analysis of that tenant's texts then uses.
import type { ModuleContext } from '../../platform/context.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { CustomersService } from '../customers/index.js';
import type { TenantTopicModel } from './classify-topics.js';
import { topicCorrections, topicModels } from './schema.js';
import { recordTopicCorrections, type TopicsCorrected } from './record-topic-corrections.js';
import { retrainTopicModel } from './retrain-topic-model.js';

/** Corrections come in bursts (an analyst going down a list): one training after the burst settles. */
const DEBOUNCE_SECONDS = 60;
/** How long a node trusts the model it loaded before reading it again (another node may have retrained). */
const MODEL_TTL_MS = 5 * 60_000;

export function createTextService(ctx: ModuleContext & { customers: CustomersService }) {
  const { pool } = ctx.db;
  const cache = new Map<string, { model: TenantTopicModel | undefined; at: number }>();

  async function retrain(tenantId: string) {
    const model = await retrainTopicModel(pool, tenantId, ctx.clock.now());
    cache.set(tenantId, { model, at: ctx.clock.now().getTime() });
    return model;
  }

  async function correctTopics(tenantId: string, c: TopicsCorrected) {
    const n = await recordTopicCorrections(pool, tenantId, c, ctx.clock.now());
    if (n) await ctx.jobs.send('text-train-topics', { tenantId }, { startAfter: DEBOUNCE_SECONDS, singletonKey: `text-train-topics:${tenantId}` });
    return n;
  }

  // Corrections quote the customer's words: erasure drops them, and the model with them (it keeps the
  // exact texts); the nightly job trains a new one from the corrections left. Nothing else may use the
  // database inside the erasure's transaction, so no job is sent from here.
  ctx.customers.onErase(async (tx, tenantId, ids) => {
    const { rowCount } = await tx.query('DELETE FROM topic_corrections WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
    if (rowCount) {
      await tx.query('DELETE FROM topic_models WHERE tenant_id = $1', [tenantId]);
      cache.delete(tenantId);
    }
  });

  ctx.bus.subscribe('topics.corrected', async (msg) => {
    await correctTopics(msg.tenantId, msg.payload as TopicsCorrected);
  });

  return {
    correctTopics,
    /** Trains the tenant's model now (the job's work; tests and the CLI call it directly). */
    retrainTopicModel: retrain,
    /** The tenant's topic model, or undefined before anyone corrected a topic. */
    async topicModelOf(tenantId: string): Promise<TenantTopicModel | undefined> {
      const now = ctx.clock.now().getTime();
      const hit = cache.get(tenantId);
      if (hit && Math.abs(now - hit.at) < MODEL_TTL_MS) return hit.model;
      const r = await queryRow(pool, rowOf(topicModels, ['model']), 'SELECT model FROM topic_models WHERE tenant_id = $1', [tenantId]);
      const model = r?.model;
      cache.set(tenantId, { model, at: now });
      return model;
    },
    async startJobs() {
      await ctx.jobs.define<{ tenantId: string }>('text-train-topics', async ({ tenantId }) => {
        await retrain(tenantId);
      });
      // Nightly, for tenants whose corrections changed since their model was trained (a debounced job lost with a node).
      await ctx.jobs.define(
        'text-train-topics-nightly',
        async () => {
          const rows = await queryRows(
            pool,
            rowOf(topicCorrections, ['tenant_id']),
            `SELECT c.tenant_id FROM topic_corrections c LEFT JOIN topic_models m ON m.tenant_id = c.tenant_id
            GROUP BY c.tenant_id, m.trained_at HAVING m.trained_at IS NULL OR max(c.corrected_at) > m.trained_at`,
          );
          for (const r of rows) await retrain(r.tenant_id).catch((err) => ctx.log.error({ err: (err as Error).message }, 'topic model training failed'));
        },
        { cron: '40 2 * * *' },
      );
    },
  };
}

export type TextService = ReturnType<typeof createTextService>;
