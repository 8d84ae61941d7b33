// Group commit for inbound messages. Webhooks, the SMTP listener and web chat hand their messages
// over one at a time and wait for their own answer; each tenant's messages are stored in batches,
// one transaction each: a batch takes everything that gathered while the previous ones were being
// stored. Under light traffic a batch is one message, stored at once; under heavy traffic batches
// grow with the load, so the database sees a few statements per batch instead of a transaction per
// message.
import type { InboundMessage, ReceiveOutcome, ReceiveResult } from './receive-message.js';

interface Waiting {
  m: InboundMessage;
  resolve(r: ReceiveResult): void;
  reject(err: Error): void;
}
interface TenantQueue {
  waiting: Waiting[];
  running: number;
  scheduled: boolean;
  idle: Promise<void>;
  wake(): void;
}

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
  const maxBatch = opts.maxBatch ?? 250;
  const concurrency = opts.concurrency ?? 2;
  const tenants = new Map<string, TenantQueue>();

  function schedule(tenantId: string, q: TenantQueue) {
    if (q.scheduled || q.running >= concurrency || !q.waiting.length) return;
    q.scheduled = true;
    // The other messages of this turn of the event loop join the batch.
    setImmediate(() => {
      q.scheduled = false;
      void runBatch(tenantId, q);
    });
  }

  async function runBatch(tenantId: string, q: TenantQueue) {
    // schedule() never arms a run for an empty queue, and only runs take from it: the batch has messages.
    const batch = q.waiting.splice(0, maxBatch);
    q.running++;
    try {
      const outcomes = await store(
        tenantId,
        batch.map((w) => w.m),
      );
      batch.forEach((w, i) => {
        const o = outcomes[i];
        if (o instanceof Error) w.reject(o);
        else w.resolve(o);
      });
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
    } finally {
      q.running--;
      if (q.waiting.length) schedule(tenantId, q);
      else if (!q.running && !q.scheduled) {
        tenants.delete(tenantId);
        q.wake();
      }
    }
  }

  return {
    submit(m) {
      return new Promise<ReceiveResult>((resolve, reject) => {
        const tenantId = m.channel.tenantId;
        let q = tenants.get(tenantId);
        if (!q) {
          let wake!: () => void;
          const idle = new Promise<void>((r) => {
            wake = r;
          });
          q = { waiting: [], running: 0, scheduled: false, idle, wake };
          tenants.set(tenantId, q);
        }
        q.waiting.push({ m, resolve, reject });
        schedule(tenantId, q);
      });
    },
    async drain() {
      while (tenants.size) await Promise.all([...tenants.values()].map((q) => q.idle));
    },
  };
}
