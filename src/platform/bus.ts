// In-process event bus. Publishing happens after the writing transaction commits, so a subscriber
// never sees an event that was rolled back. A failing subscriber is logged and never blocks others.
import type { Logger } from 'pino';

export interface BusMessage<T = unknown> {
  type: string;
  tenantId: string;
  payload: T;
}

type Handler = (msg: BusMessage) => void | Promise<void>;

export interface EventBus {
  publish(msgs: BusMessage | BusMessage[]): void;
  subscribe(type: string | '*', handler: Handler): () => void;
  /** Resolves when every handler started so far has finished (for tests and shutdown). */
  drain(): Promise<void>;
}

export function createEventBus(log?: Logger): EventBus {
  const handlers = new Map<string, Set<Handler>>();
  const running = new Set<Promise<void>>();
  return {
    publish(msgs) {
      for (const msg of Array.isArray(msgs) ? msgs : [msgs]) {
        for (const h of [...(handlers.get(msg.type) ?? []), ...(handlers.get('*') ?? [])]) {
          const p = Promise.resolve()
            .then(() => h(msg))
            .catch((err) => log?.error({ err: (err as Error).message, type: msg.type }, 'bus subscriber failed'))
            .finally(() => running.delete(p));
          running.add(p);
        }
      }
    },
    subscribe(type, handler) {
      if (!handlers.has(type)) handlers.set(type, new Set());
      handlers.get(type)!.add(handler);
      return () => handlers.get(type)!.delete(handler);
    },
    async drain() {
      while (running.size) await Promise.all([...running]);
    },
  };
}
