/**
 * The environments by kind: one entry each, and everything that needs to know an environment reads it
 * here. An entry lists its parameters (the `.ilmdp` key and the spec field of each, its type, whether it
 * is required, its default, one line saying what it is), builds its environment, and says what is known
 * about it: the closed form of per-step BC's E[gap] when there is one, and whether the instance depends
 * on the dataset size N. From the parameters come the spec guard (`isEnvironmentSpec`, which the worker
 * protocol uses), the keys and messages of the `.ilmdp` parser, and the JSON Schema's generator part
 * (a test keeps schemas/ilmdp.schema.json equal to it); the sweeps take the closed forms and the
 * N-dependence from here.
 */
import { CoreError } from '../errors';
import { isRecord } from '../guards';
import type { MDP } from '../mdp';
import type { Policy } from '../policy';
import { chain } from './chain';
import type { Environment } from './environment';
import { garnet } from './garnet';
import { gridworld } from './gridworld';
import { RESET_CLIFF_EXPERT_ACTION, RESET_CLIFF_GAP_FORMULA, resetCliff, resetCliffExpectedGap } from './resetCliff';
import { RESET_CLIFF_RECOVERY_GAP_FORMULA, resetCliffRecovery, resetCliffRecoveryExpectedGap } from './resetCliffRecovery';
import type { EnvironmentKind, EnvironmentSpec, SpecOf } from './spec';

/** What values a parameter takes. */
export type ParameterType =
  /** An integer ≥ min (min ≥ 1: a positive integer). */
  | { readonly type: 'integer'; readonly min: number }
  | { readonly type: 'number'; readonly min: number; readonly max: number }
  | { readonly type: 'choice'; readonly values: readonly string[] }
  /** A block of text (in a spec also its lines as an array of strings). */
  | { readonly type: 'text' }
  /** A seed: a number or a string. */
  | { readonly type: 'seed' };

export type EnvironmentParameter<S extends EnvironmentSpec = EnvironmentSpec> = ParameterType & {
  /** The key in an `.ilmdp` file's `mdp:` map. */
  readonly key: string;
  /** The field of the spec. */
  readonly field: Exclude<keyof S, 'kind'> & string;
  readonly required: boolean;
  /** The value when it is left out (optional parameters only; the constructor's own default, which a test checks). */
  readonly default?: number | string;
  /** One line saying what it is, for messages and the schema, e.g. "|S|, including the absorbing bad state". */
  readonly description: string;
};

/** E[gap] of per-step BC in closed form, for an environment that has one. */
export interface ClosedForm {
  readonly formula: string;
  /** E[V(π^E) − V(π^BC)] for per-step BC with N trajectories on this instance of the environment. */
  expectedGap(mdp: MDP, N: number): number;
  /**
   * Whether the closed form holds for this expert: it is derived for the environment's own expert, and an
   * .ilmdp file may define other experts on the same MDP.
   */
  appliesTo(expert: Policy): boolean;
}

export interface EnvironmentEntry<S extends EnvironmentSpec = EnvironmentSpec> {
  readonly kind: S['kind'];
  /** One line saying what it builds (the schema's description of the generator). */
  readonly description: string;
  /** Every parameter, the horizon included, in the order the parser reads and lists them. */
  readonly parameters: readonly EnvironmentParameter<S>[];
  /** The environment of a spec (its defaults already filled in, see withDefaults). */
  make(spec: S): Environment;
  readonly closedForm?: ClosedForm;
  /** True when the instance depends on the dataset size N (spec field `N`): sweeps then build it for each point's N. */
  dependsOnN?(spec: S): boolean;
}

const horizon = { key: 'horizon', field: 'H', type: 'integer', min: 1, required: true, description: 'H, the number of steps of an episode' } as const;

/** True when π plays the expert action on every good state at every step: the expert the Reset Cliffs' closed forms are derived for. */
export function isResetCliffExpert(pi: Policy): boolean {
  if (pi.kind !== 'deterministic') return false;
  const last = pi.nS - 1;
  const steps = pi.stationary ? 1 : pi.H;
  for (let h = 0; h < steps; h++) {
    for (let s = 0; s < last; s++) if (pi.action[h * pi.nS + s] !== RESET_CLIFF_EXPERT_ACTION) return false;
  }
  return true;
}

/** The parameters both Reset Cliffs share; they differ in their last state. */
function cliffParameters(last: string): readonly EnvironmentParameter<SpecOf<'reset-cliff'>>[] {
  return [
    { key: 'states', field: 'nS', type: 'integer', min: 2, required: true, description: `|S|, including ${last}` },
    { key: 'actions', field: 'nA', type: 'integer', min: 2, required: true, description: '|A|; action 0 is the expert action' },
    horizon,
    {
      key: 'rho',
      field: 'rho',
      type: 'choice',
      values: ['uniform', 'lower-bound'],
      required: false,
      default: 'uniform',
      description: 'the reset distribution ρ over the good states; lower-bound puts 1/(N+1) on |S|−2 of them and needs N',
    },
    { key: 'N', field: 'N', type: 'integer', min: 1, required: false, description: 'the dataset size the lower-bound ρ is built for' },
  ];
}

const lowerBound = (spec: { readonly rho?: unknown }) => spec.rho === 'lower-bound';

const slip = { key: 'slip', field: 'slip', type: 'number', min: 0, max: 1, required: false, default: 0, description: 'the probability that a move goes another way' } as const;

/** The registry, in the order messages list the kinds. */
export const ENVIRONMENTS: { readonly [K in EnvironmentKind]: EnvironmentEntry<SpecOf<K>> } = {
  'reset-cliff': {
    kind: 'reset-cliff',
    description: 'the Reset Cliff (docs/theory.md §5): the expert action earns 1 and redraws s′ ~ ρ, any other falls to the absorbing bad state',
    parameters: cliffParameters('the absorbing bad state'),
    make: resetCliff,
    closedForm: {
      formula: RESET_CLIFF_GAP_FORMULA,
      expectedGap: (mdp, N) => resetCliffExpectedGap(mdp.nA, mdp.rho, N, mdp.H),
      appliesTo: isResetCliffExpert,
    },
    dependsOnN: lowerBound,
  },
  'reset-cliff-recovery': {
    kind: 'reset-cliff-recovery',
    description: 'the Reset Cliff with a recovery state in place of the bad one: a mistake costs a step, the expert action leaves it',
    parameters: cliffParameters('the recovery state'),
    make: resetCliffRecovery,
    closedForm: {
      formula: RESET_CLIFF_RECOVERY_GAP_FORMULA,
      expectedGap: (mdp, N) => resetCliffRecoveryExpectedGap(mdp.nA, mdp.rho, N, mdp.H),
      appliesTo: isResetCliffExpert,
    },
    dependsOnN: lowerBound,
  },
  chain: {
    kind: 'chain',
    description: 'a chain where mistakes are recoverable, reward in the last state; the expert is the optimal policy',
    parameters: [
      { key: 'states', field: 'nS', type: 'integer', min: 2, required: true, description: '|S|; the episode starts in the first state, reward is earned in the last' },
      { key: 'actions', field: 'nA', type: 'integer', min: 2, required: true, description: '|A|; action 0 moves right, the others left' },
      horizon,
      slip,
    ],
    make: chain,
  },
  gridworld: {
    kind: 'gridworld',
    description: 'a gridworld from a character map, the goal absorbing with reward 1, a cliff dropping into an absorbing state with reward 0; the expert is the optimal policy',
    parameters: [
      { key: 'map', field: 'map', type: 'text', required: true, description: 'the grid, one line per row: # wall, . free, S start, G goal, C cliff' },
      horizon,
      slip,
    ],
    make: gridworld,
  },
  garnet: {
    kind: 'garnet',
    description: 'a random Garnet MDP, the same for the same seed; the expert is the optimal policy',
    parameters: [
      { key: 'states', field: 'nS', type: 'integer', min: 1, required: true, description: '|S|' },
      { key: 'actions', field: 'nA', type: 'integer', min: 1, required: true, description: '|A|' },
      horizon,
      { key: 'branching', field: 'branching', type: 'integer', min: 1, required: true, description: 'the number of successors of each (s, a), at most |S|' },
      { key: 'seed', field: 'seed', type: 'seed', required: true, description: 'the seed the random MDP is drawn from' },
    ],
    make: garnet,
  },
};

export const ENVIRONMENT_KINDS = Object.keys(ENVIRONMENTS) as readonly EnvironmentKind[];

/** The entry of a kind, or undefined for a name that is none. */
export function environmentEntry(kind: unknown): EnvironmentEntry | undefined {
  return typeof kind === 'string' && Object.hasOwn(ENVIRONMENTS, kind) ? (ENVIRONMENTS[kind as EnvironmentKind] as EnvironmentEntry) : undefined;
}

/** Whether a value is one a parameter takes. */
export function isParameterValue(p: ParameterType, v: unknown): boolean {
  switch (p.type) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= p.min;
    case 'number':
      return typeof v === 'number' && v >= p.min && v <= p.max;
    case 'choice':
      return typeof v === 'string' && p.values.includes(v);
    case 'text':
      return typeof v === 'string' || (Array.isArray(v) && v.every((line) => typeof line === 'string'));
    case 'seed':
      return typeof v === 'number' || typeof v === 'string';
  }
}

/** The values a parameter takes, as a phrase: "a positive integer", "a number in [0, 1]", "\"uniform\" or \"lower-bound\"". */
export function parameterTypeText(p: ParameterType): string {
  switch (p.type) {
    case 'integer':
      return p.min === 1 ? 'a positive integer' : `an integer ≥ ${p.min}`;
    case 'number':
      return `a number in [${p.min}, ${p.max}]`;
    case 'choice':
      return p.values.length === 1 ? JSON.stringify(p.values[0]) : `${p.values.slice(0, -1).map((v) => JSON.stringify(v)).join(', ')} or ${JSON.stringify(p.values.at(-1))}`;
    case 'text':
      return 'a block of text';
    case 'seed':
      return 'a number or a string';
  }
}

/** A spec of a known kind whose every parameter has a value it takes and every required one is there (the guard of incoming messages). */
export function isEnvironmentSpec(x: unknown): x is EnvironmentSpec {
  if (!isRecord(x)) return false;
  const entry = environmentEntry(x.kind);
  return entry !== undefined && entry.parameters.every((p) => (x[p.field] === undefined ? !p.required : isParameterValue(p, x[p.field])));
}

/** The spec with every left-out parameter that has a default set to it. */
export function withDefaults<S extends EnvironmentSpec>(spec: S): S {
  const entry = environmentEntry(spec.kind);
  const defaults = Object.fromEntries((entry?.parameters ?? []).filter((p) => p.default !== undefined && spec[p.field as keyof S] === undefined).map((p) => [p.field, p.default]));
  return { ...spec, ...defaults };
}

/** The spec of the instance at horizon H for datasets of N trajectories (N matters only where the instance depends on it). */
export function specAt<S extends EnvironmentSpec>(spec: S, H: number, N: number): S {
  return { ...spec, H, ...(dependsOnN(spec) ? { N } : {}) };
}

export function dependsOnN(spec: EnvironmentSpec): boolean {
  return environmentEntry(spec.kind)?.dependsOnN?.(spec) ?? false;
}

/**
 * The environment of a spec, which it carries as `generator` (with its own expert), so sweeps on it can
 * build the instance at each of their points.
 */
export function makeEnvironment(spec: EnvironmentSpec): Environment {
  const entry = environmentEntry(spec.kind);
  if (!entry) throw new CoreError(`unknown environment kind ${String((spec as { kind?: unknown }).kind)}`, 'argument');
  const complete = withDefaults(spec);
  const env = entry.make(complete);
  return { ...env, generator: { spec: complete, expert: env.expert } };
}
