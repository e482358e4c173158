/**
 * What the Variables view says about a kernel's top-level names: for each, its kind, its type and one
 * line of what it is (|S|, |A|, H of an MDP; N of a dataset; the rows of a sweep; an array's shape).
 * Only summaries cross to the host, never values: a dataset may hold 10⁸ numbers. Reading a value
 * must not run user code, so accessors are not called, and a proxy or an object whose inspection
 * throws is summarised as what little is known.
 */
import { ALGORITHM_LABELS, isAlgorithmName } from '../../core/algorithmNames';
import { isRecord } from '../../core/guards';
import { MAX_LISTED_VARIABLES, type VariableKind, type VariableSummary, type VariablesResult } from '../../shared/kernelProtocol';
import { isView } from '../../shared/viewModels';
import { isDataset, isEnvironment, isLearnedReward, isLoadedExperiment, isMdp, isPolicy, isSweep } from './display';

const MAX_PREVIEW = 80;
/** Nested arrays are measured this deep for their shape ([3][4][2]). */
const MAX_SHAPE_DEPTH = 4;

function clip(text: string): string {
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW - 1)}…` : text;
}

function numberText(x: number): string {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(+x.toPrecision(6));
}

function sizes(x: { nS: number; nA: number; H: number }): string {
  return `|S| = ${x.nS}, |A| = ${x.nA}, H = ${x.H}`;
}

const POLICY_KINDS = { deterministic: 'deterministic', stochastic: 'stochastic', counts: 'BC (counts)' } as const;

/** [3][4] for an array of 3 arrays of 4; a ragged or mixed array stops the shape where it stops being regular. */
function arrayShape(array: readonly unknown[]): string {
  const dims = [array.length];
  let level: readonly unknown[] = array;
  for (let depth = 1; depth < MAX_SHAPE_DEPTH && level.length > 0; depth++) {
    const first = level[0];
    if (!Array.isArray(first)) break;
    const n = first.length;
    if (!level.every((x) => Array.isArray(x) && x.length === n)) break;
    dims.push(n);
    level = first as readonly unknown[];
  }
  return dims.map((d) => `[${d}]`).join('');
}

function constructorName(x: object): string {
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto === null) return 'Object (null prototype)';
  const ctor = isRecord(proto) || typeof proto === 'function' ? Object.getOwnPropertyDescriptor(proto, 'constructor')?.value : undefined;
  return typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
}

function summary(name: string, kind: VariableKind, type: string, detail: string, hasView = false): VariableSummary {
  return { name, kind, type, detail: clip(detail), hasView };
}

function functionSummary(name: string, fn: (...args: unknown[]) => unknown): VariableSummary {
  const source = Function.prototype.toString.call(fn);
  if (/^class\b/.test(source)) return summary(name, 'class', 'class', `class ${fn.name || name}`);
  const async = /^async\b/.test(source) ? 'async ' : '';
  const generator = /^(?:async\s+)?function\s*\*/.test(source) ? '*' : '';
  const arity = fn.length;
  return summary(name, 'function', `${async}function${generator}`, `${arity} parameter${arity === 1 ? '' : 's'}`);
}

function objectSummary(name: string, x: object): VariableSummary {
  if (isView(x)) return summary(name, 'view', `${x.kind} view`, x.title, true);
  if (isSweep(x)) {
    const learner = isAlgorithmName(x.algorithm) ? ALGORITHM_LABELS[x.algorithm] : 'BC';
    return summary(name, 'sweep', 'sweep', `${x.kind}, ${x.rows.length} row${x.rows.length === 1 ? '' : 's'}, learner ${learner}`, true);
  }
  if (isLearnedReward(x)) {
    // An MCE-IRL fit: its view is its learned reward (display.ts), so Display and Open in Panel both apply.
    const fit = x as typeof x & { iterations?: unknown; converged?: unknown };
    const steps = typeof fit.iterations === 'number' ? `, ${fit.iterations} ascent steps${fit.converged === true ? ', converged' : ''}` : '';
    return summary(name, 'object', 'MCE-IRL fit', `|S| = ${x.nS}, |A| = ${x.nA}, H = ${x.H}, reward ${x.perStep ? 'per step' : 'on (s, a)'}${steps}`, true);
  }
  if (isDataset(x)) return summary(name, 'dataset', 'dataset', `N = ${x.N}, H = ${x.H}, |S| = ${x.nS}, |A| = ${x.nA}`, true);
  if (isPolicy(x)) return summary(name, 'policy', 'policy', `${POLICY_KINDS[x.kind]}, ${sizes(x)}${x.stationary ? ', stationary' : ''}`, true);
  if (isLoadedExperiment(x)) {
    const experts = Object.keys(x.experts);
    const datasets = Object.keys(x.datasets);
    const file = x.file.split(/[\\/]/).pop() ?? x.file;
    return summary(name, 'experiment', 'loaded .ilmdp', `${file}: ${sizes(x.mdp)}, ${experts.length} expert(s), ${datasets.length} dataset(s)`, true);
  }
  if (isEnvironment(x)) return summary(name, 'environment', 'environment', typeof x.description === 'string' && x.description !== '' ? x.description : sizes(x.mdp), true);
  if (isMdp(x)) {
    const stationary = x.transitions.length === 1 && x.reward.length === x.nS * x.nA;
    return summary(name, 'mdp', 'MDP', `${sizes(x)}${stationary ? '' : ', per-step'}`, true);
  }
  if (Array.isArray(x)) return summary(name, 'array', 'Array', arrayShape(x));
  if (ArrayBuffer.isView(x)) {
    const type = constructorName(x);
    return summary(name, 'typed-array', type, x instanceof DataView ? `${x.byteLength} bytes` : `[${(x as unknown as ArrayLike<unknown>).length}]`);
  }
  if (x instanceof Map) return summary(name, 'map', constructorName(x), `${x.size} entr${x.size === 1 ? 'y' : 'ies'}`);
  if (x instanceof Set) return summary(name, 'set', constructorName(x), `${x.size} element${x.size === 1 ? '' : 's'}`);
  if (x instanceof Promise) return summary(name, 'promise', 'Promise', 'a promise (await it in a cell to see its value)');
  if (x instanceof Date) return summary(name, 'object', 'Date', Number.isNaN(x.getTime()) ? 'Invalid Date' : x.toISOString());
  if (x instanceof Error) return summary(name, 'object', constructorName(x), x.message);
  const type = constructorName(x);
  const keys = Object.keys(x).length;
  return summary(name, 'object', type, `${keys} key${keys === 1 ? '' : 's'}`);
}

/** The summary of one value (a top-level name's). */
export function summarizeValue(name: string, value: unknown): VariableSummary {
  switch (typeof value) {
    case 'number':
      return summary(name, 'number', 'number', numberText(value));
    case 'string':
      return summary(name, 'string', 'string', `${JSON.stringify(value.length > MAX_PREVIEW ? value.slice(0, MAX_PREVIEW) : value)} (${value.length} chars)`);
    case 'boolean':
      return summary(name, 'boolean', 'boolean', String(value));
    case 'bigint':
      return summary(name, 'bigint', 'bigint', `${value}n`);
    case 'symbol':
      return summary(name, 'symbol', 'symbol', value.toString());
    case 'undefined':
      return summary(name, 'undefined', 'undefined', 'undefined');
    case 'function':
      return functionSummary(name, value as (...args: unknown[]) => unknown);
    default:
      break;
  }
  if (value === null) return summary(name, 'null', 'null', 'null');
  try {
    return objectSummary(name, value as object);
  } catch {
    // A proxy's trap or an exotic object threw while it was looked at: say so rather than fail the listing.
    return summary(name, 'object', 'object', 'could not be inspected');
  }
}

/** Stands for a property that was an accessor at set-up (Node defines many globals lazily, as getters). */
const ACCESSOR = Symbol('accessor');

/** What the kernel's global object held once it was set up: the names cells did not define. */
export type Baseline = ReadonlyMap<string, unknown>;

export function takeBaseline(global: object): Baseline {
  return new Map(
    Object.getOwnPropertyNames(global).map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(global, key);
      return [key, descriptor && 'value' in descriptor ? descriptor.value : ACCESSOR];
    }),
  );
}

/**
 * The names cells defined on `global` (top-level declarations become its properties, see
 * cellTransform.ts): those not there at set-up, or there with another value (a cell's `const il = …`),
 * by name. Accessors are listed without being called.
 */
export function summarizeGlobals(global: object, baseline: Baseline): VariablesResult {
  const names = Object.getOwnPropertyNames(global)
    .filter((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(global, key);
      if (!descriptor) return false;
      if (!baseline.has(key)) return true;
      const before = baseline.get(key);
      // A lazy global replaces its getter by its value on first use: that is still Node's, not a cell's.
      if (before === ACCESSOR) return false;
      return !('value' in descriptor) || !Object.is(descriptor.value, before);
    })
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const listed = names.slice(0, MAX_LISTED_VARIABLES).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(global, key)!;
    return 'value' in descriptor ? summarizeValue(key, descriptor.value) : summary(key, 'object', 'accessor', 'a getter (not read: reading it would run its code)');
  });
  return { variables: listed, omitted: names.length - listed.length };
}

/** The value behind a listed name, without calling an accessor; undefined when it is gone. */
export function globalValue(global: object, name: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(global, name);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}
