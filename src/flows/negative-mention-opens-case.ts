// Joins listening and loop: a public mention that a mention rule matches (by default negative and about
// the company) opens a case, routed like any other (a PR team, say).
import type { EventBus } from '../platform/bus.js';
import type { LoopService, MentionSignal } from '../modules/loop/index.js';

export function negativeMentionOpensCase({ bus, loop }: { bus: EventBus; loop: LoopService }): void {
  bus.subscribe('mention.created', async (msg) => {
    await loop.openMentionCase(msg.tenantId, msg.payload as MentionSignal);
  });
}
