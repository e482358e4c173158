import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreError } from '../../src/core/errors';
import { LP_MAX_COLUMNS, solveLP, type LinearProgram, type LpRow, type LpSense } from '../../src/core/lp';
import { lcg } from './helpers/randomMdp';

function row(values: readonly number[], sense: LpSense, rhs: number): LpRow {
  const indices: number[] = [];
  const vals: number[] = [];
  values.forEach((v, j) => {
    if (v !== 0) {
      indices.push(j);
      vals.push(v);
    }
  });
  return { indices, values: vals, sense, rhs };
}

function assertCoreError(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof CoreError && e.code === code);
}

function close(actual: number, expected: number, tol = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);
}

test('hand-solved LPs: ≤ rows, ≥ rows, equalities', () => {
  // max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18: the optimum is the vertex (2, 6), value 36.
  const wyndor = solveLP({
    nVars: 2,
    objective: [-3, -5],
    rows: [row([1, 0], '<=', 4), row([0, 2], '<=', 12), row([3, 2], '<=', 18)],
  });
  close(wyndor.value, -36);
  close(wyndor.x[0], 2);
  close(wyndor.x[1], 6);

  // min x + y s.t. x + 2y ≥ 4, 3x + y ≥ 6: vertices (0, 6), (8/5, 6/5), (4, 0); the middle one wins.
  const cover = solveLP({ nVars: 2, objective: [1, 1], rows: [row([1, 2], '>=', 4), row([3, 1], '>=', 6)] });
  close(cover.value, 14 / 5);
  close(cover.x[0], 8 / 5);
  close(cover.x[1], 6 / 5);

  // min 2x1 + 3x2 + x3 s.t. x1 + x2 + x3 = 1, x1 − x3 = 0.2: on the feasible segment the objective is
  // 3.4 − 3x1 with x1 ∈ [0.2, 0.6], so the optimum is (0.6, 0, 0.4), value 1.6.
  const eq = solveLP({ nVars: 3, objective: [2, 3, 1], rows: [row([1, 1, 1], '=', 1), row([1, 0, -1], '=', 0.2)] });
  close(eq.value, 1.6);
  assert.deepEqual(Array.from(eq.x, (v) => Math.round(v * 1e9) / 1e9), [0.6, 0, 0.4]);

  // A negative right-hand side and a redundant (repeated) equality.
  const redundant = solveLP({
    nVars: 2,
    objective: [1, 2],
    rows: [row([-1, -1], '=', -3), row([2, 2], '=', 6), row([1, 0], '<=', 2)],
  });
  close(redundant.value, 4); // x = 2, y = 1
  assert.equal(redundant.rows, 2);
});

test('infeasible and unbounded LPs throw CoreErrors that say so', () => {
  assertCoreError(() => solveLP({ nVars: 2, objective: [1, 1], rows: [row([1, 1], '<=', 1), row([1, 1], '>=', 2)] }), 'lp-infeasible');
  assertCoreError(() => solveLP({ nVars: 1, objective: [0], rows: [row([1], '=', -1)] }), 'lp-infeasible');
  assertCoreError(() => solveLP({ nVars: 2, objective: [-1, 0], rows: [row([1, -1], '<=', 1)] }), 'lp-unbounded');
  assertCoreError(() => solveLP({ nVars: 2, objective: [1], rows: [] }), 'argument');
  assertCoreError(() => solveLP({ nVars: 2, objective: [1, 1], rows: [row([1, 1, 1], '<=', 1)] }), 'argument');
  assertCoreError(() => solveLP({ nVars: LP_MAX_COLUMNS + 1, objective: new Float64Array(LP_MAX_COLUMNS + 1), rows: [row([1], '<=', 1)] }), 'lp-too-large');
  assertCoreError(() => solveLP({ nVars: 1, objective: [1], rows: [row([1], '>=', 1)] }, { signal: { aborted: true } }), 'cancelled');
});

test("Chvátal's degenerate LP, on which Dantzig's rule cycles, terminates at its optimum", () => {
  // Chvátal, Linear Programming (1983), §3: max 10x1 − 57x2 − 9x3 − 24x4 s.t. the rows below. The
  // start vertex x = 0 is degenerate in both first rows, and Dantzig's rule with smallest-index ties
  // cycles there with period 6, so this exercises the switch to Bland's rule. Optimum 1 at
  // x = (1, 0, 1, 0); the dual y = (0, 18, 1) is feasible with value 1, which certifies it.
  const lp: LinearProgram = {
    nVars: 4,
    objective: [-10, 57, 9, 24],
    rows: [row([0.5, -5.5, -2.5, 9], '<=', 0), row([0.5, -1.5, -0.5, 1], '<=', 0), row([1, 0, 0, 0], '<=', 1)],
  };
  const solution = solveLP(lp);
  close(solution.value, -1);
  close(solution.x[0], 1);
  close(solution.x[2], 1);
});

/** Solves the n×n system M y = v by Gaussian elimination; null when singular. */
function solveSquare(M: number[][], v: number[]): number[] | null {
  const n = v.length;
  const a = M.map((r, i) => [...r, v[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[p][c])) p = i;
    if (Math.abs(a[p][c]) < 1e-10) return null;
    [a[c], a[p]] = [a[p], a[c]];
    for (let i = 0; i < n; i++) {
      if (i === c) continue;
      const f = a[i][c] / a[c][c];
      for (let j = c; j <= n; j++) a[i][j] -= f * a[c][j];
    }
  }
  return a.map((r, i) => r[n] / r[i]);
}

/** min cᵀx over the vertices of {rows, x ≥ 0}: every choice of n active constraints; null when none is feasible. */
function bruteForceMinimum(n: number, c: number[], rows: { a: number[]; sense: LpSense; b: number }[]): number | null {
  const constraints = [...rows.map((r) => ({ a: r.a, b: r.b, eq: r.sense === '=' })), ...Array.from({ length: n }, (_, j) => ({ a: Array.from({ length: n }, (_, k) => (k === j ? 1 : 0)), b: 0, eq: false }))];
  let best: number | null = null;
  const choose = (start: number, picked: number[]) => {
    if (picked.length === n) {
      if (constraints.some((k, i) => k.eq && !picked.includes(i))) return;
      const y = solveSquare(
        picked.map((i) => constraints[i].a),
        picked.map((i) => constraints[i].b),
      );
      if (!y) return;
      if (y.some((v) => v < -1e-9)) return;
      for (const r of rows) {
        const lhs = r.a.reduce((s, v, j) => s + v * y[j], 0);
        if (r.sense === '<=' && lhs > r.b + 1e-9) return;
        if (r.sense === '>=' && lhs < r.b - 1e-9) return;
        if (r.sense === '=' && Math.abs(lhs - r.b) > 1e-9) return;
      }
      const value = c.reduce((s, v, j) => s + v * y[j], 0);
      if (best === null || value < best) best = value;
      return;
    }
    for (let i = start; i < constraints.length; i++) choose(i + 1, [...picked, i]);
  };
  choose(0, []);
  return best;
}

test('random small LPs agree with brute-force vertex enumeration (optimum or infeasibility)', () => {
  const rand = lcg(2024);
  const senses: LpSense[] = ['<=', '>=', '='];
  let feasible = 0;
  let infeasible = 0;
  for (let trial = 0; trial < 300; trial++) {
    const n = 2 + Math.floor(rand() * 3);
    const m = 1 + Math.floor(rand() * 4);
    // Small integer coefficients make ties and degenerate vertices common.
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const c = Array.from({ length: n }, () => int(-4, 4));
    const rows = Array.from({ length: m }, () => ({
      a: Array.from({ length: n }, () => int(-3, 3)),
      sense: senses[rand() < 0.5 ? 0 : rand() < 0.6 ? 1 : 2],
      b: int(-3, 6),
    }));
    // A box keeps every instance bounded, so the optimum is at a vertex.
    rows.push({ a: Array.from({ length: n }, () => 1), sense: '<=', b: 6 });
    const expected = bruteForceMinimum(n, c, rows);
    const lp: LinearProgram = { nVars: n, objective: c, rows: rows.map((r) => row(r.a, r.sense, r.b)) };
    if (expected === null) {
      assertCoreError(() => solveLP(lp), 'lp-infeasible');
      infeasible++;
    } else {
      const solution = solveLP(lp);
      close(solution.value, expected, 1e-8);
      for (const r of rows) {
        const lhs = r.a.reduce((s, v, j) => s + v * solution.x[j], 0);
        if (r.sense === '<=') assert.ok(lhs <= r.b + 1e-9);
        if (r.sense === '>=') assert.ok(lhs >= r.b - 1e-9);
        if (r.sense === '=') close(lhs, r.b);
      }
      feasible++;
    }
  }
  // Both outcomes must actually have been exercised.
  assert.ok(feasible > 50 && infeasible > 20, `feasible ${feasible}, infeasible ${infeasible}`);
});
