/**
 * Adversarial imitation with known transitions (docs/theory.md §6): learners that match the expert's
 * state-action distribution instead of copying its actions state by state.
 *
 * - `tvAil` (TV-AIL / VAIL): min over occupancy measures of Σ_h ||d_h − d̂^E_h||_1, solved exactly as a
 *   linear program (lp.ts, HiGHS).
 * - `gailTabular`: the same objective as a game between a discriminator c_h(s,a) ∈ [−1, 1] and the
 *   policy: the discriminator best-responds with c = sign(d^π − d̂^E), the policy takes a mirror-descent
 *   step on the exact Q-values of the cost c, and the occupancies are averaged.
 * - `mimicMd` (Rajaraman, Yang, Jiao & Ramchandran, NeurIPS 2020): BC on the states of one half of the
 *   data, distribution matching of the "has left those states" event, estimated on the other half.
 *
 * All three have the signature (mdp, data, options?) ⇒ Policy; the `…Fit` functions return the extra
 * results (occupancy, objective, LP size, per-iteration objectives). Occupancies are dense tables of
 * H|S||A| numbers at (h·|S| + s)·|A| + a; the LPs are built sparse and solved by HiGHS, which needs
 * `await initLp()` once per process or worker (./highs.ts).
 */
import { behavioralCloning } from './bc';
import { checkDataset, type Dataset } from './dataset';
import { CoreError } from './errors';
import { evaluateBackward, visitation } from './evaluation';
import { solveSparseLP } from './lp';
import { transitionsAt, type MDP } from './mdp';
import { optimalPolicy } from './planning';
import { actionDistribution, type Policy, type StochasticPolicy } from './policy';

export interface AdversarialOptions {
  /** Checked between iterations (and pivots); when set, stops with a CoreError of code 'cancelled'. */
  readonly signal?: { readonly aborted: boolean };
}

export interface LpOccupancyOptions extends AdversarialOptions {
  /** Simplex iteration budget of HiGHS (none by default); beyond it CoreError 'lp-iterations'. */
  readonly maxIterations?: number;
  /** Seconds HiGHS may take (none by default); beyond them CoreError 'lp-time-limit'. */
  readonly timeLimit?: number;
}

/** The LP handed to HiGHS, and how its solution met the rows. */
export interface LpSize {
  readonly rows: number;
  readonly columns: number;
  readonly nonzeros: number;
  readonly iterations: number;
  /**
   * Largest row violation of HiGHS's own solution (within its 1e-10 tolerance). The returned occupancy
   * is re-propagated from the policy, so its flow rows hold to rounding whatever this is.
   */
  readonly residual: number;
}

export interface OccupancyFit {
  readonly policy: StochasticPolicy;
  /** The optimal occupancy d_h(s, a) at (h·|S| + s)·|A| + a. */
  readonly occupancy: Float64Array;
  /** Σ_h ||d_h − d̂^E_h||_1 at the optimum. */
  readonly objective: number;
  readonly lp: LpSize;
}

/** Same |S|, |A| and H in the data as in the MDP (shared with ./firstOrderAil). */
export function checkInputs(mdp: MDP, data: Dataset, who: string): void {
  checkDataset(data);
  if (data.nS !== mdp.nS || data.nA !== mdp.nA || data.H !== mdp.H) {
    throw new CoreError(
      `${who}: the dataset has |S| = ${data.nS}, |A| = ${data.nA}, H = ${data.H} but the MDP has |S| = ${mdp.nS}, |A| = ${mdp.nA}, H = ${mdp.H}; sample the data from this MDP`,
      'shape-mismatch',
    );
  }
}

function checkCancelled(signal: AdversarialOptions['signal'], who: string): void {
  if (signal?.aborted) throw new CoreError(`${who} was cancelled`, 'cancelled');
}

/**
 * d̂^E_h(s, a) = n_h(s, a) / n_h: the empirical state-action distribution of each step, over the
 * trajectories observed at that step (all of them unless some are shorter than H). A step with no
 * observation gets an all-zero row.
 */
export function empiricalOccupancy(data: Dataset): Float64Array {
  checkDataset(data);
  const { nS, nA, H, N } = data;
  const out = new Float64Array(H * nS * nA);
  for (let h = 0; h < H; h++) {
    let n = 0;
    for (let i = 0; i < N; i++) if (data.states[i * H + h] >= 0) n++;
    if (n === 0) continue;
    for (let i = 0; i < N; i++) {
      const s = data.states[i * H + h];
      if (s >= 0) out[(h * nS + s) * nA + data.actions[i * H + h]] += 1 / n;
    }
  }
  return out;
}

/** Σ_h Σ_{s,a} |d^π_h(s, a) − target_h(s, a)| by exact forward propagation. */
export function occupancyDistance(mdp: MDP, pi: Policy, target: Float64Array): number {
  const { dSA } = visitation(mdp, pi, { stateAction: true, store: false });
  return l1Distance(dSA!, target);
}

function l1Distance(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let k = 0; k < a.length; k++) total += Math.abs(a[k] - b[k]);
  return total;
}

/**
 * The LP shared by TV-AIL and MIMIC-MD: occupancies x_h(s, a) ≥ 0 of a flow that starts from an
 * exogenous inflow (ρ at step 0, or mass injected at later steps) and moves by P_h, minimising
 * Σ |x − target|. At "fixed" (h, s) the action split is given, so x_h(s, ·) = F_h(s)·π_h(·|s) with one
 * variable F_h(s); elsewhere there is one variable per action.
 */
interface OccupancyProblem {
  readonly mdp: MDP;
  /** Per (h, s): −1 when the policy is free there, else a row of `fixedProbs` (|A| numbers). */
  readonly fixedRow: Int32Array;
  readonly fixedProbs: Float64Array;
  /** Exogenous mass entering (h, s), at h·|S| + s. */
  readonly inflow: Float64Array;
  readonly target: Float64Array;
}

interface OccupancySolution {
  readonly occupancy: Float64Array;
  readonly objective: number;
  readonly policy: StochasticPolicy;
  readonly lp: LpSize;
}

/** Calls visit(s2, p) for every s2 with P_h(s2 | s, a) = p > 0 (the sparse part, then the reset part). */
function forEachSuccessor(mdp: MDP, h: number, s: number, a: number, visit: (s2: number, p: number) => void): void {
  const t = transitionsAt(mdp, h);
  const r = s * mdp.nA + a;
  for (let k = t.rowStart[r]; k < t.rowStart[r + 1]; k++) if (t.prob[k] > 0) visit(t.next[k], t.prob[k]);
  if (t.reset) {
    const mass = t.reset.mass[r];
    if (mass > 0) {
      const to = t.reset.to;
      for (let s2 = 0; s2 < to.length; s2++) if (to[s2] > 0) visit(s2, mass * to[s2]);
    }
  }
}

/**
 * A compressed-column matrix filled one column at a time; a row added twice to one column adds up
 * (two actions of a fixed (h, s) can lead to the same state). `slot` remembers where each row sits in
 * the current column, and an entry before `begin` belongs to an earlier column, so it needs no reset.
 */
class ColumnBuilder {
  rowIndex = new Int32Array(1 << 12);
  value = new Float64Array(1 << 12);
  readonly colStart: number[] = [0];
  readonly cost: number[] = [];
  readonly upper: number[] = [];
  nz = 0;
  private begin = 0;
  private readonly slot: Int32Array;

  constructor(numRows: number) {
    this.slot = new Int32Array(numRows);
  }

  add(row: number, v: number): void {
    const k = this.slot[row];
    if (k >= this.begin && k < this.nz && this.rowIndex[k] === row) {
      this.value[k] += v;
      return;
    }
    if (this.nz === this.rowIndex.length) {
      const rows = new Int32Array(this.nz * 2);
      rows.set(this.rowIndex);
      this.rowIndex = rows;
      const values = new Float64Array(this.nz * 2);
      values.set(this.value);
      this.value = values;
    }
    this.slot[row] = this.nz;
    this.rowIndex[this.nz] = row;
    this.value[this.nz++] = v;
  }

  endColumn(cost: number, upper = Infinity): void {
    this.colStart.push(this.nz);
    this.cost.push(cost);
    this.upper.push(upper);
    this.begin = this.nz;
  }

  /** A new column with the same entries as the last one. */
  repeatColumn(cost: number, upper = Infinity): void {
    const from = this.colStart[this.colStart.length - 2];
    const to = this.nz;
    for (let k = from; k < to; k++) this.add(this.rowIndex[k], this.value[k]);
    this.endColumn(cost, upper);
  }
}

/**
 * Builds the LP sparse and solves it with HiGHS. Variables, in column order: x for every reachable
 * (h, s) (|A| of them where the policy is free, one where it is fixed); R_h, the mass the reset part of
 * P_h sends on from step h. Rows: the flow row of every reachable (h, s),
 * Σ x_h(s, ·) − Σ P_{h−1}(s | ·) x_{h−1} − to(s)·R_{h−1} = inflow_h(s), and one reset row per step,
 * R_h = Σ resetMass(s, a)·x_h(s, a). Routing the rank-one reset part through R_h keeps the LP
 * O(H|S||A|) in size where the expanded kernel would be O(H|S|²|A|) (the Reset Cliff resets on every
 * expert action).
 *
 * The objective Σ |w·x − t|: where t = 0 it is w·x (x ≥ 0). Where t > 0 and the policy is free (w = 1),
 * x = y + z with 0 ≤ y ≤ t at cost −1 and z ≥ 0 at cost +1 (two columns with the same entries, no row):
 * the optimum never has y < t with z > 0 (moving mass from z to y lowers the cost), so −y + z = |x − t| − t.
 * At a fixed (h, s), where one variable serves every action, w·x − t = p − q with its own row and p, q
 * at cost 1. The split costs one column per data point instead of a row and two, and the dual simplex's
 * work grows with the rows.
 *
 * HiGHS meets the rows to its tolerance (1e-10 asked), not exactly; so the returned occupancy is not
 * the LP's x but the exact flow of the policy π_h(a|s) ∝ x_h(s, a), propagated forward from the inflow
 * (see propagated): its flow constraints hold to rounding, and its objective is the returned policy's
 * own, which exceeds the LP optimum by at most the propagated tolerance.
 */
function solveOccupancyProblem(problem: OccupancyProblem, options: LpOccupancyOptions, who: string): OccupancySolution {
  const { mdp, fixedRow, fixedProbs, inflow, target } = problem;
  const { nS, nA, H } = mdp;
  checkCancelled(options.signal, 'the occupancy LP');
  // Weight of action a in the expression of x_h(s, a): 1 for free rows, π_h(a|s) for fixed ones.
  const weight = (hs: number, a: number) => (fixedRow[hs] < 0 ? 1 : fixedProbs[fixedRow[hs] * nA + a]);

  // Only (h, s) that some policy can reach get variables and a flow row: the rest carry no mass.
  const reach = new Uint8Array(H * nS);
  const resets = new Uint8Array(H);
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < nS; s++) if (inflow[h * nS + s] > 0) reach[h * nS + s] = 1;
    if (h === H - 1) break;
    const t = transitionsAt(mdp, h);
    const next = (h + 1) * nS;
    for (let s = 0; s < nS; s++) {
      const hs = h * nS + s;
      if (!reach[hs]) continue;
      for (let a = 0; a < nA; a++) {
        if (!(weight(hs, a) > 0)) continue;
        const r = s * nA + a;
        for (let k = t.rowStart[r]; k < t.rowStart[r + 1]; k++) if (t.prob[k] > 0) reach[next + t.next[k]] = 1;
        if (t.reset && t.reset.mass[r] > 0) resets[h] = 1;
      }
    }
    if (resets[h]) for (let s2 = 0; s2 < nS; s2++) if (t.reset!.to[s2] > 0) reach[next + s2] = 1;
  }
  const varStart = new Int32Array(H * nS).fill(-1);
  const rowOf = new Int32Array(H * nS).fill(-1);
  let nVars = 0;
  let nFlow = 0;
  let nTargetRows = 0;
  for (let hs = 0; hs < H * nS; hs++) {
    if (!reach[hs]) continue;
    varStart[hs] = nVars;
    nVars += fixedRow[hs] < 0 ? nA : 1;
    rowOf[hs] = nFlow++;
    if (fixedRow[hs] >= 0) for (let a = 0; a < nA; a++) if (target[hs * nA + a] > 0 && weight(hs, a) > 0) nTargetRows++;
  }
  // No reachable (h, s) (MIMIC-MD when no mass ever leaves the D1 states): nothing to optimise.
  if (nVars === 0) return propagated(problem, varStart, new Float64Array(0), { rows: 0, columns: 0, nonzeros: 0, iterations: 0, residual: 0 });
  const resetRow = new Int32Array(H).fill(-1);
  let nRows = nFlow;
  for (let h = 0; h < H; h++) if (resets[h]) resetRow[h] = nRows++;
  const firstTargetRow = nRows;
  nRows += nTargetRows;
  const rowLower = new Float64Array(nRows);
  for (let hs = 0; hs < H * nS; hs++) if (rowOf[hs] >= 0) rowLower[rowOf[hs]] = inflow[hs];

  const m = new ColumnBuilder(nRows);
  // Column of x_h(s, a) (or of the fixed x_h(s)) for variable i, and of its y half (−1 when unsplit).
  const column = new Int32Array(nVars);
  const splitColumn = new Int32Array(nVars).fill(-1);
  let targetRow = firstTargetRow;
  for (let h = 0; h < H; h++) {
    const t = transitionsAt(mdp, h);
    const next = (h + 1) * nS;
    for (let s = 0; s < nS; s++) {
      const hs = h * nS + s;
      if (!reach[hs]) continue;
      const free = fixedRow[hs] < 0;
      for (let k = 0; k < (free ? nA : 1); k++) {
        const i = varStart[hs] + k;
        column[i] = m.cost.length;
        m.add(rowOf[hs], 1);
        let cost = 0;
        for (let a = free ? k : 0; a < (free ? k + 1 : nA); a++) {
          const w = weight(hs, a);
          if (!(w > 0)) continue;
          if (h < H - 1) {
            const r = s * nA + a;
            for (let e = t.rowStart[r]; e < t.rowStart[r + 1]; e++) if (t.prob[e] > 0) m.add(rowOf[next + t.next[e]], -w * t.prob[e]);
            if (resets[h] && t.reset!.mass[r] > 0) m.add(resetRow[h], w * t.reset!.mass[r]);
          }
          const goal = target[hs * nA + a];
          if (goal > 0 && !free) {
            rowLower[targetRow] = goal;
            m.add(targetRow++, w);
          } else cost += w;
        }
        m.endColumn(cost);
        const goal = free ? target[hs * nA + k] : 0;
        if (goal > 0) {
          splitColumn[i] = m.cost.length;
          m.repeatColumn(-1, goal);
        }
      }
    }
  }
  for (let h = 0; h + 1 < H; h++) {
    if (!resets[h]) continue;
    m.add(resetRow[h], -1);
    const to = transitionsAt(mdp, h).reset!.to;
    for (let s2 = 0; s2 < nS; s2++) if (to[s2] > 0) m.add(rowOf[(h + 1) * nS + s2], -to[s2]);
    m.endColumn(0);
  }
  for (let i = firstTargetRow; i < nRows; i++) {
    m.add(i, -1);
    m.endColumn(1);
    m.add(i, 1);
    m.endColumn(1);
  }
  const solution = solveSparseLP(
    {
      numCols: m.cost.length,
      numRows: nRows,
      colCost: Float64Array.from(m.cost),
      colUpper: Float64Array.from(m.upper),
      rowLower,
      rowUpper: rowLower,
      colStart: Int32Array.from(m.colStart),
      rowIndex: m.rowIndex.subarray(0, m.nz),
      value: m.value.subarray(0, m.nz),
    },
    {
      ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
      ...(options.timeLimit !== undefined ? { timeLimit: options.timeLimit } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    who,
  );
  // A solution this far off its rows is not one HiGHS's tolerance explains: refuse it rather than
  // repair it silently.
  if (!(solution.residual <= RESIDUAL_LIMIT)) {
    throw new CoreError(`the LP solver returned an occupancy whose flow rows are off by ${solution.residual.toExponential(2)} (more than ${RESIDUAL_LIMIT}); the MDP may be badly scaled`, 'lp-solver');
  }
  const x = new Float64Array(nVars);
  for (let i = 0; i < nVars; i++) x[i] = solution.x[column[i]] + (splitColumn[i] >= 0 ? solution.x[splitColumn[i]] : 0);
  const { rows, columns, nonzeros, iterations, residual } = solution;
  return propagated(problem, varStart, x, { rows, columns, nonzeros, iterations, residual });
}

/** Largest row violation of HiGHS's solution accepted before the exact re-propagation. */
const RESIDUAL_LIMIT = 1e-7;

/**
 * The policy π_h(a|s) ∝ x_h(s, a) of an LP solution (the fixed split where one is given, uniform where
 * x carries no mass) and its exact occupancy: the flow from `inflow` moved forward by P_h and π, with
 * the reset part summed once per step. Every flow row then holds to rounding.
 */
function propagated(problem: OccupancyProblem, varStart: Int32Array, x: Float64Array, lp: LpSize): OccupancySolution {
  const { mdp, fixedRow, fixedProbs, inflow, target } = problem;
  const { nS, nA, H } = mdp;
  const prob = new Float64Array(H * nS * nA);
  const occupancy = new Float64Array(H * nS * nA);
  let carried = new Float64Array(nS);
  let next = new Float64Array(nS);
  for (let h = 0; h < H; h++) {
    const t = transitionsAt(mdp, h);
    let resetMass = 0;
    next.fill(0);
    for (let s = 0; s < nS; s++) {
      const hs = h * nS + s;
      const base = hs * nA;
      if (fixedRow[hs] >= 0) prob.set(fixedProbs.subarray(fixedRow[hs] * nA, fixedRow[hs] * nA + nA), base);
      else {
        let mass = 0;
        if (varStart[hs] >= 0) for (let a = 0; a < nA; a++) mass += x[varStart[hs] + a];
        for (let a = 0; a < nA; a++) prob[base + a] = mass > 0 ? x[varStart[hs] + a] / mass : 1 / nA;
      }
      const mass = inflow[hs] + carried[s];
      if (mass === 0) continue;
      for (let a = 0; a < nA; a++) {
        const d = mass * prob[base + a];
        occupancy[base + a] = d;
        if (d === 0 || h === H - 1) continue;
        const r = s * nA + a;
        for (let e = t.rowStart[r]; e < t.rowStart[r + 1]; e++) next[t.next[e]] += d * t.prob[e];
        if (t.reset) resetMass += d * t.reset.mass[r];
      }
    }
    if (resetMass > 0) for (let s2 = 0; s2 < nS; s2++) next[s2] += resetMass * t.reset!.to[s2];
    const swap = carried;
    carried = next;
    next = swap;
  }
  return { occupancy, objective: l1Distance(occupancy, target), policy: { kind: 'stochastic', nS, nA, H, stationary: false, prob }, lp };
}

/**
 * TV-AIL / VAIL by linear programming: min over d ≥ 0 with Σ_a d_1(s, a) = ρ(s) and
 * Σ_a d_{h+1}(s′, a) = Σ_{s,a} P_h(s′|s, a) d_h(s, a) of Σ_h ||d_h − d̂^E_h||_1, and
 * π_h(a|s) = d_h(s, a)/Σ_a d_h(s, a) (uniform where that is 0). The flow constraints make every
 * feasible d the occupancy of that π, so the policy realises the optimum exactly.
 *
 * LP size: one flow row per reachable (h, s), one variable per reachable (h, s, a), a row and a variable
 * per step for the reset part of P_h, plus a row and two variables per (h, s, a) in the support of d̂^E
 * (at most N·H of them). Needs `await initLp()` once per process or worker.
 */
export function tvAilFit(mdp: MDP, data: Dataset, options: LpOccupancyOptions = {}): OccupancyFit {
  checkInputs(mdp, data, 'TV-AIL');
  const { nS, H } = mdp;
  const inflow = new Float64Array(H * nS);
  inflow.set(mdp.rho);
  const solved = solveOccupancyProblem(
    { mdp, fixedRow: new Int32Array(H * nS).fill(-1), fixedProbs: new Float64Array(0), inflow, target: empiricalOccupancy(data) },
    options,
    'TV-AIL',
  );
  return { policy: solved.policy, occupancy: solved.occupancy, objective: solved.objective, lp: solved.lp };
}

export function tvAil(mdp: MDP, data: Dataset, options: LpOccupancyOptions = {}): Policy {
  return tvAilFit(mdp, data, options).policy;
}

export interface GailOptions extends AdversarialOptions {
  /** Number of rounds K (default 300). */
  readonly iterations?: number;
  /**
   * Mirror-descent step η (default 1/H: |Q| ≤ H, so one round changes a probability by at most e^{±2}).
   * √(2 ln|A| / K) / H minimises gailRegretBound, but that worst-case step is far too timid in practice.
   */
  readonly stepSize?: number;
}

export interface GailFit {
  /** The candidate with the smallest exact objective (see gailTabularFit). */
  readonly policy: StochasticPolicy;
  /** Its occupancy and objective Σ_h ||d^π_h − d̂^E_h||_1. */
  readonly occupancy: Float64Array;
  readonly objective: number;
  /** Objective of the averaged occupancy d̄_k = (1/k) Σ_{i≤k} d^{π_i}, per round. */
  readonly objectives: Float64Array;
  /** Objective of the round's own policy π_k. */
  readonly iterateObjectives: Float64Array;
  /**
   * Lower bound on the optimum from the averaged discriminator c̄_k: min_d c̄_k·(d − d̂^E) ≤ min_d ||d − d̂^E||_1,
   * computed exactly by planning against the reward −c̄_k.
   */
  readonly lowerBounds: Float64Array;
  readonly stepSize: number;
}

/**
 * The regret bound of the policy player: with exponentiated-gradient steps η on Q-values of costs in
 * [−1, 1], (1/K) Σ_k c_k·(d^{π_k} − d) ≤ H ln|A| / (ηK) + ηH³/2 for every occupancy d, hence
 * objective(d̄_K) ≤ LP optimum + this.
 */
export function gailRegretBound(H: number, nA: number, K: number, stepSize: number): number {
  return (H * Math.log(nA)) / (stepSize * K) + (stepSize * H * H * H) / 2;
}

/**
 * GAIL with a tabular discriminator on (h, s, a) and exact policy evaluation. Round k:
 *   c_k = sign(d^{π_k} − d̂^E)                       (discriminator: best response for the TV distance)
 *   Q_k = Q^{π_k} for the cost c_k                     (exact backward induction)
 *   π_{k+1,h}(·|s) ∝ π_{k,h}(·|s) exp(−η Q_{k,h}(s, ·))  (policy: online mirror descent)
 * and d̄_k averages the occupancies. Because the policy player has regret ≤ gailRegretBound, the
 * averaged occupancy's objective approaches the LP optimum; π(a|s) = d̄(s, a)/d̄(s) realises d̄.
 * The returned policy is the best, by exact objective, of: the final average, every π_k, and every
 * best response to the averaged discriminator c̄_k (the policy player's pure strategies).
 */
export function gailTabularFit(mdp: MDP, data: Dataset, options: GailOptions = {}): GailFit {
  checkInputs(mdp, data, 'GAIL');
  const { nS, nA, H } = mdp;
  const K = options.iterations ?? 300;
  if (!Number.isInteger(K) || K < 1) throw new CoreError(`GAIL needs a positive integer number of iterations, got ${K}`, 'argument');
  const eta = options.stepSize ?? 1 / H;
  if (!(eta > 0) || !Number.isFinite(eta)) throw new CoreError(`GAIL's step size must be a positive number, got ${eta}`, 'argument');
  const target = empiricalOccupancy(data);
  const size = H * nS * nA;
  const logits = new Float64Array(size);
  const prob = new Float64Array(size).fill(1 / nA);
  const policy: StochasticPolicy = { kind: 'stochastic', nS, nA, H, stationary: false, prob };
  const cost = new Float64Array(size);
  const costMdp: MDP = { ...mdp, reward: cost };
  const meanCost = new Float64Array(size);
  const negMeanCost = new Float64Array(size);
  const brMdp: MDP = { ...mdp, reward: negMeanCost };
  const average = new Float64Array(size);
  const objectives = new Float64Array(K);
  const iterateObjectives = new Float64Array(K);
  const lowerBounds = new Float64Array(K);
  let best: { objective: number; prob: Float64Array; occupancy: Float64Array } = { objective: Infinity, prob: new Float64Array(0), occupancy: new Float64Array(0) };

  for (let k = 0; k < K; k++) {
    checkCancelled(options.signal, 'GAIL');
    const d = visitation(mdp, policy, { stateAction: true, store: false }).dSA!;
    let iterateObjective = 0;
    for (let i = 0; i < size; i++) {
      const diff = d[i] - target[i];
      cost[i] = diff > 0 ? 1 : diff < 0 ? -1 : 0;
      iterateObjective += Math.abs(diff);
      average[i] += (d[i] - average[i]) / (k + 1);
      meanCost[i] += (cost[i] - meanCost[i]) / (k + 1);
      negMeanCost[i] = -meanCost[i];
    }
    iterateObjectives[k] = iterateObjective;
    objectives[k] = l1Distance(average, target);
    if (iterateObjective < best.objective) best = { objective: iterateObjective, prob: prob.slice(), occupancy: d };

    const br = optimalPolicy(brMdp);
    const brD = visitation(mdp, br.policy, { stateAction: true, store: false }).dSA!;
    let crossTarget = 0;
    for (let i = 0; i < size; i++) crossTarget += meanCost[i] * target[i];
    lowerBounds[k] = -br.value - crossTarget;
    const brObjective = l1Distance(brD, target);
    if (brObjective < best.objective) {
      const brProb = new Float64Array(size);
      for (let hs = 0; hs < H * nS; hs++) brProb[hs * nA + br.policy.action[hs]] = 1;
      best = { objective: brObjective, prob: brProb, occupancy: brD };
    }

    const { Q } = evaluateBackward(costMdp, policy, { storeQ: true });
    for (let hs = 0; hs < H * nS; hs++) {
      const base = hs * nA;
      let max = -Infinity;
      for (let a = 0; a < nA; a++) {
        logits[base + a] -= eta * Q![base + a];
        if (logits[base + a] > max) max = logits[base + a];
      }
      let total = 0;
      for (let a = 0; a < nA; a++) {
        logits[base + a] -= max;
        total += Math.exp(logits[base + a]);
      }
      for (let a = 0; a < nA; a++) prob[base + a] = Math.exp(logits[base + a]) / total;
    }
  }

  const averageObjective = objectives[K - 1];
  if (averageObjective < best.objective) {
    const avgProb = new Float64Array(size);
    for (let hs = 0; hs < H * nS; hs++) {
      let mass = 0;
      for (let a = 0; a < nA; a++) mass += average[hs * nA + a];
      for (let a = 0; a < nA; a++) avgProb[hs * nA + a] = mass > 0 ? average[hs * nA + a] / mass : 1 / nA;
    }
    best = { objective: averageObjective, prob: avgProb, occupancy: average };
  }
  return {
    policy: { kind: 'stochastic', nS, nA, H, stationary: false, prob: best.prob },
    occupancy: best.occupancy,
    objective: best.objective,
    objectives,
    iterateObjectives,
    lowerBounds,
    stepSize: eta,
  };
}

export function gailTabular(mdp: MDP, data: Dataset, options: GailOptions = {}): Policy {
  return gailTabularFit(mdp, data, options).policy;
}

export interface MimicMdFit {
  readonly policy: StochasticPolicy;
  /** Trajectories in D1 (the first ⌈N/2⌉) and D2 (the rest). */
  readonly n1: number;
  readonly n2: number;
  /** 1 where s was visited at step h in D1 (the policy plays BC there), at h·|S| + s. */
  readonly d1States: Uint8Array;
  /** Pr_π[E_{≤h}, s_h = s, a_h = a] of the returned policy (the matched occupancy). */
  readonly eventOccupancy: Float64Array;
  /** The D2 estimate of the same event's occupancy. */
  readonly eventTarget: Float64Array;
  /** Σ_h Σ_{s,a} |eventOccupancy − eventTarget| at the optimum. */
  readonly objective: number;
  readonly lp: LpSize;
}

/**
 * MIMIC-MD (Rajaraman, Yang, Jiao & Ramchandran 2020, "Toward the Fundamental Limits of Imitation
 * Learning", Algorithm 2), for known transitions and a deterministic expert. Definition implemented:
 *
 * - D is split deterministically: D1 = the first ⌈N/2⌉ trajectories, D2 = the remaining ⌊N/2⌋.
 * - S_h(D1) = states visited at step h in D1. The learner is restricted to Π_mimic(D1): at (h, s) with
 *   s ∈ S_h(D1) it plays the D1 action (per-step BC on D1, which is that action for a deterministic
 *   expert).
 * - E_{≤h} = the event that the trajectory has visited, at some step τ ≤ h, a state s_τ ∉ S_τ(D1).
 * - π̂ = argmin over Π_mimic(D1) of Σ_h Σ_{s,a} |Pr_π[E_{≤h}, s_h = s, a_h = a] − (1/|D2|) Σ_{tr ∈ D2}
 *   1(tr ∈ E_{≤h}, (s_h, a_h)(tr) = (s, a))|.
 *
 * Before the event the process follows the fixed BC actions, so its mass is policy-independent; the
 * event's occupancy is a flow that receives that mass as it leaves S_h(D1) and is otherwise steered by
 * the free part of π (states outside S_h(D1) are only ever reached inside the event). The minimisation
 * is therefore an LP over that flow, solved with HiGHS (lp.ts). The search for the paper's exact text found the
 * algorithm's description (Algorithm 2, minimum-distance functional, known transitions, deterministic
 * expert) but not its display; the event above is the one the paper's analysis (and its follow-up,
 * Rajaraman et al. 2021, "Provably breaking the quadratic error compounding barrier") uses.
 * Steps a trajectory does not observe (state −1) are skipped in the event and in the counts.
 */
export function mimicMdFit(mdp: MDP, data: Dataset, options: LpOccupancyOptions = {}): MimicMdFit {
  checkInputs(mdp, data, 'MIMIC-MD');
  const { nS, nA, H } = mdp;
  const N = data.N;
  const n1 = Math.ceil(N / 2);
  const n2 = N - n1;
  const d1: Dataset = { nS, nA, H, N: n1, states: data.states.subarray(0, n1 * H), actions: data.actions.subarray(0, n1 * H) };
  const bc = behavioralCloning(d1);

  const fixedRow = new Int32Array(H * nS).fill(-1);
  const d1States = new Uint8Array(H * nS);
  const fixedProbs = new Float64Array(bc.states.length * nA);
  const row = new Float64Array(nA);
  for (let h = 0; h < H; h++) {
    for (let i = bc.blockStart[h]; i < bc.blockStart[h + 1]; i++) {
      const s = bc.states[i];
      fixedRow[h * nS + s] = i;
      d1States[h * nS + s] = 1;
      fixedProbs.set(actionDistribution(bc, h, s, row), i * nA);
    }
  }

  // Mass that has not left S(D1) follows BC; whatever it sends outside S_{h+1}(D1) enters the event.
  const inflow = new Float64Array(H * nS);
  let inside = new Float64Array(nS);
  let next = new Float64Array(nS);
  for (let s = 0; s < nS; s++) {
    if (d1States[s]) inside[s] = mdp.rho[s];
    else inflow[s] = mdp.rho[s];
  }
  for (let h = 0; h + 1 < H; h++) {
    next.fill(0);
    for (let s = 0; s < nS; s++) {
      const w = inside[s];
      if (w === 0) continue;
      const probs = fixedProbs.subarray(fixedRow[h * nS + s] * nA, fixedRow[h * nS + s] * nA + nA);
      for (let a = 0; a < nA; a++) {
        if (probs[a] === 0) continue;
        forEachSuccessor(mdp, h, s, a, (s2, p) => (next[s2] += w * probs[a] * p));
      }
    }
    for (let s2 = 0; s2 < nS; s2++) {
      if (next[s2] === 0) continue;
      if (!d1States[(h + 1) * nS + s2]) {
        inflow[(h + 1) * nS + s2] += next[s2];
        next[s2] = 0;
      }
    }
    const swap = inside;
    inside = next;
    next = swap;
  }

  const eventTarget = new Float64Array(H * nS * nA);
  for (let i = n1; i < N; i++) {
    let left = false;
    for (let h = 0; h < H; h++) {
      const s = data.states[i * H + h];
      if (s < 0) continue;
      if (!d1States[h * nS + s]) left = true;
      if (left) eventTarget[(h * nS + s) * nA + data.actions[i * H + h]] += 1 / n2;
    }
  }

  const solved = solveOccupancyProblem({ mdp, fixedRow, fixedProbs, inflow, target: eventTarget }, options, 'MIMIC-MD');
  return {
    policy: solved.policy,
    n1,
    n2,
    d1States,
    eventOccupancy: solved.occupancy,
    eventTarget,
    objective: solved.objective,
    lp: solved.lp,
  };
}

export function mimicMd(mdp: MDP, data: Dataset, options: LpOccupancyOptions = {}): Policy {
  return mimicMdFit(mdp, data, options).policy;
}
