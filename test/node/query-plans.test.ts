import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../worker/db/migrate';
import { openNodeDatabase } from '../../worker/node/database';
import { loadMigrations } from '../../worker/node/migrations';

/**
 * Statements that run inside the click write must not grow with tables that other tenants fill.
 * Checked on the plan SQLite chooses (EXPLAIN QUERY PLAN), not with a stopwatch: the plan is the
 * same on every machine.
 */
const dir = mkdtempSync(join(tmpdir(), 'clickback-plans-'));
let client: Client;
beforeAll(async () => {
  client = await openNodeDatabase(`file:${join(dir, 'plans.db')}`);
  await applyMigrations(client, loadMigrations());
});
afterAll(() => {
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function plan(sql: string, args: string[]): Promise<string[]> {
  return (await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })).rows.map((row) => String(row.detail));
}

describe('query plans on the click path', () => {
  it('the burst trigger finds the deliveries to withdraw by their event, not by scanning every pending delivery', async () => {
    const trigger = await client.execute(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'response_events_withdraw_webhooks'`);
    const body = /BEGIN\s+([\s\S]+?);\s*END/i.exec(String(trigger.rows[0]?.sql))?.[1];
    expect(body, 'the trigger exists and has one statement').toMatch(/^DELETE FROM webhook_deliveries/);
    const steps = await plan(body!.replace(/NEW\.id/g, '?'), ['evt_burst']);
    expect(steps.join('\n')).toContain('SEARCH webhook_deliveries USING INDEX webhook_deliveries_event_id_idx (event_id=?)');
    expect(steps.join('\n')).not.toContain('webhook_deliveries_due_idx');
    expect(steps.some((step) => step.startsWith('SCAN webhook_deliveries'))).toBe(false);
  });
});
