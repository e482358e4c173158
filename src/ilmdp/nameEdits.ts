/**
 * Adding, renaming and deleting the states and actions of an explicit MDP from the graph view. A name
 * appears in many places of an .ilmdp file (the list itself, transition rows and their next states, ρ,
 * rewards, every expert's tables, inline trajectories: every place parse.ts looks a name up), and a
 * change of it is one list of text edits over all of them, applied as one workspace edit, so it is one
 * undo step. Each edit touches only the name's own characters (or the entry added or removed), in the
 * style the file writes that collection in; comments and formatting elsewhere stay byte-identical.
 *
 * Deleting keeps the file valid or refuses with what to fix first. A state is deleted with its own
 * rows, rewards, policy entries and every entry that gives it probability 0; it is refused while
 * another row, ρ or an inline trajectory still reaches it, because removing those entries would leave
 * rows that no longer sum to 1 and the user would have to find and repair each one. An action is
 * deleted with its rows in every state and its rewards; it is refused while an expert chooses it or a
 * trajectory takes it. Dataset files (CSV, JSON Lines) are not rewritten: the result's note says so.
 */
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { formatScalar, type TextEdit } from './edits';
import { appendToMap, appendToSeq, pairsNamed, removeItem, replaceScalar, type Spot } from './yamlSpots';

export type NameEditResult = { readonly ok: true; readonly edits: readonly TextEdit[]; readonly note?: string } | { readonly ok: false; readonly message: string };

export type NameKind = 'state' | 'action';

/** The longest name the editor writes (the message guard's bound too). */
export const MAX_NAME_LENGTH = 255;

interface Explicit {
  readonly doc: Document;
  readonly mdp: YAMLMap;
  readonly states: YAMLSeq;
  readonly actions: YAMLSeq;
  readonly stateNames: readonly string[];
  readonly actionNames: readonly string[];
}

type Found = { ok: true; file: Explicit } | { ok: false; message: string };

const text = (node: unknown): string | undefined => (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined);

function explicitOf(source: string): Found {
  const doc = parseDocument(source, { uniqueKeys: false });
  if (doc.errors.length > 0) return { ok: false, message: 'the file has syntax errors; fix them in the text first' };
  const mdp = doc.get('mdp', true) as Node | undefined;
  if (!isMap(mdp)) return { ok: false, message: 'the file has no mdp: map' };
  if (mdp.has('generator')) return { ok: false, message: 'the states and actions of a generated MDP come from its generator; only an explicit MDP (states and actions written out) is edited here' };
  const states = mdp.get('states', true) as Node | undefined;
  const actions = mdp.get('actions', true) as Node | undefined;
  for (const [node, what] of [[states, 'states'], [actions, 'actions']] as const) {
    if (!isSeq(node)) return { ok: false, message: `${what} are given as a count, not a list of names; write them as a list (${what}: [${what === 'states' ? 's0, s1' : 'a0, a1'}, …]) to edit them here` };
  }
  const seqStates = states as YAMLSeq;
  const seqActions = actions as YAMLSeq;
  const stateNames = seqStates.items.map(text);
  const actionNames = seqActions.items.map(text);
  if (stateNames.includes(undefined) || actionNames.includes(undefined)) return { ok: false, message: 'a state or action name is not a plain name; fix the list in the text first' };
  return { ok: true, file: { doc, mdp, states: seqStates, actions: seqActions, stateNames: stateNames as string[], actionNames: actionNames as string[] } };
}

function checkNewName(name: string, taken: readonly string[], kind: NameKind): string | undefined {
  if (name.trim() !== name || name.length === 0) return `a ${kind} name may not be empty or start or end with a space`;
  if (name.length > MAX_NAME_LENGTH) return `a ${kind} name has at most ${MAX_NAME_LENGTH} characters`;
  if (/[\n\r\t]/.test(name)) return `a ${kind} name is one line`;
  if (taken.includes(name)) return `there is already a ${kind} named "${name}"`;
  return undefined;
}

const mapIn = (node: unknown): YAMLMap | undefined => (isMap(node) ? node : undefined);
const pairValue = (pair: Pair): Node | null => (pair.value as Node | null) ?? null;

/** Every expert's policy tables, each with whether it maps a state to an action (deterministic) or to {action: p}. */
function policyTables(doc: Document): { expert: string; table: YAMLMap; stochastic: boolean }[] {
  const experts = mapIn(doc.get('experts', true));
  const out: { expert: string; table: YAMLMap; stochastic: boolean }[] = [];
  for (const pair of experts?.items ?? []) {
    const expert = text(pair.key) ?? '?';
    const body = mapIn(pair.value);
    if (!body) continue;
    const stochasticNode = body.get('stochastic', true) as Node | undefined;
    const steps = body.get('steps', true) as Node | undefined;
    if (isSeq(steps)) {
      // With steps, `stochastic: true` says how the tables are written.
      const stochastic = isScalar(stochasticNode) && stochasticNode.value === true;
      for (const t of steps.items) if (isMap(t)) out.push({ expert, table: t, stochastic });
      continue;
    }
    if (isMap(stochasticNode)) out.push({ expert, table: stochasticNode, stochastic: true });
    const policy = mapIn(body.get('policy', true));
    if (policy) out.push({ expert, table: policy, stochastic: false });
  }
  return out;
}

/** Every inline trajectory step, as its [state, action] scalars, with its dataset and position. */
function trajectorySteps(doc: Document): { dataset: string; trajectory: number; step: number; state: Node; action: Node }[] {
  const datasets = mapIn(doc.get('datasets', true));
  const out: { dataset: string; trajectory: number; step: number; state: Node; action: Node }[] = [];
  for (const pair of datasets?.items ?? []) {
    const trajectories = mapIn(pair.value)?.get('trajectories', true) as Node | undefined;
    if (!isSeq(trajectories)) continue;
    trajectories.items.forEach((tr, i) => {
      if (!isSeq(tr)) return;
      tr.items.forEach((step, h) => {
        if (isSeq(step) && step.items.length === 2) out.push({ dataset: text(pair.key) ?? '?', trajectory: i, step: h, state: step.items[0] as Node, action: step.items[1] as Node });
      });
    });
  }
  return out;
}

/** Dataset files name states and actions too; they are not rewritten, and the note says which. */
function fileNote(doc: Document, verb: string): string | undefined {
  const files = (mapIn(doc.get('datasets', true))?.items ?? []).flatMap((p) => {
    const file = mapIn(p.value)?.get('file');
    return typeof file === 'string' ? [file] : [];
  });
  return files.length === 0 ? undefined : `dataset files are not changed: ${verb} in ${files.join(', ')} too`;
}

function collect(edits: TextEdit[], spot: Spot | TextEdit | undefined): string | undefined {
  if (spot === undefined) return 'a name without a position in the text; edit it there';
  if ('ok' in spot) {
    if (!spot.ok) return spot.message;
    edits.push(spot.edit);
    return undefined;
  }
  edits.push(spot);
  return undefined;
}

/** Sorted, and refused if two overlap (which would be a bug here, not the user's problem). */
function finish(edits: TextEdit[], note?: string): NameEditResult {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].offset < sorted[i - 1].offset + sorted[i - 1].length) return { ok: false, message: 'the edits of this change overlap; make it in the text' };
  }
  return { ok: true, edits: sorted, ...(note ? { note } : {}) };
}

/** A name written as the scalar it replaces was: quoted stays quoted (a JSON file stays JSON), plain stays plain where YAML allows. */
function nameText(node: Node, name: string): string {
  if (isScalar(node) && node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(name);
  if (isScalar(node) && node.type === Scalar.QUOTE_SINGLE) return `'${name.replace(/'/g, "''")}'`;
  return formatScalar(name);
}

// ---- rename ---------------------------------------------------------------------------------------

/** Renames a state or an action everywhere the file names it. */
export function renameName(source: string, kind: NameKind, from: string, to: string): NameEditResult {
  const found = explicitOf(source);
  if (!found.ok) return found;
  const f = found.file;
  const names = kind === 'state' ? f.stateNames : f.actionNames;
  if (!names.includes(from)) return { ok: false, message: `there is no ${kind} named "${from}"` };
  if (from === to) return { ok: true, edits: [] };
  const bad = checkNewName(to, names, kind);
  if (bad) return { ok: false, message: bad };
  const edits: TextEdit[] = [];
  const keys = (map: unknown) => pairsNamed(map, from).map(({ pair }) => replaceScalar(pair.key as Node, nameText(pair.key as Node, to)));
  const values = (node: unknown) => (text(node) === from ? [replaceScalar(node as Node, nameText(node as Node, to))] : []);
  const spots: (TextEdit | undefined)[] = [];
  spots.push(...(kind === 'state' ? f.states : f.actions).items.flatMap(values));
  const transitions = mapIn(f.mdp.get('transitions', true));
  const rewards = mapIn(f.mdp.get('rewards', true));
  if (kind === 'state') {
    spots.push(...keys(f.mdp.get('initial', true)), ...keys(transitions), ...keys(rewards));
    for (const row of transitions?.items ?? []) {
      for (const dist of mapIn(row.value)?.items ?? []) {
        const value = pairValue(dist);
        spots.push(...(isMap(value) ? keys(value) : values(value)));
      }
    }
    for (const { table } of policyTables(f.doc)) spots.push(...keys(table));
    for (const step of trajectorySteps(f.doc)) spots.push(...values(step.state));
  } else {
    for (const row of transitions?.items ?? []) spots.push(...keys(row.value));
    for (const row of rewards?.items ?? []) spots.push(...keys(row.value));
    for (const { table, stochastic } of policyTables(f.doc)) {
      for (const pair of table.items) spots.push(...(stochastic ? keys(pair.value) : values(pair.value)));
    }
    for (const step of trajectorySteps(f.doc)) spots.push(...values(step.action));
  }
  for (const spot of spots) {
    const problem = collect(edits, spot);
    if (problem) return { ok: false, message: problem };
  }
  return finish(edits, fileNote(f.doc, `rename ${kind} ${from} to ${to}`));
}

/** New names are quoted when the file quotes its names (a JSON file stays JSON), plain otherwise. */
function writerOf(f: Explicit): (name: string) => string {
  const first = f.states.items[0];
  return isScalar(first) && first.type === Scalar.QUOTE_DOUBLE ? (name) => JSON.stringify(name) : formatScalar;
}

// ---- add ------------------------------------------------------------------------------------------

/** A block map's entries one per line below its key (when the file writes its rows that way). */
function blockLines(entries: readonly (readonly [string, string])[], indent: string, unit: string, eol: string): string {
  return entries.map(([k, v]) => `${eol}${indent}${unit}${k}: ${v}`).join('');
}

/** How far a block map's entries sit inside it, from its first entry whose value is a block map. */
function indentUnitOf(source: string, map: YAMLMap): string {
  for (const pair of map.items) {
    const value = pairValue(pair);
    const key = pair.key as Node | null;
    if (!isMap(value) || value.flow || !key?.range) continue;
    const child = value.items[0]?.key as Node | undefined;
    if (!child?.range) continue;
    const col = (offset: number) => offset - (source.lastIndexOf('\n', offset - 1) + 1);
    const unit = col(child.range[0]) - col(key.range[0]);
    if (unit > 0) return ' '.repeat(unit);
  }
  return '  ';
}

/**
 * Adds a state. So that the file stays valid, it gets a row for every action that stays where it is
 * (an absorbing state, to be rewired from the graph or the table), and every expert's table gets an
 * entry for it (the first action, with probability 1). ρ and the rewards leave it at 0.
 */
export function addState(source: string, name: string): NameEditResult {
  const found = explicitOf(source);
  if (!found.ok) return found;
  const f = found.file;
  const bad = checkNewName(name, f.stateNames, 'state');
  if (bad) return { ok: false, message: bad };
  const transitions = mapIn(f.mdp.get('transitions', true));
  if (!transitions) return { ok: false, message: 'the file has no transitions: map to add a row to' };
  const write = writerOf(f);
  const key = write(name);
  const firstAction = write(f.actionNames[0]);
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const edits: TextEdit[] = [];
  const spots: Spot[] = [appendToSeq(source, f.states, key)];
  const rowEntries = f.actionNames.map((a) => [write(a), key] as const);
  // A new row is written the way the first row is: a block of lines, or one flow map.
  const firstRow = transitions.items[0] ? pairValue(transitions.items[0]) : null;
  const unit = indentUnitOf(source, transitions);
  spots.push(
    appendToMap(source, transitions, {
      key,
      flow: `{${rowEntries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`,
      ...(!transitions.flow && isMap(firstRow) && !firstRow.flow ? { block: (indent: string) => blockLines(rowEntries, indent, unit, eol) } : {}),
    }),
  );
  for (const { table, stochastic } of policyTables(f.doc)) spots.push(appendToMap(source, table, { key, flow: stochastic ? `{${firstAction}: 1}` : firstAction }));
  for (const spot of spots) {
    const problem = collect(edits, spot);
    if (problem) return { ok: false, message: problem };
  }
  return finish(edits);
}

/** Adds an action: a list entry and, in every state's row map, a move that stays in that state. */
export function addAction(source: string, name: string): NameEditResult {
  const found = explicitOf(source);
  if (!found.ok) return found;
  const f = found.file;
  const bad = checkNewName(name, f.actionNames, 'action');
  if (bad) return { ok: false, message: bad };
  const write = writerOf(f);
  const key = write(name);
  const edits: TextEdit[] = [];
  const spots: Spot[] = [appendToSeq(source, f.actions, key)];
  for (const row of mapIn(f.mdp.get('transitions', true))?.items ?? []) {
    const state = text(row.key);
    const actions = mapIn(row.value);
    if (state === undefined || !actions) continue;
    spots.push(appendToMap(source, actions, { key, flow: write(state) }));
  }
  for (const spot of spots) {
    const problem = collect(edits, spot);
    if (problem) return { ok: false, message: problem };
  }
  return finish(edits);
}

// ---- delete ---------------------------------------------------------------------------------------

const probabilityOf = (node: Node | null): number => (isScalar(node) && typeof node.value === 'number' ? node.value : NaN);

/** Lists what still refers to a name, for a refusal: the first few, then how many more. */
function refusal(what: string, reasons: readonly string[]): NameEditResult {
  const shown = reasons.slice(0, 8).join('; ');
  const more = reasons.length > 8 ? `; and ${reasons.length - 8} more` : '';
  return { ok: false, message: `${what}: ${shown}${more}` };
}

/**
 * Deletes a state: its list entry, its transition rows, its rewards, ρ's and the experts' entries for
 * it, and entries of other rows that give it probability 0. Refused, with the list, while other rows
 * lead to it with positive probability, ρ starts there or an inline trajectory visits it.
 */
export function deleteState(source: string, name: string): NameEditResult {
  const found = explicitOf(source);
  if (!found.ok) return found;
  const f = found.file;
  const index = f.stateNames.indexOf(name);
  if (index < 0) return { ok: false, message: `there is no state named "${name}"` };
  if (f.stateNames.length === 1) return { ok: false, message: `${name} is the only state; an MDP needs at least one` };
  const reasons: string[] = [];
  const spots: Spot[] = [removeItem(source, f.states, index)];
  const transitions = mapIn(f.mdp.get('transitions', true));
  for (const row of transitions?.items ?? []) {
    const state = text(row.key);
    if (state === name) continue;
    for (const dist of mapIn(row.value)?.items ?? []) {
      const action = text(dist.key);
      const value = pairValue(dist);
      if (text(value) === name && !isMap(value)) reasons.push(`${state}/${action} moves there`);
      if (!isMap(value)) continue;
      for (const { pair, index: i } of pairsNamed(value, name)) {
        const p = probabilityOf(pairValue(pair));
        if (p === 0) spots.push(removeItem(source, value, i));
        else reasons.push(`${state}/${action} leads there with probability ${Number.isNaN(p) ? 'unreadable' : p}`);
      }
    }
  }
  const initial = mapIn(f.mdp.get('initial', true));
  for (const { pair, index: i } of pairsNamed(initial, name)) {
    if (probabilityOf(pairValue(pair)) === 0) spots.push(removeItem(source, initial!, i));
    else reasons.push(`ρ starts there (initial: ${name})`);
  }
  for (const step of trajectorySteps(f.doc)) if (text(step.state) === name) reasons.push(`dataset ${step.dataset}, trajectory ${step.trajectory + 1} visits it at step ${step.step + 1}`);
  if (reasons.length > 0) return refusal(`${name} cannot be deleted while it is reached (move that probability to another state first)`, reasons);
  for (const map of [transitions, mapIn(f.mdp.get('rewards', true)), ...policyTables(f.doc).map((t) => t.table)]) {
    for (const { index: i } of pairsNamed(map, name)) spots.push(removeItem(source, map!, i));
  }
  const edits: TextEdit[] = [];
  for (const spot of spots) {
    const problem = collect(edits, spot);
    if (problem) return { ok: false, message: problem };
  }
  return finish(edits, fileNote(f.doc, `rows with state ${name} must go`));
}

/**
 * Deletes an action: its list entry, its row in every state, its per-action rewards and stochastic
 * entries of probability 0. Refused while an expert chooses it or an inline trajectory takes it.
 */
export function deleteAction(source: string, name: string): NameEditResult {
  const found = explicitOf(source);
  if (!found.ok) return found;
  const f = found.file;
  const index = f.actionNames.indexOf(name);
  if (index < 0) return { ok: false, message: `there is no action named "${name}"` };
  if (f.actionNames.length === 1) return { ok: false, message: `${name} is the only action; an MDP needs at least one` };
  const reasons: string[] = [];
  const spots: Spot[] = [removeItem(source, f.actions, index)];
  for (const { expert, table, stochastic } of policyTables(f.doc)) {
    for (const pair of table.items) {
      const state = text(pair.key);
      const value = pairValue(pair);
      if (!stochastic) {
        if (text(value) === name) reasons.push(`expert ${expert} chooses it in ${state}`);
        continue;
      }
      for (const { pair: entry, index: i } of pairsNamed(value, name)) {
        if (probabilityOf(pairValue(entry)) === 0) spots.push(removeItem(source, value as YAMLMap, i));
        else reasons.push(`expert ${expert} chooses it in ${state} with probability ${probabilityOf(pairValue(entry))}`);
      }
    }
  }
  for (const step of trajectorySteps(f.doc)) if (text(step.action) === name) reasons.push(`dataset ${step.dataset}, trajectory ${step.trajectory + 1} takes it at step ${step.step + 1}`);
  if (reasons.length > 0) return refusal(`${name} cannot be deleted while it is used (change those choices first)`, reasons);
  for (const section of ['transitions', 'rewards']) {
    for (const row of mapIn(f.mdp.get(section, true))?.items ?? []) {
      const map = mapIn(row.value);
      for (const { index: i } of pairsNamed(map, name)) spots.push(removeItem(source, map!, i));
    }
  }
  const edits: TextEdit[] = [];
  for (const spot of spots) {
    const problem = collect(edits, spot);
    if (problem) return { ok: false, message: problem };
  }
  return finish(edits, fileNote(f.doc, `rows with action ${name} must go`));
}

/** Applies a sorted list of non-overlapping edits (as one workspace edit would). */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += source.slice(at, e.offset) + e.newText;
    at = e.offset + e.length;
  }
  return out + source.slice(at);
}
