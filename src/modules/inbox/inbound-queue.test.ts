import { describe, expect, it } from 'vitest';
import { createInboundQueue } from './inbound-queue.js';
import type { InboundMessage, ReceiveOutcome } from './receive-message.js';

const msg = (tenantId: string, text: string) => ({ channel: { tenantId }, text }) as unknown as InboundMessage;
const ok = (m: InboundMessage): ReceiveOutcome => ({
  status: 'accepted',
  messageId: `msg-${m.text}`,
  conversationId: 'c',
  customerId: 'x',
  isNewConversation: false,
});

describe('inbound queue', () => {
  it('stores the messages of one turn of the event loop as one batch per tenant, and what arrives meanwhile as the next', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const q = createInboundQueue(
      async (tenantId, ms) => {
        batches.push(ms.map((m) => `${tenantId}:${m.text}`));
        if (batches.length === 1) await gate;
        return ms.map(ok);
      },
      { concurrency: 1 },
    );
    const first = [q.submit(msg('t1', 'a')), q.submit(msg('t1', 'b')), q.submit(msg('t2', 'c'))];
    await new Promise((r) => setImmediate(r));
    // t1's first batch is still being stored: these wait for it and then go together.
    const later = [q.submit(msg('t1', 'd')), q.submit(msg('t1', 'e'))];
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([['t1:a', 't1:b'], ['t2:c']]);
    release();
    expect((await Promise.all([...first, ...later])).map((r) => r.messageId)).toEqual(['msg-a', 'msg-b', 'msg-c', 'msg-d', 'msg-e']);
    expect(batches).toEqual([['t1:a', 't1:b'], ['t2:c'], ['t1:d', 't1:e']]);
  });

  it('refuses only the message that failed, and every message of a batch whose store threw', async () => {
    let calls = 0;
    const q = createInboundQueue(async (_t, ms) => {
      if (++calls === 2) throw new Error('database gone');
      return ms.map((m) => (m.text === 'bad' ? new Error('bad message') : ok(m)));
    });
    const [good, bad] = await Promise.allSettled([q.submit(msg('t', 'good')), q.submit(msg('t', 'bad'))]);
    expect(good).toMatchObject({ status: 'fulfilled', value: { messageId: 'msg-good' } });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('bad message') });
    const thrown = await Promise.allSettled([q.submit(msg('t', 'x')), q.submit(msg('t', 'y'))]);
    expect(thrown.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect((await q.submit(msg('t', 'z'))).messageId).toBe('msg-z');
  });

  it('splits a large backlog into batches of at most maxBatch, and drain waits for all of them', async () => {
    const sizes: number[] = [];
    const q = createInboundQueue(
      async (_t, ms) => {
        sizes.push(ms.length);
        await new Promise((r) => setTimeout(r, 1));
        return ms.map(ok);
      },
      { maxBatch: 4, concurrency: 2 },
    );
    const all = Array.from({ length: 10 }, (_, i) => q.submit(msg('t', String(i))));
    await q.drain();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect((await Promise.all(all)).length).toBe(10);
  });
});
