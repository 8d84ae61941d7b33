import { describe, expect, it } from 'vitest';
import { createEventBus, type BusMessage } from './bus.js';

describe('event bus', () => {
  it('gives a batch subscriber every message of its types from one publish in one call, in order', async () => {
    const bus = createEventBus();
    const calls: BusMessage[][] = [];
    const single: string[] = [];
    bus.subscribeBatch(['a', 'b'], (msgs) => {
      calls.push(msgs);
    });
    bus.subscribe('a', (m) => {
      single.push(m.payload as string);
    });
    bus.publish([
      { type: 'a', tenantId: 't1', payload: '1' },
      { type: 'c', tenantId: 't1', payload: 'x' },
      { type: 'b', tenantId: 't2', payload: '2' },
      { type: 'a', tenantId: 't1', payload: '3' },
    ]);
    bus.publish({ type: 'c', tenantId: 't1', payload: 'y' });
    bus.publish({ type: 'a', tenantId: 't1', payload: '4' });
    await bus.drain();
    expect(calls.map((c) => c.map((m) => m.payload))).toEqual([['1', '2', '3'], ['4']]);
    expect(single).toEqual(['1', '3', '4']);
  });

  it('calls a batch subscriber one call at a time: what is published meanwhile comes together in the next call', async () => {
    const bus = createEventBus();
    const calls: string[][] = [];
    let inCall = 0,
      most = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    bus.subscribeBatch('a', async (msgs) => {
      most = Math.max(most, ++inCall);
      calls.push(msgs.map((m) => m.payload as string));
      if (calls.length === 1) await gate;
      inCall--;
    });
    bus.publish({ type: 'a', tenantId: 't1', payload: '1' });
    await new Promise((r) => setImmediate(r));
    for (const p of ['2', '3', '4']) bus.publish({ type: 'a', tenantId: 't1', payload: p });
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([['1']]);
    release();
    await bus.drain();
    expect(calls).toEqual([['1'], ['2', '3', '4']]);
    expect(most).toBe(1);
    // Idle again: the next publish is its own call at once.
    bus.publish({ type: 'a', tenantId: 't1', payload: '5' });
    await bus.drain();
    expect(calls.at(-1)).toEqual(['5']);
  });

  it('keeps a failing batch subscriber from blocking the others, and unsubscribes', async () => {
    const bus = createEventBus();
    const got: number[] = [];
    bus.subscribeBatch('a', () => {
      throw new Error('boom');
    });
    const off = bus.subscribeBatch('a', (msgs) => {
      got.push(msgs.length);
    });
    bus.publish([
      { type: 'a', tenantId: 't', payload: 1 },
      { type: 'a', tenantId: 't', payload: 2 },
    ]);
    await bus.drain();
    off();
    bus.publish({ type: 'a', tenantId: 't', payload: 3 });
    await bus.drain();
    expect(got).toEqual([2]);
  });

  it('runs subscribers after publish returns, in order, and drain waits for the slow ones', async () => {
    const bus = createEventBus();
    const seen: string[] = [];
    bus.subscribe('event.purchase', (m) => {
      seen.push(`p:${(m.payload as { n: number }).n}`);
    });
    bus.subscribe('*', async (m) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`*:${m.type}`);
    });
    bus.publish([
      { type: 'event.purchase', tenantId: 't', payload: { n: 1 } },
      { type: 'event.page_view', tenantId: 't', payload: { n: 2 } },
    ]);
    expect(seen).toEqual([]);
    await bus.drain();
    expect(seen).toEqual(['p:1', '*:event.purchase', '*:event.page_view']);
  });

  it('keeps going when a subscriber throws or rejects, and logs each failure', async () => {
    const errors: string[] = [];
    const log = { error: (o: { err: string }) => errors.push(o.err) } as unknown as Parameters<typeof createEventBus>[0];
    const bus = createEventBus(log);
    const ok: number[] = [];
    bus.subscribe('x', () => {
      throw new Error('sync boom');
    });
    bus.subscribe('x', async () => {
      throw new Error('async boom');
    });
    bus.subscribe('x', (m) => {
      ok.push(m.payload as number);
    });
    bus.publish([
      { type: 'x', tenantId: 't', payload: 1 },
      { type: 'x', tenantId: 't', payload: 2 },
    ]);
    await bus.drain();
    expect(ok).toEqual([1, 2]);
    expect(errors.sort()).toEqual(['async boom', 'async boom', 'sync boom', 'sync boom']);
  });

  it('stops calling a subscriber once it unsubscribes', async () => {
    const bus = createEventBus();
    let n = 0;
    const off = bus.subscribe('x', () => {
      n++;
    });
    bus.publish({ type: 'x', tenantId: 't', payload: null });
    await bus.drain();
    off();
    bus.publish({ type: 'x', tenantId: 't', payload: null });
    await bus.drain();
    expect(n).toBe(1);
  });
});
