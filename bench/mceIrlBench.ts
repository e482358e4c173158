/**
 * Bench rows for MCE-IRL (issue 19) on one dataset of the lower-bound Reset Cliff (|A| = 5), at the
 * sizes of the TV-AIL rows: the sweep learner `mce-irl` as sweeps run it (300 ascent steps), and the
 * core's default fit (up to 1000). `npm run bench -- --only-mce` runs these rows alone.
 */
import { IMITATION_ALGORITHMS, mceIrlFit, resetCliff, sampleTrajectories, type Dataset, type MDP } from '../src/core';
import type { BenchRow } from './editorBench';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median CPU time (user + system), as the rest of the bench measures. */
function cpuTime(fn: () => void, repetitions: number): number {
  const cpu: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  return median(cpu);
}

function instance(nS: number, H: number, N: number): { mdp: MDP; expert: ReturnType<typeof resetCliff>['expert']; data: Dataset } {
  const { mdp, expert } = resetCliff({ nS, nA: 5, H, rho: 'lower-bound', N });
  return { mdp, expert, data: sampleTrajectories(mdp, expert, N, 'lp-bench') };
}

const SIZES = [
  { nS: 50, H: 40, N: 100 },
  { nS: 200, H: 100, N: 400 },
] as const;

export function mceIrlRows(quick: boolean): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const { nS, H, N } of SIZES) {
    const { mdp, expert, data } = instance(nS, H, N);
    const big = nS * H > 5000;
    const learner = IMITATION_ALGORITHMS['mce-irl'];
    const sweepMs = cpuTime(() => learner.learn(mdp, expert, data, 'bench', {}), big ? (quick ? 1 : 3) : quick ? 3 : 5);
    const steps = mceIrlFit(mdp, data, { maxIterations: 300 });
    rows.push({
      id: `mce-irl.sweep.${nS}x${H}`,
      operation: 'MCE-IRL as the sweep learner mce-irl (300 ascent steps, one-hot (s, a))',
      size: `|S|=${nS} |A|=5 H=${H} N=${N}`,
      ms: sweepMs,
      rate: `${(sweepMs / steps.iterations).toFixed(2)} ms per ascent step; ||∇|| ${steps.gradientNorms[0].toFixed(2)} → ${steps.gradientNorms[steps.iterations].toFixed(3)}`,
      target: '',
    });
    const fit = mceIrlFit(mdp, data);
    const fitMs = cpuTime(() => mceIrlFit(mdp, data), big ? 1 : quick ? 1 : 3);
    rows.push({
      id: `mce-irl.fit.${nS}x${H}`,
      operation: 'mceIrlFit with its defaults (tolerance 1e-6, at most 1000 steps)',
      size: `|S|=${nS} |A|=5 H=${H} N=${N}`,
      ms: fitMs,
      rate: `${fit.iterations} steps, ${fit.converged ? 'converged' : 'step budget reached'}; final ||∇|| ${fit.gradientNorms[fit.iterations].toFixed(3)}`,
      target: '',
    });
  }
  return rows;
}
