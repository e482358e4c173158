/**
 * The Reset Cliff MDP (docs/theory.md §5): good states g_1 … g_{|S|−1} and an absorbing bad state b.
 * In a good state the expert action a* = 0 earns 1 and redraws s' ~ ρ; any other action earns 0 and
 * falls to b. Because every step redraws from ρ, d^{π^E}_h = ρ for all h and V(π^E) = H, and per-step
 * BC has the closed form E[gap] = H − Σ_h (1 − cμ)^h with c = 1 − 1/|A|, μ = Σ_s ρ(s)(1 − ρ(s))^N.
 */
import { CoreError } from '../errors';
import { createMDP, type MDP } from '../mdp';
import { deterministicPolicy } from '../policy';
import type { Environment } from './environment';
import type { ResetCliffParams, ResetCliffRho } from './spec';

export const RESET_CLIFF_EXPERT_ACTION = 0;

export function resetCliffRho(nS: number, rho: ResetCliffRho = 'uniform', N?: number): Float64Array {
  const good = nS - 1;
  const out = new Float64Array(nS);
  if (rho === 'uniform') {
    out.fill(1 / good, 0, good);
  } else if (rho === 'lower-bound') {
    if (N === undefined || !Number.isInteger(N) || N < 1) {
      throw new CoreError('the lower-bound ρ needs the dataset size N (a positive integer)', 'argument');
    }
    if (N + 1 < nS - 2) {
      throw new CoreError(`the lower-bound ρ needs N + 1 ≥ |S| − 2 (N = ${N}, |S| = ${nS}); increase N or reduce |S|`, 'argument');
    }
    const small = 1 / (N + 1);
    out.fill(small, 0, good - 1);
    out[good - 1] = 1 - (good - 1) * small;
  } else {
    if (rho.length !== good && rho.length !== nS) {
      throw new CoreError(`ρ must list ${good} good-state weights (or ${nS} with 0 on the bad state), got ${rho.length}`, 'argument');
    }
    if (rho.length === nS && rho[nS - 1] !== 0) {
      throw new CoreError('ρ must put no mass on the bad state', 'argument');
    }
    for (let s = 0; s < good; s++) out[s] = rho[s];
  }
  return out;
}

/**
 * The cliff both Reset Cliffs share: good states g_1 … g_{|S|−1} where the expert action earns 1 and
 * redraws s' ~ ρ, every other action leads to the last state. The variants differ only in that last
 * state: absorbing ("bad", the notes' cliff) or left by the expert action through a reset ("recover").
 */
export function cliffEnvironment(
  params: ResetCliffParams,
  last: { readonly name: string; readonly expertResets: boolean; readonly title: string },
): Environment {
  const { nS, nA, H } = params;
  if (!Number.isInteger(nS) || nS < 2) throw new CoreError(`${last.title} needs |S| ≥ 2 (one good state and the ${last.name} state), got ${nS}`, 'argument');
  if (!Number.isInteger(nA) || nA < 2) throw new CoreError(`${last.title} needs |A| ≥ 2, got ${nA}`, 'argument');
  if (!Number.isInteger(H) || H < 1) throw new CoreError(`the horizon H must be a positive integer, got ${H}`, 'argument');
  const rho = resetCliffRho(nS, params.rho, params.N);
  const lastState = nS - 1;
  const rows = nS * nA;
  const resets = last.expertResets ? nS : nS - 1;
  const rowStart = new Uint32Array(rows + 1);
  // Every row that does not reset has one sparse entry: the move to (or stay in) the last state.
  const next = new Int32Array(rows - resets).fill(lastState);
  const prob = new Float64Array(rows - resets).fill(1);
  const resetMass = new Float64Array(rows);
  const reward = new Float64Array(rows);
  let k = 0;
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < nA; a++) {
      const r = s * nA + a;
      if (a === RESET_CLIFF_EXPERT_ACTION && (s !== lastState || last.expertResets)) {
        resetMass[r] = 1;
        if (s !== lastState) reward[r] = 1;
      } else {
        k++;
      }
      rowStart[r + 1] = k;
    }
  }
  const stateNames = Array.from({ length: nS }, (_, s) => (s === lastState ? last.name : `g${s + 1}`));
  const actionNames = Array.from({ length: nA }, (_, a) => (a === RESET_CLIFF_EXPERT_ACTION ? 'expert' : `other${a}`));
  const mdp: MDP = createMDP({
    nS,
    nA,
    H,
    rho,
    reward,
    stateNames,
    actionNames,
    transitions: [{ rowStart, next, prob, reset: { mass: resetMass, to: rho } }],
  });
  const expert = deterministicPolicy(nS, nA, H, new Int32Array(nS).fill(RESET_CLIFF_EXPERT_ACTION));
  const rhoLabel = typeof params.rho === 'string' ? params.rho : params.rho ? 'given' : 'uniform';
  return { mdp, expert, description: `${last.title} |S|=${nS} |A|=${nA} H=${H} (${rhoLabel} ρ)` };
}

export function resetCliff(params: ResetCliffParams): Environment {
  return cliffEnvironment(params, { name: 'bad', expertResets: false, title: 'Reset Cliff' });
}

/** μ = Σ_s ρ(s)(1 − ρ(s))^N: the expected ρ-mass of the states unseen at one step. */
export function resetCliffUnseenMass(rho: ArrayLike<number>, N: number): number {
  let mu = 0;
  for (let s = 0; s < rho.length; s++) if (rho[s] > 0) mu += rho[s] * Math.pow(1 - rho[s], N);
  return mu;
}

/** E[V(π^E) − V(π^BC)] for per-step BC with N trajectories: H − Σ_{h=1..H} (1 − cμ)^h. */
export function resetCliffExpectedGap(nA: number, rho: ArrayLike<number>, N: number, H: number): number {
  const c = 1 - 1 / nA;
  const keep = 1 - c * resetCliffUnseenMass(rho, N);
  // Σ_{h=1..H} keep^h summed directly: the geometric-series formula loses digits when keep ≈ 1.
  let value = 0;
  let survive = 1;
  for (let h = 1; h <= H; h++) {
    survive *= keep;
    value += survive;
  }
  return H - value;
}

export const RESET_CLIFF_GAP_FORMULA = 'E[gap] = H − Σ_{h=1..H} (1 − cμ)^h,  c = 1 − 1/|A|,  μ = Σ_s ρ(s)(1 − ρ(s))^N';
