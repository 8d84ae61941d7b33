// A tenant's topic model rebuilt from all its corrections (the newest 20,000) and the keyword seeds,
// replacing the stored one whole.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { topicCorrections } from './schema.js';
import { trainTopicModel } from './train-topic-model.js';
import type { TenantTopicModel } from './classify-topics.js';

const MAX_CORRECTIONS = 20_000;
const Correction = rowOf(topicCorrections, ['text', 'topic', 'label']);

export async function retrainTopicModel(db: Queryable, tenantId: string, at: Date): Promise<TenantTopicModel | undefined> {
  const rows = await queryRows(
    db,
    Correction,
    `SELECT text, topic, label FROM (SELECT text, topic, label, corrected_at, source_id FROM topic_corrections WHERE tenant_id = $1 ORDER BY corrected_at DESC, source_id DESC LIMIT $2) c
      ORDER BY corrected_at, source_id`,
    [tenantId, MAX_CORRECTIONS],
  );
  if (!rows.length) {
    await db.query('DELETE FROM topic_models WHERE tenant_id = $1', [tenantId]);
    return undefined;
  }
  const model = trainTopicModel(rows);
  await db.query(
    `INSERT INTO topic_models (tenant_id, model, corrections, trained_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id) DO UPDATE SET model = excluded.model, corrections = excluded.corrections, trained_at = excluded.trained_at`,
    [tenantId, JSON.stringify(model), rows.length, at],
  );
  return model;
}
