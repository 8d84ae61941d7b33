// A fixed-window counter per key for the public endpoints (help centre search, widget search,
// feedback). In-process: with several nodes each allows the limit, which still bounds abuse.
export interface RateLimiter { take(key: string): boolean }

export function createRateLimiter(opts: { limit: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const now = Date.now();
      const w = windows.get(key);
      if (!w || now - w.start >= opts.windowMs) {
        // Keeps memory bounded under a flood of distinct addresses: old windows are forgotten first.
        if (windows.size >= (opts.maxKeys ?? 50_000)) {
          for (const [k, v] of windows) if (now - v.start >= opts.windowMs) windows.delete(k);
          if (windows.size >= (opts.maxKeys ?? 50_000)) windows.delete(windows.keys().next().value!);
        }
        windows.set(key, { start: now, count: 1 });
        return true;
      }
      w.count++;
      return w.count <= opts.limit;
    },
  };
}
