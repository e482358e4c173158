/**
 * Imitating the environment (docs/theory.md §6): learn P̂ by counting transitions in a dataset, exactly as
 * BC counts actions, then evaluate policies in the learned model M̂ = (S, A, P̂, r, ρ̂, H).
 * Unseen (s, a) get the uniform next-state distribution through the transitions' rank-one reset part,
 * so the model costs O(|S||A| + transitions seen), never O(|S|²|A|).
 */
import type { Dataset } from './dataset';
import { CoreError } from './errors';
import { policyValue, visitation } from './evaluation';
import { createMDP, transitionsAt, type MDP, type Transitions } from './mdp';
import type { Policy } from './policy';

export interface ModelOptions {
  /** One P̂_h per step (default false: transitions pooled over steps). */
  readonly perStep?: boolean;
  /** 'empirical' (ρ̂ from first states, default) or 'true' (keep the MDP's ρ). */
  readonly rho?: 'empirical' | 'true';
}

function countsToTransitions(nS: number, nA: number, triples: Map<number, Map<number, number>>): Transitions {
  const rows = nS * nA;
  const rowStart = new Uint32Array(rows + 1);
  const resetMass = new Float64Array(rows);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    const m = triples.get(r);
    if (m) nnz += m.size;
    else resetMass[r] = 1;
    rowStart[r + 1] = nnz;
  }
  const next = new Int32Array(nnz);
  const prob = new Float64Array(nnz);
  for (const [r, m] of triples) {
    let total = 0;
    for (const c of m.values()) total += c;
    const sorted = [...m.entries()].sort((x, y) => x[0] - y[0]);
    let k = rowStart[r];
    for (const [s2, c] of sorted) {
      next[k] = s2;
      prob[k] = c / total;
      k++;
    }
  }
  return { rowStart, next, prob, reset: { mass: resetMass, to: new Float64Array(nS).fill(1 / nS) } };
}

/** P̂(s'|s, a) = n(s, a, s')/n(s, a) (uniform where n(s, a) = 0), with the true MDP's rewards. */
export function estimateModel(mdp: MDP, data: Dataset, options: ModelOptions = {}): MDP {
  const { nS, nA, H } = mdp;
  if (data.nS !== nS || data.nA !== nA) throw new CoreError('the dataset and the MDP disagree on |S| or |A|', 'shape-mismatch');
  const steps = options.perStep ? H : 1;
  const tables = Array.from({ length: steps }, () => new Map<number, Map<number, number>>());
  const firstCounts = new Float64Array(nS);
  let firsts = 0;
  for (let i = 0; i < data.N; i++) {
    const base = i * data.H;
    const s1 = data.states[base];
    if (s1 >= 0) {
      firstCounts[s1]++;
      firsts++;
    }
    for (let h = 0; h + 1 < Math.min(data.H, H); h++) {
      const s = data.states[base + h];
      const a = data.actions[base + h];
      const s2 = data.states[base + h + 1];
      if (s < 0 || s2 < 0 || a < 0) continue;
      const table = tables[options.perStep ? h : 0];
      const r = s * nA + a;
      let m = table.get(r);
      if (!m) table.set(r, (m = new Map()));
      m.set(s2, (m.get(s2) ?? 0) + 1);
    }
  }
  let rho: Float64Array;
  if ((options.rho ?? 'empirical') === 'true') rho = mdp.rho;
  else if (firsts === 0) rho = new Float64Array(nS).fill(1 / nS);
  else rho = firstCounts.map((c) => c / firsts);
  return createMDP({
    nS,
    nA,
    H,
    rho,
    reward: mdp.reward,
    transitions: tables.map((t) => countsToTransitions(nS, nA, t)),
    ...(mdp.stateNames ? { stateNames: mdp.stateNames } : {}),
    ...(mdp.actionNames ? { actionNames: mdp.actionNames } : {}),
  });
}

/** TV(P_h(·|s,a), P̂_h(·|s,a)) = ½ Σ_s' |P − P̂|, using a dense scratch row: O(|S|) per call. */
function rowTotalVariation(p: Transitions, q: Transitions, row: number, scratch: Float64Array): number {
  scratch.fill(0);
  const add = (t: Transitions, sign: number) => {
    for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) scratch[t.next[k]] += sign * t.prob[k];
    const m = t.reset?.mass[row] ?? 0;
    if (m !== 0) for (let s2 = 0; s2 < scratch.length; s2++) scratch[s2] += sign * m * t.reset!.to[s2];
  };
  add(p, 1);
  add(q, -1);
  let tv = 0;
  for (let s2 = 0; s2 < scratch.length; s2++) tv += Math.abs(scratch[s2]);
  return tv / 2;
}

export interface ModelGap {
  /** V_M(π). */
  readonly trueValue: number;
  /** V_M̂(π). */
  readonly modelValue: number;
  /** V_M(π) − V_M̂(π). */
  readonly gap: number;
  /**
   * Simulation lemma (finite horizon): |gap| ≤ H·TV(ρ, ρ̂) + Σ_{h=1}^{H−1} (H − h) E_{d^{π,P}_h}[TV(P_h, P̂_h)].
   * The ρ term is 0 when the model keeps the true ρ.
   */
  readonly bound: number;
  readonly boundFormula: string;
}

/**
 * Evaluates π in the true and the learned model and the simulation-lemma bound on the difference.
 * Cost: two evaluations plus O(|S|) per (h, s, a) with positive visitation for the TV terms.
 */
export function modelGap(mdp: MDP, model: MDP, pi: Policy): ModelGap {
  const trueValue = policyValue(mdp, pi);
  const modelValue = policyValue(model, pi);
  const { nS, nA, H } = mdp;
  const scratch = new Float64Array(nS);
  let rhoTv = 0;
  for (let s = 0; s < nS; s++) rhoTv += Math.abs(mdp.rho[s] - model.rho[s]);
  let bound = (H * rhoTv) / 2;
  const { dSA } = visitation(mdp, pi, { stateAction: true, store: false });
  for (let h = 0; h + 1 < H; h++) {
    const p = transitionsAt(mdp, h);
    const q = transitionsAt(model, h);
    let expectedTv = 0;
    for (let row = 0; row < nS * nA; row++) {
      const w = dSA![h * nS * nA + row];
      if (w > 0) expectedTv += w * rowTotalVariation(p, q, row, scratch);
    }
    // 0-based h is step h+1, weighted by H − (h+1) as in the lemma.
    bound += (H - h - 1) * expectedTv;
  }
  return {
    trueValue,
    modelValue,
    gap: trueValue - modelValue,
    bound,
    boundFormula: 'H·TV(ρ, ρ̂) + Σ_{h=1}^{H−1} (H − h) E_{d^{π,P}_h}[TV(P_h(·|s,a), P̂_h(·|s,a))]',
  };
}
