import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, InArgs, InStatement } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../worker/db';
import { applyMigrations } from '../../worker/db/migrate';
import { listResponses, pruneQueuedVoteReceipts, queuedVoteState, type ResponseFilters, upsertVotes, type VoteInput } from '../../worker/db/responses';
import { type CellKey, scanStatement } from '../../worker/db/reports';
import { claimDeliveries, nextDueAt } from '../../worker/db/webhooks';
import { classifyClick } from '../../worker/lib/classify';
import type { RequestSignals } from '../../worker/lib/signals';
import { openNodeDatabase } from '../../worker/node/database';
import { loadMigrations } from '../../worker/node/migrations';

/**
 * Statements that run inside the click write must not grow with tables that other tenants fill.
 * Checked on the plan SQLite chooses (EXPLAIN QUERY PLAN), not with a stopwatch: the plan is the
 * same on every machine.
 */
const dir = mkdtempSync(join(tmpdir(), 'clickback-plans-'));
let client: Client;
/** A second connection for EXPLAIN: the engine keeps an explained statement open, which would hold up the next commit on its connection. */
let planner: Client;
beforeAll(async () => {
  client = await openNodeDatabase(`file:${join(dir, 'plans.db')}`);
  await applyMigrations(client, loadMigrations());
  planner = await openNodeDatabase(`file:${join(dir, 'plans.db')}`);
});
afterAll(() => {
  planner.close();
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function plan(sql: string, args: InArgs): Promise<string[]> {
  return (await planner.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })).rows.map((row) => String(row.detail));
}

/** The statements of one click write for `n` votes, as `upsertVotes` hands them to the client. */
async function clickWrite(n: number, options: { queued?: boolean } = {}): Promise<{ sql: string; args: unknown[] }[]> {
  let statements: { sql: string; args: unknown[] }[] = [];
  const capture = {
    $client: {
      batch: async (s: typeof statements) => ((statements = s), s.map(() => ({ rows: [], rowsAffected: 0 }))),
      execute: async (s: (typeof statements)[number]) => (statements.push(s), { rows: [], rowsAffected: 0 }),
    },
  } as unknown as Db;
  const signals: RequestSignals = { method: 'GET', userAgent: 'Mozilla/5.0 (Macintosh) Chrome/131.0.0.0 Safari/537.36', acceptLanguage: 'en', secFetch: null, ipPrefix: null, asn: null, asOrganization: null, country: null };
  const votes = Array.from({ length: n }, (_, i): VoteInput => ({
    workspaceId: 'ws_plans', surveyId: 'sv_plans', scale: 'nps', subject: `T-${i}`, recipient: `r${i}@example.com`, agent: null, score: 3, sentiment: 'negative',
    signals, classification: classifyClick(signals), answers: 11, at: Date.now(), settle: { voteMs: 6000, negativeMs: 60000 },
    // Every other vote came through a signature link, so the round carries the caps statement too.
    cap: i % 2 ? { linkId: `sl_plans${i}`, day: 20_000, network: 'net:192.0.2.0/24', browser: i % 4 === 1 ? 'browser:plans' : null, perNetwork: 20, perBrowser: 3 } : null,
    // A vote from the queue (after a database outage) carries its event id and gets a receipt.
    ...(options.queued ? { queuedEventId: `evt_plans${String(i).padStart(12, '0')}` } : {}),
  }));
  await upsertVotes(capture, votes);
  if (options.queued) {
    // What the consumer reads when a queued write is refused, and the Cron Trigger's pruning.
    await queuedVoteState(capture, votes[0]!);
    await pruneQueuedVoteReceipts(capture, Date.now());
  }
  return statements;
}

describe('query plans on the click path', () => {
  it('the click write searches every table by an index and scans none', async () => {
    // A scan may read the statement's own rows (VALUES, its CTEs, an endpoint's json_each) and
    // nothing else: a table, under its name or an alias, is always searched.
    const ownRows = /^SCAN (\d+ CONSTANT ROWS|\w+ VIRTUAL TABLE INDEX|[vtcdwx]$)/;
    for (const statement of await clickWrite(20)) {
      const steps = await plan(statement.sql, statement.args as InArgs);
      const scans = steps.filter((step) => step.startsWith('SCAN ') && !ownRows.test(step));
      expect(scans, statement.sql.slice(0, 80)).toEqual([]);
    }
  });

  it('the write of queued votes (its receipts, the check of a later click) and their pruning scan no table', async () => {
    const ownRows = /^SCAN (\d+ CONSTANT ROWS|CONSTANT ROW|\w+ VIRTUAL TABLE INDEX|[vtcdwx]$)/;
    const statements = await clickWrite(4, { queued: true });
    expect(statements.filter((statement) => statement.sql.includes('queued_votes'))).toHaveLength(3);
    for (const statement of statements) {
      const steps = await plan(statement.sql, statement.args as InArgs);
      const scans = steps.filter((step) => step.startsWith('SCAN ') && !ownRows.test(step));
      expect(scans, `${statement.sql.slice(0, 80)}: ${steps.join(' | ')}`).toEqual([]);
    }
  });

  it("after a robot is found, the click write reads the response's last standing vote event by its index, newest first, without a sort", async () => {
    const derive = (await clickWrite(20)).find((statement) => /UPDATE responses SET/.test(statement.sql))!;
    const steps = await plan(derive.sql, derive.args as InArgs);
    const events = steps.indexOf('SEARCH ev USING INDEX webhook_events_response_id_idx (response_id=?)');
    expect(events, steps.join('\n')).toBeGreaterThanOrEqual(0);
    // The index holds (response_id, rowid): the newest comes first, no sort of the response's events.
    expect(steps[events + 1], steps.join('\n')).not.toMatch(/TEMP B-TREE/);
    expect(steps).toContain('SEARCH wd USING COVERING INDEX webhook_deliveries_event_id_idx (event_id=?)');
  });

  it('the burst trigger finds the deliveries to withdraw by their event, not by scanning every pending delivery', async () => {
    const body = await triggerBody('response_events_withdraw_webhooks');
    expect(body, 'the trigger exists and has one statement').toMatch(/^DELETE FROM webhook_deliveries/);
    const steps = await plan(body.replace(/NEW\.id/g, '?'), ['evt_burst']);
    expect(steps.join('\n')).toContain('SEARCH webhook_deliveries USING INDEX webhook_deliveries_event_id_idx (event_id=?)');
    expect(steps.join('\n')).not.toContain('webhook_deliveries_due_idx');
    expect(steps.some((step) => step.startsWith('SCAN webhook_deliveries'))).toBe(false);
  });

  it("the burst trigger finds the vote events queued after a robot's counted click by the response, and marks it by its key", async () => {
    const [, later, mark] = (await triggerBody('response_events_withdraw_webhooks')).split(/;\s*\n\s*/);
    expect(later, 'the vote events queued after the click').toMatch(/^DELETE FROM webhook_deliveries/);
    // NEW.* and OLD.* as parameters, in the order they appear.
    const bound = (statement: string) => statement.replace(/(NEW|OLD)\.\w+/g, '?');
    const laterSteps = (await plan(bound(later!), ['counted', 'rsp_x', 1])).join('\n');
    expect(laterSteps).toContain('SEARCH webhook_events USING INDEX webhook_events_response_id_idx (response_id=?)');
    expect(laterSteps).toContain('SEARCH webhook_deliveries USING INDEX webhook_deliveries_event_id_idx (event_id=?)');
    expect(laterSteps).not.toMatch(/^SCAN /m);
    expect(mark).toMatch(/^UPDATE responses SET compare_standing = 1/);
    expect((await plan(bound(mark!), ['rsp_x', 'counted'])).join('\n')).toContain('SEARCH responses USING INDEX sqlite_autoindex_responses_1 (id=?)');
  });
});

/** The one statement of a trigger, as stored. */
async function triggerBody(name: string): Promise<string> {
  const trigger = await planner.execute({ sql: `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, args: [name] });
  return /BEGIN\s+([\s\S]+?);\s*END/i.exec(String(trigger.rows[0]?.sql))?.[1] ?? '';
}

/** A Db whose every statement (alone or in a batch) is recorded on its way to the client. */
function recordingDb(): { db: Db; recorded: InStatement[] } {
  const recorded: InStatement[] = [];
  const recording = new Proxy(client, {
    get(target, name) {
      if (name === 'execute') return (statement: InStatement) => (recorded.push(statement), target.execute(statement));
      if (name === 'batch') return (statements: InStatement[], mode: 'write') => (recorded.push(...statements), target.batch(statements, mode));
      const value = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: createDb(recording), recorded };
}

/** The plan of a recorded statement, one step per line. */
async function planOf(statement: InStatement | undefined): Promise<string> {
  const { sql, args } = statement as { sql: string; args: InArgs };
  return (await plan(sql, args)).join('\n');
}

describe('query plans of the API', () => {
  it('every filter of the response listing seeks its own index, in the order of the page', async () => {
    const { db, recorded } = recordingDb();
    const page = { limit: 50, after: { firstAnsweredAt: 1_800_000_000_000, id: 'rsp_x' } };
    const cases: [ResponseFilters, string][] = [
      [{ limit: 50 }, 'responses_workspace_id_idx (workspace_id=?)'],
      [{ ...page, since: 1_700_000_000_000 }, 'responses_workspace_id_idx (workspace_id=? AND first_answered_at'],
      [{ ...page, surveyId: 'sv_x' }, 'responses_survey_id_idx (survey_id=?'],
      [{ ...page, subject: 'T-1' }, 'responses_subject_idx (workspace_id=? AND subject=?'],
      [{ ...page, recipient: 'a@example.com' }, 'responses_recipient_idx (workspace_id=? AND recipient=?'],
    ];
    for (const [filters, index] of cases) {
      await listResponses(db, 'ws_x', filters);
      const steps = await planOf(recorded.at(-1));
      expect(steps, JSON.stringify(filters)).toContain(`SEARCH responses USING INDEX ${index}`);
      expect(steps, JSON.stringify(filters)).not.toContain('TEMP B-TREE');
    }
  });
});

describe('query plans of reports', () => {
  it("the partial days at a period's edges are read from the survey's index alone, never from the rows", async () => {
    const edges = [
      { from: Date.UTC(2026, 0, 1, 13), to: Date.UTC(2026, 0, 2), day: 20454 },
      { from: Date.UTC(2026, 11, 1), to: Date.UTC(2026, 11, 1, 13), day: 20788 },
    ];
    const keys: CellKey[] = [{ by: 'none' }, { by: 'agent' }, { by: 'day' }, { by: 'property', name: 'organization' }];
    for (const key of keys) {
      for (const filters of [{ surveyId: 'sv_plans' }, { surveyId: 'sv_plans', agent: 'maria' }, { surveyId: 'sv_plans', property: { name: 'project', value: 'P-1' } }]) {
        const statement = scanStatement(filters, key, edges) as { sql: string; args: InArgs };
        const steps = (await plan(statement.sql, statement.args)).filter((step) => / r /.test(` ${step} `) || step.includes('responses'));
        expect(steps.length, statement.sql).toBeGreaterThan(0);
        for (const step of steps) expect(step, statement.sql).toMatch(/^SEARCH r USING COVERING INDEX responses_survey_id_idx \(survey_id=\? AND first_answered_at>\? AND first_answered_at<\?\)$/);
      }
    }
  });
});

describe('query plans of webhook dispatch', () => {
  // Pending deliveries pile up while a receiver is down (100,000 is a day of a busy workspace):
  // what runs every second, or on every claim, must not read them all.
  it('the claim and the due-time check read what they need by index, never every pending delivery', async () => {
    const { db, recorded } = recordingDb();
    await claimDeliveries(db, { now: 1, leaseUntil: 2, maxSteps: 8, limit: 50, owner: 'clm_x' });
    await nextDueAt(db);
    expect(recorded).toHaveLength(4);
    for (const statement of recorded) {
      const steps = await planOf(statement);
      expect(steps, (statement as { sql: string }).sql.slice(0, 60)).not.toMatch(/^SCAN (webhook_deliveries|d)\b/m);
    }
    // A paused endpoint's backlog is held: outside the range the claim seeks. Pausing or resuming
    // an endpoint reaches its deliveries through the endpoint index, whatever other endpoints hold.
    const hold = await triggerBody('webhook_endpoints_hold_deliveries');
    expect(hold, 'the trigger exists and has one statement').toMatch(/^UPDATE webhook_deliveries SET held/);
    expect((await plan(hold.replace(/NEW\.(id|status)/g, '?'), ['paused', 'wh_x'])).join('\n')).toContain('SEARCH webhook_deliveries USING INDEX webhook_deliveries_endpoint_id_idx (endpoint_id=?)');
    expect(await planOf(recorded[1])).toContain('SEARCH d USING INDEX webhook_deliveries_due_idx (status=? AND held=? AND next_attempt_at<?)');
    expect(await planOf(recorded[2])).toContain('SEARCH d USING INDEX webhook_deliveries_claimed_idx (claimed_by=?)');
    // The first due delivery in index order, not an aggregate over all of them.
    expect(await planOf(recorded[3])).toContain('USING INDEX webhook_deliveries_due_idx (status=? AND held=? AND next_attempt_at>?)');
    expect(await planOf(recorded[3])).not.toContain('TEMP B-TREE');
  });
});
