// Group commit for inbound messages. Webhooks, the SMTP listener and web chat hand their messages
// over one at a time and wait for their own answer; each tenant's messages are stored as one batch
// per turn of the event loop, and while a batch is being stored the next one gathers. Under light
// traffic a batch is one message, stored at once; under heavy traffic a batch grows with the load,
// so the database sees a few statements per batch instead of a transaction per message.
import type { InboundMessage, ReceiveOutcome, ReceiveResult } from './receive-message.js';

interface Waiting { m: InboundMessage; resolve(r: ReceiveResult): void; reject(err: Error): void }

// A bound on one transaction's size: enough for thousands of messages a second, short enough that a
// batch never holds its locks for long.
const MAX_BATCH = 250;

export interface InboundQueue {
  submit(m: InboundMessage): Promise<ReceiveResult>;
  /** Resolves when every message handed over so far has been stored or refused. */
  drain(): Promise<void>;
}

export function createInboundQueue(store: (tenantId: string, messages: InboundMessage[]) => Promise<ReceiveOutcome[]>, maxBatch = MAX_BATCH): InboundQueue {
  const tenants = new Map<string, { waiting: Waiting[]; running: Promise<void> }>();

  async function run(tenantId: string, t: { waiting: Waiting[] }) {
    // The other webhooks of this turn of the event loop join the batch.
    await new Promise<void>((r) => setImmediate(r));
    while (t.waiting.length) {
      const batch = t.waiting.splice(0, maxBatch);
      let outcomes: ReceiveOutcome[];
      try {
        outcomes = await store(tenantId, batch.map((w) => w.m));
      } catch (err) {
        for (const w of batch) w.reject(err as Error);
        continue;
      }
      batch.forEach((w, i) => {
        const o = outcomes[i];
        if (o instanceof Error) w.reject(o);
        else w.resolve(o);
      });
    }
    tenants.delete(tenantId);
  }

  return {
    submit(m) {
      return new Promise<ReceiveResult>((resolve, reject) => {
        const tenantId = m.channel.tenantId;
        const t = tenants.get(tenantId);
        if (t) { t.waiting.push({ m, resolve, reject }); return; }
        const fresh = { waiting: [{ m, resolve, reject }], running: undefined as unknown as Promise<void> };
        tenants.set(tenantId, fresh);
        fresh.running = run(tenantId, fresh);
      });
    },
    async drain() {
      while (tenants.size) await Promise.all([...tenants.values()].map((t) => t.running));
    },
  };
}
