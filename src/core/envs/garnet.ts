/**
 * Random Garnet MDPs: each (s, a) has `branching` distinct successors with broken-stick probabilities
 * and a uniform reward in [0, 1]; ρ is uniform. Deterministic in the seed. O(|S||A|·branching) time and
 * memory, so |S| = 10^6 builds in seconds.
 */
import { CoreError } from '../errors';
import { createMDP } from '../mdp';
import { optimalPolicy } from '../planning';
import { createRng } from '../random';
import type { Environment } from './environment';
import type { GarnetParams } from './spec';

export function garnet(params: GarnetParams): Environment {
  const { nS, nA, H, branching, seed } = params;
  for (const [name, v] of [
    ['nS', nS],
    ['nA', nA],
    ['H', H],
    ['branching', branching],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new CoreError(`Garnet ${name} must be a positive integer, got ${v}`, 'argument');
  }
  if (branching > nS) throw new CoreError(`Garnet branching ${branching} exceeds |S| = ${nS}`, 'argument');
  const rng = createRng(seed);
  const rows = nS * nA;
  const rowStart = new Uint32Array(rows + 1);
  const next = new Int32Array(rows * branching);
  const prob = new Float64Array(rows * branching);
  const cuts = new Float64Array(branching + 1);
  const reward = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * branching;
    // Distinct successors by rejection: branching ≪ |S| in practice, so O(branching) expected draws.
    for (let k = 0; k < branching; k++) {
      let s2: number;
      let fresh: boolean;
      do {
        s2 = Math.floor(rng() * nS);
        fresh = true;
        for (let j = 0; j < k; j++) if (next[base + j] === s2) fresh = false;
      } while (!fresh);
      next[base + k] = s2;
    }
    // Broken stick: the gaps between sorted uniforms on [0, 1].
    cuts[0] = 0;
    for (let k = 1; k < branching; k++) cuts[k] = rng();
    cuts[branching] = 1;
    cuts.subarray(1, branching).sort();
    let total = 0;
    for (let k = 0; k < branching; k++) {
      prob[base + k] = cuts[k + 1] - cuts[k];
      total += prob[base + k];
    }
    // Renormalise so the row sums to 1 to machine precision.
    for (let k = 0; k < branching; k++) prob[base + k] /= total;
    rowStart[r + 1] = base + branching;
    reward[r] = rng();
  }
  const mdp = createMDP({ nS, nA, H, rho: new Float64Array(nS).fill(1 / nS), reward, transitions: [{ rowStart, next, prob }] });
  return { mdp, expert: optimalPolicy(mdp).policy, description: `Garnet |S|=${nS} |A|=${nA} b=${branching} H=${H} seed=${seed}` };
}
