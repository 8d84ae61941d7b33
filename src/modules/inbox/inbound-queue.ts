// Group commit (platform/group-commit.ts) for inbound messages. Webhooks, the SMTP listener and web
// chat hand their messages over one at a time and wait for their own answer; each tenant's messages
// are stored in batches, one transaction each: a batch takes everything that gathered while the
// previous ones were being stored. Under light traffic a batch is one message, stored at once; under
// heavy traffic batches grow with the load, so the database sees a few statements per batch instead
// of a transaction per message.
import { createGroupCommit } from '../../platform/group-commit.js';
import type { InboundMessage, ReceiveOutcome, ReceiveResult } from './receive-message.js';

export interface InboundQueueOptions {
  /** A bound on one transaction's size: short enough that a batch never holds its locks for long. */
  maxBatch?: number;
  /**
   * Batches of one tenant stored side by side: a second one starts while the first commits, so a
   * message does not wait a whole batch's round trips before its own begin.
   */
  concurrency?: number;
}

export interface InboundQueue {
  submit(m: InboundMessage): Promise<ReceiveResult>;
  /** Resolves when every message handed over so far has been stored or refused. */
  drain(): Promise<void>;
}

export function createInboundQueue(
  store: (tenantId: string, messages: InboundMessage[]) => Promise<ReceiveOutcome[]>,
  opts: InboundQueueOptions = {},
): InboundQueue {
  const batches = createGroupCommit<InboundMessage, ReceiveResult>({
    maxInFlight: opts.concurrency ?? 2,
    maxBatch: opts.maxBatch ?? 250,
    async write(tenantId, batch) {
      const outcomes = await store(
        tenantId,
        batch.map((w) => w.request),
      );
      batch.forEach((w, i) => {
        const o = outcomes[i];
        if (o instanceof Error) w.reject(o);
        else w.resolve(o);
      });
    },
  });
  return { submit: (m) => batches.submit(m.channel.tenantId, m), drain: () => batches.drain() };
}
