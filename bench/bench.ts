/**
 * `npm run bench`: the core's speed on the sizes of the foundation issue, printed as a table.
 * Each row reports the median of several repetitions after a warm-up; peak memory is measured in a
 * fresh child process (VmHWM from /proc), so the parent's own allocations do not count.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SweepPool } from '../src/parallel/sweepPool';
import { editorRows } from './editorBench';
import {
  behavioralCloning,
  evaluateBackward,
  garnet,
  gapVsHorizon,
  planGapVsHorizon,
  policyValue,
  resetCliff,
  sampleTrajectories,
  uniformPolicy,
  visitation,
  type MDP,
  type Policy,
} from '../src/core';

interface Row {
  operation: string;
  size: string;
  median: string;
  rate: string;
  target: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, repetitions: number): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** Transition entries an evaluation touches per step: the rows the policy can take. */
function touchedEntries(mdp: MDP, pi: Policy): number {
  const t = mdp.transitions[0];
  if (pi.kind === 'deterministic') {
    let n = 0;
    for (let s = 0; s < mdp.nS; s++) {
      const r = s * mdp.nA + pi.action[s];
      n += t.rowStart[r + 1] - t.rowStart[r];
    }
    return n;
  }
  return t.next.length;
}

function peakMemoryChild(kind: string): void {
  const nS = 1_000_000;
  const H = 100;
  const N = 1000;
  const env =
    kind === 'garnet'
      ? garnet({ nS, nA: 4, H, branching: 4, seed: 'memory' })
      : resetCliff({ nS, nA: 4, H });
  const data = sampleTrajectories(env.mdp, env.expert, N, 'memory');
  const bc = behavioralCloning(data);
  const t0 = performance.now();
  const gap = policyValue(env.mdp, env.expert) - policyValue(env.mdp, bc);
  const ms = performance.now() - t0;
  const status = readFileSync('/proc/self/status', 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
  console.log(JSON.stringify({ hwm, gap, ms, seen: bc.states.length }));
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const quick = process.argv.includes('--quick');

  // 1. Exact evaluation on a Garnet MDP.
  const g = garnet({ nS: 10_000, nA: 8, H: 100, branching: 4, seed: 'bench' });
  const uniform = uniformPolicy(g.mdp.nS, g.mdp.nA, g.mdp.H);
  for (const [label, pi] of [
    ['stochastic π', uniform],
    ['deterministic π', g.expert],
  ] as const) {
    const perStep = pi.kind === 'deterministic' ? touchedEntriesNonStationary(g.mdp, pi) : touchedEntries(g.mdp, pi) * (g.mdp.H - 1);
    const back = time(() => evaluateBackward(g.mdp, pi), quick ? 3 : 9);
    const fwd = time(() => visitation(g.mdp, pi, { store: false }), quick ? 3 : 9);
    rows.push({
      operation: `exact evaluation, backward (${label})`,
      size: '|S|=10⁴ |A|=8 4 succ. H=100',
      median: `${back.toFixed(1)} ms`,
      rate: `${(perStep / back / 1e3).toFixed(0)} M nonzero updates/s`,
      target: '≥ 350 M/s',
    });
    rows.push({
      operation: `exact evaluation, forward (${label})`,
      size: '|S|=10⁴ |A|=8 4 succ. H=100',
      median: `${fwd.toFixed(1)} ms`,
      rate: `${(perStep / fwd / 1e3).toFixed(0)} M nonzero updates/s`,
      target: '≥ 350 M/s',
    });
  }

  // 2. Sampling 10^6 transitions.
  let seed = 0;
  const sampling = time(() => sampleTrajectories(g.mdp, g.expert, 10_000, seed++), quick ? 3 : 9);
  rows.push({
    operation: 'sampling (deterministic expert)',
    size: 'N=10⁴ H=100 (10⁶ transitions)',
    median: `${sampling.toFixed(1)} ms`,
    rate: `${(1e6 / sampling / 1e3).toFixed(1)} M transitions/s`,
    target: '≤ 30 ms',
  });

  // 3. The Reset Cliff gap-vs-H sweep.
  const sweep = time(
    () =>
      gapVsHorizon({
        env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 },
        N: 40,
        horizons: [1, 2, 4, 8, 16, 32, 64, 128],
        seeds: 400,
        baseSeed: seed++,
      }),
    quick ? 3 : 7,
  );
  rows.push({
    operation: 'Reset Cliff gap-vs-H sweep (per-step BC)',
    size: '|S|=11 |A|=2 N=40, 8 horizons × 400 seeds',
    median: `${sweep.toFixed(1)} ms`,
    rate: `${((8 * 400) / sweep).toFixed(1)} datasets/ms`,
    target: '≤ 200 ms',
  });

  // 3b. The same sweep on a pool of worker threads that stays up between sweeps (start-up and compiling
  // paid once), timed after one warm-up sweep like the single-threaded row.
  const workers = availableParallelism();
  const pool = new SweepPool(join(__dirname, '../dist/sweepWorker.js'), workers);
  const sweepPlan = () => planGapVsHorizon({ env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons: [1, 2, 4, 8, 16, 32, 64, 128], seeds: 400, baseSeed: seed++ });
  await pool.run(sweepPlan());
  const pooled: number[] = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    const plan = sweepPlan();
    const t0 = performance.now();
    await pool.run(plan);
    pooled.push(performance.now() - t0);
  }
  await pool.dispose();
  const pooledMedian = median(pooled);
  rows.push({
    operation: `Reset Cliff gap-vs-H sweep, pool of ${workers} workers`,
    size: '|S|=11 |A|=2 N=40, 8 horizons × 400 seeds',
    median: `${pooledMedian.toFixed(1)} ms`,
    rate: `speed-up ×${(sweep / pooledMedian).toFixed(2)} over one thread`,
    target: '≥ ×1.8 on 2 cores',
  });

  // 4. Peak memory of BC-policy evaluation at |S| = 10^6, each in a fresh process. The Garnet row
  // includes its optimal non-stationary expert (H|S| Int32 = 400 MB) and the planning that makes it.
  for (const [kind, size] of [
    ['reset-cliff', '|S|=10⁶ |A|=4 H=100'],
    ['garnet', '|S|=10⁶ |A|=4 4 succ. H=100'],
  ] as const) {
    const child = spawnSync(process.execPath, [process.argv[1], '--memory-child', kind], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
    const mem = JSON.parse(child.stdout) as { hwm: number; gap: number; ms: number; seen: number };
    rows.push({
      operation: `BC-policy evaluation, peak memory (${kind}, N=1000)`,
      size,
      median: `${mem.ms.toFixed(0)} ms (2 evaluations)`,
      rate: `${(mem.hwm / 2 ** 20).toFixed(0)} MiB peak RSS`,
      target: '< 1 GB',
    });
  }

  // 5. The .ilmdp editor: worker pages and dataset files.
  rows.push(...(await editorRows(join(__dirname, '../dist/editorWorker.js'), quick)));

  const header: Row = { operation: 'operation', size: 'size', median: 'median', rate: 'rate', target: 'aim' };
  const keys = Object.keys(header) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
  const line = (r: Row) => keys.map((k, i) => r[k].padEnd(widths[i])).join(' │ ');
  console.log(`IL Notebooks core benchmark — node ${process.version}, ${process.arch}`);
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows) console.log(line(r));
}

function touchedEntriesNonStationary(mdp: MDP, pi: Policy): number {
  if (pi.kind !== 'deterministic' || pi.stationary) return touchedEntries(mdp, pi) * (mdp.H - 1);
  const t = mdp.transitions[0];
  let n = 0;
  for (let h = 0; h < mdp.H - 1; h++) {
    for (let s = 0; s < mdp.nS; s++) {
      const r = s * mdp.nA + pi.action[h * mdp.nS + s];
      n += t.rowStart[r + 1] - t.rowStart[r];
    }
  }
  return n;
}

const memoryChild = process.argv.indexOf('--memory-child');
if (memoryChild >= 0) peakMemoryChild(process.argv[memoryChild + 1]);
else void main();
