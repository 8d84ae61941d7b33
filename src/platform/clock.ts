// The one clock. Every product decision about "now" (is it due, has it expired, which period is this)
// reads it, so that a test can say which instant it runs at and move time for the code and for the SQL
// it parameterises alike. Nothing else in src reads the wall clock for a decision.

export interface Clock {
  now(): Date;
}

/** The wall clock, for the CLI and benchmarks. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that can be held at an instant and released. Only the demo seeder does this, on a node that is
 * not yet serving, so that history it writes through the modules' own doors (an agent's answer, a
 * resolution) is dated when it happened instead of all at start-up.
 */
export interface PinnableClock extends Clock {
  pin(at: Date | undefined): void;
}

/** The wall clock of `rapport start`: pinnable while the demo is seeded, the wall clock otherwise. */
export function createSystemClock(): PinnableClock {
  let pinned: Date | undefined;
  return {
    now: () => (pinned ? new Date(pinned) : new Date()),
    pin: (at) => {
      pinned = at;
    },
  };
}

export const isPinnable = (clock: Clock): clock is PinnableClock => typeof (clock as Partial<PinnableClock>).pin === 'function';

/**
 * A clock that a test controls: it starts at the instant the test names and, unless frozen, moves on at
 * the pace of real (monotonic) time from there, so ordering by time still works; `set` and `advance` jump.
 */
export interface TestClock extends PinnableClock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function createTestClock(start: Date | string, opts: { frozen?: boolean } = {}): TestClock {
  let origin = new Date(start).getTime();
  if (Number.isNaN(origin)) throw new Error(`not an instant: ${String(start)}`);
  let setAt = performance.now();
  const elapsed = () => (opts.frozen ? 0 : performance.now() - setAt);
  let pinned: Date | undefined;
  return {
    now: () => (pinned ? new Date(pinned) : new Date(origin + Math.floor(elapsed()))),
    pin(at) {
      pinned = at;
    },
    set(at) {
      origin = new Date(at).getTime();
      setAt = performance.now();
    },
    advance(ms) {
      origin += ms;
    },
  };
}
