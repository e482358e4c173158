/**
 * Optimal planning by backward induction: the experts of the chain, gridworld and Garnet environments
 * are optimal policies of their MDPs. Ties go to the lowest action index so experts are reproducible.
 */
import { resetExpectation, rewardOffset, transitionsAt, type MDP } from './mdp';
import type { DeterministicPolicy } from './policy';

export function optimalPolicy(mdp: MDP): { policy: DeterministicPolicy; value: number; V1: Float64Array } {
  const { nS, nA, H } = mdp;
  const action = new Int32Array(H * nS);
  let Vnext = new Float64Array(nS);
  let Vcur = new Float64Array(nS);
  for (let h = H - 1; h >= 0; h--) {
    const rOff = rewardOffset(mdp, h);
    const last = h === H - 1;
    const t = transitionsAt(mdp, h);
    const resetMass = last ? null : (t.reset?.mass ?? null);
    const resetValue = resetMass ? resetExpectation(t, Vnext) : 0;
    for (let s = 0; s < nS; s++) {
      let best = -Infinity;
      let bestA = 0;
      for (let a = 0; a < nA; a++) {
        const row = s * nA + a;
        let q = mdp.reward[rOff + row];
        if (!last) {
          let acc = 0;
          for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) acc += t.prob[k] * Vnext[t.next[k]];
          if (resetMass) acc += resetMass[row] * resetValue;
          q += acc;
        }
        if (q > best) {
          best = q;
          bestA = a;
        }
      }
      Vcur[s] = best;
      action[h * nS + s] = bestA;
    }
    const swap = Vnext;
    Vnext = Vcur;
    Vcur = swap;
  }
  let value = 0;
  for (let s = 0; s < nS; s++) value += mdp.rho[s] * Vnext[s];
  return { policy: { kind: 'deterministic', nS, nA, H, stationary: false, action }, value, V1: Vnext };
}
