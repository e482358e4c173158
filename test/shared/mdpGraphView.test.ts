/**
 * The graph a notebook output (MdpView.graph) draws of a small MDP: one edge per non-zero P(s′|s, a),
 * read-only, laid out by the editor's d3-force layout where the view is built. Expectations come from
 * the .ilmdp's YAML and from the Reset Cliff's definition (docs/theory.md §5), not from the builder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { garnet } from '../../src/core/envs/garnet';
import { resetCliff, resetCliffRho } from '../../src/core/envs/resetCliff';
import { createMDP, transitionsFromRows } from '../../src/core/mdp';
import { loadIlmdp } from '../../src/ilmdp/load';
import { MAX_GRAPH_EDGES, mdpView } from '../../src/shared/buildViews';
import { MAX_DRAWN_STATES } from '../../src/shared/graphView';
import { isView } from '../../src/shared/viewModels';
import { viewText } from '../../src/shared/viewText';

const file = join(__dirname, '../../examples/three-states.ilmdp');

const edgesOf = (g: NonNullable<ReturnType<typeof mdpView>['graph']>) => g.from.map((s, e) => `${g.states[s]}/${g.actions[g.action[e]]}→${g.states[g.to[e]]} ${g.prob[e]}`).sort();

test('three-states: the edges are the entries written in the file, none editable, laid out start → middle → goal', () => {
  const doc = parse(readFileSync(file, 'utf8')) as { mdp: { transitions: Record<string, Record<string, string | Record<string, number>>> } };
  const expected: string[] = [];
  for (const [s, row] of Object.entries(doc.mdp.transitions)) {
    for (const [a, to] of Object.entries(row)) {
      if (typeof to === 'string') expected.push(`${s}/${a}→${to} 1`);
      else for (const [t, p] of Object.entries(to)) expected.push(`${s}/${a}→${t} ${p}`);
    }
  }
  const view = mdpView(loadIlmdp(file).mdp);
  assert.ok(isView(view));
  const g = view.graph!;
  assert.deepEqual(edgesOf(g), expected.sort());
  assert.ok(g.editable.every((x) => x === 0), 'a notebook output edits nothing');
  assert.deepEqual(g.rho, [1, 0, 0]);
  assert.ok(g.layout && g.layout.x[0] < g.layout.x[1] && g.layout.x[1] < g.layout.x[2], 'columns by steps from ρ');
  assert.equal(g.summary.badRows, 0);
  assert.match(viewText(view), /graph: 3 states, 8 edges/);
});

test('the Reset Cliff: the reset part is drawn as its edges, P(s′|g, a*) = ρ(s′), any other action falls to the cliff', () => {
  const nS = 5;
  const { mdp } = resetCliff({ nS, nA: 2, H: 4 });
  const g = mdpView(mdp).graph!;
  const rho = resetCliffRho(nS);
  const bad = nS - 1;
  const expected: string[] = [];
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < 2; a++) {
      if (s === bad || a !== 0) expected.push(`${s}/${a}→${bad}`);
      else for (let t = 0; t < nS; t++) if (rho[t] > 0) expected.push(`${s}/${a}→${t} ${rho[t]}`);
    }
  }
  const got = g.from.map((s, e) => `${s}/${g.action[e]}→${g.to[e]}${g.to[e] === bad ? '' : ` ${g.prob[e]}`}`).sort();
  assert.deepEqual(got, expected.sort());
  for (let e = 0; e < g.from.length; e++) if (g.to[e] === bad) assert.ok(Math.abs(g.prob[e] - 1) < 1e-12);
  assert.ok(g.rowSums.every((x) => Math.abs(x - 1) < 1e-12));
});

test('larger MDPs keep only the tables: past 200 states, past the edge budget, or with P per step (said in the notes)', () => {
  assert.ok(mdpView(garnet({ nS: MAX_DRAWN_STATES, nA: 2, H: 3, branching: 2, seed: 'g' }).mdp).graph, '200 states are drawn');
  assert.equal(mdpView(garnet({ nS: MAX_DRAWN_STATES + 1, nA: 2, H: 3, branching: 2, seed: 'g' }).mdp).graph, undefined);
  const dense = mdpView(garnet({ nS: 100, nA: 2, H: 3, branching: 30, seed: 'g' }).mdp);
  assert.ok(100 * 2 * 30 > MAX_GRAPH_EDGES);
  assert.equal(dense.graph, undefined);
  assert.ok(dense.notes.some((n) => n.includes(`more than ${MAX_GRAPH_EDGES} transitions`)));
  const rows = (p: number) => [[[0, 1 - p], [1, p]], [[1, 1]]].flatMap((r) => [r, r]) as [number, number][][];
  const perStep = createMDP({ nS: 2, nA: 2, H: 2, rho: Float64Array.from([1, 0]), reward: new Float64Array(4), transitions: [rows(0.1), rows(0.2)].map((r) => transitionsFromRows(2, 2, r)) });
  const view = mdpView(perStep);
  assert.equal(view.graph, undefined);
  assert.ok(view.notes.some((n) => n.startsWith('no graph: P changes with h')));
  assert.equal(mdpView(loadIlmdp(file).mdp, { graph: false }).graph, undefined);
});

test('a saved graph with an edge to a state that does not exist is not a view', () => {
  const view = mdpView(loadIlmdp(file).mdp);
  const g = view.graph!;
  assert.ok(!isView({ ...view, graph: { ...g, to: [...g.to.slice(1), 7] } }));
  assert.ok(!isView({ ...view, graph: { ...g, layout: { ...g.layout!, x: [1] } } }));
});
