/**
 * The .ilmdp text format (docs/ilmdp.md): YAML 1.2 (so JSON too) describing one MDP, its experts and its
 * datasets. `parseIlmdp` never throws: it returns whatever model it could build and every problem it
 * found, each with line and column, so the editor can show them all while the user types.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { CoreError } from '../core/errors';
import { ENVIRONMENT_KINDS, environmentEntry, isEnvironmentSpec, isParameterValue, makeEnvironment, parameterTypeText, withDefaults, type Environment, type EnvironmentSpec } from '../core/envs';
import { countGridStates } from '../core/envs/gridMap';
import { transitionsFromRows, type MDP } from '../core/mdp';
import type { Policy } from '../core/policy';
import { validateMDP } from '../core/validate';
import { didYouMean, type Diagnostic, type Position, type Severity } from './diagnostics';
import { DATASET_FILE_PLACE, formatCount, GENERATOR_FIELD_LIMITS, LIMITS, prescan } from './limits';

export type DatasetSource =
  | { readonly kind: 'generated'; readonly from: string; readonly trajectories: number; readonly seed: number | string }
  | { readonly kind: 'inline'; readonly trajectories: readonly (readonly (readonly [number, number])[])[] }
  | { readonly kind: 'file'; readonly path: string };

export interface IlmdpModel {
  readonly mdp: MDP;
  readonly experts: ReadonlyMap<string, Policy>;
  readonly datasets: ReadonlyMap<string, DatasetSource>;
  readonly description?: string;
  /** The generator and parameters the MDP was made from, when it was generated (so callers can use what is known about it, e.g. the Reset Cliff's closed form). */
  readonly generator?: EnvironmentSpec;
  /** The experts that are the generator's own (`builtin: true`, and the implicit `expert`), in file order. */
  readonly builtinExperts: readonly string[];
}

/**
 * The transition table of an explicit MDP as written, kept even when the MDP cannot be built (a row that
 * does not sum to 1, a bad reward) so that the visual editor can still show, and fix, the rows.
 */
export interface TransitionDraft {
  readonly states: readonly string[];
  readonly actions: readonly string[];
  /** Entries (next state, probability) of row s·|A| + a, as parsed. */
  readonly rows: readonly (readonly (readonly [number, number])[])[];
}

export interface ParseResult {
  /** Undefined when the MDP itself could not be built; experts or datasets with errors are left out. */
  readonly model?: IlmdpModel;
  /** For an explicit MDP whose states and actions parse, its transition rows, valid or not. */
  readonly draft?: TransitionDraft;
  readonly diagnostics: readonly Diagnostic[];
}

const TOP_KEYS = ['description', 'mdp', 'experts', 'datasets'];
const EXPLICIT_KEYS = ['description', 'states', 'actions', 'horizon', 'initial', 'transitions', 'rewards'];
const EXPERT_KEYS = ['description', 'policy', 'stochastic', 'steps', 'builtin'];
const DATASET_KEYS = ['description', 'from', 'trajectories', 'seed', 'file'];

/** What a diagnostic is about: a node, a pair (its key), or candidates tried in order (the first with a position wins). */
type Where = Node | Pair | null | undefined | readonly Where[];

function rangeOf(where: Where): readonly [number, number] | undefined {
  // An empty value (`walker:` and nothing) has no text of its own: a later candidate with text, its
  // key, is the better place, and the empty range only when nothing else has one.
  let empty: readonly [number, number] | undefined;
  const visit = (w: Where): readonly [number, number] | undefined => {
    if (Array.isArray(w)) {
      for (const x of w as readonly Where[]) {
        const r = visit(x);
        if (r) return r;
      }
      return undefined;
    }
    const one = w as Node | Pair | null | undefined;
    if (!one) return undefined;
    if ('range' in one && one.range) {
      if (one.range[1] > one.range[0]) return [one.range[0], one.range[1]];
      empty ??= [one.range[0], one.range[1]];
      return undefined;
    }
    if ('key' in one) return visit([one.key as Node | null, one.value as Node | null]);
    return undefined;
  };
  return visit(where) ?? empty;
}

/**
 * Line and column of text offsets, from the text's own line breaks. The `yaml` library's LineCounter
 * only learns the lines its lexer registers, and after some syntax errors it skips some, which put
 * positions past the end of their line.
 */
class Lines {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string, upTo = text.length) {
    for (let k = text.indexOf('\n'); k >= 0 && k < upTo; k = text.indexOf('\n', k + 1)) this.starts.push(k + 1);
  }
  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - this.starts[low] + 1 };
  }
}

interface Hidden {
  severity: Severity;
  code: string;
  count: number;
  /** Where and what the first hidden one is about, so the summary line points at a real place. */
  offset: number;
  path: string;
}

/**
 * Collects diagnostics, and caps them: a file with 10⁶ missing rows gets ten of them and one line
 * counting the rest, so neither memory nor the Problems panel is flooded. Messages may be given as
 * functions, built only when shown, so that the hidden ones (and their "did you mean" searches) cost
 * nothing.
 */
class Context {
  private readonly shown: Diagnostic[] = [];
  private readonly perCode = new Map<string, number>();
  private readonly hidden = new Map<string, Hidden>();
  draft: TransitionDraft | undefined;
  constructor(
    private readonly lines: Lines,
    /** Where a problem with no node of its own is reported: the `mdp:` key, a dataset's name. */
    private readonly fallback: readonly number[] = [],
  ) {}

  lineOf(offset: number): number {
    return this.lines.position(offset).line;
  }

  private position(offset: number): Position {
    return this.lines.position(offset);
  }

  /** Whether one more diagnostic of this kind would be shown (and its message worth building). */
  accepts(severity: Severity, code: string): boolean {
    return this.shown.length < LIMITS.diagnostics && (this.perCode.get(`${severity}:${code}`) ?? 0) < LIMITS.diagnosticsPerCode;
  }

  reportAt(severity: Severity, range: readonly [number, number], path: string, code: string, message: string | (() => string), count = 1): void {
    const key = `${severity}:${code}`;
    while (count > 0 && this.accepts(severity, code)) {
      this.perCode.set(key, (this.perCode.get(key) ?? 0) + 1);
      this.shown.push({ severity, code, message: typeof message === 'string' ? message : message(), path, start: this.position(range[0]), end: this.position(range[1]) });
      count--;
    }
    if (count === 0) return;
    const h = this.hidden.get(key);
    if (h) h.count += count;
    else this.hidden.set(key, { severity, code, count, offset: range[0], path });
  }

  report(severity: Severity, where: Where, path: string, code: string, message: string | (() => string), count = 1): void {
    const range = rangeOf(where) ?? (this.fallback.length > 0 ? ([this.fallback[0], this.fallback[1]] as const) : ([0, 0] as const));
    this.reportAt(severity, range, path, code, message, count);
  }
  error(where: Where, path: string, code: string, message: string | (() => string), count = 1): void {
    this.report('error', where, path, code, message, count);
  }

  /** The diagnostics shown, then one "… and N more like this" per kind that was cut, then one line for any beyond that. */
  get diagnostics(): Diagnostic[] {
    const out = [...this.shown];
    const cut = [...this.hidden.values()];
    for (const h of cut.slice(0, LIMITS.summaries)) {
      const at = this.position(h.offset);
      out.push({ severity: h.severity, code: h.code, path: h.path, start: at, end: at, message: `… and ${formatCount(h.count)} more like this (${h.code})` });
    }
    const rest = cut.slice(LIMITS.summaries);
    if (rest.length > 0) {
      const at = this.position(rest[0].offset);
      const total = rest.reduce((sum, h) => sum + h.count, 0);
      out.push({ severity: rest.some((h) => h.severity === 'error') ? 'error' : 'warning', code: 'more', path: rest[0].path, start: at, end: at, message: `… and ${formatCount(total)} more problems of ${rest.length} other kinds` });
    }
    return out;
  }

  hasErrors(): boolean {
    return this.shown.some((d) => d.severity === 'error') || [...this.hidden.values()].some((h) => h.severity === 'error');
  }
}

/**
 * A key as text. A map or list used as a key is named, not stringified: the `yaml` library's
 * stringifier doubles its work at each level of unclosed `{`, so 26 of them took seconds.
 */
function keyOf(pair: Pair): string {
  if (isScalar(pair.key)) return String(pair.key.value);
  if (isMap(pair.key)) return '(a map)';
  if (isSeq(pair.key)) return '(a list)';
  if (isAlias(pair.key)) return `*${pair.key.source}`;
  return String(pair.key);
}

function entries(map: YAMLMap): [string, Node | null, Pair][] {
  return map.items.map((p) => [keyOf(p), (p.value as Node | null) ?? null, p]);
}

/** `a.b`, or `b` at the top. */
function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function checkKeys(ctx: Context, map: YAMLMap, allowed: readonly string[], path: string): void {
  for (const [key, , pair] of entries(map)) {
    if (allowed.includes(key)) continue;
    const hint = didYouMean(key, allowed);
    ctx.report('warning', pair.key as Node, join(path, key), 'unknown-key', `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : ''} (allowed: ${allowed.join(', ')})`);
  }
}

function getPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyOf(p) === key);
}

function get(map: YAMLMap, key: string): Node | null | undefined {
  const pair = getPair(map, key);
  return pair ? ((pair.value as Node | null) ?? null) : undefined;
}

function scalarValue(node: Node | null | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

/**
 * A value as the file wrote it, for messages: NaN and infinities by name (JSON would print null), a
 * number as its source text (1e308, not 1e+308; 12345678901234567890, not its rounded double).
 */
function shown(node: Node | null | undefined): string {
  if (node === undefined) return 'nothing';
  if (node === null) return 'nothing';
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  if (isAlias(node)) return `the alias *${node.source}`;
  if (!isScalar(node)) return 'nothing';
  const v = node.value;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'infinity';
    if (v === -Infinity) return '-infinity';
    return node.source !== undefined && /^[-+.0-9eE]+$/.test(node.source) ? node.source : String(v);
  }
  if (v === null) return node.source === '' || node.source === undefined ? 'nothing' : 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** The problem with a number that JavaScript cannot hold as the file wrote it, named, or undefined. */
function unrepresentable(v: unknown): string | undefined {
  if (typeof v !== 'number') return undefined;
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'infinite' : 'minus infinity';
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) return 'beyond 2^53, so not held exactly';
  return undefined;
}

/** A count or size: a whole number from 1 (or min) to max, where max is the documented limit it is over. */
function wholeNumber(ctx: Context, node: Node | null | undefined, where: Where, path: string, key: string, what: string, max: number, unit: string, min = 1): number | undefined {
  const v = scalarValue(node);
  if (node === undefined) {
    ctx.error(where, path, 'missing-key', `${what} is missing; add "${key}: <a positive integer>"`);
    return undefined;
  }
  // An integer beyond 2^53 is over every limit, so only NaN and the infinities need their own words.
  const bad = typeof v === 'number' && !Number.isFinite(v) ? unrepresentable(v) : undefined;
  if (bad) {
    ctx.error([node, where], path, 'type', `${key} is ${bad}; give a whole number from ${min} to ${formatCount(max)}`);
    return undefined;
  }
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    ctx.error([node, where], path, 'type', `${what} must be ${min === 1 ? 'a positive integer' : `an integer ≥ ${min}`}, got ${shown(node)}`);
    return undefined;
  }
  if (v > max) {
    ctx.error([node, where], path, 'limit', `${key}: ${shown(node)} is over the limit of ${formatCount(max)} ${unit}; ${LIMIT_ADVICE}`);
    return undefined;
  }
  return v;
}

const LIMIT_ADVICE = 'see "Limits" in docs/ilmdp.md for the sizes a file may ask for, and use a smaller one';

function probability(ctx: Context, node: Node | null, where: Where, path: string, what: string): number | undefined {
  const v = scalarValue(node);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1) return v;
  ctx.error([node, where], path, 'probability', () => `${what} must be a number in [0, 1], got ${shown(node)}`);
  return undefined;
}

/** Names from a list of strings, or s0 … s{n−1} from a count. */
function names(ctx: Context, node: Node | null | undefined, where: Where, path: string, prefix: string, what: string, max: number): string[] | undefined {
  if (isSeq(node)) {
    const out: string[] = [];
    const seen = new Set<string>();
    node.items.forEach((item, i) => {
      const v = scalarValue(item as Node);
      if (typeof v !== 'string' && typeof v !== 'number') ctx.error([item as Node, node], `${path}.${i}`, 'type', `${what} names must be strings, got ${shown(item as Node)}`);
      else if (seen.has(String(v))) ctx.error(item as Node, `${path}.${i}`, 'duplicate-name', `${what} "${v}" is listed twice; names must be unique`);
      else {
        seen.add(String(v));
        out.push(String(v));
      }
    });
    if (node.items.length === 0) ctx.error(node, path, 'empty-space', `the ${what} list is empty; list at least one`);
    if (out.length > max) {
      ctx.error(node, path, 'limit', `${what}s: ${formatCount(out.length)} names is over the limit of ${formatCount(max)}; ${LIMIT_ADVICE}`);
      return undefined;
    }
    return out.length > 0 && out.length === node.items.length ? out : undefined;
  }
  const key = `${what}s`;
  const n = wholeNumber(ctx, node, where, path, key, `${key} (a list of names or a count)`, max, key);
  return n === undefined ? undefined : Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

/** Name → index maps, built once per list: a linear search per lookup made large files quadratic. */
const indexes = new WeakMap<readonly string[], Map<string, number>>();

/** "Did you mean" searches every name; beyond this many it would cost more than the hint is worth. */
const HINT_CANDIDATES = 10_000;

function lookup(ctx: Context, list: readonly string[], name: string, where: Where, path: string, what: string): number | undefined {
  let index = indexes.get(list);
  if (!index) {
    index = new Map(list.map((n, i) => [n, i]));
    indexes.set(list, index);
  }
  const i = index.get(name);
  if (i !== undefined) return i;
  ctx.error(where, path, `unknown-${what}`, () => {
    const hint = list.length <= HINT_CANDIDATES ? didYouMean(name, list) : undefined;
    // `start:0.2` (no space after the colon) is one plain scalar in YAML, so it arrives as a name.
    const colon = /^([^:\s]+):(\S.*)$/.exec(name);
    const space = colon ? `; a ":" needs a space after it ("${colon[1]}: ${colon[2]}")` : '';
    return `unknown ${what} "${name}"${hint ? `; did you mean "${hint}"?` : ''}${space}`;
  });
  return undefined;
}

/** Rows not (yet) written share this one array: 10⁶ states must not cost 10⁶ empty arrays before a row is read. */
const NO_ENTRIES = Object.freeze([]) as unknown as [number, number][];

/** |S|·|A| and H·|S|·|A| within their limits, each reported at the value that makes it too large. */
function sizesWithinLimits(ctx: Context, nS: number, nA: number, H: number, actionsWhere: Where, horizonWhere: Where): boolean {
  if (nS * nA > LIMITS.stateActions) {
    ctx.error(actionsWhere, 'mdp.actions', 'limit', `|S|·|A| = ${formatCount(nS)} × ${formatCount(nA)} = ${formatCount(nS * nA)} state-action pairs is over the limit of ${formatCount(LIMITS.stateActions)}; ${LIMIT_ADVICE}`);
    return false;
  }
  if (H * nS * nA > LIMITS.stepStateActions) {
    ctx.error(horizonWhere, 'mdp.horizon', 'limit', `H·|S|·|A| = ${formatCount(H)} × ${formatCount(nS)} × ${formatCount(nA)} = ${formatCount(H * nS * nA)} is over the limit of ${formatCount(LIMITS.stepStateActions)}; ${LIMIT_ADVICE}`);
    return false;
  }
  return true;
}

function parseExplicitMdp(ctx: Context, map: YAMLMap, mdpKey: Where): MDP | undefined {
  checkKeys(ctx, map, EXPLICIT_KEYS, 'mdp');
  // A missing key is reported at the `mdp:` key: the map that should hold it.
  const states = names(ctx, get(map, 'states'), [getPair(map, 'states'), mdpKey], 'mdp.states', 's', 'state', LIMITS.states);
  const actions = names(ctx, get(map, 'actions'), [getPair(map, 'actions'), mdpKey], 'mdp.actions', 'a', 'action', LIMITS.actions);
  const H = wholeNumber(ctx, get(map, 'horizon'), [getPair(map, 'horizon'), mdpKey], 'mdp.horizon', 'horizon', 'the horizon', LIMITS.horizon, 'steps');
  if (!states || !actions || H === undefined) return undefined;
  const nS = states.length;
  const nA = actions.length;
  if (!sizesWithinLimits(ctx, nS, nA, H, [get(map, 'actions'), mdpKey], [get(map, 'horizon'), mdpKey])) return undefined;
  let ok = true;

  const rho = new Float64Array(nS);
  const initial = get(map, 'initial');
  if (initial === undefined || scalarValue(initial) === 'uniform') rho.fill(1 / nS);
  else if (isMap(initial)) {
    let sum = 0;
    for (const [name, value, pair] of entries(initial)) {
      const s = lookup(ctx, states, name, pair, `mdp.initial.${name}`, 'state');
      const p = probability(ctx, value, pair, `mdp.initial.${name}`, `ρ(${name})`);
      if (s === undefined || p === undefined) ok = false;
      else {
        rho[s] = p;
        sum += p;
      }
    }
    if (ok && Math.abs(sum - 1) > 1e-9) {
      ctx.error(initial, 'mdp.initial', 'row-sum', `the initial distribution sums to ${+sum.toPrecision(12)}; probabilities must sum to 1`);
      ok = false;
    }
  } else {
    ctx.error([initial, getPair(map, 'initial')], 'mdp.initial', 'type', `initial must be "uniform" or a map state: probability, got ${shown(initial)}`);
    ok = false;
  }

  const rows: [number, number][][] = new Array<[number, number][]>(nS * nA).fill(NO_ENTRIES);
  const rowAt = (row: number) => (rows[row] === NO_ENTRIES ? (rows[row] = []) : rows[row]);
  const seen = new Uint8Array(nS * nA);
  const transitions = get(map, 'transitions');
  if (!isMap(transitions)) {
    ctx.error([transitions, getPair(map, 'transitions'), mdpKey], 'mdp.transitions', 'type', `transitions must be a map state: action: {next state: probability}${transitions === undefined ? '; add "transitions:" under mdp' : `, got ${shown(transitions)}`}`);
    return undefined;
  }
  for (const [sName, byAction, sPair] of entries(transitions)) {
    const s = lookup(ctx, states, sName, sPair, `mdp.transitions.${sName}`, 'state');
    if (s === undefined) {
      ok = false;
      continue;
    }
    if (!isMap(byAction)) {
      ctx.error([byAction, sPair], `mdp.transitions.${sName}`, 'type', `transitions of ${sName} must map each action to its next-state distribution, got ${shown(byAction)}`);
      ok = false;
      continue;
    }
    for (const [aName, dist, aPair] of entries(byAction)) {
      const path = `mdp.transitions.${sName}.${aName}`;
      const a = lookup(ctx, actions, aName, aPair, path, 'action');
      if (a === undefined) {
        ok = false;
        continue;
      }
      const row = s * nA + a;
      seen[row] = 1;
      // Shorthand: `left: s1` is a deterministic move.
      if (isScalar(dist) && typeof dist.value === 'string') {
        const next = lookup(ctx, states, dist.value, dist, path, 'state');
        if (next === undefined) ok = false;
        else rowAt(row).push([next, 1]);
        continue;
      }
      if (!isMap(dist)) {
        ctx.error([dist, aPair], path, 'type', `the row ${sName}/${aName} must be a next state or a map {next state: probability}, got ${shown(dist)}`);
        ok = false;
        continue;
      }
      let sum = 0;
      let rowOk = true;
      for (const [nextName, pNode, nPair] of entries(dist)) {
        const next = lookup(ctx, states, nextName, nPair, `${path}.${nextName}`, 'state');
        // A name lookup that failed already said why; a second message about the same key is noise.
        const p = next === undefined ? undefined : probability(ctx, pNode, nPair, `${path}.${nextName}`, `P(${nextName} | ${sName}, ${aName})`);
        if (next === undefined || p === undefined) {
          rowOk = false;
          continue;
        }
        rowAt(row).push([next, p]);
        sum += p;
      }
      if (rowOk && Math.abs(sum - 1) > 1e-9) {
        ctx.error(dist, path, 'row-sum', `transition row of ${sName}/${aName} sums to ${+sum.toPrecision(12)}; probabilities must sum to 1`);
        rowOk = false;
      }
      ok &&= rowOk;
    }
  }
  ctx.draft = { states, actions, rows };
  const transitionsKey = [getPair(map, 'transitions'), transitions];
  let hidden = 0;
  let hiddenPath = '';
  for (let row = 0; row < nS * nA; row++) {
    if (seen[row]) continue;
    ok = false;
    const sName = states[Math.floor(row / nA)];
    const aName = actions[row % nA];
    // Only the rows shown get a message; the others are counted into "… and N more like this".
    if (ctx.accepts('error', 'missing-row')) ctx.error(transitionsKey, `mdp.transitions.${sName}.${aName}`, 'missing-row', `no transition for ${sName}/${aName}; add "${sName}: {${aName}: {next: 1}}" under transitions`);
    else if (hidden++ === 0) hiddenPath = `mdp.transitions.${sName}.${aName}`;
  }
  if (hidden > 0) ctx.error(transitionsKey, hiddenPath, 'missing-row', '', hidden);

  const reward = new Float64Array(nS * nA);
  const rewards = get(map, 'rewards');
  if (rewards !== undefined && rewards !== null && !(isScalar(rewards) && rewards.value === null)) {
    if (!isMap(rewards)) {
      ctx.error(rewards, 'mdp.rewards', 'type', `rewards must be a map state: reward or state: {action: reward}, got ${shown(rewards)}`);
      ok = false;
    } else {
      for (const [sName, value, sPair] of entries(rewards)) {
        const s = lookup(ctx, states, sName, sPair, `mdp.rewards.${sName}`, 'state');
        if (s === undefined) {
          ok = false;
          continue;
        }
        const setReward = (a: number, node: Node | null, where: Where, path: string) => {
          const r = scalarValue(node);
          if (typeof r !== 'number' || !(r >= 0 && r <= 1)) {
            ctx.error([node, where], path, 'reward-range', () => `reward r(${sName}, ${actions[a]}) = ${shown(node)}; rewards must be numbers in [0, 1]`);
            ok = false;
          } else reward[s * nA + a] = r;
        };
        if (isMap(value)) {
          for (const [aName, rNode, aPair] of entries(value)) {
            const a = lookup(ctx, actions, aName, aPair, `mdp.rewards.${sName}.${aName}`, 'action');
            if (a === undefined) ok = false;
            else setReward(a, rNode, aPair, `mdp.rewards.${sName}.${aName}`);
          }
        } else for (let a = 0; a < nA; a++) setReward(a, value, sPair, `mdp.rewards.${sName}`);
      }
    }
  }
  if (!ok) return undefined;
  const mdp: MDP = { nS, nA, H, rho, reward, transitions: [transitionsFromRows(nS, nA, rows)], stateNames: states, actionNames: actions };
  // The checks above cover what a user can write; the core's validator is the final word.
  for (const p of validateMDP(mdp, { maxPerCode: LIMITS.diagnosticsPerCode })) ctx.error([map, mdpKey], 'mdp', p.code, p.message);
  return ctx.hasErrors() ? undefined : mdp;
}


/**
 * The sizes a generator would allocate, checked before it runs: |S| and |A| from the parameters (a
 * gridworld's from its map: one state per non-wall cell, four moves), and a Garnet's |S|·|A|·branching
 * transition entries.
 */
function generatedSizesWithinLimits(ctx: Context, map: YAMLMap, fields: Record<string, unknown>, generatorNode: Node | null): boolean {
  const H = fields.H as number;
  let nS = typeof fields.nS === 'number' ? fields.nS : 0;
  let nA = typeof fields.nA === 'number' ? fields.nA : 0;
  if (typeof fields.map === 'string') {
    nS = countGridStates(fields.map);
    nA = 4;
    if (nS > LIMITS.states) {
      ctx.error(get(map, 'map'), 'mdp.map', 'limit', `the map has ${formatCount(nS)} states (free cells, and one for its cliff), over the limit of ${formatCount(LIMITS.states)} states; ${LIMIT_ADVICE}`);
      return false;
    }
  }
  const where = (key: string): Where => [get(map, key), generatorNode];
  if (!sizesWithinLimits(ctx, nS, nA, H, where(typeof fields.map === 'string' ? 'map' : 'actions'), where('horizon'))) return false;
  if (typeof fields.branching === 'number' && nS * nA * fields.branching > LIMITS.transitionEntries) {
    ctx.error(where('branching'), 'mdp.branching', 'limit', `|S|·|A|·branching = ${formatCount(nS)} × ${formatCount(nA)} × ${formatCount(fields.branching)} = ${formatCount(nS * nA * fields.branching)} transition entries is over the limit of ${formatCount(LIMITS.transitionEntries)}; ${LIMIT_ADVICE}`);
    return false;
  }
  return true;
}

/**
 * A generated MDP: the registry's entry for the generator says which keys it takes and what each holds,
 * so every parameter is checked, and reported at its own position, before the core builds the MDP.
 */
function parseGeneratorMdp(ctx: Context, map: YAMLMap, generator: string, node: Node | null): { env: Environment; spec: EnvironmentSpec } | undefined {
  const entry = environmentEntry(generator);
  if (!entry) {
    const hint = didYouMean(generator, ENVIRONMENT_KINDS);
    ctx.error(node, 'mdp.generator', 'unknown-generator', `unknown generator "${generator}"${hint ? `; did you mean "${hint}"?` : ''} (use ${ENVIRONMENT_KINDS.join(', ')})`);
    return undefined;
  }
  checkKeys(ctx, map, ['generator', 'description', ...entry.parameters.map((p) => p.key)], 'mdp');
  const fields: Record<string, unknown> = { kind: entry.kind };
  let ok = true;
  for (const p of entry.parameters) {
    const valueNode = get(map, p.key);
    const what = `${p.key} (${p.description})`;
    if (valueNode === undefined) {
      if (p.required) {
        ctx.error(node, `mdp.${p.key}`, 'missing-key', `generator ${entry.kind} needs ${what}: add "${p.key}: <${parameterTypeText(p)}>" under mdp`);
        ok = false;
      }
      continue;
    }
    const v = scalarValue(valueNode);
    const bad = unrepresentable(v);
    const limit = GENERATOR_FIELD_LIMITS[p.field];
    if (bad) {
      ctx.error(valueNode, `mdp.${p.key}`, 'type', `${p.key} is ${bad}; give ${p.type === 'seed' ? 'a whole number or a string' : parameterTypeText(p)}`);
      ok = false;
    } else if (limit && typeof v === 'number' && v > limit.max && isParameterValue(p, v)) {
      ctx.error(valueNode, `mdp.${p.key}`, 'limit', `${p.key}: ${shown(valueNode)} is over the limit of ${formatCount(limit.max)} ${limit.unit}; ${LIMIT_ADVICE}`);
      ok = false;
    }
    // A text parameter is a string in a file (`map: |`); only a spec may also give it as a list of lines.
    else if (isParameterValue(p, v) && (p.type !== 'text' || typeof v === 'string')) fields[p.field] = v;
    else {
      const hint = p.type === 'text' ? ` (use \`${p.key}: |\` and the text on the lines below)` : '';
      const got = isSeq(valueNode) ? 'a list' : isMap(valueNode) ? 'a map' : JSON.stringify(v ?? null);
      ctx.error(valueNode, `mdp.${p.key}`, 'type', `${what} must be ${parameterTypeText(p)}${hint}, got ${got}`);
      ok = false;
    }
  }
  if (!ok || !isEnvironmentSpec(fields)) return undefined;
  if (!generatedSizesWithinLimits(ctx, map, fields, node)) return undefined;
  const spec = withDefaults(fields);
  try {
    return { env: makeEnvironment(spec), spec };
  } catch (error) {
    ctx.error(map, 'mdp', 'generator', error instanceof CoreError ? error.message : String(error));
    return undefined;
  }
}

function parseExpert(ctx: Context, name: string, node: Node | null, at: Pair, mdp: MDP, builtin: Policy | undefined): Policy | undefined {
  const path = `experts.${name}`;
  if (!isMap(node)) {
    ctx.error([node, at], path, 'type', `expert ${name} must be a map with policy, stochastic, steps or builtin, got ${shown(node)}`);
    return undefined;
  }
  checkKeys(ctx, node, EXPERT_KEYS, path);
  const states = mdp.stateNames ?? Array.from({ length: mdp.nS }, (_, s) => `s${s}`);
  const actions = mdp.actionNames ?? Array.from({ length: mdp.nA }, (_, a) => `a${a}`);
  const { nS, nA, H } = mdp;
  if (get(node, 'builtin') !== undefined) {
    if (!builtin) ctx.error([get(node, 'builtin'), getPair(node, 'builtin')], `${path}.builtin`, 'builtin', 'only generated MDPs have a built-in expert');
    return builtin;
  }
  // One table (stationary) or a list `steps:` with one table per step.
  const readTable = (table: Node | null, tableAt: Where, tablePath: string, stochastic: boolean, out: Float64Array, offset: number): boolean => {
    if (!isMap(table)) {
      ctx.error([table, tableAt], tablePath, 'type', `${stochastic ? 'a stochastic policy maps each state to {action: probability}' : 'a policy maps each state to an action'}, got ${shown(table)}`);
      return false;
    }
    let ok = true;
    const covered = new Uint8Array(nS);
    for (const [sName, value, sPair] of entries(table)) {
      const s = lookup(ctx, states, sName, sPair, `${tablePath}.${sName}`, 'state');
      if (s === undefined) {
        ok = false;
        continue;
      }
      covered[s] = 1;
      if (!stochastic) {
        const aName = scalarValue(value);
        const a = typeof aName === 'string' ? lookup(ctx, actions, aName, value, `${tablePath}.${sName}`, 'action') : undefined;
        if (a === undefined) {
          if (typeof aName !== 'string') ctx.error([value, sPair], `${tablePath}.${sName}`, 'type', `the action for ${sName} must be an action name, got ${shown(value)}`);
          ok = false;
        } else out[(offset + s) * nA + a] = 1;
        continue;
      }
      if (!isMap(value)) {
        ctx.error([value, sPair], `${tablePath}.${sName}`, 'type', `the row of ${sName} must be {action: probability}, got ${shown(value)}`);
        ok = false;
        continue;
      }
      let sum = 0;
      let rowOk = true;
      for (const [aName, pNode, aPair] of entries(value)) {
        const a = lookup(ctx, actions, aName, aPair, `${tablePath}.${sName}.${aName}`, 'action');
        const p = a === undefined ? undefined : probability(ctx, pNode, aPair, `${tablePath}.${sName}.${aName}`, `π(${aName} | ${sName})`);
        if (a === undefined || p === undefined) rowOk = false;
        else {
          out[(offset + s) * nA + a] = p;
          sum += p;
        }
      }
      if (rowOk && Math.abs(sum - 1) > 1e-9) {
        ctx.error(value, `${tablePath}.${sName}`, 'row-sum', `the policy row of ${sName} sums to ${+sum.toPrecision(12)}; probabilities must sum to 1`);
        rowOk = false;
      }
      ok &&= rowOk;
    }
    let hidden = 0;
    for (let s = 0; s < nS; s++) {
      if (covered[s]) continue;
      ok = false;
      if (ctx.accepts('error', 'missing-state')) ctx.error(table, tablePath, 'missing-state', `the policy gives no action for state ${states[s]}; add "${states[s]}: <action>"`);
      else hidden++;
    }
    if (hidden > 0) ctx.error(table, tablePath, 'missing-state', '', hidden);
    return ok;
  };
  const stochasticNode = get(node, 'stochastic');
  const stochastic = stochasticNode !== undefined;
  const steps = get(node, 'steps');
  if (steps !== undefined) {
    if (!isSeq(steps) || steps.items.length !== H) {
      ctx.error([steps, getPair(node, 'steps')], `${path}.steps`, 'type', `steps must list one policy table per step (H = ${H}), got ${isSeq(steps) ? `${steps.items.length} tables` : shown(steps)}`);
      return undefined;
    }
    const prob = new Float64Array(H * nS * nA);
    const ok = steps.items.map((t, h) => readTable(t as Node, steps, `${path}.steps.${h}`, scalarValue(get(node, 'stochastic')) === true, prob, h * nS)).every(Boolean);
    return ok ? { kind: 'stochastic', nS, nA, H, stationary: false, prob } : undefined;
  }
  const table = stochastic ? stochasticNode : get(node, 'policy');
  if (table === undefined) {
    ctx.error([at, node], path, 'type', `expert ${name} needs policy (state: action), stochastic (state: {action: p}) or steps`);
    return undefined;
  }
  const prob = new Float64Array(nS * nA);
  if (!readTable(table, getPair(node, stochastic ? 'stochastic' : 'policy'), `${path}.${stochastic ? 'stochastic' : 'policy'}`, stochastic, prob, 0)) return undefined;
  if (!stochastic) {
    const action = new Int32Array(nS);
    for (let s = 0; s < nS; s++) action[s] = prob.subarray(s * nA, (s + 1) * nA).indexOf(1);
    return { kind: 'deterministic', nS, nA, H, stationary: true, action };
  }
  return { kind: 'stochastic', nS, nA, H, stationary: true, prob };
}

function parseDataset(ctx: Context, name: string, node: Node | null, at: Pair, mdp: MDP, experts: ReadonlyMap<string, Policy>, expertNames: readonly string[]): DatasetSource | undefined {
  const path = `datasets.${name}`;
  if (!isMap(node)) {
    ctx.error([node, at], path, 'type', `dataset ${name} must be a map (from/trajectories/seed, inline trajectories, or file), got ${shown(node)}`);
    return undefined;
  }
  checkKeys(ctx, node, DATASET_KEYS, path);
  // Where a missing key of this dataset is reported: its name.
  const missing = (key: string): Where => [getPair(node, key), at];
  const fileNode = get(node, 'file');
  const file = scalarValue(fileNode);
  if (fileNode !== undefined) {
    if (typeof file !== 'string' || !/\.(csv|jsonl)$/i.test(file)) {
      ctx.error([fileNode, getPair(node, 'file')], `${path}.file`, 'type', `file must be a path to a .csv or .jsonl file, ${DATASET_FILE_PLACE}; got ${shown(fileNode)}`);
      return undefined;
    }
    return { kind: 'file', path: file };
  }
  const trajectories = get(node, 'trajectories');
  if (isSeq(trajectories)) {
    const states = mdp.stateNames ?? [];
    const actions = mdp.actionNames ?? [];
    const out: [number, number][][] = [];
    let ok = true;
    trajectories.items.forEach((tr, i) => {
      const trPath = `${path}.trajectories.${i}`;
      if (!isSeq(tr) || tr.items.length > mdp.H) {
        ctx.error([tr as Node, trajectories], trPath, 'type', `trajectory ${i + 1} must be a list of at most H = ${mdp.H} [state, action] pairs, got ${isSeq(tr) ? `${tr.items.length} pairs` : shown(tr as Node)}`);
        ok = false;
        return;
      }
      const steps: [number, number][] = [];
      tr.items.forEach((pair, h) => {
        const pairNode = pair as Node;
        if (!isSeq(pairNode) || pairNode.items.length !== 2) {
          ctx.error([pairNode, tr], `${trPath}.${h}`, 'type', `each step is a pair [state, action], got ${isSeq(pairNode) ? `${pairNode.items.length} items` : shown(pairNode)}`);
          ok = false;
          return;
        }
        const [sNode, aNode] = pairNode.items as Node[];
        const s = lookup(ctx, states, String(scalarValue(sNode)), [sNode, pairNode], `${trPath}.${h}`, 'state');
        const a = lookup(ctx, actions, String(scalarValue(aNode)), [aNode, pairNode], `${trPath}.${h}`, 'action');
        if (s === undefined || a === undefined) ok = false;
        else steps.push([s, a]);
      });
      out.push(steps);
    });
    return ok ? { kind: 'inline', trajectories: out } : undefined;
  }
  const fromNode = get(node, 'from');
  const from = scalarValue(fromNode);
  if (typeof from !== 'string') {
    ctx.error([fromNode, getPair(node, 'from'), at], `${path}.from`, 'type', `a generated dataset names its expert: from: <expert>${fromNode === undefined ? '' : `, got ${shown(fromNode)}`}`);
    return undefined;
  }
  if (!experts.has(from)) {
    if (!expertNames.includes(from)) {
      const hint = didYouMean(from, expertNames);
      ctx.error(fromNode, `${path}.from`, 'unknown-expert', `unknown expert "${from}"${hint ? `; did you mean "${hint}"?` : ''}`);
    }
    return undefined;
  }
  const N = wholeNumber(ctx, trajectories, missing('trajectories'), `${path}.trajectories`, 'trajectories', 'trajectories (the number N of expert trajectories)', LIMITS.trajectories, 'trajectories');
  if (N !== undefined && N * mdp.H > LIMITS.trajectorySteps) {
    ctx.error(trajectories, `${path}.trajectories`, 'limit', `N·H = ${formatCount(N)} × ${formatCount(mdp.H)} = ${formatCount(N * mdp.H)} (trajectory, step) pairs is over the limit of ${formatCount(LIMITS.trajectorySteps)}; ${LIMIT_ADVICE}`);
    return undefined;
  }
  const seedNode = get(node, 'seed');
  const seed = scalarValue(seedNode);
  const badSeed = unrepresentable(seed);
  if (badSeed) {
    ctx.error(seedNode, `${path}.seed`, 'type', `seed is ${badSeed}; give a whole number or a string`);
    return undefined;
  }
  if (typeof seed !== 'number' && typeof seed !== 'string') {
    ctx.error([seedNode, getPair(node, 'seed'), at], `${path}.seed`, seedNode === undefined ? 'missing-key' : 'type', `a generated dataset needs a seed (a number or a string) so it is reproducible${seedNode === undefined ? '; add "seed: <number>"' : `, got ${shown(seedNode)}`}`);
    return undefined;
  }
  return N === undefined ? undefined : { kind: 'generated', from, trajectories: N, seed };
}

/**
 * Duplicate keys, found with one set per map. The `yaml` library's own check (`uniqueKeys`) compares
 * each key with every earlier one, which made a map of 10⁵ states take minutes. The walk keeps its own
 * stack, so no nesting can overflow the call stack.
 */
function duplicateKeys(ctx: Context, root: Node | null): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, Pair>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? `s:${typeof pair.key.value}:${String(pair.key.value)}` : pair.key === null ? 'null' : undefined;
        if (key !== undefined) {
          const first = seen.get(key);
          if (first) {
            const firstAt = rangeOf(first);
            ctx.error(pair, '', 'yaml-DUPLICATE_KEY', () => `the key ${shown(pair.key as Node)} appears twice in this map${firstAt ? ` (first on line ${ctx.lineOf(firstAt[0])})` : ''}; map keys must be unique`);
          } else seen.set(key, pair);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) stack.push(...node.items);
  }
}

export function parseIlmdp(text: string): ParseResult {
  // The text's limits come first: the YAML library is never given a text it could choke on.
  const tooMuch = prescan(text);
  if (tooMuch) {
    const ctx = new Context(new Lines(text, tooMuch.offset));
    ctx.reportAt('error', [tooMuch.offset, tooMuch.offset + 1], '', tooMuch.code, tooMuch.message);
    return { diagnostics: ctx.diagnostics };
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const root = doc.contents as Node | null;
  const mdpPair = isMap(root) ? getPair(root, 'mdp') : undefined;
  const mdpKeyRange = rangeOf(mdpPair);
  const ctx = new Context(new Lines(text), mdpKeyRange ?? []);
  const yamlRange = (pos: readonly [number, number]): [number, number] => [Math.min(pos[0], text.length), Math.min(pos[1], text.length)];
  for (const e of doc.errors) ctx.reportAt('error', yamlRange(e.pos), '', `yaml-${e.code}`, e.message.split('\n')[0]);
  for (const w of doc.warnings) ctx.reportAt('warning', yamlRange([w.pos[0], w.pos[0]]), '', `yaml-${w.code}`, w.message.split('\n')[0]);
  if (doc.errors.length === 0) duplicateKeys(ctx, root);
  if (ctx.hasErrors()) return { diagnostics: ctx.diagnostics };
  if (!isMap(root)) {
    ctx.error(root, '', 'type', `an .ilmdp file is a map with the keys mdp, experts and datasets, got ${shown(root)}`);
    return { diagnostics: ctx.diagnostics };
  }
  checkKeys(ctx, root, TOP_KEYS, '');
  const mdpNode = get(root, 'mdp');
  if (!isMap(mdpNode)) {
    ctx.error([mdpNode, mdpPair, root], 'mdp', 'type', `the file needs an "mdp:" map (explicit states/actions/transitions, or a generator)${mdpNode === undefined ? '' : `, got ${shown(mdpNode)}`}`);
    return { diagnostics: ctx.diagnostics };
  }
  const generatorNode = get(mdpNode, 'generator');
  const generator = scalarValue(generatorNode);
  let mdp: MDP | undefined;
  let builtinExpert: Policy | undefined;
  let generatorSpec: EnvironmentSpec | undefined;
  if (generator !== undefined) {
    const generated = parseGeneratorMdp(ctx, mdpNode, String(generator), generatorNode ?? null);
    mdp = generated?.env.mdp;
    builtinExpert = generated?.env.expert;
    generatorSpec = generated?.spec;
  } else mdp = parseExplicitMdp(ctx, mdpNode, mdpPair);

  const experts = new Map<string, Policy>();
  const datasets = new Map<string, DatasetSource>();
  const expertsNode = get(root, 'experts');
  const datasetsNode = get(root, 'datasets');
  const expertNames = isMap(expertsNode) ? entries(expertsNode).map(([k]) => k) : [];
  const writesExpert = expertNames.includes('expert');
  if (builtinExpert && !writesExpert) expertNames.push('expert');
  const empty = (node: Node | null | undefined) => node === undefined || node === null || (isScalar(node) && node.value === null);
  if (mdp) {
    if (builtinExpert && !writesExpert) experts.set('expert', builtinExpert);
    if (!empty(expertsNode)) {
      if (!isMap(expertsNode)) ctx.error(expertsNode, 'experts', 'type', `experts must be a map name: policy, got ${shown(expertsNode)}`);
      else for (const [name, node, pair] of entries(expertsNode)) {
        const policy = parseExpert(ctx, name, node, pair, mdp, builtinExpert);
        if (policy) experts.set(name, policy);
      }
    }
    if (!empty(datasetsNode)) {
      if (!isMap(datasetsNode)) ctx.error(datasetsNode, 'datasets', 'type', `datasets must be a map name: dataset, got ${shown(datasetsNode)}`);
      else for (const [name, node, pair] of entries(datasetsNode)) {
        const source = parseDataset(ctx, name, node, pair, mdp, experts, expertNames);
        if (source) datasets.set(name, source);
      }
    }
  }
  const description = scalarValue(get(root, 'description'));
  if (!mdp) return { diagnostics: ctx.diagnostics, ...(ctx.draft ? { draft: ctx.draft } : {}) };
  return {
    model: {
      mdp,
      experts,
      datasets,
      ...(typeof description === 'string' ? { description } : {}),
      ...(generatorSpec ? { generator: generatorSpec } : {}),
      builtinExperts: [...experts].filter(([, policy]) => builtinExpert !== undefined && policy === builtinExpert).map(([name]) => name),
    },
    diagnostics: ctx.diagnostics,
  };
}
