import type { TestProject } from 'vitest/node';
import { startHranaServer } from '../support/hrana-server';
import { startWebhookReceiver } from '../support/webhook-receiver';

/**
 * Runs in Node before the workerd tests: starts the test-only Hrana (libSQL HTTP) server, so the
 * Worker reaches its database over HTTP with `@libsql/client/web`, exactly as it reaches Turso.
 */
export default async function setup(project: TestProject) {
  const server = await startHranaServer();
  const receiver = await startWebhookReceiver();
  project.provide('hranaUrl', server.url);
  project.provide('receiverUrl', receiver.url);
  return async function teardown() {
    await receiver.close();
    await server.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    hranaUrl: string;
    /** The test webhook receiver (a real HTTP server in Node). */
    receiverUrl: string;
  }
}
