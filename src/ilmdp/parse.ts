/**
 * The .ilmdp text format (docs/ilmdp.md): YAML 1.2 (so JSON too) describing one MDP, its experts and its
 * datasets. `parseIlmdp` never throws: it returns whatever model it could build and every problem it
 * found, each with line and column, so the editor can show them all while the user types.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { CoreError } from '../core/errors';
import { ENVIRONMENT_KINDS, environmentEntry, isEnvironmentSpec, isParameterValue, makeEnvironment, parameterTypeText, withDefaults, type Environment, type EnvironmentSpec } from '../core/envs';
import { transitionsFromRows, type MDP } from '../core/mdp';
import type { Policy } from '../core/policy';
import { validateMDP } from '../core/validate';
import { didYouMean, type Diagnostic, type Severity } from './diagnostics';

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

class Context {
  readonly diagnostics: Diagnostic[] = [];
  draft: TransitionDraft | undefined;
  constructor(private readonly lines: LineCounter) {}

  report(severity: Severity, node: Node | Pair | null | undefined, path: string, code: string, message: string): void {
    const range = (node && 'range' in node ? node.range : undefined) ?? (node && 'key' in node ? (node.key as Node | null)?.range : undefined);
    const start = this.lines.linePos(range?.[0] ?? 0);
    const end = this.lines.linePos(range?.[1] ?? range?.[0] ?? 0);
    this.diagnostics.push({ severity, code, message, path, start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } });
  }
  error(node: Node | Pair | null | undefined, path: string, code: string, message: string): void {
    this.report('error', node, path, code, message);
  }
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function entries(map: YAMLMap): [string, Node | null, Pair][] {
  return map.items.map((p) => [keyOf(p), (p.value as Node | null) ?? null, p]);
}

function checkKeys(ctx: Context, map: YAMLMap, allowed: readonly string[], path: string): void {
  for (const [key, , pair] of entries(map)) {
    if (allowed.includes(key)) continue;
    const hint = didYouMean(key, allowed);
    ctx.report('warning', pair.key as Node, `${path}.${key}`, 'unknown-key', `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : ''} (allowed: ${allowed.join(', ')})`);
  }
}

function get(map: YAMLMap, key: string): Node | null | undefined {
  const pair = map.items.find((p) => keyOf(p) === key);
  return pair ? ((pair.value as Node | null) ?? null) : undefined;
}

function scalarValue(node: Node | null | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

function positiveInt(ctx: Context, node: Node | null | undefined, path: string, what: string): number | undefined {
  const v = scalarValue(node);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  ctx.error(node, path, 'type', `${what} must be a positive integer${node ? `, got ${JSON.stringify(v ?? null)}` : ' (missing)'}`);
  return undefined;
}

function probability(ctx: Context, node: Node | null, path: string, what: string): number | undefined {
  const v = scalarValue(node);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1) return v;
  ctx.error(node, path, 'probability', `${what} must be a number in [0, 1], got ${JSON.stringify(v ?? null)}`);
  return undefined;
}

/** Names from a list of strings, or s0 … s{n−1} from a count. */
function names(ctx: Context, node: Node | null | undefined, path: string, prefix: string, what: string): string[] | undefined {
  if (isSeq(node)) {
    const out: string[] = [];
    node.items.forEach((item, i) => {
      const v = scalarValue(item as Node);
      if (typeof v !== 'string' && typeof v !== 'number') ctx.error(item as Node, `${path}.${i}`, 'type', `${what} names must be strings`);
      else if (out.includes(String(v))) ctx.error(item as Node, `${path}.${i}`, 'duplicate-name', `${what} "${v}" is listed twice; names must be unique`);
      else out.push(String(v));
    });
    if (out.length === 0) ctx.error(node, path, 'empty-space', `the ${what} list is empty; list at least one`);
    return out.length > 0 ? out : undefined;
  }
  const n = positiveInt(ctx, node, path, `${what}s (a list of names or a count)`);
  return n === undefined ? undefined : Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

function lookup(ctx: Context, list: readonly string[], name: string, node: Node | null | undefined, path: string, what: string): number | undefined {
  const i = list.indexOf(name);
  if (i >= 0) return i;
  const hint = didYouMean(name, list);
  ctx.error(node, path, `unknown-${what}`, `unknown ${what} "${name}"${hint ? `; did you mean "${hint}"?` : ''}`);
  return undefined;
}

function parseExplicitMdp(ctx: Context, map: YAMLMap): MDP | undefined {
  checkKeys(ctx, map, EXPLICIT_KEYS, 'mdp');
  const states = names(ctx, get(map, 'states'), 'mdp.states', 's', 'state');
  const actions = names(ctx, get(map, 'actions'), 'mdp.actions', 'a', 'action');
  const H = positiveInt(ctx, get(map, 'horizon'), 'mdp.horizon', 'the horizon');
  if (!states || !actions || H === undefined) return undefined;
  const nS = states.length;
  const nA = actions.length;
  let ok = true;

  const rho = new Float64Array(nS);
  const initial = get(map, 'initial');
  if (initial === undefined || scalarValue(initial) === 'uniform') rho.fill(1 / nS);
  else if (isMap(initial)) {
    let sum = 0;
    for (const [name, value] of entries(initial)) {
      const s = lookup(ctx, states, name, value, `mdp.initial.${name}`, 'state');
      const p = probability(ctx, value, `mdp.initial.${name}`, `ρ(${name})`);
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
    ctx.error(initial, 'mdp.initial', 'type', 'initial must be "uniform" or a map state: probability');
    ok = false;
  }

  const rows: [number, number][][] = Array.from({ length: nS * nA }, () => []);
  const seen = new Uint8Array(nS * nA);
  const transitions = get(map, 'transitions');
  if (!isMap(transitions)) {
    ctx.error(transitions ?? map, 'mdp.transitions', 'type', 'transitions must be a map state: action: {next state: probability}');
    return undefined;
  }
  for (const [sName, byAction] of entries(transitions)) {
    const s = lookup(ctx, states, sName, byAction, `mdp.transitions.${sName}`, 'state');
    if (s === undefined) {
      ok = false;
      continue;
    }
    if (!isMap(byAction)) {
      ctx.error(byAction, `mdp.transitions.${sName}`, 'type', `transitions of ${sName} must map each action to its next-state distribution`);
      ok = false;
      continue;
    }
    for (const [aName, dist] of entries(byAction)) {
      const path = `mdp.transitions.${sName}.${aName}`;
      const a = lookup(ctx, actions, aName, dist, path, 'action');
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
        else rows[row].push([next, 1]);
        continue;
      }
      if (!isMap(dist)) {
        ctx.error(dist, path, 'type', `the row ${sName}/${aName} must be a next state or a map {next state: probability}`);
        ok = false;
        continue;
      }
      let sum = 0;
      let rowOk = true;
      for (const [nextName, pNode] of entries(dist)) {
        const next = lookup(ctx, states, nextName, pNode, `${path}.${nextName}`, 'state');
        const p = probability(ctx, pNode, `${path}.${nextName}`, `P(${nextName} | ${sName}, ${aName})`);
        if (next === undefined || p === undefined) {
          rowOk = false;
          continue;
        }
        rows[row].push([next, p]);
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
  for (let row = 0; row < nS * nA; row++) {
    if (seen[row]) continue;
    const sName = states[Math.floor(row / nA)];
    const aName = actions[row % nA];
    ctx.error(transitions, `mdp.transitions.${sName}.${aName}`, 'missing-row', `no transition for ${sName}/${aName}; add "${sName}: {${aName}: {next: 1}}" under transitions`);
    ok = false;
  }

  const reward = new Float64Array(nS * nA);
  const rewards = get(map, 'rewards');
  if (rewards !== undefined && rewards !== null) {
    if (!isMap(rewards)) {
      ctx.error(rewards, 'mdp.rewards', 'type', 'rewards must be a map state: reward or state: {action: reward}');
      ok = false;
    } else {
      for (const [sName, value] of entries(rewards)) {
        const s = lookup(ctx, states, sName, value, `mdp.rewards.${sName}`, 'state');
        if (s === undefined) {
          ok = false;
          continue;
        }
        const setReward = (a: number, node: Node | null, path: string) => {
          const r = scalarValue(node);
          if (typeof r !== 'number' || !(r >= 0 && r <= 1)) {
            ctx.error(node, path, 'reward-range', `reward r(${sName}, ${actions[a]}) = ${JSON.stringify(r ?? null)}; rewards must be numbers in [0, 1]`);
            ok = false;
          } else reward[s * nA + a] = r;
        };
        if (isMap(value)) {
          for (const [aName, rNode] of entries(value)) {
            const a = lookup(ctx, actions, aName, rNode, `mdp.rewards.${sName}.${aName}`, 'action');
            if (a === undefined) ok = false;
            else setReward(a, rNode, `mdp.rewards.${sName}.${aName}`);
          }
        } else for (let a = 0; a < nA; a++) setReward(a, value, `mdp.rewards.${sName}`);
      }
    }
  }
  if (!ok) return undefined;
  const mdp: MDP = { nS, nA, H, rho, reward, transitions: [transitionsFromRows(nS, nA, rows)], stateNames: states, actionNames: actions };
  // The checks above cover what a user can write; the core's validator is the final word.
  for (const p of validateMDP(mdp)) ctx.error(map, 'mdp', p.code, p.message);
  return ctx.diagnostics.some((d) => d.severity === 'error') ? undefined : mdp;
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
    // A text parameter is a string in a file (`map: |`); only a spec may also give it as a list of lines.
    if (isParameterValue(p, v) && (p.type !== 'text' || typeof v === 'string')) fields[p.field] = v;
    else {
      const hint = p.type === 'text' ? ` (use \`${p.key}: |\` and the text on the lines below)` : '';
      const got = isSeq(valueNode) ? 'a list' : isMap(valueNode) ? 'a map' : JSON.stringify(v ?? null);
      ctx.error(valueNode, `mdp.${p.key}`, 'type', `${what} must be ${parameterTypeText(p)}${hint}, got ${got}`);
      ok = false;
    }
  }
  if (!ok || !isEnvironmentSpec(fields)) return undefined;
  const spec = withDefaults(fields);
  try {
    return { env: makeEnvironment(spec), spec };
  } catch (error) {
    ctx.error(map, 'mdp', 'generator', error instanceof CoreError ? error.message : String(error));
    return undefined;
  }
}

function parseExpert(ctx: Context, name: string, node: Node | null, mdp: MDP, builtin: Policy | undefined): Policy | undefined {
  const path = `experts.${name}`;
  if (!isMap(node)) {
    ctx.error(node, path, 'type', `expert ${name} must be a map with policy, stochastic, steps or builtin`);
    return undefined;
  }
  checkKeys(ctx, node, EXPERT_KEYS, path);
  const states = mdp.stateNames ?? Array.from({ length: mdp.nS }, (_, s) => `s${s}`);
  const actions = mdp.actionNames ?? Array.from({ length: mdp.nA }, (_, a) => `a${a}`);
  const { nS, nA, H } = mdp;
  if (get(node, 'builtin') !== undefined) {
    if (!builtin) ctx.error(get(node, 'builtin'), `${path}.builtin`, 'builtin', 'only generated MDPs have a built-in expert');
    return builtin;
  }
  // One table (stationary) or a list `steps:` with one table per step.
  const readTable = (table: Node | null, tablePath: string, stochastic: boolean, out: Float64Array, offset: number): boolean => {
    if (!isMap(table)) {
      ctx.error(table, tablePath, 'type', stochastic ? 'a stochastic policy maps each state to {action: probability}' : 'a policy maps each state to an action');
      return false;
    }
    let ok = true;
    const covered = new Uint8Array(nS);
    for (const [sName, value] of entries(table)) {
      const s = lookup(ctx, states, sName, value, `${tablePath}.${sName}`, 'state');
      if (s === undefined) {
        ok = false;
        continue;
      }
      covered[s] = 1;
      if (!stochastic) {
        const aName = scalarValue(value);
        const a = typeof aName === 'string' ? lookup(ctx, actions, aName, value, `${tablePath}.${sName}`, 'action') : undefined;
        if (a === undefined) {
          if (typeof aName !== 'string') ctx.error(value, `${tablePath}.${sName}`, 'type', `the action for ${sName} must be an action name`);
          ok = false;
        } else out[(offset + s) * nA + a] = 1;
        continue;
      }
      if (!isMap(value)) {
        ctx.error(value, `${tablePath}.${sName}`, 'type', `the row of ${sName} must be {action: probability}`);
        ok = false;
        continue;
      }
      let sum = 0;
      for (const [aName, pNode] of entries(value)) {
        const a = lookup(ctx, actions, aName, pNode, `${tablePath}.${sName}.${aName}`, 'action');
        const p = probability(ctx, pNode, `${tablePath}.${sName}.${aName}`, `π(${aName} | ${sName})`);
        if (a === undefined || p === undefined) ok = false;
        else {
          out[(offset + s) * nA + a] = p;
          sum += p;
        }
      }
      if (ok && Math.abs(sum - 1) > 1e-9) {
        ctx.error(value, `${tablePath}.${sName}`, 'row-sum', `the policy row of ${sName} sums to ${+sum.toPrecision(12)}; probabilities must sum to 1`);
        ok = false;
      }
    }
    for (let s = 0; s < nS; s++) {
      if (!covered[s]) {
        ctx.error(table, tablePath, 'missing-state', `the policy gives no action for state ${states[s]}; add "${states[s]}: <action>"`);
        ok = false;
      }
    }
    return ok;
  };
  const stochasticNode = get(node, 'stochastic');
  const stochastic = stochasticNode !== undefined;
  const steps = get(node, 'steps');
  if (steps !== undefined) {
    if (!isSeq(steps) || steps.items.length !== H) {
      ctx.error(steps, `${path}.steps`, 'type', `steps must list one policy table per step (H = ${H})`);
      return undefined;
    }
    const prob = new Float64Array(H * nS * nA);
    const ok = steps.items.map((t, h) => readTable(t as Node, `${path}.steps.${h}`, scalarValue(get(node, 'stochastic')) === true, prob, h * nS)).every(Boolean);
    return ok ? { kind: 'stochastic', nS, nA, H, stationary: false, prob } : undefined;
  }
  const table = stochastic ? stochasticNode : get(node, 'policy');
  if (table === undefined) {
    ctx.error(node, path, 'type', `expert ${name} needs policy (state: action), stochastic (state: {action: p}) or steps`);
    return undefined;
  }
  const prob = new Float64Array(nS * nA);
  if (!readTable(table, `${path}.${stochastic ? 'stochastic' : 'policy'}`, stochastic, prob, 0)) return undefined;
  if (!stochastic) {
    const action = new Int32Array(nS);
    for (let s = 0; s < nS; s++) action[s] = prob.subarray(s * nA, (s + 1) * nA).indexOf(1);
    return { kind: 'deterministic', nS, nA, H, stationary: true, action };
  }
  return { kind: 'stochastic', nS, nA, H, stationary: true, prob };
}

function parseDataset(ctx: Context, name: string, node: Node | null, mdp: MDP, experts: ReadonlyMap<string, Policy>, expertNames: readonly string[]): DatasetSource | undefined {
  const path = `datasets.${name}`;
  if (!isMap(node)) {
    ctx.error(node, path, 'type', `dataset ${name} must be a map (from/trajectories/seed, inline trajectories, or file)`);
    return undefined;
  }
  checkKeys(ctx, node, DATASET_KEYS, path);
  const file = scalarValue(get(node, 'file'));
  if (file !== undefined) {
    if (typeof file !== 'string' || !/\.(csv|jsonl)$/i.test(file)) {
      ctx.error(get(node, 'file'), `${path}.file`, 'type', 'file must be a path to a .csv or .jsonl file beside this one');
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
        ctx.error(tr as Node, trPath, 'type', `trajectory ${i + 1} must be a list of at most H = ${mdp.H} [state, action] pairs`);
        ok = false;
        return;
      }
      const steps: [number, number][] = [];
      tr.items.forEach((pair, h) => {
        const pairNode = pair as Node;
        if (!isSeq(pairNode) || pairNode.items.length !== 2) {
          ctx.error(pairNode, `${trPath}.${h}`, 'type', 'each step is a pair [state, action]');
          ok = false;
          return;
        }
        const [sNode, aNode] = pairNode.items as Node[];
        const s = lookup(ctx, states, String(scalarValue(sNode)), sNode, `${trPath}.${h}`, 'state');
        const a = lookup(ctx, actions, String(scalarValue(aNode)), aNode, `${trPath}.${h}`, 'action');
        if (s === undefined || a === undefined) ok = false;
        else steps.push([s, a]);
      });
      out.push(steps);
    });
    return ok ? { kind: 'inline', trajectories: out } : undefined;
  }
  const from = scalarValue(get(node, 'from'));
  if (typeof from !== 'string') {
    ctx.error(get(node, 'from') ?? node, `${path}.from`, 'type', 'a generated dataset names its expert: from: <expert>');
    return undefined;
  }
  if (!experts.has(from)) {
    if (!expertNames.includes(from)) {
      const hint = didYouMean(from, expertNames);
      ctx.error(get(node, 'from'), `${path}.from`, 'unknown-expert', `unknown expert "${from}"${hint ? `; did you mean "${hint}"?` : ''}`);
    }
    return undefined;
  }
  const N = positiveInt(ctx, trajectories, `${path}.trajectories`, 'trajectories (the number N of expert trajectories)');
  const seed = scalarValue(get(node, 'seed'));
  if (typeof seed !== 'number' && typeof seed !== 'string') {
    ctx.error(get(node, 'seed') ?? node, `${path}.seed`, 'type', 'a generated dataset needs a seed (a number or a string) so it is reproducible');
    return undefined;
  }
  return N === undefined ? undefined : { kind: 'generated', from, trajectories: N, seed };
}

export function parseIlmdp(text: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const ctx = new Context(lines);
  for (const e of doc.errors) {
    const start = lines.linePos(e.pos[0]);
    const end = lines.linePos(e.pos[1]);
    ctx.diagnostics.push({ severity: 'error', code: `yaml-${e.code}`, message: e.message.split('\n')[0], path: '', start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } });
  }
  for (const w of doc.warnings) {
    const start = lines.linePos(w.pos[0]);
    ctx.diagnostics.push({ severity: 'warning', code: `yaml-${w.code}`, message: w.message.split('\n')[0], path: '', start: { line: start.line, column: start.col }, end: { line: start.line, column: start.col } });
  }
  if (doc.errors.length > 0) return { diagnostics: ctx.diagnostics, ...(ctx.draft ? { draft: ctx.draft } : {}) };
  const root = doc.contents as Node | null;
  if (!isMap(root)) {
    ctx.error(root, '', 'type', 'an .ilmdp file is a map with the keys mdp, experts and datasets');
    return { diagnostics: ctx.diagnostics, ...(ctx.draft ? { draft: ctx.draft } : {}) };
  }
  checkKeys(ctx, root, TOP_KEYS, '');
  const mdpNode = get(root, 'mdp');
  if (!isMap(mdpNode)) {
    ctx.error(mdpNode ?? root, 'mdp', 'type', 'the file needs an "mdp:" map (explicit states/actions/transitions, or a generator)');
    return { diagnostics: ctx.diagnostics, ...(ctx.draft ? { draft: ctx.draft } : {}) };
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
  } else mdp = parseExplicitMdp(ctx, mdpNode);

  const experts = new Map<string, Policy>();
  const datasets = new Map<string, DatasetSource>();
  const expertsNode = get(root, 'experts');
  const datasetsNode = get(root, 'datasets');
  const expertNames = isMap(expertsNode) ? entries(expertsNode).map(([k]) => k) : [];
  if (builtinExpert && !expertNames.includes('expert')) expertNames.push('expert');
  if (mdp) {
    if (builtinExpert && !expertNames.some((n) => isMap(expertsNode) && get(expertsNode, n) !== undefined && n === 'expert')) experts.set('expert', builtinExpert);
    if (expertsNode !== undefined && expertsNode !== null) {
      if (!isMap(expertsNode)) ctx.error(expertsNode, 'experts', 'type', 'experts must be a map name: policy');
      else for (const [name, node] of entries(expertsNode)) {
        const policy = parseExpert(ctx, name, node, mdp, builtinExpert);
        if (policy) experts.set(name, policy);
      }
    }
    if (datasetsNode !== undefined && datasetsNode !== null) {
      if (!isMap(datasetsNode)) ctx.error(datasetsNode, 'datasets', 'type', 'datasets must be a map name: dataset');
      else for (const [name, node] of entries(datasetsNode)) {
        const source = parseDataset(ctx, name, node, mdp, experts, expertNames);
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
