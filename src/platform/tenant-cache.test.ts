import { describe, expect, it } from 'vitest';
import { addForgetAnnouncer, createTenantCache, forgetEverything, forgetHeard } from './tenant-cache.js';

describe('tenant cache', () => {
  it('loads once for all the callers waiting on a tenant, and again after the time to live', async () => {
    let clock = 0;
    const loads: string[] = [];
    const cache = createTenantCache({
      ttlMs: 1000,
      now: () => clock,
      load: async (t) => {
        loads.push(t);
        return `${t}:${loads.length}`;
      },
    });
    const answers = await Promise.all(Array.from({ length: 500 }, () => cache.get('a')));
    expect(new Set(answers)).toEqual(new Set(['a:1']));
    expect(loads).toEqual(['a']);
    expect(cache.peek('a')).toBe('a:1');
    expect(cache.peek('b')).toBeUndefined();
    clock = 999;
    expect(await cache.get('a')).toBe('a:1');
    clock = 1000;
    expect(cache.peek('a')).toBeUndefined();
    expect(await cache.get('a')).toBe('a:2');
    expect(loads).toEqual(['a', 'a']);
  });

  it('holds at most maxEntries keys, dropping the longest-held first', async () => {
    const loads: string[] = [];
    const cache = createTenantCache({
      ttlMs: 60_000,
      maxEntries: 2,
      load: async (k) => {
        loads.push(k);
        return k.toUpperCase();
      },
    });
    for (const k of ['a', 'b', 'c']) await cache.get(k);
    expect(cache.peek('a')).toBeUndefined();
    expect([cache.peek('b'), cache.peek('c')]).toEqual(['B', 'C']);
    await cache.get('a');
    expect(cache.peek('b')).toBeUndefined();
    expect(loads).toEqual(['a', 'b', 'c', 'a']);
  });

  it('does not keep a value loaded before the tenant was forgotten', async () => {
    let release!: () => void;
    let version = 1;
    const cache = createTenantCache({
      ttlMs: 60_000,
      load: async () => {
        const v = version;
        await new Promise<void>((r) => {
          release = r;
        });
        return v;
      },
    });
    const stale = cache.get('a');
    const releaseStale = release;
    version = 2;
    cache.forget('a');
    const fresh = cache.get('a');
    const releaseFresh = release;
    releaseStale();
    expect(await stale).toBe(1);
    expect(cache.peek('a')).toBeUndefined();
    releaseFresh();
    expect(await fresh).toBe(2);
    expect(cache.peek('a')).toBe(2);
  });

  it('does not cache a failed load', async () => {
    let calls = 0;
    const cache = createTenantCache({
      ttlMs: 60_000,
      load: async () => {
        calls++;
        if (calls === 1) throw new Error('db down');
        return 'ok';
      },
    });
    await expect(cache.get('a')).rejects.toThrow('db down');
    expect(await cache.get('a')).toBe('ok');
    expect(calls).toBe(2);
  });

  it('announces what it forgot to other nodes, and drops what another node forgot without announcing it again', async () => {
    let version = 1;
    const triggers = createTenantCache({ ttlMs: 60_000, load: async (t) => `${t}:${version}` });
    const rules = createTenantCache({ ttlMs: 60_000, load: async (t) => `rules ${t}:${version}` });
    const announced: string[] = [];
    const remove = addForgetAnnouncer((key) => announced.push(key));
    try {
      await triggers.get('a');
      await triggers.get('b');
      await rules.get('a');
      version = 2;
      triggers.forget('a');
      expect(announced).toEqual(['a']);
      expect(triggers.peek('a')).toBeUndefined();
      expect(triggers.peek('b')).toBe('b:1');

      // Heard from another node: every cache of this process drops the key, and nothing is announced.
      forgetHeard('a');
      expect(rules.peek('a')).toBeUndefined();
      expect(await rules.get('a')).toBe('rules a:2');
      expect(triggers.peek('b')).toBe('b:1');
      expect(announced).toEqual(['a']);

      // A lost listener may have missed notices: nothing cached before is kept.
      forgetEverything();
      expect(triggers.peek('b')).toBeUndefined();
      expect(rules.peek('a')).toBeUndefined();
    } finally {
      remove();
    }
    triggers.forget('b');
    expect(announced).toEqual(['a']);
  });

  it('does not keep a value whose load was in flight when another node forgot it', async () => {
    let release!: () => void;
    let version = 1;
    const cache = createTenantCache({
      ttlMs: 60_000,
      load: async () => {
        const v = version;
        await new Promise<void>((r) => {
          release = r;
        });
        return v;
      },
    });
    const stale = cache.get('a');
    version = 2;
    forgetHeard('a');
    release();
    expect(await stale).toBe(1);
    expect(cache.peek('a')).toBeUndefined();
  });

  it('keeps what a caller loaded itself, unshared, unless the tenant was forgotten meanwhile', async () => {
    let version = 1;
    const cache = createTenantCache<number>({
      ttlMs: 60_000,
      load: async () => {
        throw new Error('the shared load is not used');
      },
    });
    const own: string[] = [];
    expect(
      await cache.get('a', async (t) => {
        own.push(t);
        return version;
      }),
    ).toBe(1);
    expect(
      await cache.get('a', async () => {
        own.push('again');
        return 99;
      }),
    ).toBe(1);
    expect(own).toEqual(['a']);
    let release!: () => void;
    const pending = cache.get('b', async () => {
      const v = version;
      await new Promise<void>((r) => {
        release = r;
      });
      return v;
    });
    version = 2;
    forgetHeard('b');
    release();
    expect(await pending).toBe(1);
    expect(cache.peek('b')).toBeUndefined();
  });
});
