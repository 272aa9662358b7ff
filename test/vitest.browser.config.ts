import { defineConfig } from 'vitest/config';

/** Real browser: Debian's Chromium driven by playwright-core against the Node server. */
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
