/**
 * Bench rows for TV-AIL's first-order solver (issue 19, `tvAilOgdFit`): the same instances and dataset
 * as the LP rows of ./lpBench (lower-bound Reset Cliff, |A| = 5), with the rounds it ran, its certified
 * duality gap at its default tolerance, and how far its objective is from the LP optimum HiGHS finds.
 * `npm run bench -- --only-ogd` runs these rows alone.
 */
import { initLp, tvAilFit, tvAilOgdFit } from '../src/core';
import type { BenchRow } from './editorBench';
import { cpuTime, instance, type Instance } from './lpBench';

const CASES: readonly Instance[] = [
  { nS: 50, H: 40, N: 100 },
  { nS: 200, H: 100, N: 400 },
];

export async function ogdRows(quick: boolean): Promise<BenchRow[]> {
  // Only for the comparison column: the first-order solver itself needs no LP.
  await initLp();
  const rows: BenchRow[] = [];
  for (const at of CASES) {
    const { mdp, data } = instance(at);
    const big = at.nS * at.H > 5000;
    const fit = tvAilOgdFit(mdp, data);
    const optimum = tvAilFit(mdp, data).objective;
    const ms = cpuTime(() => tvAilOgdFit(mdp, data), big ? (quick ? 1 : 3) : quick ? 3 : 7, big ? 0 : 2);
    rows.push({
      id: `ogd.tv-ail-ogd.${at.nS}x${at.H}`,
      operation: 'TV-AIL (first-order): OGD cost vs best response (one dataset, Reset Cliff lower-bound ρ)',
      size: `|S|=${at.nS} |A|=5 H=${at.H} N=${at.N}`,
      ms,
      rate: `${fit.iterations} rounds, gap ${fit.gap.toExponential(1)} (${fit.output}); objective − LP optimum ${(fit.objective - optimum).toExponential(1)}`,
      target: 'gap ≤ 1e-3',
    });
  }
  return rows;
}
