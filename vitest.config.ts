import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One test file at a time: the mesh simulations and the server load/fuzz tests run on real time
    // (crypto, sockets), and on a 2-core machine two of them side by side starve each other.
    maxWorkers: 1,
    projects: [
      { test: { name: 'shared', root: 'shared', include: ['test/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'signal-server', root: 'signal-server', include: ['test/**/*.test.ts'], environment: 'node', testTimeout: 20_000 } },
      // Component tests (*.test.tsx) choose happy-dom per file with a `@vitest-environment` comment.
      { test: { name: 'web', root: 'web', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], environment: 'node' } },
      { test: { name: 'peer', root: 'peer', include: ['test/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
    ],
  },
});
