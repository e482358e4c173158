/**
 * A gridworld's policy and dataset drawn on its map in a notebook output (BcTableView.grid,
 * DatasetView.grid): the arrows are π_h(a|s) and the colours V^π_h(s), both recomputed here from the
 * data and the MDP without the builders, and the coverage n_h(s) counted here from the trajectories.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { behavioralCloning } from '../../src/core/bc';
import { gridworld } from '../../src/core/envs';
import { parseGridMap } from '../../src/core/envs/gridMap';
import type { Dataset } from '../../src/core/dataset';
import type { MDP } from '../../src/core/mdp';
import { stochasticPolicy } from '../../src/core/policy';
import { sampleTrajectories } from '../../src/core/sampling';
import { loadIlmdp } from '../../src/ilmdp/load';
import { bcTableView, datasetView } from '../../src/shared/buildViews';
import { isView, MAX_PAYLOAD_BYTES } from '../../src/shared/viewModels';
import { viewText } from '../../src/shared/viewText';

const lab = loadIlmdp(join(__dirname, '../../examples/gridworld.ilmdp'));
const data = lab.datasets.small;

/** Per-step MLE by hand: n_h(s, a) / n_h(s), uniform over the 4 actions where n_h(s) = 0. */
function countedPolicy(d: Dataset): number[][][] {
  const pi: number[][][] = [];
  for (let h = 0; h < d.H; h++) {
    const n = Array.from({ length: d.nS }, () => [0, 0, 0, 0]);
    for (let i = 0; i < d.N; i++) {
      const s = d.states[i * d.H + h];
      if (s >= 0) n[s][d.actions[i * d.H + h]]++;
    }
    pi.push(n.map((row) => {
      const total = row.reduce((x, y) => x + y, 0);
      return total === 0 ? [0.25, 0.25, 0.25, 0.25] : row.map((x) => x / total);
    }));
  }
  return pi;
}

/** V_h(s) = Σ_a π_h(a|s) (r(s, a) + Σ_s′ P(s′|s, a) V_{h+1}(s′)), V_{H+1} = 0, from the CSR arrays. */
function backward(mdp: MDP, pi: number[][][]): number[][] {
  assert.equal(mdp.transitions.length, 1, 'a gridworld has one kernel');
  assert.equal(mdp.reward.length, mdp.nS * mdp.nA, 'and one reward table');
  const t = mdp.transitions[0];
  assert.equal(t.reset, undefined);
  const V: number[][] = Array.from({ length: mdp.H + 1 }, () => new Array<number>(mdp.nS).fill(0));
  for (let h = mdp.H - 1; h >= 0; h--) {
    for (let s = 0; s < mdp.nS; s++) {
      let v = 0;
      for (let a = 0; a < mdp.nA; a++) {
        const row = s * mdp.nA + a;
        let q = mdp.reward[row];
        for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) q += t.prob[k] * V[h + 1][t.next[k]];
        v += pi[h][s][a] * q;
      }
      V[h][s] = v;
    }
  }
  return V;
}

test("BC's policy on the map: arrow lengths are π^BC_h(a|s) counted from the data, colours V^BC_h(s) by backward induction, every step on the slider", () => {
  const bc = behavioralCloning(data);
  const view = bcTableView(bc, { mdp: lab.mdp, grid: lab.grid, name: 'BC' });
  assert.ok(isView(view));
  const o = view.grid!.overlay!;
  assert.equal(view.grid!.cells, 'S...#.##.#....G#...#');
  assert.equal(view.grid!.paintable, false);
  assert.equal(o.expert, 'BC');
  assert.deepEqual(o.steps, Array.from({ length: 12 }, (_, i) => i + 1), 'H = 12 steps, all held');
  const pi = countedPolicy(data);
  const V = backward(lab.mdp, pi);
  const nS = lab.mdp.nS;
  for (const [j, h] of o.steps.entries()) {
    for (let s = 0; s < nS; s++) {
      for (let a = 0; a < 4; a++) assert.ok(Math.abs(o.policy[(j * nS + s) * 4 + a] - pi[h - 1][s][a]) <= 1e-6, `π_${h}(${a}|${s})`);
      assert.ok(Math.abs(o.value[j * nS + s] - V[h - 1][s]) <= 1e-6, `V_${h}(${s})`);
    }
  }
  // Non-stationary: the start is seen at h = 1 (every trajectory goes right) but not at h = 12.
  assert.deepEqual(o.policy.slice(0, 4), [0, 1, 0, 0]);
  assert.deepEqual(o.policy.slice((11 * nS) * 4, (11 * nS) * 4 + 4), [0.25, 0.25, 0.25, 0.25]);
});

test("the text fallback draws each cell's likeliest action (* for a tie) as counted from the data", () => {
  const bc = behavioralCloning(data);
  const text = viewText(bcTableView(bc, { mdp: lab.mdp, grid: lab.grid, name: 'BC' }));
  const pi = countedPolicy(data)[0];
  const grid = lab.grid!;
  const expected = Array.from({ length: grid.rows }, (_, r) =>
    Array.from({ length: grid.cols }, (_, c) => {
      const i = r * grid.cols + c;
      const s = grid.stateOf[i];
      if (s < 0) return '#';
      if (grid.kinds[i] === 'goal') return 'G';
      const top = Math.max(...pi[s]);
      return pi[s].filter((p) => p === top).length > 1 ? '*' : '↑→↓←'[pi[s].indexOf(top)];
    }).join(''),
  );
  const lines = text.split('\n');
  const head = lines.findIndex((l) => l.startsWith('BC on the map'));
  assert.ok(head >= 0, text);
  assert.match(lines[head + 1], /^ {2}h=1 /);
  assert.deepEqual(lines.slice(head + 2, head + 2 + grid.rows).map((l) => l.slice(2, 2 + grid.cols)), expected);
});

test('a stationary stochastic policy: arrows ∝ π at every step, one map in the text', () => {
  const map = 'S.\n.G';
  const env = gridworld({ map, H: 3 });
  const table = Array.from({ length: env.mdp.nS }, () => [0.1, 0.6, 0.2, 0.1]).flat();
  const pi = stochasticPolicy(env.mdp.nS, 4, 3, table);
  const view = bcTableView(pi, { mdp: env.mdp, grid: env.grid, name: 'wobbly' });
  const o = view.grid!.overlay!;
  for (let k = 0; k < o.policy.length; k += 4) assert.deepEqual(o.policy.slice(k, k + 4), [0.1, 0.6, 0.2, 0.1]);
  const text = viewText(view);
  assert.match(text, /wobbly on the map[^\n]*\n {2}every step\n {2}→→\n {2}→G/);
});

test("a dataset on the map: n_h(s) counted from the trajectories, BC's disagreement where an expert is given, unseen cells at 0", () => {
  const view = datasetView(data, { mdp: lab.mdp, expert: lab.expert, grid: lab.grid, name: 'small' });
  assert.ok(isView(view));
  const g = view.grid!;
  assert.equal(g.name, 'small');
  assert.equal(g.map.overlay, undefined, 'the map alone: the dataset is the layer');
  const nS = lab.mdp.nS;
  assert.deepEqual(g.coverage.steps, Array.from({ length: 12 }, (_, i) => i + 1));
  for (const [j, h] of g.coverage.steps.entries()) {
    for (let s = 0; s < nS; s++) {
      let n = 0;
      for (let i = 0; i < data.N; i++) if (data.states[i * data.H + h - 1] === s) n++;
      assert.equal(g.coverage.counts[j * nS + s], n, `n_${h}(${s})`);
    }
  }
  const total = (j: number) => g.coverage.counts.slice(j * nS, (j + 1) * nS).reduce((x, y) => x + y, 0);
  for (let j = 0; j < 12; j++) assert.equal(total(j), data.N, 'every trajectory is somewhere at every step');
  assert.ok(g.coverage.disagreement, 'with the expert, BC against it');
  // The text fallback: the count at the start at h = 1 is N.
  assert.match(viewText(view), /small on the map: n_h\(s\) of 10 trajectories[^\n]*\n {2} h=1[^\n]*\n {3}10 {2}·/);
  // Without an expert, coverage only.
  assert.equal(datasetView(data, { grid: lab.grid }).grid!.coverage.disagreement, undefined);
});

test('a map of another gridworld, or one without the MDP for V, is refused with a reason', () => {
  const bc = behavioralCloning(data);
  assert.throws(() => bcTableView(bc, { grid: lab.grid }), /needs the gridworld's mdp/);
  assert.throws(() => bcTableView(bc, { mdp: lab.mdp, grid: parseGridMap('S.G') }), /the policy has 14 states but the map has 3/);
  assert.throws(() => datasetView(data, { grid: parseGridMap('S.G') }), /the dataset has 14 states but the map has 3/);
});

test('a 50×50 map with H = 100: policy and dataset outputs stay under the payload limit, with steps 1 and H held', () => {
  const map = Array.from({ length: 50 }, (_, r) => (r === 0 ? `S${'.'.repeat(49)}` : r === 49 ? `${'.'.repeat(49)}G` : '.'.repeat(50))).join('\n');
  const env = gridworld({ map, H: 100, slip: 0.1 });
  const big = sampleTrajectories(env.mdp, env.expert, 200, 'big');
  const bc = behavioralCloning(big);
  // The longest JSON there can be: a per-step policy with seven significant digits in every probability.
  const nS = env.mdp.nS;
  const noisy = stochasticPolicy(nS, 4, 100, Array.from({ length: 100 * nS }, (_, k) => {
    const e = ((k % 7) - 3) * 1e-7;
    return [0.1234567 + e, 0.2345678, 0.3456789, 0.2962966 - e];
  }).flat());
  for (const view of [bcTableView(env.expert, { mdp: env.mdp, grid: env.grid }), bcTableView(bc, { mdp: env.mdp, grid: env.grid }), bcTableView(noisy, { mdp: env.mdp, grid: env.grid }), datasetView(big, { mdp: env.mdp, expert: env.expert, grid: env.grid })]) {
    const bytes = Buffer.byteLength(JSON.stringify(view));
    assert.ok(bytes < MAX_PAYLOAD_BYTES, `${view.kind}: ${bytes} bytes`);
    const steps = view.kind === 'bc-table' ? view.grid!.overlay!.steps : view.kind === 'dataset' ? view.grid!.coverage.steps : [];
    assert.equal(steps[0], 1);
    assert.equal(steps[steps.length - 1], 100);
  }
});

test('a malformed map in a saved output is not a view', () => {
  const bc = behavioralCloning(data);
  const view = bcTableView(bc, { mdp: lab.mdp, grid: lab.grid });
  assert.ok(isView(view));
  assert.ok(!isView({ ...view, grid: { ...view.grid!, stateOf: view.grid!.stateOf.slice(1) } }));
  assert.ok(!isView({ ...view, grid: { ...view.grid!, overlay: { ...view.grid!.overlay!, policy: view.grid!.overlay!.policy.slice(4) } } }));
  const d = datasetView(data, { grid: lab.grid, name: 'small' });
  assert.ok(isView(d));
  assert.ok(!isView({ ...d, grid: { ...d.grid!, coverage: { ...d.grid!.coverage, counts: [1, 2] } } }));
});
