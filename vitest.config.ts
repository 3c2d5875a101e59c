import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forks, not threads: unit tests set the process umask and tests send signals to children, which a worker thread
    // cannot do; a crashing child or a stray listener stays in its own process.
    pool: 'forks',
    // Each worker imports src, the SDK and the emulator once for all its files, instead of once per file (that import
    // was about 40% of the suite's time). Safe because no test leaves global state behind: runs get their own emulator,
    // config dir and streams, and the few global patches (fetch, fake Date) are undone in after-hooks.
    isolate: false,
    // vitest's default on 2 cores is 1 worker; the tests wait on sockets and child processes often enough for 2 to pay.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Hang guards only, far above any test's run time on a loaded machine; no test asserts a duration.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
