/**
 * What the bot classification costs the capture path (issue 4: at most 10% of its throughput).
 *
 * `npm run bench:classification [-- --pairs N]` makes a throwaway git worktree of HEAD, applies
 * `scripts/ab/no-classification.patch` there (with `BENCH_NO_CLASSIFY=1` every click counts at once
 * and the write has no burst rules: the capture path as it would be without classification; without
 * the variable the code is HEAD's), and runs `scripts/bench.ts --json` alternately with and without
 * it, N pairs (default 5). The machine's speed drifts from minute to minute, so the pairs are
 * interleaved (each pair in the other order than the last) and medians compared: throughput, the
 * ratio to /healthz, and server CPU per click. The worktree is removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './bench-support';

const { values: args } = parseArgs({ options: { pairs: { type: 'string', default: '5' } } });
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

type Result = { clicksPerSec: number; clickP99Ms: number; ratio: number; clickServerCpuUs: number; recordedOnce: boolean };

function bench(dir: string, classify: boolean): Result {
  const env = { ...process.env };
  if (classify) delete env.BENCH_NO_CLASSIFY;
  else env.BENCH_NO_CLASSIFY = '1';
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 16 << 20 });
  const line = run.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (run.status !== 0 || !line) throw new Error(`bench failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as Result;
}

function main() {
  const pairs = Math.max(1, Number(args.pairs));
  const parent = mkdtempSync(join(tmpdir(), 'clickback-ab-'));
  const dir = join(parent, 'tree');
  execFileSync('git', ['worktree', 'add', '--detach', dir, 'HEAD'], { cwd: root, stdio: 'ignore' });
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    execFileSync('git', ['apply', join(root, 'scripts/ab/no-classification.patch')], { cwd: dir });
    const runs: Record<'with' | 'without', Result[]> = { with: [], without: [] };
    for (let i = 0; i < pairs; i++) {
      // Alternate which goes first: a run right after another measured a little slower here.
      for (const classify of i % 2 ? [false, true] : [true, false]) {
        const result = bench(dir, classify);
        if (!result.recordedOnce) throw new Error('a click was not recorded exactly once');
        runs[classify ? 'with' : 'without'].push(result);
        console.log(`pair ${i + 1}/${pairs} ${classify ? 'with   ' : 'without'} classification: ${result.clicksPerSec} clicks/s, p99 ${result.clickP99Ms} ms, ratio ${result.ratio}, server CPU ${result.clickServerCpuUs} µs/click`);
      }
    }
    const of = (key: keyof Omit<Result, 'recordedOnce'>) => ({ with: median(runs.with.map((r) => r[key])), without: median(runs.without.map((r) => r[key])) });
    const throughput = of('clicksPerSec');
    // The median of an even number of runs is a mean of two: round it as the runs print theirs.
    const ratio = { with: Number(of('ratio').with.toFixed(3)), without: Number(of('ratio').without.toFixed(3)) };
    const cpu = of('clickServerCpuUs');
    // Positive: classification costs that much; negative: the runs with it were faster (noise).
    const lost = (withIt: number, without: number) => `${(((without - withIt) / without) * 100).toFixed(1)}%`;
    const extra = (withIt: number, without: number) => `${(((withIt - without) / without) * 100).toFixed(1)}%`;
    console.log('');
    console.log(`medians over ${pairs} pairs     with classification   without   cost of classification`);
    console.log(`clicks/s                     ${String(throughput.with).padEnd(21)} ${String(throughput.without).padEnd(9)} ${lost(throughput.with, throughput.without)} of throughput`);
    console.log(`ratio clicks/healthz         ${String(ratio.with).padEnd(21)} ${String(ratio.without).padEnd(9)} ${lost(ratio.with, ratio.without)} of the ratio`);
    console.log(`server CPU µs/click          ${String(cpu.with).padEnd(21)} ${String(cpu.without).padEnd(9)} ${extra(cpu.with, cpu.without)} more CPU per click`);
    console.log('(negative: the runs with classification were faster, i.e. the difference is below the noise)');
    console.log(`BENCH_RESULT ${JSON.stringify({ pairs, clicksPerSec: throughput, ratio, clickServerCpuUs: cpu })}`);
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' });
    rmSync(parent, { recursive: true, force: true });
  }
}

main();
