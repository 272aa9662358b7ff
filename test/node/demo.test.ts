import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../worker/entry-node';
import { formatScore } from '../../worker/pages/app/report-pages';
import { testKeys } from '../contract/keys';
import { rawFetch } from './harness';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'clickback-demo-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'demo.db')}`, PUBLIC_URL: 'http://localhost:8787', ...testKeys() };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function demo(...args: string[]) {
  return run(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/demo.ts'), ...args], { cwd: dir, env });
}

interface Summary {
  workspaceId: string;
  setupUrl: string;
  dashboardUrl: string;
  clicks: number;
  surveys: { id: string; name: string; scale: string; messages: number; clicks: number; comments: number }[];
}

/**
 * `npm run demo` on a temp database at a small volume: it writes through the click path (the
 * robots and the waiting clicks are classified as the service classifies them), prints a setup
 * link that opens the team app, and the dashboard shows the numbers a recount of the database
 * gives. It refuses to run beside the service.
 */
describe('npm run demo', () => {
  it('happy path: fills a workspace whose dashboard shows its numbers; refuses while the service runs', async () => {
    const { stdout } = await demo('--volume', '0.03', '--days', '60', '--json');
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.surveys.map((s) => s.scale)).toEqual(['csat3', 'nps', 'ces7']);
    expect(summary.clicks).toBeGreaterThan(100);
    expect(summary.dashboardUrl).toBe('http://localhost:8787/app/reports');

    const server = await startNodeServer({ env, port: 0, log: () => {}, dispatchIntervalMs: 0, maintenanceIntervalMs: 0, devKeysFile: join(dir, 'keys.json') });
    try {
      const refused = await demo('--volume', '0.01').then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toMatch(/demo: the service is running on .*demo\.db/);

      // Every status the service makes of real traffic is there: counted, waiting, robots (a listed network, a burst).
      const client = server.db.$client;
      const statuses = (await client.execute({ sql: 'SELECT status, count(*) AS n FROM responses WHERE workspace_id = ? GROUP BY status', args: [summary.workspaceId] })).rows;
      expect(new Set(statuses.map((r) => r.status))).toEqual(new Set(['counted', 'pending', 'bot']));
      const reasons = (await client.execute({ sql: `SELECT DISTINCT e.reason FROM response_events e JOIN responses r ON r.id = e.response_id WHERE r.workspace_id = ? AND e.status = 'bot'`, args: [summary.workspaceId] })).rows.map((r) => String(r.reason));
      expect(reasons.some((r) => r.startsWith('network:microsoft')), reasons.join('\n')).toBe(true);
      expect(reasons.some((r) => r.startsWith('burst:')), reasons.join('\n')).toBe(true);
      const comments = (await client.execute({ sql: 'SELECT comment FROM responses WHERE workspace_id = ? AND comment IS NOT NULL', args: [summary.workspaceId] })).rows.map((r) => String(r.comment));
      expect(comments.some((c) => /grazie|risolto|operatore|ticket/i.test(c))).toBe(true);
      expect(comments.some((c) => /thank|solved|answer/i.test(c))).toBe(true);

      // The setup link opens the team app; the dashboard of the ticket survey over the whole range.
      const setup = await rawFetch(`${server.url}${new URL(summary.setupUrl).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ name: 'Dee Demo', email: 'dee@example.com', password: 'correct horse battery' }).toString(),
      });
      expect(setup.status, await setup.text()).toBe(303);
      const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
      const csat = summary.surveys[0]!;
      const now = Date.now();
      const from = new Date(now - 70 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(now + 86_400_000).toISOString().slice(0, 10);
      const res = await rawFetch(`${server.url}/app/reports/${csat.id}?period=custom&from=${from}&to=${to}`, { headers: { cookie } });
      const page = await res.text();
      expect(res.status, page.slice(0, 2000)).toBe(200);
      const [row] = (
        await client.execute({
          sql: `SELECT sum(status = 'counted') AS counted, sum(status = 'pending') AS pending, sum(status = 'bot') AS bot, sum(status = 'counted' AND score = 3) AS top FROM responses WHERE survey_id = ?`,
          args: [csat.id],
        })
      ).rows;
      const counted = Number(row!.counted);
      expect(counted).toBeGreaterThan(50);
      const text = page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(text).toContain(`Counted ${counted.toLocaleString('en-GB')}`);
      expect(text).toContain(`CSAT ${formatScore('en', 'csat', (Number(row!.top) / counted) * 100)}`);
      expect(text).toMatch(new RegExp(`Not counted: ${row!.pending} waiting for a person ?, ${row!.bot} robot click`));
      for (const agent of ['Maria Rossi', 'Marco Ferrari']) expect(page).toContain(`>${agent}</a>`);
      expect(text).toContain('Europe/Rome');
      // The NPS survey's links carry organization and project: its dashboard groups by them.
      const nps = summary.surveys[1]!;
      const byOrg = await rawFetch(`${server.url}/app/reports/${nps.id}?period=custom&from=${from}&to=${to}&property=organization`, { headers: { cookie } });
      const orgPage = await byOrg.text();
      expect(byOrg.status, orgPage.slice(0, 2000)).toBe(200);
      expect(orgPage).toContain('<option value="project">');
      expect(orgPage).toMatch(/>(ACME srl|Globex SpA|Initech Ltd|Umbrella GmbH|Stark Industries|Wayne Enterprises)<\/a>/);
    } finally {
      await server.close();
    }
  });
});
