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
  function run(call: () => void | Promise<void>, type: string) {
    const p = Promise.resolve()
      .then(call)
      .catch((err) => log?.error({ err: (err as Error).message, type }, 'bus subscriber failed'))
      .finally(() => running.delete(p));
    running.add(p);
  }
  return {
    publish(msgs) {
      const list = Array.isArray(msgs) ? msgs : [msgs];
      for (const msg of list) {
        for (const h of [...(handlers.get(msg.type) ?? []), ...(handlers.get('*') ?? [])]) run(() => h(msg), msg.type);
      }
      for (const b of batchHandlers) {
        const mine = list.filter((m) => b.types.has(m.type));
        if (mine.length) run(() => b.handler(mine), mine[0].type);
      }
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
