// Joins feedback and loop: a survey answer that a case rule matches (an NPS detractor, a CSAT of 1-2,
// an abandonment reason) or whose open text reads negative opens a case, routed by its topics. Responses
// and their readings arrive a batch at a time; a response read before it was written arrives with its
// reading in the same batch, so its case is decided once, with both.
import { perTenant, type EventBus } from '../platform/bus.js';
import type { ResponseAnalyzed, ResponseSubmitted } from '../modules/feedback/index.js';
import type { LoopService } from '../modules/loop/index.js';

export function detractorOpensCase({ bus, loop }: { bus: EventBus; loop: LoopService }): void {
  bus.subscribeBatch(['feedback.response.submitted', 'feedback.response.analyzed'], (msgs) =>
    perTenant(msgs, (tenantId, batch) =>
      loop.openResponseCases(tenantId, {
        submitted: batch.filter((m) => m.type === 'feedback.response.submitted').map((m) => m.payload as ResponseSubmitted),
        analyzed: batch.filter((m) => m.type === 'feedback.response.analyzed').map((m) => m.payload as ResponseAnalyzed),
      }),
    ),
  );
}
