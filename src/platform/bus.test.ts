import { describe, expect, it } from 'vitest';
import { createEventBus, type BusMessage } from './bus.js';

describe('event bus', () => {
  it('gives a batch subscriber every message of its types from one publish in one call, in order', async () => {
    const bus = createEventBus();
    const calls: BusMessage[][] = [];
    const single: string[] = [];
    bus.subscribeBatch(['a', 'b'], (msgs) => { calls.push(msgs); });
    bus.subscribe('a', (m) => { single.push(m.payload as string); });
    bus.publish([
      { type: 'a', tenantId: 't1', payload: '1' }, { type: 'c', tenantId: 't1', payload: 'x' },
      { type: 'b', tenantId: 't2', payload: '2' }, { type: 'a', tenantId: 't1', payload: '3' },
    ]);
    bus.publish({ type: 'c', tenantId: 't1', payload: 'y' });
    bus.publish({ type: 'a', tenantId: 't1', payload: '4' });
    await bus.drain();
    expect(calls.map((c) => c.map((m) => m.payload))).toEqual([['1', '2', '3'], ['4']]);
    expect(single).toEqual(['1', '3', '4']);
  });

  it('keeps a failing batch subscriber from blocking the others, and unsubscribes', async () => {
    const bus = createEventBus();
    const got: number[] = [];
    bus.subscribeBatch('a', () => { throw new Error('boom'); });
    const off = bus.subscribeBatch('a', (msgs) => { got.push(msgs.length); });
    bus.publish([{ type: 'a', tenantId: 't', payload: 1 }, { type: 'a', tenantId: 't', payload: 2 }]);
    await bus.drain();
    off();
    bus.publish({ type: 'a', tenantId: 't', payload: 3 });
    await bus.drain();
    expect(got).toEqual([2]);
  });
});
