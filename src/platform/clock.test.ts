import { describe, expect, it } from 'vitest';
import { createTestClock } from './clock.js';

describe('test clock', () => {
  it('starts at the named instant and jumps on set and advance', () => {
    const clock = createTestClock('2027-03-31T23:59:00Z', { frozen: true });
    expect(clock.now().toISOString()).toBe('2027-03-31T23:59:00.000Z');
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2027-04-01T00:00:00.000Z');
    clock.set('2028-02-29T12:00:00Z');
    expect(clock.now().toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it('moves on from the named instant when not frozen, never backwards', async () => {
    const clock = createTestClock('2027-01-01T00:00:00Z');
    const a = clock.now().getTime();
    await new Promise((r) => setTimeout(r, 20));
    const b = clock.now().getTime();
    expect(a).toBeGreaterThanOrEqual(Date.parse('2027-01-01T00:00:00Z'));
    expect(b - a).toBeGreaterThanOrEqual(15);
    expect(b - a).toBeLessThan(60_000);
  });

  it('refuses an instant that is not one', () => {
    expect(() => createTestClock('yesterday')).toThrow(/not an instant/);
  });
});
