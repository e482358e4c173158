import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createMDP, transitionRow, transitionsFromRows, type MDP } from '../../src/core/mdp';
import { resetCliff } from '../../src/core/envs/resetCliff';
import { loadIlmdp } from '../../src/ilmdp/load';
import { MAX_MDP_ROW_ENTRIES, mdpView } from '../../src/shared/buildViews';
import { viewToCsv } from '../../src/shared/viewExport';
import { isView, MAX_PAYLOAD_BYTES, MIME, mimeOf, type MdpView } from '../../src/shared/viewModels';
import { mdpText, viewText } from '../../src/shared/viewText';
import { payloadProblem } from '../../webview/notebookRenderer/payload';

const file = join(__dirname, '../../examples/three-states.ilmdp');

/** P(s'|s,a) of a view's row as a name → probability map. */
function rowOf(view: MdpView, stepIndex: number, s: number, a: number, names: readonly string[]): Record<string, number> {
  const row = view.steps[stepIndex].transitions[s * view.nA + a];
  return Object.fromEntries(row.next.map((s2, k) => [names[s2], row.prob[k]]));
}

test('three-states: ρ, r(s, a) and P(s′|s, a) are the numbers written in the .ilmdp', () => {
  // The expectation is read from the YAML itself, not from the loader the view is built from.
  const doc = parse(readFileSync(file, 'utf8')) as {
    mdp: { states: string[]; actions: string[]; horizon: number; initial: Record<string, number>; transitions: Record<string, Record<string, string | Record<string, number>>>; rewards: Record<string, number> };
  };
  const { states, actions } = doc.mdp;
  const view = mdpView(loadIlmdp(file).mdp);
  assert.ok(isView(view));
  assert.equal(mimeOf(view), MIME.mdp);
  assert.deepEqual([view.nS, view.nA, view.H], [states.length, actions.length, doc.mdp.horizon]);
  assert.equal(view.stationaryTransitions, true);
  assert.equal(view.stationaryRewards, true);
  assert.deepEqual(view.stateNames, states);
  assert.deepEqual(view.actionNames, actions);
  assert.equal(view.steps.length, 1, 'one block for a stationary MDP');
  assert.equal(view.steps[0].h, 0);
  assert.deepEqual(view.rho, states.map((s) => doc.mdp.initial[s] ?? 0));
  states.forEach((s, si) =>
    actions.forEach((a, ai) => {
      const written = doc.mdp.transitions[s][a];
      const expected = typeof written === 'string' ? { [written]: 1 } : written;
      assert.deepEqual(rowOf(view, 0, si, ai, states), expected, `P(·|${s},${a})`);
      // `rewards: {goal: 1}`: a state's reward holds for each of its actions; missing entries are 0.
      assert.equal(view.steps[0].reward[si * actions.length + ai], doc.mdp.rewards[s] ?? 0, `r(${s},${a})`);
      assert.equal(view.steps[0].transitions[si * actions.length + ai].omitted, 0);
    }),
  );
  assert.equal(view.otherStateNames.length, 0, 'every state is included');
});

test('the text fallback lists ρ and every (s, a) row with its transition probabilities', () => {
  const text = viewText(mdpView(loadIlmdp(file).mdp, { title: 'three states' }));
  assert.match(text, /^three states — \|S\|=3 \|A\|=2 H=6, stationary transitions, stationary rewards/);
  assert.match(text, /^ start +1$/m);
  assert.match(text, /^ start +go +0 +start 0\.1, middle 0\.9$/m);
  assert.match(text, /^middle +go +0 +start 0\.2, goal 0\.8$/m);
  assert.match(text, /^ +goal +stay +1 +goal 1$/m);
  assert.equal(text.match(/^ *(start|middle|goal) +(stay|go) /gm)?.length, 6, 'six (s, a) rows');
});

/** Two states, two actions, H = 3, with P and r written per step. */
function perStepMdp(): MDP {
  const rows = (p: number) => [[[0, p], [1, 1 - p]], [[1, 1]], [[0, 1]], [[0, 0.5], [1, 0.5]]] as [number, number][][];
  return createMDP({
    nS: 2,
    nA: 2,
    H: 3,
    rho: Float64Array.from([0.25, 0.75]),
    // r_h(s, a) at h·|S||A| + s·|A| + a: step h pays h/10 + the row index / 100.
    reward: Float64Array.from({ length: 12 }, (_, i) => Math.floor(i / 4) / 10 + (i % 4) / 100),
    transitions: [rows(0.1), rows(0.2), rows(0.3)].map((r) => transitionsFromRows(2, 2, r)),
  });
}

test('a per-step MDP gets one block per step with that step’s P_h and r_h', () => {
  const view = mdpView(perStepMdp());
  assert.equal(view.stationaryTransitions, false);
  assert.equal(view.stationaryRewards, false);
  assert.deepEqual(view.steps.map((s) => s.h), [1, 2, 3]);
  const names = ['s0', 's1'];
  for (let h = 0; h < 3; h++) {
    assert.deepEqual(rowOf(view, h, 0, 0, names), { s0: [0.1, 0.2, 0.3][h], s1: 1 - [0.1, 0.2, 0.3][h] });
    assert.deepEqual(rowOf(view, h, 1, 1, names), { s0: 0.5, s1: 0.5 });
    assert.deepEqual(view.steps[h].reward, [0, 1, 2, 3].map((r) => h / 10 + r / 100));
  }
  assert.ok(view.notes.some((n) => /P_3 .* never used/.test(n)), 'the last kernel is said to be unused');
  assert.match(mdpText(view), /step h=2\n/);
});

test('stationary P with per-step rewards: a block per step, P repeated, flagged as the same', () => {
  const m = perStepMdp();
  const view = mdpView(createMDP({ ...m, transitions: [m.transitions[0]] }));
  assert.equal(view.stationaryTransitions, true);
  assert.equal(view.stationaryRewards, false);
  assert.equal(view.steps.length, 3);
  for (let h = 0; h < 3; h++) assert.deepEqual(rowOf(view, h, 0, 0, ['s0', 's1']), { s0: 0.1, s1: 0.9 });
  assert.match(mdpText(view), /step h=3 \(P the same at every step\)/);
});

test('a large MDP stays bounded: the first states, the largest entries of each row, the rest counted', () => {
  const nS = 5000;
  const { mdp } = resetCliff({ nS, nA: 2, H: 10 });
  const view = mdpView(mdp);
  const bytes = JSON.stringify(view).length;
  assert.ok(bytes < MAX_PAYLOAD_BYTES, `payload ${bytes} bytes`);
  const included = view.rho.length;
  assert.ok(included > 0 && included < nS, `${included} states included`);
  assert.ok(view.notes.some((n) => n.includes(`the first ${included} of ${nS} states`)));
  // The expert's action redraws s' ~ ρ, uniform over the nS − 1 good states (docs/theory.md §5).
  const expertAction = Array.from({ length: 2 }, (_, a) => a).find((a) => view.steps[0].transitions[a].next.length > 1)!;
  const row = view.steps[0].transitions[expertAction];
  assert.equal(row.next.length, MAX_MDP_ROW_ENTRIES);
  assert.equal(row.omitted, nS - 1 - MAX_MDP_ROW_ENTRIES);
  assert.ok(Math.abs(row.omittedMass - (nS - 1 - MAX_MDP_ROW_ENTRIES) / (nS - 1)) < 1e-12);
  for (const p of row.prob) assert.ok(Math.abs(p - 1 / (nS - 1)) < 1e-15);
  // Every row is still a distribution once the omitted mass is added back.
  for (const r of view.steps[0].transitions) assert.ok(Math.abs(r.prob.reduce((x, y) => x + y, 0) + r.omittedMass - 1) < 1e-9);
  // The absorbing bad state lies beyond the included ones; the rows that lead there name it.
  assert.ok(view.otherStateNames.some(([i, name]) => i === nS - 1 && name === 'bad'));
  assert.match(viewText(view), /more states/);
});

test('a row with CSR entries and a reset part keeps exactly its largest entries (checked against the dense row)', () => {
  const nS = 40;
  const to = Float64Array.from({ length: nS }, (_, s) => s + 1);
  const total = to.reduce((x, y) => x + y, 0);
  for (let s = 0; s < nS; s++) to[s] /= total;
  // Row (0, 0): 0.3 to s3 and 0.05 to s39 plus a 0.65 reset; row (0, 1) and the others: all reset.
  const rows: [number, number][][] = Array.from({ length: nS }, (_, r) => (r === 0 ? [[3, 0.3], [39, 0.05]] : []));
  const mass = Float64Array.from({ length: nS }, (_, r) => (r === 0 ? 0.65 : 1));
  const mdp = createMDP({ nS, nA: 1, H: 2, rho: Float64Array.from({ length: nS }, () => 1 / nS), reward: new Float64Array(nS), transitions: [transitionsFromRows(nS, 1, rows, { mass, to })] });
  const keep = 5;
  const view = mdpView(mdp, { maxRowEntries: keep });
  for (const s of [0, 1]) {
    const dense = transitionRow(mdp, 0, s, 0);
    const top = Array.from(dense, (p, i) => [i, p] as const)
      .filter(([, p]) => p > 0)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, keep)
      .sort((x, y) => x[0] - y[0]);
    const row = view.steps[0].transitions[s];
    assert.deepEqual(row.next, top.map(([i]) => i), `row ${s}`);
    row.prob.forEach((p, k) => assert.ok(Math.abs(p - top[k][1]) < 1e-15));
    assert.equal(row.omitted, nS - keep);
    assert.ok(Math.abs(row.omittedMass - (1 - top.reduce((x, [, p]) => x + p, 0))) < 1e-12);
  }
});

test('malformed MDP payloads are refused with a reason; the CSV lists every entry', () => {
  const view = mdpView(loadIlmdp(file).mdp);
  assert.equal(payloadProblem(MIME.mdp, view), null);
  const broken = { ...view, steps: [{ ...view.steps[0], reward: [1] }] };
  assert.equal(isView(broken), false);
  assert.match(payloadProblem(MIME.mdp, broken)!, /"mdp" payload is incomplete/);
  assert.match(payloadProblem(MIME.heatmap, view)!, /expects "heatmap"/);
  const csv = viewToCsv(view).split('\r\n');
  assert.equal(csv[0], 'step,state,rho,action,reward,next,probability');
  assert.ok(csv.includes('all,start,1,go,0,middle,0.9'));
  // 8 non-zero entries in the file's table (2 + 2 rows of two, 4 of one), and the header.
  assert.equal(csv.filter((l) => l !== '').length, 1 + 8);
});
