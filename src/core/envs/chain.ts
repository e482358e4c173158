/**
 * A chain where mistakes are recoverable (docs/theory.md §6): moving the wrong way costs steps, not the
 * episode, which is where DAgger's expert labels on the learner's own states pay off.
 */
import { CoreError } from '../errors';
import { createMDP, transitionsFromRows } from '../mdp';
import { optimalPolicy } from '../planning';
import type { Environment } from './environment';
import type { ChainParams } from './spec';

export function chain(params: ChainParams): Environment {
  const { nS, nA, H } = params;
  const slip = params.slip ?? 0;
  if (!Number.isInteger(nS) || nS < 2) throw new CoreError(`a chain needs at least 2 states, got ${nS}`, 'argument');
  if (!Number.isInteger(nA) || nA < 2) throw new CoreError(`a chain needs at least 2 actions, got ${nA}`, 'argument');
  if (!Number.isInteger(H) || H < 1) throw new CoreError(`the horizon H must be a positive integer, got ${H}`, 'argument');
  if (!(slip >= 0 && slip <= 1)) throw new CoreError(`slip must lie in [0, 1], got ${slip}`, 'argument');
  const rows: [number, number][][] = [];
  const reward = new Float64Array(nS * nA);
  for (let s = 0; s < nS; s++) {
    const right = Math.min(s + 1, nS - 1);
    const left = Math.max(s - 1, 0);
    for (let a = 0; a < nA; a++) {
      const [intended, other] = a === 0 ? [right, left] : [left, right];
      const row = new Map<number, number>();
      row.set(intended, (row.get(intended) ?? 0) + 1 - slip);
      row.set(other, (row.get(other) ?? 0) + slip);
      rows.push([...row.entries()].filter(([, p]) => p > 0));
      if (s === nS - 1) reward[s * nA + a] = 1;
    }
  }
  const rho = new Float64Array(nS);
  rho[0] = 1;
  const mdp = createMDP({
    nS,
    nA,
    H,
    rho,
    reward,
    transitions: [transitionsFromRows(nS, nA, rows)],
    stateNames: Array.from({ length: nS }, (_, s) => `c${s}`),
    actionNames: Array.from({ length: nA }, (_, a) => (a === 0 ? 'right' : `left${a}`)),
  });
  return { mdp, expert: optimalPolicy(mdp).policy, description: `Chain |S|=${nS} |A|=${nA} H=${H} slip=${slip}` };
}
