// In-process event bus. Publishing happens after the writing transaction commits, so a subscriber
// never sees an event that was rolled back. A failing subscriber is logged and never blocks others.
import type { Logger } from 'pino';

export interface BusMessage<T = unknown> {
  type: string;
  tenantId: string;
  payload: T;
}

type Handler = (msg: BusMessage) => void | Promise<void>;
type BatchHandler = (msgs: BusMessage[]) => void | Promise<void>;
interface BatchEntry {
  types: Set<string>;
  handler: BatchHandler;
  queue: BusMessage[];
  running?: Promise<void>;
}

export interface EventBus {
  publish(msgs: BusMessage | BusMessage[]): void;
  subscribe(type: string | '*', handler: Handler): () => void;
  /**
   * Every message of these types of a publish in one call, in publish order (possibly of several
   * tenants): for subscribers on hot paths that do set-based work (one statement for a whole batch).
   * One call at a time: messages published while a call runs are handed over together in the next one,
   * so under load the batches grow instead of the calls piling up side by side.
   */
  subscribeBatch(types: string | string[], handler: BatchHandler): () => void;
  /** Resolves when every handler started so far has finished (for tests and shutdown). */
  drain(): Promise<void>;
}

export function createEventBus(log?: Logger): EventBus {
  const handlers = new Map<string, Set<Handler>>();
  const batchHandlers = new Set<BatchEntry>();
  const running = new Set<Promise<void>>();
  const failed = (type: string) => (err: unknown) => {
    log?.error({ err: (err as Error)?.message, type }, 'bus subscriber failed');
  };
  function call(run: () => void | Promise<void>, type: string, pending: Promise<void>[]) {
    try {
      const r = run();
      if (r && typeof (r as Promise<void>).then === 'function') pending.push((r as Promise<void>).catch(failed(type)));
    } catch (err) {
      failed(type)(err);
    }
  }
  /** Calls a batch subscriber with what is queued for it, again until nothing is; one call at a time. */
  function pump(b: BatchEntry): Promise<void> {
    if (b.running || !b.queue.length) return b.running ?? Promise.resolve();
    b.running = (async () => {
      // Each call awaits at least once, so b.running is set before the line clearing it runs.
      for (let msgs = b.queue.splice(0); msgs.length; msgs = b.queue.splice(0)) {
        try {
          await b.handler(msgs);
        } catch (err) {
          failed(msgs[0].type)(err);
        }
      }
      // Cleared right after the queue was seen empty, with no await between: a message published from
      // here on starts the next call.
      b.running = undefined;
    })();
    return b.running;
  }

  return {
    publish(msgs) {
      const list = Array.isArray(msgs) ? msgs : [msgs];
      if (!list.length) return;
      // One microtask for the whole batch, not one promise chain per message and subscriber: an ingested
      // batch publishes hundreds of events to subscribers most of which return at once without work.
      // Batch subscribers get every message of their types from this publish in one call.
      const p = Promise.resolve()
        .then(async () => {
          const pending: Promise<void>[] = [];
          for (const msg of list) {
            for (const h of [...(handlers.get(msg.type) ?? []), ...(handlers.get('*') ?? [])]) call(() => h(msg), msg.type, pending);
          }
          for (const b of batchHandlers) {
            const mine = list.filter((m) => b.types.has(m.type));
            if (!mine.length) continue;
            b.queue.push(...mine);
            pending.push(pump(b));
          }
          if (pending.length) await Promise.all(pending);
        })
        .finally(() => running.delete(p));
      running.add(p);
    },
    subscribe(type, handler) {
      if (!handlers.has(type)) handlers.set(type, new Set());
      handlers.get(type)!.add(handler);
      return () => handlers.get(type)!.delete(handler);
    },
    subscribeBatch(types, handler) {
      const entry: BatchEntry = { types: new Set(Array.isArray(types) ? types : [types]), handler, queue: [] };
      batchHandlers.add(entry);
      return () => batchHandlers.delete(entry);
    },
    async drain() {
      while (running.size) await Promise.all([...running]);
    },
  };
}

/** A batch subscriber's messages a tenant at a time, in the order the tenants first appear. */
export async function perTenant(msgs: readonly BusMessage[], fn: (tenantId: string, msgs: BusMessage[]) => Promise<unknown>): Promise<void> {
  for (const t of new Set(msgs.map((m) => m.tenantId)))
    await fn(
      t,
      msgs.filter((m) => m.tenantId === t),
    );
}
