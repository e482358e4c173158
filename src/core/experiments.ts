/**
 * Gap-vs-H and gap-vs-N sweeps (docs/theory.md §4–6): for every horizon (or dataset size) and every seed,
 * draw a fresh expert dataset, run an imitation learner on it (BC unless the spec names another one in
 * ./algorithms), and evaluate the learned policy exactly. Seeds are derived from
 * (baseSeed, sweep kind, x, seed index), so any single point can be recomputed alone and a sweep can be
 * split across workers or machines with identical results.
 */
import { IMITATION_ALGORITHMS, learnerOf, prepareLearners, type AlgorithmName } from './algorithms';
import type { BcMode } from './bc';
import { bcInstanceBound, bcUpperBound } from './bounds';
import { CoreError } from './errors';
import { policyValue } from './evaluation';
import { dependsOnN, environmentEntry, makeEnvironment, specAt, type ClosedForm, type Environment, type EnvironmentSpec } from './envs';
import { withHorizon } from './mdp';
import { isDeterministic, type Policy } from './policy';
import { PerStepBcGap, perStepBcGapApplies } from './perStepBcGap';
import { deriveSeed } from './random';
import { logLogSlope, meanAndStandardError } from './regression';
import { sampleTrajectories } from './sampling';

export interface SweepRow {
  /** H for gap-vs-H, N for gap-vs-N. */
  readonly x: number;
  readonly mean: number;
  readonly se: number;
  readonly seeds: number;
  /** E[gap] in closed form where one is known (per-step BC on the Reset Cliff and its recovery variant). */
  readonly closedForm?: number;
  /** min{H, |S|H²/N} (or with log N for a stochastic expert), up to a constant. */
  readonly bound: number;
  /** The explicit-constant instance bound of docs/theory.md §4 (deterministic experts only). */
  readonly instanceBound?: number;
}

export interface SweepResult {
  readonly kind: 'gap-vs-H' | 'gap-vs-N';
  readonly rows: readonly SweepRow[];
  /** Least-squares slope of log(mean gap) against log(x) over the chosen range. */
  readonly slope?: { readonly slope: number; readonly intercept: number; readonly from: number; readonly to: number };
  readonly boundFormula: string;
  readonly closedFormFormula?: string;
  readonly description: string;
  /** The fixed parameter: N for gap-vs-H, H for gap-vs-N. */
  readonly fixed: { readonly name: 'N' | 'H'; readonly value: number };
  readonly mode: BcMode;
  /** The learner whose gaps these are. */
  readonly algorithm: AlgorithmName;
}

interface SweepCommon {
  readonly env: EnvironmentSpec;
  /** Number of datasets (seeds) per point. */
  readonly seeds: number;
  readonly mode?: BcMode;
  /** The learner (default 'bc'); see IMITATION_ALGORITHMS. */
  readonly algorithm?: AlgorithmName;
  /** Range of x over which to fit the log-log slope (default: every point). */
  readonly slopeRange?: readonly [number, number];
  readonly baseSeed?: number | string;
}

export interface GapVsHorizonSpec extends SweepCommon {
  readonly N: number;
  readonly horizons: readonly number[];
}

export interface GapVsSamplesSpec extends SweepCommon {
  readonly H: number;
  readonly sampleSizes: readonly number[];
}

export interface SweepControl {
  /** Called after every dataset with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between datasets; when set, the sweep stops with a CoreError of code 'cancelled'. */
  readonly signal?: { readonly aborted: boolean };
}

export interface SeedList {
  readonly length: number;
  at(index: number): string | undefined;
}

export interface PointSpec {
  readonly env: Environment;
  readonly N: number;
  readonly mode: BcMode;
  /** Default 'bc'. */
  readonly algorithm?: AlgorithmName;
  /**
   * Seeds for the datasets of this point, one per dataset: an array, or any list that derives them on
   * demand (a sweep of 10⁶ seeds then starts, and can be cancelled, at once).
   */
  readonly seeds: SeedList;
}

/**
 * The gaps V(π^E) − V(π̂) of one sweep point, one per seed, each from exact evaluation. The learner gets
 * the dataset's seed for its own randomness (it derives sub-seeds from it, so its streams never
 * coincide with the dataset's).
 */
export function sweepPointGaps(point: PointSpec, control: SweepControl = {}, doneBefore = 0, total = point.seeds.length): Float64Array {
  const { mdp, expert } = point.env;
  const learn = learnerOf(point.algorithm ?? 'bc');
  const learnerControl = { mode: point.mode, ...(control.signal ? { signal: control.signal } : {}) };
  const expertValue = policyValue(mdp, expert);
  const gaps = new Float64Array(point.seeds.length);
  // Per-step BC of a deterministic expert needs only the visited states: same gaps, no datasets.
  const fromVisited = perStepBcGapApplies(expert, point.algorithm ?? 'bc', point.mode) ? new PerStepBcGap(mdp, expert, point.N) : null;
  const learnerValue = (seed: string) =>
    fromVisited ? fromVisited.learnerValue(seed) : policyValue(mdp, learn(mdp, expert, sampleTrajectories(mdp, expert, point.N, seed), seed, learnerControl));
  const n = point.seeds.length;
  for (let i = 0; i < n; ) {
    if (control.signal?.aborted) throw new CoreError('the sweep was cancelled', 'cancelled');
    if (fromVisited?.drawsInPairs && i + 1 < n) {
      const values = fromVisited.learnerValuePair(point.seeds.at(i)!, point.seeds.at(i + 1)!);
      gaps[i] = expertValue - values[0];
      gaps[i + 1] = expertValue - values[1];
      i += 2;
    } else {
      gaps[i] = expertValue - learnerValue(point.seeds.at(i)!);
      i++;
    }
    control.onProgress?.(doneBefore + i, total);
  }
  return gaps;
}

function checkCommon(spec: Omit<SweepCommon, 'env'>, xs: readonly number[], name: string): void {
  if (!Number.isInteger(spec.seeds) || spec.seeds < 1) throw new CoreError(`seeds must be a positive integer, got ${spec.seeds}`, 'argument');
  if (xs.length === 0) throw new CoreError(`${name} must list at least one value`, 'argument');
  for (const x of xs) {
    if (!Number.isInteger(x) || x < 1) throw new CoreError(`${name} must be positive integers, got ${x}`, 'argument');
  }
  // Before any work: a worker thread would only find out on its first seed.
  learnerOf(spec.algorithm ?? 'bc');
}

function summarize(
  kind: SweepResult['kind'],
  spec: Omit<SweepCommon, 'env'>,
  rows: SweepRow[],
  env: Environment,
  fixed: SweepResult['fixed'],
  deterministicExpert: boolean,
  closedFormFormula: string | undefined,
): SweepResult {
  const mode = spec.mode ?? 'per-step';
  const algorithm = spec.algorithm ?? 'bc';
  const closedForm = rows.every((r) => r.closedForm !== undefined);
  let slope: SweepResult['slope'];
  const xs = rows.map((r) => r.x);
  const ys = rows.map((r) => r.mean);
  const [from, to] = spec.slopeRange ?? [-Infinity, Infinity];
  const usable = rows.filter((r) => r.x >= from && r.x <= to && r.mean > 0);
  if (new Set(usable.map((r) => r.x)).size >= 2) {
    const fit = logLogSlope(xs, ys, from, to);
    slope = { slope: fit.slope, intercept: fit.intercept, from: fit.from, to: fit.to };
  }
  const result: SweepResult = {
    kind,
    rows,
    boundFormula: deterministicExpert ? 'min{H, |S|H²/N}' : 'min{H, |S|H² log N / N}',
    description: `${env.description.replace(/ H=\d+/, '')}, ${learnerDescription(algorithm, mode)}, ${fixed.name}=${fixed.value}, ${spec.seeds} seeds per point`,
    fixed,
    mode,
    algorithm,
    ...(slope ? { slope } : {}),
    ...(closedForm && closedFormFormula ? { closedFormFormula } : {}),
  };
  return result;
}

function row(env: Environment, spec: Omit<SweepCommon, 'env'>, x: number, N: number, gaps: Float64Array, deterministicExpert: boolean, known: ClosedForm | undefined): SweepRow {
  const { mdp } = env;
  const { mean, se } = meanAndStandardError(gaps);
  const mode = spec.mode ?? 'per-step';
  // Both the closed forms and the instance bound are about BC; other learners get neither.
  const bc = (spec.algorithm ?? 'bc') === 'bc';
  const closedForm = known && bc && mode === 'per-step' ? known.expectedGap(mdp, N) : undefined;
  const out: SweepRow = {
    x,
    mean,
    se,
    seeds: gaps.length,
    bound: bcUpperBound(mdp.nS, mdp.H, N, deterministicExpert ? 'deterministic' : 'stochastic').value,
    ...(closedForm !== undefined ? { closedForm } : {}),
    ...(bc && deterministicExpert && mode === 'per-step' ? { instanceBound: bcInstanceBound(mdp, env.expert, N).value } : {}),
  };
  return out;
}

/**
 * One point of a sweep, ready to run anywhere: its environment, N, and how its seeds are derived
 * (`deriveSeed(seedBase, seedTag, x, i)` for i < seeds). Plain data plus typed arrays, so it can be
 * posted to a worker thread as it is.
 */
export interface SweepPoint {
  readonly x: number;
  readonly N: number;
  readonly env: Environment;
  readonly mode: BcMode;
  readonly algorithm: AlgorithmName;
  readonly seedBase: number | string;
  readonly seedTag: string;
  readonly seeds: number;
}

/** A sweep as independent points, and how their per-seed gaps become the result. */
export interface SweepPlan {
  readonly points: readonly SweepPoint[];
  assemble(gaps: readonly Float64Array[]): SweepResult;
}

/** The gaps of seeds [from, to) of a point: the unit of work a pool or a shard runs. */
export function sweepPointSlice(point: SweepPoint, from: number, to: number, control: SweepControl = {}, doneBefore = 0, total = to - from): Float64Array {
  const seeds: SeedList = { length: to - from, at: (i) => deriveSeed(point.seedBase, point.seedTag, point.x, from + i) };
  return sweepPointGaps({ env: point.env, N: point.N, mode: point.mode, algorithm: point.algorithm, seeds }, control, doneBefore, total);
}

/**
 * Loads what the plan's learners need (HiGHS for TV-AIL and MIMIC-MD, once per process or worker):
 * await it before runSweepPlan, which is synchronous. Resolves at once for BC, DAgger and GAIL.
 */
export function prepareSweep(plan: { readonly points: readonly { readonly algorithm: AlgorithmName }[] }): Promise<void> {
  return prepareLearners(plan.points.map((p) => p.algorithm));
}

/** Runs a plan on this thread (after `await prepareSweep(plan)` when its learner solves LPs). */
export function runSweepPlan(plan: SweepPlan, control: SweepControl = {}): SweepResult {
  const total = plan.points.reduce((n, p) => n + p.seeds, 0);
  let done = 0;
  const gaps = plan.points.map((point) => {
    const g = sweepPointSlice(point, 0, point.seeds, control, done, total);
    done += point.seeds;
    return g;
  });
  return plan.assemble(gaps);
}

function plan(
  kind: SweepResult['kind'],
  spec: Omit<SweepCommon, 'env'>,
  envs: readonly { x: number; N: number; env: Environment }[],
  fixed: SweepResult['fixed'],
  known: ClosedForm | undefined,
): SweepPlan {
  const mode = spec.mode ?? 'per-step';
  const algorithm = spec.algorithm ?? 'bc';
  // The seed tag does not name the learner: every algorithm sees the same datasets, seed for seed.
  const tag = kind === 'gap-vs-H' ? 'gap-vs-H' : 'gap-vs-N';
  const points = envs.map(({ x, N, env }) => ({ x, N, env, mode, algorithm, seedBase: spec.baseSeed ?? 0, seedTag: tag, seeds: spec.seeds }));
  return {
    points,
    assemble(gaps) {
      const deterministicExpert = envs.every(({ env }) => isDeterministic(env.expert));
      const rows = envs.map(({ x, N, env }, i) => row(env, spec, x, N, gaps[i], deterministicExpert, known));
      return summarize(kind, spec, rows, envs[envs.length - 1].env, fixed, deterministicExpert, known?.formula);
    },
  };
}

/** Where a sweep's x puts each point: its horizon and its dataset size. */
interface At {
  readonly x: number;
  readonly H: number;
  readonly N: number;
}

/**
 * The environments of a sweep's points, and the closed form when it holds at every one. A spec, or an
 * environment that says it was generated (`generator`), gives each point the generator's instance at
 * that point's H, and at its N where the instance depends on N (the Reset Cliffs' lower-bound ρ is
 * defined for one N); the expert is each instance's own unless the environment pairs the MDP with
 * another expert, which is then carried to each H by policyWithHorizon. Any other environment is its MDP
 * and expert over each point's horizon, with no closed form claimed.
 */
function pointEnvironments(source: EnvironmentSpec | Environment, at: readonly At[]): { envs: { x: number; N: number; env: Environment }[]; known: ClosedForm | undefined } {
  const given = 'mdp' in source ? source : undefined;
  const spec = given ? given.generator?.spec : (source as EnvironmentSpec);
  if (!spec) {
    const env = given!;
    const over = (H: number): Environment => (H === env.mdp.H ? env : { mdp: withHorizon(env.mdp, H), expert: policyWithHorizon(env.expert, H), description: env.description });
    return { envs: at.map(({ x, H, N }) => ({ x, N, env: over(H) })), known: undefined };
  }
  const ownExpert = !given || given.expert === given.generator!.expert;
  // The given environment is the instance at its own H (and N): no need to build it again.
  const isGiven = (H: number, N: number) => given !== undefined && H === given.mdp.H && (!dependsOnN(spec) || N === (spec as { readonly N?: number }).N);
  const build = (H: number, N: number): Environment => {
    if (isGiven(H, N)) return { mdp: given!.mdp, expert: given!.expert, description: given!.description };
    const built = makeEnvironment(specAt(spec, H, N));
    return { mdp: built.mdp, expert: ownExpert ? built.expert : policyWithHorizon(given!.expert, H), description: given?.description ?? built.description };
  };
  // Points at the same H (and N, where it matters) share one instance: a Garnet of 10⁶ states is built once.
  const instances = new Map<string, Environment>();
  const instance = (H: number, N: number): Environment => {
    const key = dependsOnN(spec) ? `${H} ${N}` : `${H}`;
    if (!instances.has(key)) instances.set(key, build(H, N));
    return instances.get(key)!;
  };
  const envs = at.map(({ x, H, N }) => ({ x, N, env: instance(H, N) }));
  const closedForm = environmentEntry(spec.kind)?.closedForm;
  return { envs, known: closedForm && envs.every(({ env }) => closedForm.appliesTo(env.expert)) ? closedForm : undefined };
}

function planOverHorizons(source: EnvironmentSpec | Environment, spec: SweepOptions & { readonly N: number; readonly horizons: readonly number[] }): SweepPlan {
  checkCommon(spec, spec.horizons, 'horizons');
  if (!Number.isInteger(spec.N) || spec.N < 1) throw new CoreError(`N must be a positive integer, got ${spec.N}`, 'argument');
  const { envs, known } = pointEnvironments(source, spec.horizons.map((H) => ({ x: H, H, N: spec.N })));
  return plan('gap-vs-H', spec, envs, { name: 'N', value: spec.N }, known);
}

function planOverSampleSizes(source: EnvironmentSpec | Environment, spec: SweepOptions & { readonly H: number; readonly sampleSizes: readonly number[] }): SweepPlan {
  checkCommon(spec, spec.sampleSizes, 'sampleSizes');
  if (!Number.isInteger(spec.H) || spec.H < 1) throw new CoreError(`H must be a positive integer, got ${spec.H}`, 'argument');
  const { envs, known } = pointEnvironments(source, spec.sampleSizes.map((N) => ({ x: N, H: spec.H, N })));
  return plan('gap-vs-N', spec, envs, { name: 'H', value: spec.H }, known);
}

/** Gap vs H on the environment of a spec: each point is its instance at that H (and at the sweep's N, for the lower-bound ρ). */
export function planGapVsHorizon(spec: GapVsHorizonSpec): SweepPlan {
  return planOverHorizons(spec.env, spec);
}

/** Gap vs N on the environment of a spec at horizon H: each point is its instance at that N where the instance depends on N. */
export function planGapVsSamples(spec: GapVsSamplesSpec): SweepPlan {
  return planOverSampleSizes(spec.env, spec);
}

/** Mean imitation gap of BC against the horizon H, N expert trajectories per dataset. */
export function gapVsHorizon(spec: GapVsHorizonSpec, control: SweepControl = {}): SweepResult {
  return runSweepPlan(planGapVsHorizon(spec), control);
}

/** Mean imitation gap of BC against the number N of expert trajectories, at a fixed horizon. */
export function gapVsSamples(spec: GapVsSamplesSpec, control: SweepControl = {}): SweepResult {
  return runSweepPlan(planGapVsSamples(spec), control);
}

/** The sweep parameters when the MDP and expert are given directly (e.g. read from an .ilmdp file). */
export type SweepOptions = Omit<SweepCommon, 'env'>;

/** How a sweep names its learner: BC and DAgger with their BC mode, the others by name alone (they fit no BC). */
function learnerDescription(algorithm: AlgorithmName, mode: BcMode): string {
  if (algorithm === 'bc') return `${mode} BC`;
  const { label, fitsBc } = IMITATION_ALGORITHMS[algorithm];
  return fitsBc ? `${label} (${mode} BC fits)` : label;
}

/** The same policy over a different horizon: stationary policies carry over, per-step ones are cut short. */
export function policyWithHorizon(pi: Policy, H: number): Policy {
  if (pi.stationary) return { ...pi, H };
  if (H > pi.H) {
    throw new CoreError(`the expert is defined step by step for H = ${pi.H}; a sweep up to H = ${H} needs a stationary expert (or one defined for at least ${H} steps)`, 'argument');
  }
  if (pi.kind === 'deterministic') return { ...pi, H, action: pi.action.subarray(0, H * pi.nS) };
  if (pi.kind === 'stochastic') return { ...pi, H, prob: pi.prob.subarray(0, H * pi.nS * pi.nA) };
  return { ...pi, H, blockStart: pi.blockStart.subarray(0, H + 1) };
}

/**
 * Gap vs H on a given environment. A generated one (`env.generator`, e.g. from makeEnvironment or an
 * .ilmdp file's generator) gives each point the generator's instance at that H, exactly as
 * planGapVsHorizon on its spec; any other is its MDP with the expert carried to each H by
 * policyWithHorizon.
 */
export function planGapVsHorizonOn(env: Environment, spec: SweepOptions & { readonly N: number; readonly horizons: readonly number[] }): SweepPlan {
  return planOverHorizons(env, spec);
}

/** Gap vs N on a given environment at horizon `H` (default: its own), each point built as planGapVsHorizonOn's are. */
export function planGapVsSamplesOn(env: Environment, spec: SweepOptions & { readonly sampleSizes: readonly number[]; readonly H?: number }): SweepPlan {
  return planOverSampleSizes(env, { ...spec, H: spec.H ?? env.mdp.H });
}

/** Gap vs H on a given environment: a generated one as gapVsHorizon on its spec, any other over its stationary expert (planGapVsHorizonOn). */
export function gapVsHorizonOn(env: Environment, spec: SweepOptions & { readonly N: number; readonly horizons: readonly number[] }, control: SweepControl = {}): SweepResult {
  return runSweepPlan(planGapVsHorizonOn(env, spec), control);
}

/** Gap vs N on a given environment at horizon `H` (default: its own); see planGapVsSamplesOn. */
export function gapVsSamplesOn(env: Environment, spec: SweepOptions & { readonly sampleSizes: readonly number[]; readonly H?: number }, control: SweepControl = {}): SweepResult {
  return runSweepPlan(planGapVsSamplesOn(env, spec), control);
}
