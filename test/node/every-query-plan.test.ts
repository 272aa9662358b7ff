import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, InArgs, InStatement } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { captureContract } from '../contract/capture.contract';
import { followUpsContract } from '../contract/followups.contract';
import { followUpsAppContract } from '../contract/followups-app.contract';
import { humansContract } from '../contract/humans.contract';
import { privacyContract } from '../contract/privacy.contract';
import { SNIPPET_SUITE_ENV, snippetContract } from '../contract/snippets.contract';
import { stuffingContract } from '../contract/stuffing.contract';
import { teamAppContract } from '../contract/team-app.contract';
import { webhooksContract } from '../contract/webhooks.contract';
import { applyMigrations } from '../../worker/db/migrate';
import { openNodeDatabase } from '../../worker/node/database';
import { loadMigrations } from '../../worker/node/migrations';
import { startNodeHarness } from './harness';

/**
 * Every statement the service sends while the contract suites run (clicks, pages, comments,
 * the API, snippets, webhook dispatch, the team app, follow-ups and their pages) is explained, and none may scan a table that grows with
 * use: a tenant's request must not slow down as other tenants' data grows. The statements are
 * recorded on the server's own database client; the plans are read from a fresh database with
 * the same migrations (SQLite plans from the schema: there are no statistics).
 *
 * This catches full scans. An index search that still walks every row of a tenant or every
 * pending delivery is a question of which index, checked where it mattered in
 * `query-plans.test.ts`.
 */
const recorded = new Map<string, InArgs>();

function record(client: Client): void {
  const execute = client.execute.bind(client);
  const batch = client.batch.bind(client);
  const keep = (statement: InStatement) => {
    const { sql, args } = typeof statement === 'string' ? { sql: statement, args: [] } : statement;
    if (!recorded.has(sql)) recorded.set(sql, args ?? []);
  };
  client.execute = ((statement: InStatement) => (keep(statement), execute(statement))) as Client['execute'];
  client.batch = ((statements: InStatement[], mode) => (statements.forEach(keep), batch(statements, mode))) as Client['batch'];
}

const recording = async (env: Record<string, string> = {}) => {
  const h = await startNodeHarness(env);
  record(h.db.$client);
  return h;
};

captureContract(() => recording());
privacyContract((env) => recording(env));
humansContract(() => recording({ TRUST_PROXY: '1' }));
snippetContract(() => recording(SNIPPET_SUITE_ENV));
webhooksContract(() => recording({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));
// A short flood: its statements are the caps' own, whatever the number of requests.
stuffingContract((env) => recording({ TRUST_PROXY: '1', ...env }), { floodRequests: 200, floodConcurrency: 8 });
teamAppContract((env) => recording(env));
followUpsContract(() => recording({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));
followUpsAppContract(() => recording({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));

/** Tables that stay small whatever the traffic (one row per migration), which a scan may read. */
const SMALL_TABLES = new Set(['_migrations']);
/** Statements that read a whole table on purpose, and never on a request: the first start's check. */
const WHOLE_TABLE_ON_PURPOSE = [/^SELECT count\(\*\) FROM workspaces/i];

describe('every statement of the contract suites', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickback-every-plan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('searches every table it reads by an index', async () => {
    const planner = await openNodeDatabase(`file:${join(dir, 'plans.db')}`);
    try {
      await applyMigrations(planner, loadMigrations());
      const tables = new Set((await planner.execute(`SELECT name FROM sqlite_master WHERE type = 'table'`)).rows.map((row) => String(row.name)));
      const scans: string[] = [];
      expect(recorded.size).toBeGreaterThan(50);
      for (const [sql, args] of recorded) {
        if (!/^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)\b/i.test(sql) || WHOLE_TABLE_ON_PURPOSE.some((pattern) => pattern.test(sql.trim()))) continue;
        const steps = (await planner.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })).rows.map((row) => String(row.detail));
        // "SCAN <name>" names the table or its alias; an alias is resolved through the statement's FROM/JOIN.
        for (const step of steps) {
          const name = /^SCAN (\w+)(?! VIRTUAL)/.exec(step)?.[1];
          if (!name || /^\d+$/.test(name)) continue;
          const table = tables.has(name) ? name : new RegExp(`\\b(\\w+)\\s+(?:AS\\s+)?${name}\\b`, 'i').exec(sql.replace(/\s+/g, ' '))?.[1];
          if (table && tables.has(table) && !SMALL_TABLES.has(table)) scans.push(`${step} — ${sql.replace(/\s+/g, ' ').slice(0, 140)}`);
        }
      }
      expect(scans).toEqual([]);
    } finally {
      planner.close();
    }
  });
});
