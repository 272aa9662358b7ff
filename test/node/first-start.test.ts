import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../worker/entry-node';
import { testKeys } from '../contract/keys';
import { rawFetch } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'clickback-first-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm start` on an empty database: what it prints, and that the setup link opens the team app. */
describe('npm start (first start)', () => {
  const env = { DATABASE_URL: `file:${join(dir, 'first.db')}`, PUBLIC_URL: 'http://localhost:8787', ...testKeys() };

  async function start() {
    const lines: string[] = [];
    const server = await startNodeServer({ env, port: 0, bootstrap: true, log: (line) => lines.push(line), dispatchIntervalMs: 0, maintenanceIntervalMs: 0, devKeysFile: join(dir, 'keys.json') });
    return { server, output: lines.join('\n') };
  }

  it('happy path: prints the API key and a one-time setup link; after the owner set up, later starts print neither', async () => {
    const first = await start();
    let setupPath: string;
    try {
      expect(first.output).toMatch(/cbk_[A-Z2-7a-z0-9]+/i);
      const link = /(http:\/\/localhost:8787\/app\/setup\/[A-Za-z0-9_-]{43})/.exec(first.output)?.[1];
      expect(link, first.output).toBeDefined();
      setupPath = new URL(link!).pathname;
      const res = await rawFetch(`${first.server.url}${setupPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: first.server.url },
        body: new URLSearchParams({ name: 'Olivia', email: 'olivia@example.com', password: 'correct horse battery' }).toString(),
      });
      expect(res.status, await res.text()).toBe(303);
      expect(res.headers.get('set-cookie')).toMatch(/^cb_session=/);
    } finally {
      await first.server.close();
    }
    const second = await start();
    try {
      expect(second.output).not.toContain('/app/setup/');
      expect(second.output).not.toContain('cbk_');
    } finally {
      await second.server.close();
    }
  });

  it('while nobody has set up an account (an expired link, an install from before the team app), each start prints a new link', async () => {
    const other = { ...env, DATABASE_URL: `file:${join(dir, 'unused.db')}` };
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const lines: string[] = [];
      const server = await startNodeServer({ env: other, port: 0, bootstrap: true, log: (line) => lines.push(line), dispatchIntervalMs: 0, maintenanceIntervalMs: 0, devKeysFile: join(dir, 'keys.json') });
      await server.close();
      outputs.push(lines.join('\n'));
    }
    const links = outputs.map((o) => /\/app\/setup\/([A-Za-z0-9_-]{43})/.exec(o)?.[1]);
    expect(links[0]).toBeDefined();
    expect(links[1]).toBeDefined();
    expect(links[1]).not.toBe(links[0]);
    expect(outputs[1]).not.toContain('cbk_');
  });
});
