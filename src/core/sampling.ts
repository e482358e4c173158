/**
 * Seeded rollouts of a policy in an MDP. The same (MDP, policy, N, seed) gives the same dataset bit for
 * bit on every run and machine: one alea stream, consumed in a fixed order — one uniform for s_1, one
 * per action of a non-deterministic policy, one per transition.
 */
import type { Dataset } from './dataset';
import { CoreError } from './errors';
import { Scratch } from './scratch';
import { rewardOffset, transitionsAt, type MDP, type Transitions } from './mdp';
import type { DeterministicPolicy, Policy } from './policy';
import { aleaNext, aleaState, aleaStatePair, aliasTable, sampleAlias, type AliasTable } from './random';
import { meanAndStandardError } from './regression';
import { int32Offsets, markDraws, markDrawsPair, packPolicyStep, PACKED_WIDTH, stepDeterministic, stepDeterministicPacked, stepDrawingActions, stepsStates } from './kernels';

function checkRollout(mdp: MDP, pi: Policy, N: number): void {
  if (!Number.isInteger(N) || N < 0) throw new CoreError(`the number of trajectories must be a non-negative integer, got ${N}`, 'argument');
  if (pi.nS !== mdp.nS || pi.nA !== mdp.nA) throw new CoreError('the policy and the MDP disagree on |S| or |A|', 'shape-mismatch');
  if (!pi.stationary && pi.H < mdp.H) throw new CoreError(`the policy covers ${pi.H} steps, the MDP's horizon is ${mdp.H}`, 'shape-mismatch');
}

/**
 * Above this many states the packed rows (kernels/draws.ts, 64 B a state) would cost more memory than
 * they are worth.
 */
const MAX_PACKED_STATES = 1 << 20;
const packedScratch = new Scratch((n) => new Float64Array(n));

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
   * old contents are gone). Fresh arrays are first touched page by page, a page fault each, which
   * costs a good part of the sampling on some machines, so a loop that draws many datasets and keeps
   * none can reuse one.
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
  // policy or kernel stays in cache while N draws use it, where trajectory-major order would move to
  // another step's slice on every draw. The stream is consumed in this fixed order, so seeds stay
  // reproducible.
  for (let i = 0; i < N; i++) current[i] = sampleAlias(start, aleaNext(rngState));
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
    if (detActions) stepDeterministic(N, H, h, nA, current, detActions, detOffset, reward, rOff, rs, nextStates, prob, resetMass, resetTable, last, rngState, states, actions, rewards);
    else stepDrawingActions(N, H, h, nA, pi, current, reward, rOff, rs, nextStates, prob, resetMass, resetTable, last, rngState, states, actions, rewards);
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
 * draw from the reset distribution, whatever the state, which is what drawNext (kernels/draws.ts) makes
 * of such a row. So the draws are sampleVisitedStates' bit for bit; they are recorded as
 * seen[h·|S| + s] = mark instead of a state per sample, which is all per-step BC needs. One tight loop
 * of alias draws.
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
 * marks as two calls. Each stream's draws form a chain of dependent floating-point operations; drawing
 * two independent streams in one loop (markDrawsPair) lets their chains overlap.
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
