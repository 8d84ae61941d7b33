// Storing what a person said about an item's topics: each topic added is a "yes, about this", each
// removed a "no, not about this". The item's own module has already changed the item; this keeps the
// words for the tenant's topic model.
import type { Queryable } from '../../platform/db.js';
import { z } from '../../platform/validation.js';
import { normalizeText } from './normalize-text.js';
import { correctionKey } from './classify-topics.js';

/** The body of every "correct this item's topics" route: topic keys to add and to remove. */
export const TopicCorrectionInput = z
  .object({
    add: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/))
      .max(20)
      .default([]),
    remove: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/))
      .max(20)
      .default([]),
  })
  .strict()
  .refine((c) => c.add.length + c.remove.length > 0, { message: 'names no topic to add or remove', path: ['add'] })
  .refine((c) => !c.add.some((t) => c.remove.includes(t)), { message: 'a topic cannot be added and removed at once', path: ['remove'] });

/** Published on the bus by a module whose item's topics a person corrected. */
export interface TopicsCorrected {
  sourceType: 'response' | 'mention' | 'case';
  sourceId: string;
  text: string;
  /** The customer who wrote the text, when known. */
  customerId?: string | null;
  add: string[];
  remove: string[];
  by: string | null;
}

export async function recordTopicCorrections(db: Queryable, tenantId: string, c: TopicsCorrected, at: Date): Promise<number> {
  const labels = [...c.add.map((topic) => ({ topic, label: true })), ...c.remove.map((topic) => ({ topic, label: false }))];
  if (!labels.length || !c.text.trim()) return 0;
  await db.query(
    `INSERT INTO topic_corrections (tenant_id, text_key, topic, text, label, source_type, source_id, corrected_by, corrected_at, customer_id)
     SELECT $1, $2, t.topic, $3, t.label, $4, $5, $6, $7, $10 FROM unnest($8::text[], $9::boolean[]) AS t(topic, label)
     ON CONFLICT (tenant_id, source_type, source_id, topic) DO UPDATE SET text_key = excluded.text_key, text = excluded.text, label = excluded.label,
       corrected_by = excluded.corrected_by, corrected_at = excluded.corrected_at, customer_id = excluded.customer_id`,
    [
      tenantId,
      correctionKey(normalizeText(c.text)),
      c.text.slice(0, 20_000),
      c.sourceType,
      c.sourceId,
      c.by,
      at,
      labels.map((l) => l.topic),
      labels.map((l) => l.label),
      c.customerId ?? null,
    ],
  );
  return labels.length;
}
