import { defineConfig } from 'vitest/config';

/** Node: unit tests, the contract suite over real HTTP, the CLI and the build checks. */
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    name: 'node',
    include: ['test/node/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/support/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
