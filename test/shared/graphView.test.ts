import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMdpEditorViewModel } from '../../src/editor/mdpViewModel';
import { layoutGraph } from '../../src/shared/graphLayout';
import { buildGraphView, MAX_DRAWN_STATES } from '../../src/shared/graphView';

const THREE = readFileSync(join(__dirname, '../../examples/three-states.ilmdp'), 'utf8');

test('three-states: one edge per written entry, every one editable (numbers and shorthand names), with row sums and degrees', () => {
  const graph = buildMdpEditorViewModel(THREE).model!.graph!;
  assert.deepEqual(graph.states, ['start', 'middle', 'goal']);
  // Read off the file: start/stay→start, start/go→{middle .9, start .1}, middle/stay→middle,
  // middle/go→{goal .8, start .2}, goal/stay→goal, goal/go→goal.
  const edges = graph.from.map((s, e) => `${graph.states[s]}/${graph.actions[graph.action[e]]}→${graph.states[graph.to[e]]} ${graph.prob[e]}${graph.editable[e] ? ' editable' : ''}`);
  assert.deepEqual(edges, [
    'start/stay→start 1 editable',
    'start/go→middle 0.9 editable',
    'start/go→start 0.1 editable',
    'middle/stay→middle 1 editable',
    'middle/go→goal 0.8 editable',
    'middle/go→start 0.2 editable',
    'goal/stay→goal 1 editable',
    'goal/go→goal 1 editable',
  ]);
  assert.deepEqual(graph.rowSums.map((x) => Math.round(x * 1e12) / 1e12), [1, 1, 1, 1, 1, 1]);
  assert.equal(graph.summary.selfLoops, 5);
  assert.deepEqual(graph.summary.outDegree, { min: 0, mean: 1, max: 2 }, 'start→middle; middle→goal, start; goal→nothing else');
  assert.deepEqual(graph.summary.inDegree, { min: 1, mean: 1, max: 1 });
  assert.equal(graph.summary.unreachable, 0);
  assert.deepEqual(graph.rho, [1, 0, 0]);
});

test('the layout puts each state in the column of its steps from ρ, inside the box, nodes apart', () => {
  const { layout } = buildMdpEditorViewModel(THREE).model!.graph!;
  assert.ok(layout);
  // start is ρ's support (step 0), middle one step on, goal two.
  assert.ok(layout.x[0] < layout.x[1] && layout.x[1] < layout.x[2], `x = ${layout.x.join(', ')}`);
  for (let s = 0; s < 3; s++) {
    assert.ok(layout.x[s] > 0 && layout.x[s] < layout.width && layout.y[s] > 0 && layout.y[s] < layout.height);
    for (let t = 0; t < s; t++) assert.ok(Math.hypot(layout.x[s] - layout.x[t], layout.y[s] - layout.y[t]) > 60, 'no two nodes on top of each other');
  }
});

test('the same graph gets the same layout (the force layout is seeded), and probabilities do not move nodes', () => {
  const links: [number, number][] = [];
  for (let s = 0; s < 40; s++) links.push([s, (s * 7 + 3) % 40], [s, (s + 1) % 40]);
  const depth = Array.from({ length: 40 }, (_, s) => s % 5);
  const a = layoutGraph(40, links, depth);
  // A copy of the inputs misses the cache only if the key differs; a fresh structure is laid out anew.
  const b = layoutGraph(40, links.map(([x, y]) => [x, y]), [...depth]);
  assert.deepEqual(a, b);
  const other = layoutGraph(40, links.slice(1), depth);
  assert.notDeepEqual(a.x, other.x);
  const edited = buildMdpEditorViewModel(THREE.replace('{middle: 0.9, start: 0.1}', '{middle: 0.7, start: 0.3}')).model!.graph!;
  assert.deepEqual(edited.layout, buildMdpEditorViewModel(THREE).model!.graph!.layout);
});

test('a row that does not sum to 1 keeps the graph (from the draft) with the wrong sum on it; a missing row is marked', () => {
  const wrong = buildMdpEditorViewModel(THREE.replace('{middle: 0.9, start: 0.1}', '{middle: 0.95, start: 0.1}'));
  assert.equal(wrong.model, null);
  const graph = wrong.draft!.graph!;
  assert.ok(Math.abs(graph.rowSums[0 * 2 + 1] - 1.05) < 1e-12);
  assert.equal(graph.summary.badRows, 1);
  assert.ok(graph.layout);
  const missing = buildMdpEditorViewModel(THREE.replace('      go: goal\n', ''));
  const g2 = missing.draft!.graph!;
  assert.equal(g2.rowSums[2 * 2 + 1], -1);
  assert.equal(g2.summary.badRows, 1);
});

test('past 200 states: no layout, a summary, and the edges for the neighbourhood search', () => {
  const nS = MAX_DRAWN_STATES + 50;
  const states = Array.from({ length: nS }, (_, s) => `s${s}`);
  // A ring with a chord from every state to state 0: out-degree 2 (1 for s249 and s0's neighbour), in-degree of s0 = nS − 1.
  const graph = buildGraphView({
    states,
    actions: ['a', 'b'],
    entriesOf: (row) => {
      const s = Math.floor(row / 2);
      return row % 2 === 0 ? [[(s + 1) % nS, 1]] : [[0, 1]];
    },
    editable: () => true,
    rho: Array.from({ length: nS }, (_, s) => (s === 0 ? 1 : 0)),
  });
  assert.equal(graph.layout, undefined);
  assert.ok(graph.edgesSent);
  assert.equal(graph.from.length, 2 * nS);
  assert.equal(graph.summary.edges, 2 * nS);
  assert.equal(graph.summary.selfLoops, 1, 'only s0/b → s0');
  assert.equal(graph.summary.inDegree.max, nS - 1);
  assert.equal(graph.summary.outDegree.min, 1, 's0 and s249 have one successor other than themselves');
  assert.equal(graph.summary.outDegree.max, 2);
  assert.equal(graph.summary.unreachable, 0);
});

test('a broken MDP too large for the table (150 × 3 rows) still gets its graph, the wrong row on it', () => {
  const nS = 150;
  const names = Array.from({ length: nS }, (_, s) => `s${s}`);
  const rows = names.map((n, s) => `    ${n}: {a: ${names[(s + 1) % nS]}, b: ${n}, c: {${names[0]}: ${s === 7 ? 0.5 : 1}}}`);
  const text = `mdp:\n  states: [${names.join(', ')}]\n  actions: [a, b, c]\n  horizon: 3\n  transitions:\n${rows.join('\n')}\n`;
  const built = buildMdpEditorViewModel(text);
  assert.equal(built.model, null);
  assert.deepEqual(built.draft!.transitions, [], '450 rows are too many for the table');
  const graph = built.draft!.graph!;
  assert.equal(graph.summary.badRows, 1);
  assert.equal(graph.rowSums[7 * 3 + 2], 0.5);
  assert.ok(graph.layout);
});
