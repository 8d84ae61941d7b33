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
  const failed = (type: string) => (err: unknown) => { log?.error({ err: (err as Error)?.message, type }, 'bus subscriber failed'); };
  return {
    publish(msgs) {
      const list = Array.isArray(msgs) ? msgs : [msgs];
      if (!list.length) return;
      // One microtask for the whole batch, not one promise chain per message and subscriber: an ingested
      // batch publishes hundreds of events to subscribers most of which return at once without work.
      const p = Promise.resolve().then(async () => {
        const pending: Promise<void>[] = [];
        for (const msg of list) {
          for (const h of [...(handlers.get(msg.type) ?? []), ...(handlers.get('*') ?? [])]) {
            try {
              const r = h(msg);
              if (r && typeof (r as Promise<void>).then === 'function') pending.push((r as Promise<void>).catch(failed(msg.type)));
            } catch (err) {
              failed(msg.type)(err);
            }
          }
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
    async drain() {
      while (running.size) await Promise.all([...running]);
    },
  };
}
