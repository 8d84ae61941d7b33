import { describe, expect, it } from 'vitest';
import { createGroupCommit, type Pending } from './group-commit.js';

/** A write that records its batches and answers each request with its batch's number once released. */
function recorder() {
  const batches: { tenantId: string; requests: string[] }[] = [];
  const releases: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async (tenantId: string, batch: Pending<string, string>[]) => {
    const n = batches.push({ tenantId, requests: batch.map((p) => p.request) });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((r) => releases.push(r));
    inFlight--;
    for (const p of batch) p.resolve(`${p.request}@${n}`);
  };
  /** Lets every batch finish, the ones its finishing starts too. */
  const releaseAll = async () => {
    for (let idle = 0; idle < 3; ) {
      await new Promise((r) => setImmediate(r));
      if (releases.length) {
        releases.shift()!();
        idle = 0;
      } else idle++;
    }
  };
  return { batches, write, releaseAll, maxInFlight: () => maxInFlight };
}

describe('group commit', () => {
  it('writes what arrives in one turn together, and what arrives meanwhile in the next batch, per tenant', async () => {
    const rec = recorder();
    const gc = createGroupCommit<string, string>({ maxInFlight: 1, maxBatch: 100, write: rec.write });
    const first = ['a', 'b', 'c'].map((r) => gc.submit('t1', r));
    const other = gc.submit('t2', 'x');
    await new Promise((r) => setImmediate(r));
    const later = ['d', 'e'].map((r) => gc.submit('t1', r));
    await new Promise((r) => setImmediate(r));
    // t1's second batch waits for its first; t2 has its own.
    expect(rec.batches).toEqual([
      { tenantId: 't1', requests: ['a', 'b', 'c'] },
      { tenantId: 't2', requests: ['x'] },
    ]);
    await rec.releaseAll();
    expect(await Promise.all(first)).toEqual(['a@1', 'b@1', 'c@1']);
    expect(await other).toBe('x@2');
    expect(await Promise.all(later)).toEqual(['d@3', 'e@3']);
  });

  it('holds at most maxBatch requests a batch and maxInFlight batches a tenant', async () => {
    const rec = recorder();
    const gc = createGroupCommit<string, string>({ maxInFlight: 2, maxBatch: 2, write: rec.write });
    const all = ['a', 'b', 'c', 'd', 'e'].map((r) => gc.submit('t', r));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(rec.batches.map((b) => b.requests)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    await rec.releaseAll();
    expect(await Promise.all(all)).toEqual(['a@1', 'b@1', 'c@2', 'd@2', 'e@3']);
    expect(rec.maxInFlight()).toBe(2);
  });

  it('leaves a request its batch does not admit for a later batch', async () => {
    const rec = recorder();
    const gc = createGroupCommit<string, string>({
      maxInFlight: 1,
      maxBatch: 10,
      admit() {
        const seen = new Set<string>();
        return (r) => !seen.has(r[0]) && !!seen.add(r[0]);
      },
      write: rec.write,
    });
    const all = ['a1', 'b1', 'a2', 'a3', 'c1'].map((r) => gc.submit('t', r));
    await new Promise((r) => setImmediate(r));
    await rec.releaseAll();
    expect(await Promise.all(all)).toEqual(['a1@1', 'b1@1', 'a2@2', 'a3@3', 'c1@1']);
    expect(rec.batches.map((b) => b.requests)).toEqual([['a1', 'b1', 'c1'], ['a2'], ['a3']]);
  });

  it("takes a batch's first request even when the check turns it away, so nothing waits for ever", async () => {
    const rec = recorder();
    const gc = createGroupCommit<string, string>({ maxInFlight: 1, maxBatch: 10, admit: () => () => false, write: rec.write });
    const all = ['a', 'b'].map((r) => gc.submit('t', r));
    await new Promise((r) => setImmediate(r));
    await rec.releaseAll();
    expect(await Promise.all(all)).toEqual(['a@1', 'b@2']);
  });

  it('fails the requests a throwing write left unanswered, and goes on with the next batch', async () => {
    let calls = 0;
    const gc = createGroupCommit<string, string>({
      maxInFlight: 1,
      maxBatch: 10,
      async write(_t, batch) {
        calls++;
        if (calls === 1) {
          batch[0]!.resolve('answered');
          throw new Error('lost the connection');
        }
        for (const p of batch) p.resolve('ok');
      },
    });
    const [a, b] = [gc.submit('t', 'a'), gc.submit('t', 'b')];
    await expect(a).resolves.toBe('answered');
    await expect(b).rejects.toThrow('lost the connection');
    await expect(gc.submit('t', 'c')).resolves.toBe('ok');
  });

  it('drains once every request is answered, those answered after their batch ended too', async () => {
    let late!: () => void;
    const gc = createGroupCommit<string, string>({
      maxInFlight: 1,
      maxBatch: 10,
      async write(_t, batch) {
        for (const p of batch) {
          // 'late' is answered after its batch has ended, as a ledger write the batch sent to its own keyed write.
          if (p.request === 'late') late = () => p.resolve('late done');
          else p.resolve(`${p.request} done`);
        }
      },
    });
    await gc.drain();
    const answers: string[] = [];
    for (const r of ['a', 'late', 'b']) void gc.submit('t', r).then((a) => answers.push(a));
    let isDrained = false;
    const drained = gc.drain().then(() => {
      isDrained = true;
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(answers).toEqual(['a done', 'b done']);
    expect(isDrained).toBe(false);
    late();
    await drained;
    expect(answers).toEqual(['a done', 'b done', 'late done']);
  });
});
