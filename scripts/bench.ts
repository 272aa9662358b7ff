/**
 * `npm run bench`: click throughput of the capture path on Node with the embedded database.
 *
 * 1. Starts the service in a CHILD process (`--serve` mode of this file) on a fresh temp database,
 *    so the load generator does not share the server's event loop;
 * 2. mints N distinct links (one message each, so every click creates a response);
 * 3. runs autocannon against `/healthz` (answers without touching the database: the ceiling of
 *    this server and machine), then clicks every link exactly once at the same concurrency;
 * 4. prints clicks/s, p50/p99 latency, the server's peak RSS (VmHWM) and largest WAL, the ratio clicks/s ÷
 *    healthz req/s, the mean latency beside connections ÷ clicks/s, and checks every click was
 *    recorded exactly once (exit 1 if not).
 *
 * Options: --clicks N (default 20000), --connections C (default 64), --rounds R (default 5: the
 * clicks are split into R rounds, each after a /healthz run; medians are reported), --json (only the JSON line),
 * --profile DIR (write a V8 CPU profile of the server's event loop during each click round there).
 */
import type autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../worker/config';
import { createDb } from '../worker/db';
import { insertSurvey } from '../worker/db/surveys';
import { createWorkspace } from '../worker/db/workspaces';
import { openNodeDatabase } from '../worker/node/database';
import { mintLinks } from '../worker/services/links';
import { BROWSER_HEADERS, benchEnv, median, runAutocannon as run, serveInChild, spawnService, stopService, toggleProfile } from './bench-support';

const TARGET_RATIO = 0.35;
const TARGET_P99_MS = 25;

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    clicks: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean' },
    /** Write a V8 CPU profile of the server to this directory. */
    profile: { type: 'string' },
  },
});

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/**
 * A /proc `stat` line: the command name (in parentheses, and it may itself contain ") ") and the
 * CPU time used so far (user + system), in µs; /proc ticks are 10 ms.
 */
function parseStat(stat: string): { name: string; cpuMicros: number } {
  const end = stat.lastIndexOf(') ');
  const fields = stat.slice(end + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, end), cpuMicros: (Number(fields[11]) + Number(fields[12])) * 10_000 };
}

/** CPU time the server has used so far (all threads), in µs. */
function cpuMicros(pid: number): number {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuMicros;
}

/** CPU time per thread of the server so far (µs), summed by thread name (`node`, `libuv-worker`, ...). */
function threadCpuMicros(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { name, cpuMicros } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      const key = tid === String(pid) ? 'main' : `${name}:${tid}`;
      byName.set(key, (byName.get(key) ?? 0) + cpuMicros);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return byName;
}

async function main() {
  const clicks = Number(args.clicks);
  const connections = Number(args.connections);
  const roundCount = Math.max(1, Number(args.rounds));
  const say = (line: string) => {
    if (!args.json) console.log(line);
  };
  const dir = mkdtempSync(join(tmpdir(), 'clickback-bench-'));
  const env = benchEnv(dir);
  let child: ChildProcess | undefined;
  try {
    if (args.profile) mkdirSync(args.profile, { recursive: true });
    const service = await spawnService(fileURLToPath(import.meta.url), args.profile ? { ...env, BENCH_PROFILE_DIR: resolve(args.profile) } : env);
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;

    // Data: one workspace, one survey, one message per click (+ warm-up messages).
    const config = loadConfig(env);
    const client = await openNodeDatabase(config.databaseUrl);
    const db = createDb(client);
    const now = new Date();
    const { workspace } = await createWorkspace(db, 'bench', now);
    const survey = await insertSurvey(db, workspace.id, { name: 'bench', scale: 'nps', question: 'How likely…?', questionI18n: {}, locale: null }, now);
    const warmup = Math.min(1000, Math.ceil(clicks / 10));
    const paths: string[] = [];
    const mintStarted = performance.now();
    for (let i = 0; i < clicks + warmup; i++) {
      const { links } = await mintLinks({ db, config, clock: () => now }, workspace.id, { surveyId: survey.id, subject: `T-${i}`, recipient: `customer${i}@example.com` });
      paths.push(new URL(links[i % 11]!.url).pathname);
    }
    say(`minted ${paths.length} links in ${Math.round(performance.now() - mintStarted)} ms (link length ${paths[0]!.length + 'https://feedback.example.com'.length} chars with a typical origin)`);

    let next = 0;
    const clickOptions = (amount: number): autocannon.Options => ({
      url: base,
      connections,
      amount,
      headers: BROWSER_HEADERS,
      requests: [
        {
          setupRequest(request) {
            request.path = paths[next++]!;
            return request;
          },
        },
      ],
    });

    // The WAL's largest size over the run, sampled every 20 ms (it is bounded by the checkpoint thread).
    let peakWal = 0;
    const walSampler = setInterval(() => {
      try {
        peakWal = Math.max(peakWal, statSync(`${config.databaseUrl.slice('file:'.length)}-wal`).size);
      } catch {
        // not created yet
      }
    }, 20);

    // Warm up both routes (JIT, page cache), then measure.
    await run({ url: `${base}/healthz`, connections, amount: 5000 });
    await run(clickOptions(warmup));
    // Measure in rounds that alternate the two routes, and report medians: this machine's speed
    // drifts by ±20% over tens of seconds, which skews a ratio of two runs made one after the other.
    const rounds: { click: Awaited<ReturnType<typeof run>>; health: Awaited<ReturnType<typeof run>>; clickCpu: number; healthCpu: number }[] = [];
    const perRound = Math.floor(clicks / roundCount);
    const clickThreadCpu = new Map<string, number>();
    let loadGeneratorCpu = 0;
    for (let r = 0; r < roundCount; r++) {
      const amount = r === roundCount - 1 ? clicks - perRound * (roundCount - 1) : perRound;
      const cpu0 = cpuMicros(child.pid!);
      const health = await run({ url: `${base}/healthz`, connections, amount: Math.max(amount * 2, 10_000) });
      const cpu1 = cpuMicros(child.pid!);
      const threads1 = threadCpuMicros(child.pid!);
      if (args.profile) toggleProfile(child);
      const loadCpu = process.cpuUsage();
      const click = await run(clickOptions(amount));
      const loadUsed = process.cpuUsage(loadCpu);
      loadGeneratorCpu += loadUsed.user + loadUsed.system;
      if (args.profile) toggleProfile(child);
      const cpu2 = cpuMicros(child.pid!);
      for (const [name, micros] of threadCpuMicros(child.pid!)) clickThreadCpu.set(name, (clickThreadCpu.get(name) ?? 0) + micros - (threads1.get(name) ?? 0));
      say(`round ${r + 1}/${roundCount}: ${Math.round(click.requests.total / click.seconds)} clicks/s (p50 ${click.latency.p50} ms, p99 ${click.latency.p99} ms), healthz ${Math.round(health.requests.total / health.seconds)} req/s`);
      rounds.push({ click, health, clickCpu: (cpu2 - cpu1) / click.requests.total, healthCpu: (cpu1 - cpu0) / health.requests.total });
    }
    clearInterval(walSampler);
    const of = (pick: (round: (typeof rounds)[number]) => number) => median(rounds.map(pick));

    const counts = await client.batch(['SELECT count(*) AS n FROM responses', 'SELECT count(*) AS n FROM response_events'], 'read');
    client.close();
    const responses = Number(counts[0]!.rows[0]!.n);
    const events = Number(counts[1]!.rows[0]!.n);
    const redirects = rounds.reduce((sum, { click }) => sum + Number(click.statusCodeStats?.['303']?.count ?? 0), 0);
    const clicksPerSec = of(({ click }) => click.requests.total / click.seconds);
    const healthPerSec = of(({ health }) => health.requests.total / health.seconds);
    const ratio = of(({ click, health }) => click.requests.total / click.seconds / (health.requests.total / health.seconds));
    const result = {
      clicks,
      connections,
      clicksPerSec: Math.round(clicksPerSec),
      rounds: roundCount,
      clickP50Ms: of(({ click }) => click.latency.p50),
      clickP99Ms: of(({ click }) => click.latency.p99),
      clickMeanMs: Number(of(({ click }) => click.latency.mean).toFixed(1)),
      healthzPerSec: Math.round(healthPerSec),
      healthzP50Ms: of(({ health }) => health.latency.p50),
      healthzP99Ms: of(({ health }) => health.latency.p99),
      ratio: Number(ratio.toFixed(3)),
      healthzServerCpuUs: Math.round(of(({ healthCpu }) => healthCpu)),
      clickServerCpuUs: Math.round(of(({ clickCpu }) => clickCpu)),
      /** Where a click's server CPU goes, by thread (µs per click over all rounds). */
      clickCpuByThreadUs: Object.fromEntries([...clickThreadCpu].filter(([, micros]) => micros > 0).map(([name, micros]) => [name, Math.round(micros / clicks)])),
      /** The load generator's own CPU per click (it shares the machine's cores with the server). */
      loadGeneratorCpuUs: Math.round(loadGeneratorCpu / clicks),
      peakRssMiB: peakRssMiB(child.pid!),
      peakWalMiB: Number((peakWal / 1024 / 1024).toFixed(1)),
      recordedOnce: responses === clicks + warmup && events === clicks + warmup && redirects === clicks,
      errors: rounds.reduce((sum, { click }) => sum + click.errors + click.timeouts, 0),
    };

    say('');
    say(`medians of ${roundCount} alternating rounds:`);
    say(`                      req/s     p50 ms   p99 ms   server CPU µs/req`);
    say(`clicks (recorded)  ${String(result.clicksPerSec).padStart(7)}   ${String(result.clickP50Ms).padStart(6)}   ${String(result.clickP99Ms).padStart(6)}   ${String(result.clickServerCpuUs).padStart(8)}`);
    say(`/healthz (no work) ${String(result.healthzPerSec).padStart(7)}   ${String(result.healthzP50Ms).padStart(6)}   ${String(result.healthzP99Ms).padStart(6)}   ${String(result.healthzServerCpuUs).padStart(8)}`);
    say('');
    say(`ratio clicks/healthz  ${result.ratio}   (target >= ${TARGET_RATIO}: ${result.ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'})`);
    say(`click p99            ${result.clickP99Ms} ms (target <= ${TARGET_P99_MS} ms: ${result.clickP99Ms <= TARGET_P99_MS ? 'PASS' : 'FAIL'})`);
    // A closed loop: each connection sends its next click when the last is answered, so the mean
    // latency is connections ÷ throughput (Little's law) and p99 moves with the machine's speed.
    say(`click mean latency   ${result.clickMeanMs} ms (closed loop: ${connections} connections ÷ ${result.clicksPerSec} clicks/s = ${((connections / result.clicksPerSec) * 1000).toFixed(1)} ms; p99 is ${(result.clickP99Ms / result.clickMeanMs).toFixed(1)} × the mean)`);
    say(`click server CPU by thread (µs/click): ${Object.entries(result.clickCpuByThreadUs).map(([name, micros]) => `${name} ${micros}`).join(', ')}; load generator ${result.loadGeneratorCpuUs}`);
    say(`server peak RSS      ${result.peakRssMiB} MiB; largest WAL ${result.peakWalMiB} MiB`);
    say(`recorded exactly once: ${result.recordedOnce ? 'yes' : 'NO'} (${responses} responses, ${events} events, ${redirects} of ${clicks} measured clicks answered 303, ${result.errors} errors)`);
    console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
    if (!result.recordedOnce || result.errors > 0) process.exitCode = 1;
  } finally {
    await stopService(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.serve) await serveInChild();
else await main();
