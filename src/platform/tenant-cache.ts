// A per-tenant value (a tenant's active triggers, journeys, loyalty programme) remembered for a short
// while, for bus subscribers that run for every ingested event. One load per tenant at a time: an
// ingested batch publishes hundreds of events in one tick, and without sharing the load in flight
// every one of them would send the same query whenever the entry expires. A value forgotten while its
// load is in flight is not cached, so a change made on this node is seen by the next event at once.
// Other nodes hear of it too: forget() tells every announcer started in this process (cache-notices.ts,
// through PostgreSQL NOTIFY), and what another node forgot is dropped here by forgetHeard().
export interface TenantCache<T> {
  /** The cached value, or undefined when it must be loaded (lets a hot path stay synchronous). */
  peek(tenantId: string): T | undefined;
  /**
   * The cached value, or one loaded now. A caller's own load (read on its transaction's client) is not
   * shared with other callers: on the embedded database a query waits while another transaction is
   * open, so another transaction waiting for this one's load could wait forever.
   */
  get(tenantId: string, load?: (tenantId: string) => Promise<T>): Promise<T>;
  forget(tenantId: string): void;
}

interface Droppable {
  drop(key: string): void;
  dropAll(): void;
}

// Every cache of this process, held weakly: a test process builds many apps, and their caches must
// not outlive them. A notice names a key, not a cache: it drops that key from every cache here, which
// costs at most one extra load per cache for a change that is rare (an admin's edit).
const caches = new Set<WeakRef<Droppable>>();
const announcers = new Set<(key: string) => void>();

function eachCache(fn: (c: Droppable) => void) {
  for (const ref of caches) {
    const c = ref.deref();
    if (c) fn(c);
    else caches.delete(ref);
  }
}

/** Registers a way to tell other nodes what this one forgot; returns its removal. */
export function addForgetAnnouncer(announce: (key: string) => void): () => void {
  announcers.add(announce);
  return () => {
    announcers.delete(announce);
  };
}

/** Another node forgot this key: drop it here, without announcing it again. */
export function forgetHeard(key: string) {
  eachCache((c) => c.drop(key));
}

/** Notices may have been missed (a lost LISTEN connection): nothing cached so far can be trusted. */
export function forgetEverything() {
  eachCache((c) => c.dropAll());
}

/**
 * ttlMs: how long a loaded value is used. maxEntries: a bound on the keys held, for caches keyed by
 * something a visitor chooses (a slug in a public address) rather than by the tenants that exist; past
 * it the longest-held entry is dropped first.
 */
export function createTenantCache<T>(opts: { ttlMs: number; load: (tenantId: string) => Promise<T>; now?: () => number; maxEntries?: number }): TenantCache<T> {
  // An entry's life is real elapsed time (monotonic), not a product decision about "now".
  const now = opts.now ?? (() => performance.now());
  const entries = new Map<string, { value: T; at: number }>();
  const loading = new Map<string, { promise: Promise<T>; generation: number }>();
  const generations = new Map<string, number>();

  function peek(tenantId: string): T | undefined {
    const hit = entries.get(tenantId);
    return hit && now() - hit.at < opts.ttlMs ? hit.value : undefined;
  }

  function remember(tenantId: string, value: T, at: number) {
    entries.delete(tenantId);
    if (opts.maxEntries !== undefined && entries.size >= opts.maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(tenantId, { value, at });
  }

  function drop(tenantId: string) {
    entries.delete(tenantId);
    generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
  }

  const cache = {
    drop,
    dropAll() {
      for (const tenantId of new Set([...entries.keys(), ...loading.keys()])) drop(tenantId);
    },
    peek,
    get(tenantId: string, load?: (tenantId: string) => Promise<T>): Promise<T> {
      const hit = entries.get(tenantId);
      if (hit && now() - hit.at < opts.ttlMs) return Promise.resolve(hit.value);
      const generation = generations.get(tenantId) ?? 0;
      if (load) {
        const at = now();
        return load(tenantId).then((value) => {
          if ((generations.get(tenantId) ?? 0) === generation) remember(tenantId, value, at);
          return value;
        });
      }
      const inFlight = loading.get(tenantId);
      if (inFlight && inFlight.generation === generation) return inFlight.promise;
      const at = now();
      const promise = opts.load(tenantId).then(
        (value) => {
          if ((generations.get(tenantId) ?? 0) === generation) remember(tenantId, value, at);
          if (loading.get(tenantId)?.promise === promise) loading.delete(tenantId);
          return value;
        },
        (err: unknown) => {
          if (loading.get(tenantId)?.promise === promise) loading.delete(tenantId);
          throw err;
        },
      );
      loading.set(tenantId, { promise, generation });
      return promise;
    },
    forget(tenantId: string) {
      drop(tenantId);
      for (const announce of announcers) announce(tenantId);
    },
  };
  caches.add(new WeakRef(cache));
  return cache;
}
