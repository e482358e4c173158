/**
 * Seeded rollouts of a policy in an MDP. The same (MDP, policy, N, seed) gives the same dataset bit for
 * bit on every run and machine: one alea stream, consumed in a fixed order — one uniform for s_1, one
 * per action of a non-deterministic policy, one per transition.
 */
import type { Dataset } from './dataset';
import { CoreError } from './errors';
import { Scratch } from './scratch';
import { rewardOffset, transitionsAt, type MDP, type Transitions } from './mdp';
import { countRowIndex, countRowTotal, type DeterministicPolicy, type Policy } from './policy';
import { aleaNext, aleaState, aleaStatePair, aliasTable, sampleAlias, type AliasTable } from './random';
import { meanAndStandardError } from './regression';
import { aleaCarry, aleaMix, fillDraws } from './kernels/alea';
import { int32Offsets } from './kernels/rowOffsets';

function checkRollout(mdp: MDP, pi: Policy, N: number): void {
  if (!Number.isInteger(N) || N < 0) throw new CoreError(`the number of trajectories must be a non-negative integer, got ${N}`, 'argument');
  if (pi.nS !== mdp.nS || pi.nA !== mdp.nA) throw new CoreError('the policy and the MDP disagree on |S| or |A|', 'shape-mismatch');
  if (!pi.stationary && pi.H < mdp.H) throw new CoreError(`the policy covers ${pi.H} steps, the MDP's horizon is ${mdp.H}`, 'shape-mismatch');
}

/** Draws an action from π_h(·|s) with the uniform u (count and stochastic policies). */
function drawAction(pi: Policy, h: number, s: number, u: number): number {
  const nA = pi.nA;
  if (pi.kind === 'stochastic') {
    const base = (pi.stationary ? s : h * pi.nS + s) * nA;
    for (let a = 0; a < nA - 1; a++) {
      const p = pi.prob[base + a];
      if (u < p) return a;
      u -= p;
    }
    return nA - 1;
  }
  if (pi.kind === 'counts') {
    const i = countRowIndex(pi, h, s);
    if (i < 0) return Math.min(nA - 1, Math.floor(u * nA));
    // The entries in action order, as a dense row of counts would be walked (its zeros never match);
    // rounding that leaves x past every count takes the last action with a positive count.
    let x = u * countRowTotal(pi, i);
    const last = pi.entryStart[i + 1] - 1;
    for (let e = pi.entryStart[i]; e < last; e++) {
      const c = pi.entryCount[e];
      if (x < c) return pi.entryAction[e];
      x -= c;
    }
    return pi.entryAction[last];
  }
  return pi.action[pi.stationary ? s : h * pi.nS + s];
}

/** s' ~ P(·|row) with the single uniform u: the sparse entries first, then the reset part. */
function drawNext(
  rs: Int32Array | Uint32Array,
  nextStates: Int32Array,
  prob: Float64Array,
  resetMass: Float64Array | null,
  resetTable: AliasTable | null,
  row: number,
  u: number,
): number {
  const first = rs[row];
  const end = rs[row + 1];
  // A row that only resets (every Reset Cliff expert step): u itself is the draw from the reset table.
  if (first === end && resetMass !== null && resetMass[row] === 1) return sampleAlias(resetTable!, u);
  let cumulative = 0;
  for (let k = first; k < end; k++) {
    cumulative += prob[k];
    if (u < cumulative) return nextStates[k];
  }
  const mass = resetMass !== null ? resetMass[row] : 0;
  if (mass > 0) {
    // Reuse the leftover of u: given u ≥ cumulative it is uniform on [cumulative, 1).
    const v = Math.min(Math.max((u - cumulative) / mass, 0), 1 - Number.EPSILON);
    return sampleAlias(resetTable!, v);
  }
  // Rounding left u just past the row's total: take its last entry.
  return nextStates[end - 1];
}

/**
 * One step of every trajectory under a deterministic policy: the hot path. The alea state lives in
 * locals for the whole step (the same recurrence as aleaNext) and is written back at the end.
 */
function stepDeterministic(
  N: number,
  H: number,
  h: number,
  nA: number,
  current: Int32Array,
  policy: Int32Array,
  policyOffset: number,
  reward: Float64Array,
  rOff: number,
  rs: Int32Array | Uint32Array,
  nextStates: Int32Array,
  prob: Float64Array,
  resetMass: Float64Array | null,
  resetTable: AliasTable | null,
  last: boolean,
  rng: Float64Array,
  states: Int32Array,
  actions: Int32Array,
  rewards: Float64Array,
): void {
  let s0 = rng[0];
  let s1 = rng[1];
  let s2 = rng[2];
  let c = rng[3];
  for (let i = 0; i < N; i++) {
    const s = current[i];
    const a = policy[policyOffset + s];
    const row = s * nA + a;
    const at = i * H + h;
    states[at] = s;
    actions[at] = a;
    rewards[at] = reward[rOff + row];
    if (last) continue;
    const t = aleaMix(s0, c);
    s0 = s1;
    s1 = s2;
    c = aleaCarry(t);
    s2 = t - c;
    current[i] = drawNext(rs, nextStates, prob, resetMass, resetTable, row, s2);
  }
  rng[0] = s0;
  rng[1] = s1;
  rng[2] = s2;
  rng[3] = c;
}

/**
 * The rows a deterministic policy plays at one step, packed one 64-byte line per state:
 * [r(s, a), c_0, c_1, c_2, n_0, n_1, n_2, n_3] for a = π_h(s), where c_j is the running sum of the
 * row's first j + 1 probabilities, added in CSR order as drawNext adds them (so every comparison with u
 * is the one drawNext makes), padded with +∞, and n_j the successors, padded with the row's last. A
 * draw then reads one line of an |S|-row table (640 KB for 10⁴ states: in cache) instead of rowStart,
 * prob, next and reward. Only for stationary kernels without a reset part and stationary rewards, on
 * rows of 1 to 4 entries; a step is repacked only where the policy changed since the previous one.
 */
const PACKED_WIDTH = 8;
const PACKED_ENTRIES = 4;
/** Above this many states the packed copy (64 B a state) would cost more memory than it is worth. */
const MAX_PACKED_STATES = 1 << 20;
const packedScratch = new Scratch((n) => new Float64Array(n));

/**
 * Packs row (s, policy[offset + s]) of every state whose action differs from policy[previous + s]
 * (every state when previous < 0). False, with the table unfinished, when such a row has no entries or
 * more than four: the step then needs the general path.
 */
function packPolicyStep(
  t: Transitions,
  rs: Int32Array | Uint32Array,
  reward: Float64Array,
  policy: Int32Array,
  offset: number,
  previous: number,
  nS: number,
  nA: number,
  packed: Float64Array,
): boolean {
  const { prob, next } = t;
  for (let s = 0; s < nS; s++) {
    const a = policy[offset + s];
    if (previous >= 0 && a === policy[previous + s]) continue;
    const row = s * nA + a;
    const first = rs[row];
    const last = rs[row + 1] - 1;
    if (last < first || last - first >= PACKED_ENTRIES) return false;
    const base = s * PACKED_WIDTH;
    packed[base] = reward[row];
    let cumulative = 0;
    for (let j = 0; j < PACKED_ENTRIES - 1; j++) {
      if (first + j < last) {
        cumulative += prob[first + j];
        packed[base + 1 + j] = cumulative;
      } else packed[base + 1 + j] = Infinity;
    }
    for (let j = 0; j < PACKED_ENTRIES; j++) packed[base + PACKED_ENTRIES + j] = next[Math.min(first + j, last)];
  }
  return true;
}

/** stepDeterministic on the step's packed rows (see packPolicyStep): the same draws, one cache line each. */
function stepDeterministicPacked(
  N: number,
  H: number,
  h: number,
  current: Int32Array,
  policy: Int32Array,
  policyOffset: number,
  packed: Float64Array,
  last: boolean,
  rng: Float64Array,
  draws: Float64Array,
  states: Int32Array,
  actions: Int32Array,
  rewards: Float64Array,
): void {
  if (!last) fillDraws(rng, draws, N);
  for (let i = 0; i < N; i++) {
    const s = current[i];
    const base = s * PACKED_WIDTH;
    const at = i * H + h;
    states[at] = s;
    actions[at] = policy[policyOffset + s];
    rewards[at] = packed[base];
    if (last) continue;
    const u = draws[i];
    // The entry is the number of running sums ≤ u (they never decrease, padding is +∞): the same
    // choice as the chain u < c_0 ? n_0 : u < c_1 ? … but Number(…) compiles to flag moves, not
    // branches, and a random u mispredicts the chain's branches about once a draw (23 → 12 ns a draw).
    const entry = Number(u >= packed[base + 1]) + Number(u >= packed[base + 2]) + Number(u >= packed[base + 3]);
    current[i] = packed[base + 4 + entry];
  }
}

/** Room for one step's draws (a sweep samples thousands of small datasets). */
const drawScratch = new Scratch((n) => new Float64Array(n));

/** Below this many samples a dataset's arrays share one allocation. */
const SHARED_BUFFER_SAMPLES = 1 << 16;

/**
 * The arrays of a dataset of N·H samples and the N current states. Each typed-array allocation costs
 * V8 a separate backing store, which for a sweep's small datasets costs more than sampling them; small
 * datasets get views on one buffer. Large ones keep a buffer per array, so posting one of them to a
 * worker or a webview copies only it.
 */
function datasetArrays(N: number, H: number): { states: Int32Array; actions: Int32Array; rewards: Float64Array; current: Int32Array } {
  const n = N * H;
  if (n > SHARED_BUFFER_SAMPLES) return { states: new Int32Array(n), actions: new Int32Array(n), rewards: new Float64Array(n), current: new Int32Array(N) };
  const buffer = new ArrayBuffer(8 * n + 4 * (2 * n + N));
  return {
    rewards: new Float64Array(buffer, 0, n),
    states: new Int32Array(buffer, 8 * n, n),
    actions: new Int32Array(buffer, 12 * n, n),
    current: new Int32Array(buffer, 16 * n, N),
  };
}

const aliasCache = new WeakMap<Float64Array, { weights: Float64Array; table: AliasTable }>();

/**
 * The alias table of a distribution, reused across calls on the same array (a sweep samples thousands
 * of datasets from one ρ). It is rebuilt whenever the array's contents changed since, so a caller that
 * edits ρ in place still samples from what it holds; comparing costs less than building.
 */
function cachedAliasTable(weights: Float64Array): AliasTable {
  const hit = aliasCache.get(weights);
  if (hit && sameContents(hit.weights, weights)) return hit.table;
  const table = aliasTable(weights);
  aliasCache.set(weights, { weights: weights.slice(), table });
  return table;
}

function sameContents(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

export interface SampleOptions {
  /**
   * A dataset of the same N and H whose arrays are overwritten instead of allocating new ones (its
   * old contents are gone). Fresh arrays are first touched page by page, which costs a good part of
   * the sampling on some machines (7–50 ms for the 16 MB of 10⁶ transitions on the bench VM, as busy
   * as its host), so a loop that draws many datasets and keeps none can reuse one.
   */
  readonly into?: Dataset;
}

export function sampleTrajectories(mdp: MDP, pi: Policy, N: number, seed: number | string, options: SampleOptions = {}): Dataset {
  checkRollout(mdp, pi, N);
  const { nS, nA, H } = mdp;
  const into = options.into;
  if (into && (into.N !== N || into.H !== H || into.states.length !== N * H || into.actions.length !== N * H || into.rewards?.length !== N * H)) {
    throw new CoreError(`"into" must be a dataset of N = ${N} trajectories of H = ${H} steps with rewards, got N = ${into.N}, H = ${into.H}`, 'argument');
  }
  const rngState = aleaState(seed);
  const rng = () => aleaNext(rngState);
  const start = cachedAliasTable(mdp.rho);
  const resetTables = new Map<Transitions, AliasTable>();
  for (const t of mdp.transitions) if (t.reset && !resetTables.has(t)) resetTables.set(t, cachedAliasTable(t.reset.to));
  const { states, actions, rewards, current } = into ? { states: into.states, actions: into.actions, rewards: into.rewards!, current: new Int32Array(N) } : datasetArrays(N, H);
  const reward = mdp.reward;
  const stationaryKernel = mdp.transitions.length === 1;
  const stationaryReward = reward.length === nS * nA;
  const detActions = pi.kind === 'deterministic' ? pi.action : null;
  const detStride = pi.kind === 'deterministic' && !pi.stationary ? nS : 0;

  // Step-major order (all trajectories at step h, then h + 1): step h's slice of a non-stationary
  // policy or kernel stays in cache while N draws use it, about twice as fast as trajectory-major on
  // 10^4-state MDPs. The stream is consumed in this fixed order, so seeds stay reproducible.
  for (let i = 0; i < N; i++) current[i] = sampleAlias(start, rng());
  // Packing a state's row costs about what a draw costs: worth it when the draws outnumber the states.
  const t0 = mdp.transitions[0];
  let packed = detActions && stationaryKernel && stationaryReward && !t0.reset && nS <= MAX_PACKED_STATES && N * (H - 1) >= nS ? packedScratch.atLeast(nS * PACKED_WIDTH) : null;
  const packedOffsets = packed ? int32Offsets(t0.rowStart) : null;
  const draws = packed ? drawScratch.atLeast(N) : null;
  for (let h = 0; h < H; h++) {
    if (packed) {
      const offset = h * detStride;
      // A stationary policy is packed once; a per-step one where its actions changed.
      const previous = h === 0 ? -1 : offset - detStride;
      if ((h === 0 || detStride > 0) && !packPolicyStep(t0, packedOffsets!, reward, detActions!, offset, previous, nS, nA, packed)) packed = null;
      else {
        stepDeterministicPacked(N, H, h, current, detActions!, offset, packed, h === H - 1, rngState, draws!, states, actions, rewards);
        continue;
      }
    }
    const rOff = stationaryReward ? 0 : rewardOffset(mdp, h);
    const last = h === H - 1;
    const t = stationaryKernel ? mdp.transitions[0] : transitionsAt(mdp, h);
    const rowStart = t.rowStart;
    const nextStates = t.next;
    const prob = t.prob;
    const resetMass = t.reset ? t.reset.mass : null;
    const resetTable = t.reset ? resetTables.get(t)! : null;
    const detOffset = h * detStride;
    const rs = int32Offsets(rowStart);
    if (detActions) {
      stepDeterministic(N, H, h, nA, current, detActions, detOffset, reward, rOff, rs, nextStates, prob, resetMass, resetTable, last, rngState, states, actions, rewards);
      continue;
    }
    for (let i = 0; i < N; i++) {
      const s = current[i];
      const a = drawAction(pi, h, s, rng());
      const row = s * nA + a;
      const at = i * H + h;
      states[at] = s;
      actions[at] = a;
      rewards[at] = reward[rOff + row];
      if (last) continue;
      current[i] = drawNext(rs, nextStates, prob, resetMass, resetTable, row, rng());
    }
  }
  return { nS, nA, H, N, states, actions, rewards };
}

/**
 * The states a deterministic policy visits, without the rest of a dataset: states[h·N + i] is
 * trajectory i's state at step h (step-major, the order they are drawn in). Consumes the seed's stream
 * exactly as sampleTrajectories does, so these are the states of sampleTrajectories(mdp, pi, N, seed)
 * bit for bit; a sweep that needs only which (h, s) were seen skips the actions, rewards and
 * trajectory-major writes. `states` is written in place (length ≥ N·H) and returned.
 */
export function sampleVisitedStates(mdp: MDP, pi: DeterministicPolicy, N: number, seed: number | string, states: Int32Array): Int32Array {
  checkRollout(mdp, pi, N);
  const { nS, nA, H } = mdp;
  if (states.length < N * H) throw new CoreError(`sampleVisitedStates needs room for N·H = ${N * H} states, got ${states.length}`, 'argument');
  const rng = aleaState(seed);
  const start = cachedAliasTable(mdp.rho);
  for (let i = 0; i < N; i++) states[i] = sampleAlias(start, aleaNext(rng));
  const stride = pi.stationary ? 0 : nS;
  const kernelAt = (h: number) => (mdp.transitions.length === 1 ? mdp.transitions[0] : transitionsAt(mdp, h));
  // Steps that share a kernel are drawn in one call: a sweep samples datasets of ~40 trajectories, so a
  // call per step would cost about as much as its draws.
  for (let h = 0; h + 1 < H; ) {
    const t = kernelAt(h);
    let until = h + 1;
    while (until + 1 < H && kernelAt(until) === t) until++;
    const resetTable = t.reset ? cachedAliasTable(t.reset.to) : null;
    stepsStates(N, h, until, nA, pi.action, stride, int32Offsets(t.rowStart), t.next, t.prob, t.reset ? t.reset.mass : null, resetTable, rng, states);
    h = until;
  }
  return states;
}

/**
 * Which (h, s) sampleVisitedStates would visit, for a deterministic policy whose every row resets (an
 * MDP with a stationary kernel whose reset part the caller has checked takes all of each row the policy
 * plays from every reachable state, as every Reset Cliff expert step does): each next state is then a
 * draw from the reset distribution, whatever the state, which is what drawNext makes of such a row. So
 * the draws are sampleVisitedStates' bit for bit; they are recorded as seen[h·|S| + s] = mark instead
 * of a state per sample, which is all per-step BC needs. One tight loop of alias draws.
 */
export function markResetOnlyVisits(mdp: MDP, N: number, seed: number | string, seen: Int32Array, mark: number): Int32Array {
  const reset = mdp.transitions.length === 1 ? mdp.transitions[0].reset : undefined;
  if (!reset) throw new CoreError('markResetOnlyVisits needs a stationary kernel with a reset part', 'argument');
  if (seen.length < mdp.nS * mdp.H) throw new CoreError(`markResetOnlyVisits needs room for |S|·H = ${mdp.nS * mdp.H} marks, got ${seen.length}`, 'argument');
  const rng = aleaState(seed);
  markDraws(cachedAliasTable(mdp.rho), rng, seen, mark, N, 0, 1, mdp.nS);
  markDraws(cachedAliasTable(reset.to), rng, seen, mark, N, 1, mdp.H, mdp.nS);
  return seen;
}

/**
 * markResetOnlyVisits for two seeds at once, into seen[offsetA + …] and seen[offsetB + …]: the same
 * marks as two calls. Each stream's draws form a chain of dependent floating-point operations (≈ 3 ns a
 * draw here); drawing two independent streams in one loop lets their chains overlap (≈ 1.5× the draws
 * per second).
 */
export function markResetOnlyVisitsPair(mdp: MDP, N: number, seedA: number | string, seedB: number | string, seen: Int32Array, offsetB: number, mark: number): void {
  const reset = mdp.transitions.length === 1 ? mdp.transitions[0].reset : undefined;
  if (!reset) throw new CoreError('markResetOnlyVisitsPair needs a stationary kernel with a reset part', 'argument');
  const size = mdp.nS * mdp.H;
  if (!(offsetB >= size) || seen.length < offsetB + size) throw new CoreError(`markResetOnlyVisitsPair needs two tables of |S|·H = ${size} marks, the second at offsetB ≥ ${size}`, 'argument');
  const rngA = pairStates[0];
  const rngB = pairStates[1];
  aleaStatePair(seedA, seedB, rngA, rngB);
  markDrawsPair(cachedAliasTable(mdp.rho), rngA, rngB, seen, offsetB, mark, N, 0, 1, mdp.nS);
  markDrawsPair(cachedAliasTable(reset.to), rngA, rngB, seen, offsetB, mark, N, 1, mdp.H, mdp.nS);
}

/** The two generator states of markResetOnlyVisitsPair, reused (it runs to its end before any other call). */
const pairStates = [new Float64Array(4), new Float64Array(4)] as const;

/** markDraws for two streams, interleaved draw by draw; stream B marks at offsetB + h·|S| + s. */
function markDrawsPair(
  table: AliasTable,
  rngA: Float64Array,
  rngB: Float64Array,
  seen: Int32Array,
  offsetB: number,
  mark: number,
  N: number,
  from: number,
  to: number,
  nS: number,
): void {
  const guide = table.guide;
  const buckets = guide.length;
  let a0 = rngA[0];
  let a1 = rngA[1];
  let a2 = rngA[2];
  let ac = rngA[3];
  let b0 = rngB[0];
  let b1 = rngB[1];
  let b2 = rngB[2];
  let bc = rngB[3];
  for (let h = from; h < to; h++) {
    const offsetA = h * nS;
    for (let i = 0; i < N; i++) {
      const ta = aleaMix(a0, ac);
      const tb = aleaMix(b0, bc);
      a0 = a1;
      a1 = a2;
      ac = aleaCarry(ta);
      a2 = ta - ac;
      b0 = b1;
      b1 = b2;
      bc = aleaCarry(tb);
      b2 = tb - bc;
      const ga = guide[(a2 * buckets) | 0];
      const gb = guide[(b2 * buckets) | 0];
      seen[offsetA + (ga >= 0 ? ga : sampleAlias(table, a2))] = mark;
      seen[offsetB + offsetA + (gb >= 0 ? gb : sampleAlias(table, b2))] = mark;
    }
  }
  rngA[0] = a0;
  rngA[1] = a1;
  rngA[2] = a2;
  rngA[3] = ac;
  rngB[0] = b0;
  rngB[1] = b1;
  rngB[2] = b2;
  rngB[3] = bc;
}

/** For each step h in [from, to), N successive draws s from the alias table set seen[h·|S| + s] = mark. */
function markDraws(table: AliasTable, rng: Float64Array, seen: Int32Array, mark: number, N: number, from: number, to: number, nS: number): void {
  const guide = table.guide;
  const buckets = guide.length;
  let s0 = rng[0];
  let s1 = rng[1];
  let s2 = rng[2];
  let c = rng[3];
  for (let h = from; h < to; h++) {
    const offset = h * nS;
    for (let i = 0; i < N; i++) {
      const t = aleaMix(s0, c);
      s0 = s1;
      s1 = s2;
      c = aleaCarry(t);
      s2 = t - c;
      const g = guide[(s2 * buckets) | 0];
      seen[offset + (g >= 0 ? g : sampleAlias(table, s2))] = mark;
    }
  }
  rng[0] = s0;
  rng[1] = s1;
  rng[2] = s2;
  rng[3] = c;
}

/**
 * Steps h … until − 1 of sampleVisitedStates, under one kernel: the states of step h (at h·N) lead to
 * those of step h + 1. The alea state lives in locals throughout (the same recurrence as aleaNext).
 */
function stepsStates(
  N: number,
  h: number,
  until: number,
  nA: number,
  policy: Int32Array,
  policyStride: number,
  rs: Int32Array | Uint32Array,
  nextStates: Int32Array,
  prob: Float64Array,
  resetMass: Float64Array | null,
  resetTable: AliasTable | null,
  rng: Float64Array,
  states: Int32Array,
): void {
  let s0 = rng[0];
  let s1 = rng[1];
  let s2 = rng[2];
  let c = rng[3];
  for (; h < until; h++) {
    const policyOffset = h * policyStride;
    for (let i = h * N, end = i + N; i < end; i++) {
      const s = states[i];
      const row = s * nA + policy[policyOffset + s];
      const t = aleaMix(s0, c);
      s0 = s1;
      s1 = s2;
      c = aleaCarry(t);
      s2 = t - c;
      states[i + N] = drawNext(rs, nextStates, prob, resetMass, resetTable, row, s2);
    }
  }
  rng[0] = s0;
  rng[1] = s1;
  rng[2] = s2;
  rng[3] = c;
}

/** Monte Carlo estimate of V(π): mean return of N rollouts and its standard error. */
export function monteCarloValue(mdp: MDP, pi: Policy, N: number, seed: number | string): { mean: number; se: number; n: number } {
  if (!Number.isInteger(N) || N < 1) throw new CoreError(`Monte Carlo needs at least one trajectory, got ${N}`, 'argument');
  const d = sampleTrajectories(mdp, pi, N, seed);
  const returns = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let total = 0;
    for (let h = 0; h < mdp.H; h++) total += d.rewards![i * mdp.H + h];
    returns[i] = total;
  }
  return meanAndStandardError(returns);
}
