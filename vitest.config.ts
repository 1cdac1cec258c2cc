import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: 'shared', include: ['test/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'signal-server', root: 'signal-server', include: ['test/**/*.test.ts'], environment: 'node', testTimeout: 20_000 } },
      { test: { name: 'web', root: 'web', include: ['test/**/*.test.ts'], environment: 'node' } },
    ],
  },
});
