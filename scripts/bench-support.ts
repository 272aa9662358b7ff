/**
 * What the benchmarks share: the service in a child process (so the load generator and any
 * receiver do not share its event loop), a fresh environment on a temp database, browser-like
 * click headers, and an autocannon run timed to its last response.
 */
import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startNodeServer } from '../worker/entry-node';
import { toBase64Url } from '../worker/lib/encoding';

/** What a mail client's browser sends when a link is clicked: the capture path treats it as a person. */
export const BROWSER_HEADERS = {
  'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml',
  'accept-language': 'en-US,en;q=0.9',
  'sec-fetch-site': 'none',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-user': '?1',
  'sec-fetch-dest': 'document',
};

/** The service's environment for one run: a database file in `dir` and fresh keys. */
export function benchEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const key = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return {
    ...process.env,
    DATABASE_URL: `file:${join(dir, 'bench.db')}`,
    LINK_KEYS: `b1:${key()}`,
    FORM_KEYS: `bf1:${key()}`,
    PUBLIC_URL: 'http://127.0.0.1',
    PORT: '8787',
    // Every benchmark request comes from this one machine, one network: the vote rate limit would
    // measure itself, not the write path.
    VOTE_RATE_LIMIT: '0',
    ...extra,
  };
}

/** Child mode of a benchmark script (`--serve`): run the service on a free port and report it on stdout. */
export async function serveInChild(): Promise<void> {
  const running = await startNodeServer({ env: process.env, port: 0, log: () => {} });
  if (process.env.BENCH_PROFILE_DIR) profileOnSignal(process.env.BENCH_PROFILE_DIR);
  console.log(JSON.stringify({ ready: true, port: new URL(running.url).port }));
  process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
}

/**
 * Profiling only what is measured: each SIGUSR2 starts, then stops, a V8 CPU profile of the
 * server's event loop and writes it to `dir` (open it in Chrome DevTools or VS Code).
 */
function profileOnSignal(dir: string): void {
  const session = new Session();
  session.connect();
  let profiling = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `server-${++count}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

/** Sends the service child SIGUSR2 (see `profileOnSignal`): starts or stops a profile. */
export function toggleProfile(child: ChildProcess): void {
  child.kill('SIGUSR2');
}

/**
 * Starts `script --serve` (a benchmark script's child mode) in a child process and resolves with
 * the port it listens on.
 */
export async function spawnService(script: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: string }).port));
  });
  return { child, port };
}

/** Stops the service child (it closes cleanly on SIGTERM) and waits for it to exit. */
export async function stopService(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * One autocannon run. Its duration is measured here, from the start to the LAST response:
 * autocannon only notices that a fixed amount is done on its one-second sampling tick, so its own
 * duration (and a timer around the whole run) rounds up to the next second and made throughput
 * jump between levels (e.g. 20,000 clicks in "7.03" or "8.03" s).
 */
export function runAutocannon(options: autocannon.Options): Promise<autocannon.Result & { seconds: number }> {
  const started = performance.now();
  let last = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ ...result, seconds: (last - started) / 1000 })));
    instance.on('response', () => {
      last = performance.now();
    });
  });
}

/** The median of some measurements (benchmarks report medians over rounds or pairs). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (`q` from 0 to 1) of values sorted in ascending order; NaN for none. */
export function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]! : NaN;
}

/** A process's resident memory now and at its peak, in MiB (Linux `/proc/<pid>/status`). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}
