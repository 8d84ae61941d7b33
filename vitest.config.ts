import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each worker keeps its modules from one test file to the next instead of loading the whole app
    // again for every file (that loading was half of a run's time). Tests therefore keep no state in
    // modules: each builds its own app with startTestApp and its own tenant. Three workers on two cores,
    // because much of a run waits on the embedded database, browsers and sockets, not on the CPU.
    isolate: false,
    maxWorkers: 3,
  },
});
