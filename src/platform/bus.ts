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

export interface EventBus {
  publish(msgs: BusMessage | BusMessage[]): void;
  subscribe(type: string | '*', handler: Handler): () => void;
  /**
   * One call per publish with every message of these types in it, in publish order (possibly of several
   * tenants): for subscribers on hot paths that do set-based work (one statement for a whole batch).
   */
  subscribeBatch(types: string | string[], handler: BatchHandler): () => void;
  /** Resolves when every handler started so far has finished (for tests and shutdown). */
  drain(): Promise<void>;
}

export function createEventBus(log?: Logger): EventBus {
  const handlers = new Map<string, Set<Handler>>();
  const batchHandlers = new Set<{ types: Set<string>; handler: BatchHandler }>();
  const running = new Set<Promise<void>>();
  const failed = (type: string) => (err: unknown) => { log?.error({ err: (err as Error)?.message, type }, 'bus subscriber failed'); };
  function call(run: () => void | Promise<void>, type: string, pending: Promise<void>[]) {
    try {
      const r = run();
      if (r && typeof (r as Promise<void>).then === 'function') pending.push((r as Promise<void>).catch(failed(type)));
    } catch (err) {
      failed(type)(err);
    }
  }
  return {
    publish(msgs) {
      const list = Array.isArray(msgs) ? msgs : [msgs];
      if (!list.length) return;
      // One microtask for the whole batch, not one promise chain per message and subscriber: an ingested
      // batch publishes hundreds of events to subscribers most of which return at once without work.
      // Batch subscribers get every message of their types from this publish in one call.
      const p = Promise.resolve().then(async () => {
        const pending: Promise<void>[] = [];
        for (const msg of list) {
          for (const h of [...(handlers.get(msg.type) ?? []), ...(handlers.get('*') ?? [])]) call(() => h(msg), msg.type, pending);
        }
        for (const b of batchHandlers) {
          const mine = list.filter((m) => b.types.has(m.type));
          if (mine.length) call(() => b.handler(mine), mine[0].type, pending);
        }
        if (pending.length) await Promise.all(pending);
      }).finally(() => running.delete(p));
      running.add(p);
    },
    subscribe(type, handler) {
      if (!handlers.has(type)) handlers.set(type, new Set());
      handlers.get(type)!.add(handler);
      return () => handlers.get(type)!.delete(handler);
    },
    subscribeBatch(types, handler) {
      const entry = { types: new Set(Array.isArray(types) ? types : [types]), handler };
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
  for (const t of new Set(msgs.map((m) => m.tenantId))) await fn(t, msgs.filter((m) => m.tenantId === t));
}
