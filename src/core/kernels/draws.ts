/**
 * The sampler's inner loops (sampling.ts): each step of N trajectories, or of N visits, as one small
 * function over typed arrays with the alea state in locals (kernels/alea.ts). Every loop consumes the
 * stream in sampling.ts's fixed order — one uniform per action of a non-deterministic policy, one per
 * transition, none after the last step — so that the general, packed, states-only and reset-only paths
 * draw the same dataset from a seed; kernels/index.ts lists which must agree with which.
 */
import type { Transitions } from '../mdp';
import { countRowIndex, countRowTotal, type Policy } from '../policy';
import { aleaNext, sampleAlias, type AliasTable } from '../random';
import { aleaCarry, aleaMix, fillDraws } from './alea';

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
 * locals for the whole step (kernels/alea.ts) and is written back at the end.
 */
export function stepDeterministic(
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
 * One step of every trajectory under a stochastic or count policy: an action draw, then (unless the
 * step is the last) a transition draw, trajectory by trajectory, on the stream in `rng`.
 */
export function stepDrawingActions(
  N: number,
  H: number,
  h: number,
  nA: number,
  pi: Policy,
  current: Int32Array,
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
  for (let i = 0; i < N; i++) {
    const s = current[i];
    const a = drawAction(pi, h, s, aleaNext(rng));
    const row = s * nA + a;
    const at = i * H + h;
    states[at] = s;
    actions[at] = a;
    rewards[at] = reward[rOff + row];
    if (last) continue;
    current[i] = drawNext(rs, nextStates, prob, resetMass, resetTable, row, aleaNext(rng));
  }
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
export const PACKED_WIDTH = 8;
const PACKED_ENTRIES = 4;

/**
 * Packs row (s, policy[offset + s]) of every state whose action differs from policy[previous + s]
 * (every state when previous < 0). False, with the table unfinished, when such a row has no entries or
 * more than four: the step then needs the general path.
 */
export function packPolicyStep(
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
export function stepDeterministicPacked(
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
    // branches, and a random u mispredicts the chain's branches about once a draw.
    const entry = Number(u >= packed[base + 1]) + Number(u >= packed[base + 2]) + Number(u >= packed[base + 3]);
    current[i] = packed[base + 4 + entry];
  }
}


/** markDraws for two streams, interleaved draw by draw; stream B marks at offsetB + h·|S| + s. */
export function markDrawsPair(
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
export function markDraws(table: AliasTable, rng: Float64Array, seen: Int32Array, mark: number, N: number, from: number, to: number, nS: number): void {
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
 * those of step h + 1. The alea state lives in locals throughout (kernels/alea.ts).
 */
export function stepsStates(
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
