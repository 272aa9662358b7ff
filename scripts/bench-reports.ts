/**
 * `npm run bench:reports`: the report API and the CSV export at 100,000 and then 1,000,000
 * counted responses (issue 15).
 *
 * 1. Creates a workspace and an NPS survey in a fresh temp database, and loads responses over a
 *    year with bulk SQL inserts into `responses` (the aggregate triggers fire for every row, as
 *    for a click): 8 agents, 8 organizations × 3 projects as segment properties, answers skewed
 *    towards promoters, and messages sent (`reports_sends`) per hour and agent;
 * 2. starts the service in a CHILD process (`--serve`) and times `GET /api/v1/reports` over HTTP,
 *    one request at a time (p50/p95 of `--requests`, default 200) for a year: without groupBy,
 *    `groupBy=agent`, `groupBy=day` and `groupBy=property:organization`;
 * 3. streams the whole CSV export (`GET /api/v1/responses/export?status=all`), counting rows, and
 *    samples the server's RSS every 100 ms while it does (constant memory: the peak is reported
 *    beside the RSS before the export);
 * 4. loads the rest up to `--large` and does 2.–3. again; prints the targets: p95 ≤ 50 ms at the
 *    large size, and at most 1.5× the small size's p95.
 *
 * Options: --small N (default 100000), --large N (default 1000000), --requests N (default 200), --json.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@libsql/client';
import { createDb } from '../worker/db';
import { applyMigrations } from '../worker/db/migrate';
import { insertSurvey } from '../worker/db/surveys';
import { createWorkspace } from '../worker/db/workspaces';
import { openNodeDatabase } from '../worker/node/database';
import { loadMigrations } from '../worker/node/migrations';
import { linkPropertiesId, linkPropertiesStatements } from '../worker/services/link-properties';
import { sentimentOf } from '../schema/scales';
import { benchEnv, memoryOf, percentile, serveInChild, spawnService, stopService } from './bench-support';
import { seededRandom } from './seeded-random';

const TARGET_P95_MS = 50;
const TARGET_GROWTH = 1.5;
const DAY = 86_400_000;

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    small: { type: 'string', default: '100000' },
    large: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    json: { type: 'boolean' },
  },
});

const AGENTS = ['maria', 'luca', 'giulia', 'marco', 'sara', 'paolo', 'elena', 'davide'];
const ORGANIZATIONS = ['ACME srl', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell'];
/** NPS answers 0–10, skewed towards promoters as real NPS data is. */
const WEIGHTS = [2, 1, 1, 2, 2, 4, 6, 10, 16, 24, 32];

function say(line: string) {
  if (!args.json) console.log(line);
}

/** The server's resident memory now, in whole MiB. */
function rssMiB(pid: number): number {
  return Math.round(memoryOf(pid).rss);
}

interface Setup {
  workspaceId: string;
  apiKey: string;
  surveyId: string;
  propertySets: string[];
  yearStart: number;
  yearEnd: number;
}

async function setUp(client: Client): Promise<Setup> {
  const db = createDb(client);
  const now = new Date();
  const { workspace, apiKey } = await createWorkspace(db, 'Bench reports', now);
  const survey = await insertSurvey(db, workspace.id, { name: 'Project close', scale: 'nps', locale: null, question: 'Would you recommend us?', questionI18n: {} }, now);
  const propertySets: string[] = [];
  for (const organization of ORGANIZATIONS) {
    for (const project of ['P-1', 'P-2', 'P-3']) {
      const properties = { organization, project };
      const id = await linkPropertiesId(workspace.id, properties);
      await client.batch(linkPropertiesStatements(id, workspace.id, properties, now.getTime()), 'write');
      propertySets.push(id);
    }
  }
  const yearEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + 13 * 3_600_000 + 17 * 60_000;
  return { workspaceId: workspace.id, apiKey, surveyId: survey.id, propertySets, yearStart: yearEnd - 365 * DAY, yearEnd };
}

/** Inserts responses number `from` to `to` − 1 with bulk multi-row statements (the triggers fire per row). */
async function load(client: Client, s: Setup, from: number, to: number): Promise<number> {
  const started = performance.now();
  const next = seededRandom(from + 1);
  const cumulative = WEIGHTS.map((_, i) => WEIGHTS.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const total = cumulative.at(-1)!;
  const ROWS = 400;
  const STATEMENTS = 25;
  for (let start = from; start < to; start += ROWS * STATEMENTS) {
    const statements = [];
    for (let k = 0; k < STATEMENTS && start + k * ROWS < to; k++) {
      const first = start + k * ROWS;
      const count = Math.min(ROWS, to - first);
      const args: (string | number | null)[] = [];
      for (let i = first; i < first + count; i++) {
        const u = next() * total;
        const score = cumulative.findIndex((c) => u < c);
        const at = s.yearStart + Math.floor(next() * (s.yearEnd - s.yearStart));
        const status = next() < 0.92 ? 'counted' : next() < 0.5 ? 'pending' : 'bot';
        const sentiment = sentimentOf('nps', score);
        args.push(`rsp_bench${String(i).padStart(9, '0')}`, s.workspaceId, s.surveyId, `T-${i}`, `c${i}@example.com`, AGENTS[i % AGENTS.length]!, score, sentiment, status, at, at, s.propertySets[Math.floor(next() * s.propertySets.length)]!);
      }
      statements.push({
        sql: `INSERT INTO responses (id, workspace_id, survey_id, subject, recipient, agent, score, sentiment, status, first_answered_at, last_answered_at, properties_id)
              VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        args,
      });
    }
    await client.batch(statements, 'write');
  }
  return (performance.now() - started) / 1000;
}

/** Messages sent: one `reports_sends` row per hour and agent over the year (the triggers fill the days). */
async function loadSends(client: Client, s: Setup): Promise<void> {
  const next = seededRandom(7);
  const rows: (string | number)[][] = [];
  for (let hour = s.yearStart; hour < s.yearEnd; hour += 3_600_000) {
    for (const agent of AGENTS) rows.push([s.surveyId, Math.floor(hour / 60_000), agent, s.propertySets[Math.floor(next() * s.propertySets.length)]!, 1 + Math.floor(next() * 20)]);
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await client.execute({
      sql: `INSERT INTO reports_sends (survey_id, minute, agent, properties_id, n) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO UPDATE SET n = n + excluded.n`,
      args: chunk.flat(),
    });
  }
}

interface Timing {
  name: string;
  p50: number;
  p95: number;
}

async function timeReports(base: string, s: Setup, requests: number): Promise<Timing[]> {
  const range = `survey=${s.surveyId}&from=${new Date(s.yearStart).toISOString()}&to=${new Date(s.yearEnd).toISOString()}`;
  const cases = [
    ['year', range],
    ['year, groupBy=agent', `${range}&groupBy=agent`],
    ['year, groupBy=day', `${range}&groupBy=day`],
    ['year, groupBy=property:organization', `${range}&groupBy=property:organization`],
  ] as const;
  const out: Timing[] = [];
  for (const [name, query] of cases) {
    const times: number[] = [];
    for (let i = 0; i < requests + 5; i++) {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/reports?${query}`, { headers: { authorization: `Bearer ${s.apiKey}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.slice(0, 300)}`);
      if (i >= 5) times.push(performance.now() - started); // the first requests warm the statement cache
    }
    times.sort((a, b) => a - b);
    out.push({ name, p50: Math.round(percentile(times, 0.5) * 10) / 10, p95: Math.round(percentile(times, 0.95) * 10) / 10 });
  }
  return out;
}

async function timeExport(base: string, s: Setup, child: ChildProcess) {
  const before = rssMiB(child.pid!);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(child.pid!))), 100);
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/responses/export?survey=${s.surveyId}&status=all`, { headers: { authorization: `Bearer ${s.apiKey}` } });
  let rows = -1; // the header
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { rows, megabytes: Math.round(bytes / 1e5) / 10, seconds: Math.round(seconds * 10) / 10, rowsPerSec: Math.round(rows / seconds), rssBeforeMiB: before, rssPeakMiB: peak };
}

async function measure(dir: string, s: Setup, requests: number) {
  const env = benchEnv(dir);
  const { child, port } = await spawnService(fileURLToPath(import.meta.url), env);
  try {
    const base = `http://127.0.0.1:${port}`;
    const reports = await timeReports(base, s, requests);
    const csv = await timeExport(base, s, child);
    return { reports, export: csv };
  } finally {
    await stopService(child);
  }
}

async function main() {
  const small = Number(args.small);
  const large = Number(args.large);
  const requests = Number(args.requests);
  const dir = mkdtempSync(join(tmpdir(), 'clickback-bench-reports-'));
  const url = `file:${join(dir, 'bench.db')}`;
  try {
    let client = await openNodeDatabase(url, undefined, { thread: false });
    await applyMigrations(client, loadMigrations(resolve(fileURLToPath(new URL('../schema/migrations/', import.meta.url)))));
    const s = await setUp(client);
    await loadSends(client, s);
    const results: Record<string, unknown>[] = [];
    let loaded = 0;
    for (const size of [small, large]) {
      const seconds = await load(client, s, loaded, size);
      say(`loaded ${size - loaded} responses in ${seconds.toFixed(1)} s (${Math.round((size - loaded) / seconds)} rows/s, triggers included); total ${size}`);
      loaded = size;
      client.close();
      const measured = await measure(dir, s, requests);
      for (const t of measured.reports) say(`  ${size.toLocaleString('en')}  ${t.name.padEnd(40)} p50 ${t.p50} ms  p95 ${t.p95} ms`);
      const e = measured.export;
      say(`  ${size.toLocaleString('en')}  export: ${e.rows} rows, ${e.megabytes} MB in ${e.seconds} s (${e.rowsPerSec} rows/s); server RSS ${e.rssBeforeMiB} MiB before, peak ${e.rssPeakMiB} MiB`);
      results.push({ responses: size, ...measured });
      client = await openNodeDatabase(url, undefined, { thread: false });
    }
    client.close();
    const [a, b] = results as { reports: Timing[] }[];
    const checks = b!.reports.map((t, i) => ({ name: t.name, p95: t.p95, growth: Math.round((t.p95 / a!.reports[i]!.p95) * 100) / 100 }));
    const ok = checks.every((c) => c.p95 <= TARGET_P95_MS && c.growth <= TARGET_GROWTH);
    for (const c of checks) say(`target ${c.name}: p95 ${c.p95} ms (≤ ${TARGET_P95_MS}), ${c.growth}× the small size (≤ ${TARGET_GROWTH}) ${c.p95 <= TARGET_P95_MS && c.growth <= TARGET_GROWTH ? 'OK' : 'MISSED'}`);
    console.log(`BENCH_REPORTS ${JSON.stringify({ results, checks, ok })}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.serve) await serveInChild();
else await main();
