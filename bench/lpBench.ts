/**
 * Bench rows for the LP learners (issue 19): TV-AIL and MIMIC-MD through HiGHS on one dataset of the
 * lower-bound Reset Cliff (|A| = 5), at the sizes the issue sets targets for, the load of HiGHS itself,
 * and the peak memory of the largest pair in a fresh process (`--lp-memory-child`, VmHWM from /proc).
 * `npm run bench -- --only-lp` runs these rows alone.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { initLp, mimicMdFit, resetCliff, sampleTrajectories, tvAilFit, type MDP, type Dataset } from '../src/core';
import type { BenchRow } from './editorBench';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median CPU time (user + system), as the rest of the bench measures, after `warmUps` runs. */
export function cpuTime(fn: () => void, repetitions: number, warmUps: number): number {
  for (let i = 0; i < warmUps; i++) fn();
  const cpu: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  return median(cpu);
}

export interface Instance {
  readonly nS: number;
  readonly H: number;
  readonly N: number;
}

/** One dataset of the lower-bound Reset Cliff (|A| = 5), the same for every adversarial learner's row. */
export function instance({ nS, H, N }: Instance): { mdp: MDP; data: Dataset } {
  const { mdp, expert } = resetCliff({ nS, nA: 5, H, rho: 'lower-bound', N });
  return { mdp, data: sampleTrajectories(mdp, expert, N, 'lp-bench') };
}

const LEARNERS = { 'tv-ail': { label: 'TV-AIL', fit: tvAilFit }, 'mimic-md': { label: 'MIMIC-MD', fit: mimicMdFit } } as const;

/** The targets of issue 19, one row each. */
const CASES: readonly { readonly learner: keyof typeof LEARNERS; readonly at: Instance; readonly target: string }[] = [
  { learner: 'tv-ail', at: { nS: 50, H: 40, N: 100 }, target: '< 1 s' },
  { learner: 'mimic-md', at: { nS: 50, H: 40, N: 100 }, target: '< 1 s' },
  { learner: 'mimic-md', at: { nS: 20, H: 80, N: 100 }, target: '< 0.5 s' },
  { learner: 'tv-ail', at: { nS: 200, H: 100, N: 400 }, target: '< 10 s' },
  { learner: 'mimic-md', at: { nS: 200, H: 100, N: 400 }, target: '< 10 s' },
];

export async function lpRows(quick: boolean, benchScript: string): Promise<BenchRow[]> {
  await initLp();
  const rows: BenchRow[] = [];
  for (const { learner, at, target } of CASES) {
    const { mdp, data } = instance(at);
    const { label, fit } = LEARNERS[learner];
    const big = at.nS * at.H > 5000;
    const lp = fit(mdp, data).lp;
    const ms = cpuTime(() => fit(mdp, data), big ? (quick ? 1 : 3) : quick ? 3 : 7, big ? 0 : 2);
    rows.push({
      id: `lp.${learner}.${at.nS}x${at.H}`,
      operation: `${label} through HiGHS (one dataset, Reset Cliff lower-bound ρ)`,
      size: `|S|=${at.nS} |A|=5 H=${at.H} N=${at.N}`,
      ms,
      rate: `LP ${lp.rows} × ${lp.columns}, ${lp.nonzeros} nz, ${lp.iterations} iterations`,
      target,
    });
  }
  const child = spawnSync(process.execPath, [benchScript, '--lp-memory-child'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`LP memory child failed: ${child.stderr}`);
  const mem = JSON.parse(child.stdout) as { loadMs: number; hwm: number; afterLoad: number; pairMs: number };
  rows.push({ id: 'lp.load', operation: 'loading HiGHS (await initLp(), a fresh process)', size: 'highs.wasm, 3.5 MB', ms: mem.loadMs, rate: `wall time; ${(mem.afterLoad / 2 ** 20).toFixed(0)} MiB RSS after it`, target: '' });
  rows.push({ id: 'lp.memory', operation: 'TV-AIL then MIMIC-MD, peak memory (fresh process)', size: '|S|=200 |A|=5 H=100 N=400', ms: mem.pairMs, rate: `wall time; ${(mem.hwm / 2 ** 20).toFixed(0)} MiB peak RSS`, target: 'reported' });
  return rows;
}

function residentBytes(field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
}

/** In a fresh process: HiGHS's load time, then the largest pair of LPs, and the process's peak RSS. */
export async function lpMemoryChild(): Promise<void> {
  const t0 = performance.now();
  await initLp();
  const loadMs = performance.now() - t0;
  const afterLoad = residentBytes('VmRSS');
  const { mdp, data } = instance({ nS: 200, H: 100, N: 400 });
  const t1 = performance.now();
  tvAilFit(mdp, data);
  mimicMdFit(mdp, data);
  const pairMs = performance.now() - t1;
  console.log(JSON.stringify({ loadMs, afterLoad, pairMs, hwm: residentBytes('VmHWM') }));
}
