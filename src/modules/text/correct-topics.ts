// A person's correction of an item's topics, applied alike by every module that keeps topics on its items
// (feedback's responses, listening's mentions, loop's cases), then told to the text module, which learns
// from it (bus `topics.corrected`, stored by record-topic-corrections.ts).
import type { EventBus } from '../../platform/bus.js';
import type { TopicsCorrected } from './record-topic-corrections.js';

/** Topic keys to add to an item and to remove from it. */
export interface TopicChange {
  add: string[];
  remove: string[];
}

/**
 * The item's topics once corrected: those removed dropped, those added appended after the others, each
 * once. Topics stored as records name their key with `topicOf`, and `added` makes the record of a topic
 * a person adds. Correcting twice changes nothing the second time.
 */
export function applyTopicCorrection(before: readonly string[], c: TopicChange): string[];
export function applyTopicCorrection<T>(before: readonly T[], c: TopicChange, topicOf: (t: T) => string, added: (topic: string) => T): T[];
export function applyTopicCorrection<T>(
  before: readonly T[],
  c: TopicChange,
  topicOf: (t: T) => string = (t) => t as string,
  added: (topic: string) => T = (topic) => topic as T,
): T[] {
  const had = new Set(before.map(topicOf));
  return [...before.filter((t) => !c.remove.includes(topicOf(t))), ...c.add.filter((t) => !had.has(t)).map(added)];
}

/** Tells the text module what a person said of an item's topics; an item without text teaches nothing. */
export function publishTopicsCorrected(bus: EventBus, tenantId: string, c: Omit<TopicsCorrected, 'text'> & { text: string | null }): void {
  if (!c.text) return;
  bus.publish({ type: 'topics.corrected', tenantId, payload: { ...c, text: c.text } satisfies TopicsCorrected });
}
