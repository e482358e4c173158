import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMdpEditorViewModel } from '../../src/editor/mdpViewModel';
import { applyEdit, setScalar, setTransitionProbability } from '../../src/ilmdp/edits';
import { parse } from 'yaml';
import { isEditorToHostMessage } from '../../src/shared/mdpEditorProtocol';

const examples = join(__dirname, '../../examples');
const threeStates = readFileSync(join(examples, 'three-states.ilmdp'), 'utf8');

test('the view model lists every transition row with its sum, and which numbers are editable', () => {
  const { model, diagnostics } = buildMdpEditorViewModel(threeStates);
  assert.deepEqual(diagnostics, []);
  assert.equal(model!.transitions.length, 6);
  const go = model!.transitions.find((r) => r.state === 'start' && r.action === 'go')!;
  assert.deepEqual(
    go.entries.map((e) => [e.next, e.prob, e.editPath?.join('.')]),
    [
      ['middle', 0.9, 'mdp.transitions.start.go.middle'],
      ['start', 0.1, 'mdp.transitions.start.go.start'],
    ],
  );
  const stay = model!.transitions.find((r) => r.state === 'start' && r.action === 'stay')!;
  assert.equal(stay.entries[0].editPath?.join('.'), 'mdp.transitions.start.stay.start', 'the shorthand "stay: start" is edited as the map it stands for');
  assert.ok(model!.transitions.every((r) => Math.abs(r.sum - 1) < 1e-12));
  assert.deepEqual(model!.experts.map((e) => [e.name, e.kind]), [
    ['walker', 'deterministic'],
    ['hesitant', 'stochastic'],
  ]);
  assert.equal(model!.datasets.length, 2);
});

test('every editPath the view offers is accepted by the edit the parse service applies, and sets that probability', () => {
  const { model } = buildMdpEditorViewModel(threeStates);
  // What each row says, read with the YAML library: a shorthand name is the map {name: 1} it stands for.
  const rowsOf = (source: string) => {
    const transitions = (parse(source) as { mdp: { transitions: Record<string, Record<string, string | Record<string, number>>> } }).mdp.transitions;
    return Object.fromEntries(Object.entries(transitions).flatMap(([s, row]) => Object.entries(row).map(([a, v]) => [`${s}/${a}`, typeof v === 'string' ? { [v]: 1 } : v])));
  };
  const before = rowsOf(threeStates);
  let offered = 0;
  for (const row of model!.transitions) {
    for (const entry of row.entries) {
      if (!entry.editPath) continue;
      offered++;
      const [, , state, action, next] = entry.editPath;
      const r = setTransitionProbability(threeStates, state, action, next, 0.25);
      assert.ok(r.ok, entry.editPath.join('.'));
      const expected = { ...before, [`${state}/${action}`]: { ...before[`${state}/${action}`], [next]: 0.25 } };
      assert.deepEqual(rowsOf(applyEdit(threeStates, r.edit)), expected, entry.editPath.join('.'));
    }
  }
  assert.equal(offered, 8, 'all 8 written entries of three-states, the 4 shorthand ones included');
});

test('a document with errors yields no model but every diagnostic, with its path', () => {
  const broken = threeStates.replace('{middle: 0.9, start: 0.1}', '{middle: 0.8, start: 0.1}');
  const { model, diagnostics } = buildMdpEditorViewModel(broken);
  assert.equal(model, null);
  assert.equal(diagnostics[0].path, 'mdp.transitions.start.go');
  assert.match(diagnostics[0].message, /sums to 0\.9/);
  const generated = buildMdpEditorViewModel(readFileSync(join(examples, 'reset-cliff.ilmdp'), 'utf8'));
  assert.equal(generated.model!.kind, 'reset-cliff');
  assert.ok(generated.model!.transitions.every((r) => r.entries.every((e) => e.editPath === undefined)));
});

test('messages from the webview are validated before use', () => {
  const good = [
    { type: 'ready' },
    { type: 'set-scalar', path: ['mdp', 'horizon'], value: 3 },
    { type: 'set-scalar', path: ['experts', 'walker', 'policy', 'start'], value: 'go' },
    { type: 'page', version: 4, dataset: 'demo', start: 100, count: 100 },
    { type: 'export-dataset', dataset: 'demo', format: 'jsonl' },
    { type: 'panel', panel: 'bc-table', dataset: 'demo' },
    { type: 'generate-dataset' },
    { type: 'import-dataset' },
  ];
  for (const m of good) assert.equal(isEditorToHostMessage(m), true, JSON.stringify(m));
  const bad = [
    null,
    {},
    { type: 'set-scalar', path: [], value: 1 },
    { type: 'set-scalar', path: ['a'], value: Infinity },
    { type: 'set-scalar', path: [1], value: 1 },
    { type: 'set-scalar', path: ['a'], value: '' },
    { type: 'eval', code: 'x' },
    { type: 'page', version: 1, dataset: 'demo', start: -1, count: 10 },
    { type: 'page', version: 1, dataset: 'demo', start: 0, count: 0 },
    { type: 'page', version: 1, dataset: 'demo', start: 0, count: 10_000 },
    { type: 'page', version: 1.5, dataset: 'demo', start: 0, count: 1 },
    { type: 'export-dataset', dataset: 'demo', format: 'xlsx' },
    { type: 'panel', panel: 'rm -rf', expert: 'walker' },
    { type: 'panel', panel: 'visitation', expert: 42 },
  ];
  for (const m of bad) assert.equal(isEditorToHostMessage(m), false, JSON.stringify(m));
});

test('the view model lists datasets without computing them (statistics come from the worker)', () => {
  const { model } = buildMdpEditorViewModel(threeStates);
  assert.deepEqual(
    model!.datasets.map((d) => [d.name, d.source, d.from]),
    [
      ['demo', 'generated', 'walker'],
      ['by-hand', 'inline', undefined],
    ],
  );
  assert.ok(model!.datasets.every((d) => !('stats' in d)));
  // A file dataset names its file, so the host knows what to stat and read for the worker.
  const external = buildMdpEditorViewModel(readFileSync(join(examples, 'external-dataset.ilmdp'), 'utf8')).model!;
  assert.deepEqual(external.datasets.map((d) => [d.name, d.source, d.file]), [['recorded', 'file', 'external-dataset.csv']]);
});

test('numbers written under mdp: are offered as parameters, and editing one rewrites only it', () => {
  const text = readFileSync(join(examples, 'gridworld.ilmdp'), 'utf8');
  const { model } = buildMdpEditorViewModel(text);
  assert.deepEqual(
    model!.parameters.map((p) => [p.key, p.value, p.kind]),
    [
      ['horizon', 12, 'integer'],
      ['slip', 0.1, 'probability'],
    ],
  );
  const r = setScalar(text, model!.parameters[0].path, 20);
  assert.ok(r.ok);
  const out = applyEdit(text, r.edit);
  assert.equal(out, text.replace('horizon: 12', 'horizon: 20'));
  assert.equal(buildMdpEditorViewModel(out).model!.horizon, 20);
});

test('a row that does not sum to 1 keeps the transition table on screen, editable, so it can be fixed there', () => {
  const broken = threeStates.replace('go: {middle: 0.9, start: 0.1}', 'go: {middle: 0.85, start: 0.1}');
  const { model, draft, diagnostics } = buildMdpEditorViewModel(broken);
  assert.equal(model, null);
  assert.ok(diagnostics.some((d) => /sums to 0\.95/.test(d.message)));
  assert.ok(draft, 'the rows as written are sent');
  const row = draft!.transitions.find((r) => r.state === 'start' && r.action === 'go')!;
  assert.ok(Math.abs(row.sum - 0.95) < 1e-12);
  const start = row.entries.find((e) => e.next === 'start')!;
  assert.deepEqual(start.editPath, ['mdp', 'transitions', 'start', 'go', 'start']);
  // Fixing the other entry from the editor makes the file valid again.
  const fix = setScalar(broken, start.editPath!, 0.15);
  assert.ok(fix.ok);
  assert.ok(buildMdpEditorViewModel(applyEdit(broken, fix.ok ? fix.edit : (undefined as never))).model);
  assert.equal(draft!.transitions.length, 6);
});

test('rewards, ρ and expert tables come with the paths where each entry is written', () => {
  const withRho = threeStates.replace('initial: {start: 1}', 'initial: {start: 1, middle: 0}');
  const { model } = buildMdpEditorViewModel(withRho);
  assert.deepEqual(model!.rhoPaths!.map((p) => p.join('.')), ['mdp.initial.start', 'mdp.initial.middle', 'mdp.initial.goal']);
  // `goal: 1` sets every action; start and middle are not written, so setting them adds one line.
  assert.deepEqual(model!.rewards!.map((r) => [r.state, r.rewards, r.allPath?.join('.'), r.actionPaths]), [
    ['start', [0, 0], 'mdp.rewards.start', undefined],
    ['middle', [0, 0], 'mdp.rewards.middle', undefined],
    ['goal', [1, 1], 'mdp.rewards.goal', undefined],
  ]);
  const walker = model!.experts.find((e) => e.name === 'walker')!;
  assert.deepEqual(walker.editPrefix, ['experts', 'walker', 'policy']);
  assert.ok(walker.rows.every((r) => r.editable));
  const hesitant = model!.experts.find((e) => e.name === 'hesitant')!;
  assert.deepEqual(hesitant.editPrefix, ['experts', 'hesitant', 'stochastic']);
  // Every offered path is accepted by setScalar and leaves a valid file.
  const paths: (readonly string[])[] = [...model!.rhoPaths!, ...model!.rewards!.map((r) => r.allPath!), ...hesitant.rows.map((r) => [...hesitant.editPrefix!, r.state, 'stay'])];
  for (const path of paths) {
    const r = setScalar(withRho, path, path[1] === 'initial' ? (path[2] === 'start' ? 1 : 0) : path[0] === 'experts' ? (path[3] === 'goal' ? 1 : 0.3) : 0.5);
    assert.ok(r.ok, path.join('.'));
    assert.ok(buildMdpEditorViewModel(applyEdit(withRho, r.edit)).model, path.join('.'));
  }
  // A generated MDP offers none of these.
  const generated = buildMdpEditorViewModel(readFileSync(join(examples, 'reset-cliff.ilmdp'), 'utf8')).model!;
  assert.equal(generated.rhoPaths, undefined);
  assert.equal(generated.rewards, undefined);
  assert.equal(generated.experts[0].editPrefix, undefined);
});
