import type { TestProject } from 'vitest/node';
import { startLibsqlHttpServer } from '../support/libsql-http-server';

/**
 * Runs in Node before the workerd tests: starts the test-only libSQL HTTP endpoint, so the Worker
 * reaches its database over HTTP with `@libsql/client/web`, exactly as it reaches Turso.
 */
export default async function setup(project: TestProject) {
  const server = await startLibsqlHttpServer();
  project.provide('hranaUrl', server.url);
  return async function teardown() {
    await server.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    hranaUrl: string;
  }
}
