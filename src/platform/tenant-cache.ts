// A per-tenant value (a tenant's active triggers, journeys, loyalty programme) remembered for a short
// while, for bus subscribers that run for every ingested event. One load per tenant at a time: an
// ingested batch publishes hundreds of events in one tick, and without sharing the load in flight
// every one of them would send the same query whenever the entry expires. A value forgotten while its
// load is in flight is not cached, so a change made on this node is seen by the next event at once.
export interface TenantCache<T> {
  /** The cached value, or undefined when it must be loaded (lets a hot path stay synchronous). */
  peek(tenantId: string): T | undefined;
  get(tenantId: string): Promise<T>;
  forget(tenantId: string): void;
}

export function createTenantCache<T>(opts: { ttlMs: number; load: (tenantId: string) => Promise<T>; now?: () => number }): TenantCache<T> {
  // An entry's life is real elapsed time (monotonic), not a product decision about "now".
  const now = opts.now ?? (() => performance.now());
  const entries = new Map<string, { value: T; at: number }>();
  const loading = new Map<string, { promise: Promise<T>; generation: number }>();
  const generations = new Map<string, number>();

  function peek(tenantId: string): T | undefined {
    const hit = entries.get(tenantId);
    return hit && now() - hit.at < opts.ttlMs ? hit.value : undefined;
  }

  return {
    peek,
    get(tenantId) {
      const hit = entries.get(tenantId);
      if (hit && now() - hit.at < opts.ttlMs) return Promise.resolve(hit.value);
      const generation = generations.get(tenantId) ?? 0;
      const inFlight = loading.get(tenantId);
      if (inFlight && inFlight.generation === generation) return inFlight.promise;
      const at = now();
      const promise = opts.load(tenantId).then(
        (value) => {
          if ((generations.get(tenantId) ?? 0) === generation) entries.set(tenantId, { value, at });
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
    forget(tenantId) {
      entries.delete(tenantId);
      generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
    },
  };
}
