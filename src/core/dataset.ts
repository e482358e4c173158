/**
 * Expert datasets D = {tr^1 … tr^N} (docs/theory.md §1) and what the theory measures on them: per-step
 * counts n_h(s, a), coverage, and the missing mass M(D) of §3.
 *
 * Trajectory i's step h sits at i·H + h. A state of −1 means "no observation" (an imported episode
 * shorter than H) and is skipped by every count.
 */
import { CoreError } from './errors';
import { Scratch } from './scratch';
import { visitation } from './evaluation';
import type { MDP } from './mdp';
import type { Policy } from './policy';

export interface Dataset {
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  readonly N: number;
  readonly states: Int32Array;
  readonly actions: Int32Array;
  readonly rewards?: Float64Array;
}

/** Builds a dataset from [state, action] pairs per trajectory (shorter trajectories are padded with −1). */
export function datasetFromTrajectories(
  nS: number,
  nA: number,
  H: number,
  trajectories: readonly (readonly (readonly [number, number])[])[],
): Dataset {
  const N = trajectories.length;
  const states = new Int32Array(N * H).fill(-1);
  const actions = new Int32Array(N * H).fill(-1);
  trajectories.forEach((tr, i) => {
    if (tr.length > H) throw new CoreError(`trajectory ${i} has ${tr.length} steps but the horizon is ${H}`, 'dataset');
    tr.forEach(([s, a], h) => {
      if (!Number.isInteger(s) || s < 0 || s >= nS) {
        throw new CoreError(`trajectory ${i}, step ${h + 1}: state ${s} is outside 0…${nS - 1}`, 'dataset');
      }
      if (!Number.isInteger(a) || a < 0 || a >= nA) {
        throw new CoreError(`trajectory ${i}, step ${h + 1}: action ${a} is outside 0…${nA - 1}`, 'dataset');
      }
      states[i * H + h] = s;
      actions[i * H + h] = a;
    });
  });
  return { nS, nA, H, N, states, actions };
}

/** Checks a dataset's shape and indices; throws CoreError naming the first bad entry. */
export function checkDataset(d: Dataset): void {
  const { nS, nA, H, N } = d;
  for (const [name, v] of [
    ['nS', nS],
    ['nA', nA],
    ['H', H],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new CoreError(`dataset ${name} must be a positive integer, got ${v}`, 'dataset');
  }
  if (!Number.isInteger(N) || N < 0) throw new CoreError(`dataset N must be a non-negative integer, got ${N}`, 'dataset');
  if (!(d.states instanceof Int32Array) || !(d.actions instanceof Int32Array) || d.states.length !== N * H || d.actions.length !== N * H) {
    throw new CoreError(`dataset states and actions must be Int32Arrays of N·H = ${N * H} entries`, 'dataset');
  }
  for (let k = 0; k < N * H; k++) {
    const s = d.states[k];
    if (s === -1) continue;
    const a = d.actions[k];
    if (s >= 0 && s < nS && a >= 0 && a < nA) continue;
    const where = `trajectory ${Math.floor(k / H)}, step ${(k % H) + 1}`;
    if (s < 0 || s >= nS) throw new CoreError(`${where}: state ${s} is outside 0…${nS - 1}`, 'dataset');
    throw new CoreError(`${where}: action ${a} is outside 0…${nA - 1}`, 'dataset');
  }
}

export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  if (a.nS !== b.nS || a.nA !== b.nA || a.H !== b.H) throw new CoreError('only datasets with the same |S|, |A| and H can be joined', 'dataset');
  const states = new Int32Array(a.states.length + b.states.length);
  states.set(a.states);
  states.set(b.states, a.states.length);
  const actions = new Int32Array(a.actions.length + b.actions.length);
  actions.set(a.actions);
  actions.set(b.actions, a.actions.length);
  return { nS: a.nS, nA: a.nA, H: a.H, N: a.N + b.N, states, actions };
}

/** The first n trajectories of a dataset (views of the same memory, no copy). */
export function firstTrajectories(d: Dataset, n: number): Dataset {
  if (!Number.isInteger(n) || n < 0 || n > d.N) throw new CoreError(`cannot take ${n} of the dataset's ${d.N} trajectories`, 'argument');
  const end = n * d.H;
  return {
    nS: d.nS,
    nA: d.nA,
    H: d.H,
    N: n,
    states: d.states.subarray(0, end),
    actions: d.actions.subarray(0, end),
    ...(d.rewards ? { rewards: d.rewards.subarray(0, end) } : {}),
  };
}

/**
 * n_h(s, a) in the layout of CountPolicy: per block (a step, or one pooled block) the seen states in
 * ascending order, each with its nonzero counts as (action, count) entries in action order. A state
 * whose samples all weigh 0 carries no information and is left out (unseen). O(N·H + blocks·|S|) time,
 * O(N·H) memory.
 */
export interface StepCounts {
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  readonly pooled: boolean;
  readonly blockStart: Uint32Array;
  readonly states: Int32Array;
  readonly entryStart: Uint32Array;
  readonly entryAction: Int32Array;
  readonly entryCount: Float64Array;
}

export function stepCounts(d: Dataset, options: { pooled?: boolean; weights?: Float64Array } = {}): StepCounts {
  checkDataset(d);
  const { nS, nA, H, N } = d;
  const pooled = options.pooled ?? false;
  const blocks = pooled ? 1 : H;
  // Per step, the samples of block h sit at h, h + H, … in the trajectory-major dataset. A large
  // dataset is copied step-major once so every pass reads one contiguous run per block instead of
  // striding across memory; a small one (in cache anyway) is read in place. Either way each block sees
  // its samples in the order of k, so weighted sums are the same bit for bit.
  const perBlock = pooled ? N * H : N;
  const transpose = !pooled && N * H > STRIDED_SAMPLES;
  const stride = transpose || pooled ? 1 : H;
  const blockFirst = (b: number) => (pooled ? 0 : transpose ? b * N : b);
  // + 1: reading states off the stamps writes one slot past the last seen state.
  const maxDistinct = Math.min(blocks * nS, N * H) + 1;
  const copies = transpose ? 2 * N * H : 0;
  const scratch = int32Scratch.atLeast(nS + copies + maxDistinct + 2 * (blocks + 1));
  const stamp = scratch.subarray(0, nS).fill(0);
  const st = transpose ? stepMajor(d.states, N, H, scratch.subarray(nS, nS + N * H)) : d.states;
  const ac = transpose ? stepMajor(d.actions, N, H, scratch.subarray(nS + N * H, nS + copies)) : d.actions;
  const weights = options.weights && transpose ? stepMajor(options.weights, N, H, new Float64Array(N * H)) : options.weights;
  const distinct = scratch.subarray(nS + copies, nS + copies + maxDistinct);
  const starts = scratch.subarray(nS + copies + maxDistinct, nS + copies + maxDistinct + blocks + 1);
  const blockStart = scratch.subarray(nS + copies + maxDistinct + blocks + 1, nS + copies + maxDistinct + 2 * (blocks + 1));
  // stamp[s] = block + 1 marks s as seen in the current block: linear passes instead of a sort of
  // every sample (only the distinct states of a block are sorted, in place).
  let total = 0;
  starts[0] = 0;
  for (let b = 0; b < blocks; b++) {
    let n = 0;
    const end = blockFirst(b) + perBlock * stride;
    for (let k = blockFirst(b); k < end; k += stride) {
      const s = st[k];
      if (s >= 0 && stamp[s] !== b + 1) {
        stamp[s] = b + 1;
        distinct[total + n++] = s;
      }
    }
    // Many distinct states: reading them off the stamps in state order costs O(|S|), less than sorting.
    // Every slot is written and the end advances by whether s was seen: no branch to mispredict.
    if (n > 32 && n * Math.log2(n) > nS) {
      let j = total;
      for (let s = 0; s < nS; s++) {
        distinct[j] = s;
        j += Number(stamp[s] === b + 1);
      }
    } else sortRange(distinct, total, total + n);
    total += n;
    starts[b + 1] = total;
  }
  // At most one entry per sample, and |A| per seen state.
  const maxEntries = Math.min(N * H, total * nA);
  const entryInt32 = entryInt32Scratch.atLeast(total + 1 + maxEntries);
  const rowEntryStart = entryInt32.subarray(0, total + 1);
  const entryAction = entryInt32.subarray(total + 1, total + 1 + maxEntries);
  const entryCount = entryFloat64Scratch.atLeast(maxEntries);
  // A block's samples are summed into a dense |S|·|A| table (small, so it stays in cache), then its
  // seen rows are read out in state order and zeroed again: 2–3× faster than adding into the output
  // through a state → row map, and in the same order of additions per cell. Only nonzero counts are
  // kept (and only they need zeroing again).
  const dense = denseScratch.atLeast(nS * nA);
  blockStart[0] = 0;
  let kept = 0;
  let e = 0;
  rowEntryStart[0] = 0;
  for (let b = 0; b < blocks; b++) {
    const end = blockFirst(b) + perBlock * stride;
    if (weights) {
      for (let k = blockFirst(b); k < end; k += stride) {
        const s = st[k];
        if (s >= 0) dense[s * nA + ac[k]] += weights[k];
      }
    } else {
      for (let k = blockFirst(b); k < end; k += stride) {
        const s = st[k];
        if (s >= 0) dense[s * nA + ac[k]] += 1;
      }
    }
    for (let j = starts[b]; j < starts[b + 1]; j++) {
      const state = distinct[j];
      const from = state * nA;
      const first = e;
      for (let a = 0; a < nA; a++) {
        const c = dense[from + a];
        if (c !== 0) {
          entryAction[e] = a;
          entryCount[e++] = c;
          dense[from + a] = 0;
        }
      }
      if (e === first) continue;
      distinct[kept++] = state;
      rowEntryStart[kept] = e;
    }
    blockStart[b + 1] = kept;
  }
  const out = countArrays(kept, e, blocks);
  out.blockStart.set(blockStart);
  out.states.set(distinct.subarray(0, kept));
  out.entryStart.set(rowEntryStart.subarray(0, kept + 1));
  out.entryAction.set(entryAction.subarray(0, e));
  out.entryCount.set(entryCount.subarray(0, e));
  return { nS, nA, H, pooled, ...out };
}

/*
 * stepCounts' scratch never leaves it, so it is reused across calls (see Scratch). Results get one
 * buffer when small (one backing store instead of five); large ones a buffer per array, so posting one
 * to a worker or a webview copies only it.
 */
const SMALL = 1 << 18;
/** Up to this many samples a dataset is counted in place, without a step-major copy. */
const STRIDED_SAMPLES = 1 << 15;
const int32Scratch = new Scratch((n) => new Int32Array(n));
/** Rows' entry offsets and actions (Int32) and the entries' counts (Float64), before they are copied out. */
const entryInt32Scratch = new Scratch((n) => new Int32Array(n));
const entryFloat64Scratch = new Scratch((n) => new Float64Array(n));
/** stepCounts' per-block table, all zeros between calls (each block zeroes the rows it filled). */
const denseScratch = new Scratch((n) => new Float64Array(n));

function countArrays(
  rows: number,
  entries: number,
  blocks: number,
): { blockStart: Uint32Array; states: Int32Array; entryStart: Uint32Array; entryAction: Int32Array; entryCount: Float64Array } {
  if (entries > SMALL) {
    return { blockStart: new Uint32Array(blocks + 1), states: new Int32Array(rows), entryStart: new Uint32Array(rows + 1), entryAction: new Int32Array(entries), entryCount: new Float64Array(entries) };
  }
  // Float64 first, so every view is aligned.
  const buffer = new ArrayBuffer(8 * entries + 4 * (entries + rows + rows + 1 + blocks + 1));
  const actionsAt = 8 * entries;
  const statesAt = actionsAt + 4 * entries;
  const entryStartAt = statesAt + 4 * rows;
  const blockStartAt = entryStartAt + 4 * (rows + 1);
  return {
    entryCount: new Float64Array(buffer, 0, entries),
    entryAction: new Int32Array(buffer, actionsAt, entries),
    states: new Int32Array(buffer, statesAt, rows),
    entryStart: new Uint32Array(buffer, entryStartAt, rows + 1),
    blockStart: new Uint32Array(buffer, blockStartAt, blocks + 1),
  };
}

/** Sorts x[from … to) ascending in place: insertion sort for the short runs of small datasets. */
function sortRange(x: Int32Array, from: number, to: number): void {
  if (to - from > 32) {
    x.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = x[i];
    let j = i - 1;
    while (j >= from && x[j] > v) {
      x[j + 1] = x[j];
      j--;
    }
    x[j + 1] = v;
  }
}

/**
 * The N × H table x (trajectory i's step h at i·H + h) as H × N (step h's trajectory i at h·N + i),
 * written into `out`. Callers allocate with a concrete constructor: `new x.constructor()` takes V8's
 * slow generic path, which costs more than the copy for a sweep's small datasets.
 */
function stepMajor<T extends Int32Array | Float64Array>(x: T, N: number, H: number, out: T): T {
  for (let i = 0; i < N; i++) {
    const row = i * H;
    for (let h = 0; h < H; h++) out[h * N + i] = x[row + h];
  }
  return out;
}

/** Number of distinct states seen at each step. */
export function coverage(d: Dataset): Int32Array {
  const c = stepCounts(d);
  const out = new Int32Array(d.H);
  for (let h = 0; h < d.H; h++) out[h] = c.blockStart[h + 1] - c.blockStart[h];
  return out;
}

export interface MissingMass {
  /** M(D) = Σ_h Σ_s d^{π^E}_h(s) · 1(s unseen at step h). */
  readonly total: number;
  readonly perStep: Float64Array;
}

/** Missing mass with respect to the expert's visitation (§3), streaming d_h: O(H·nnzπ + N·H log) time, O(|S|) memory. */
export function missingMass(mdp: MDP, expert: Policy, d: Dataset): MissingMass {
  if (d.nS !== mdp.nS || d.H < mdp.H) throw new CoreError('the dataset does not match the MDP (|S| or H)', 'shape-mismatch');
  const counts = stepCounts(d);
  const perStep = new Float64Array(mdp.H);
  const seen = new Uint8Array(mdp.nS);
  visitation(mdp, expert, {
    store: false,
    onStep: (h, dist) => {
      seen.fill(0);
      for (let i = counts.blockStart[h]; i < counts.blockStart[h + 1]; i++) seen[counts.states[i]] = 1;
      let missing = 0;
      for (let s = 0; s < dist.length; s++) if (seen[s] === 0) missing += dist[s];
      perStep[h] = missing;
    },
  });
  let total = 0;
  for (const m of perStep) total += m;
  return { total, perStep };
}

/** E[M(D)] = Σ_h Σ_s d_h(s)(1 − d_h(s))^N for N independent expert trajectories (§3). */
export function expectedMissingMass(mdp: MDP, expert: Policy, N: number): number {
  let total = 0;
  visitation(mdp, expert, {
    store: false,
    onStep: (_h, dist) => {
      for (let s = 0; s < dist.length; s++) {
        const p = dist[s];
        if (p > 0) total += p * Math.pow(1 - p, N);
      }
    },
  });
  return total;
}
