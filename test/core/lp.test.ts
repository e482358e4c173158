// HiGHS (src/core/lp.ts) against two independent oracles: brute-force vertex enumeration and the dense
// two-phase simplex that was the project's solver (test/core/helpers/denseSimplex.ts), which is checked
// against the same enumeration here too.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreError } from '../../src/core/errors';
import { initLp, lpReady } from '../../src/core/highs';
import { solveLP, solveSparseLP, type LinearProgram, type LpRow, type LpSense } from '../../src/core/lp';
import { denseSimplex, LP_MAX_COLUMNS } from './helpers/denseSimplex';
import { lcg } from './helpers/randomMdp';

let beforeLoading: unknown;
before(async () => {
  try {
    solveLP({ nVars: 1, objective: [1], rows: [] });
  } catch (e) {
    beforeLoading = e;
  }
  await initLp();
});

const SOLVERS = { HiGHS: solveLP, 'dense simplex': denseSimplex } as const;

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

test('hand-solved LPs: ≤ rows, ≥ rows, equalities (both solvers)', () => {
  for (const [name, solve] of Object.entries(SOLVERS)) {
    // max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18: the optimum is the vertex (2, 6), value 36.
    const wyndor = solve({
      nVars: 2,
      objective: [-3, -5],
      rows: [row([1, 0], '<=', 4), row([0, 2], '<=', 12), row([3, 2], '<=', 18)],
    });
    close(wyndor.value, -36);
    close(wyndor.x[0], 2);
    close(wyndor.x[1], 6);

    // min x + y s.t. x + 2y ≥ 4, 3x + y ≥ 6: vertices (0, 6), (8/5, 6/5), (4, 0); the middle one wins.
    const cover = solve({ nVars: 2, objective: [1, 1], rows: [row([1, 2], '>=', 4), row([3, 1], '>=', 6)] });
    close(cover.value, 14 / 5);
    close(cover.x[0], 8 / 5);
    close(cover.x[1], 6 / 5);

    // min 2x1 + 3x2 + x3 s.t. x1 + x2 + x3 = 1, x1 − x3 = 0.2: on the feasible segment the objective is
    // 3.4 − 3x1 with x1 ∈ [0.2, 0.6], so the optimum is (0.6, 0, 0.4), value 1.6.
    const eq = solve({ nVars: 3, objective: [2, 3, 1], rows: [row([1, 1, 1], '=', 1), row([1, 0, -1], '=', 0.2)] });
    close(eq.value, 1.6);
    assert.deepEqual(Array.from(eq.x, (v) => Math.round(v * 1e9) / 1e9), [0.6, 0, 0.4]);

    // A negative right-hand side and a redundant (repeated) equality.
    const redundant = solve({
      nVars: 2,
      objective: [1, 2],
      rows: [row([-1, -1], '=', -3), row([2, 2], '=', 6), row([1, 0], '<=', 2)],
    });
    close(redundant.value, 4); // x = 2, y = 1
    if (name === 'dense simplex') assert.equal(redundant.rows, 2);
  }
});

test('before initLp() resolves, a solve says what to do (lp-not-ready); afterwards the solver is ready', () => {
  assert.ok(beforeLoading instanceof CoreError && beforeLoading.code === 'lp-not-ready', String(beforeLoading));
  assert.match((beforeLoading as Error).message, /await initLp\(\)/);
  assert.ok(lpReady());
});

test('infeasible and unbounded LPs, and bad input, throw CoreErrors that say so (both solvers)', () => {
  for (const solve of Object.values(SOLVERS)) {
    assertCoreError(() => solve({ nVars: 2, objective: [1, 1], rows: [row([1, 1], '<=', 1), row([1, 1], '>=', 2)] }), 'lp-infeasible');
    assertCoreError(() => solve({ nVars: 1, objective: [0], rows: [row([1], '=', -1)] }), 'lp-infeasible');
    assertCoreError(() => solve({ nVars: 2, objective: [-1, 0], rows: [row([1, -1], '<=', 1)] }), 'lp-unbounded');
    assertCoreError(() => solve({ nVars: 2, objective: [1], rows: [] }), 'argument');
    assertCoreError(() => solve({ nVars: 2, objective: [1, 1], rows: [row([1, 1, 1], '<=', 1)] }), 'argument');
    assertCoreError(() => solve({ nVars: 1, objective: [1], rows: [row([1], '>=', 1)] }, { signal: { aborted: true } }), 'cancelled');
  }
  assertCoreError(() => denseSimplex({ nVars: LP_MAX_COLUMNS + 1, objective: new Float64Array(LP_MAX_COLUMNS + 1), rows: [row([1], '<=', 1)] }), 'lp-too-large');
  // Infeasible and unbounded at once (x2 = −1 is impossible, −x1 has no floor): presolve may only say
  // "one of the two"; the solver's second look without presolve settles it as infeasible.
  assertCoreError(() => solveLP({ nVars: 2, objective: [-1, 0], rows: [row([0, 1], '=', -1)] }), 'lp-infeasible');
  // A column that names one row twice is refused by HiGHS's own check, as an argument error.
  const duplicated = { numCols: 1, numRows: 1, colCost: Float64Array.of(1), rowLower: Float64Array.of(1), rowUpper: Float64Array.of(1), colStart: Int32Array.of(0, 2), rowIndex: Int32Array.of(0, 0), value: Float64Array.of(1, 1) };
  assertCoreError(() => solveSparseLP(duplicated), 'argument');
  assertCoreError(() => solveSparseLP({ ...duplicated, colStart: Int32Array.of(0, 3) }), 'argument');
});

/** A random LP that presolve cannot finish: m dense rows Ax ≤ b with b > 0 and c < 0, so x = 0 is feasible and the optimum needs pivots. */
function denseRandomLp(seed: number, m: number, n: number): LinearProgram {
  const rand = lcg(seed);
  return {
    nVars: n,
    objective: Array.from({ length: n }, () => -1 - rand()),
    rows: Array.from({ length: m }, () => row(Array.from({ length: n }, () => 0.1 + rand()), '<=', 1 + rand())),
  };
}

test('HiGHS stops at its iteration budget, its time limit and a signal raised mid-solve, each with its own CoreError', () => {
  const lp = denseRandomLp(7, 30, 40);
  const full = solveLP(lp);
  assert.ok(full.iterations > 5, `the test LP needs pivots (${full.iterations})`);
  assertCoreError(() => solveLP(lp, { maxIterations: 1 }), 'lp-iterations');
  assertCoreError(() => solveLP(lp, { timeLimit: 0 }), 'lp-time-limit');
  // The signal is read once before the solve and then by HiGHS's interrupt callback: raised on its
  // third reading, it stops the simplex midway.
  let readings = 0;
  const signal = {
    get aborted() {
      return ++readings >= 3;
    },
  };
  assertCoreError(() => solveLP(lp, { signal }), 'cancelled');
  assert.ok(readings >= 3);
});

test("Chvátal's degenerate LP, on which Dantzig's rule cycles, terminates at its optimum (both solvers)", () => {
  // Chvátal, Linear Programming (1983), §3: max 10x1 − 57x2 − 9x3 − 24x4 s.t. the rows below. The
  // start vertex x = 0 is degenerate in both first rows, and Dantzig's rule with smallest-index ties
  // cycles there with period 6, so this exercises the dense simplex's switch to Bland's rule. Optimum 1
  // at x = (1, 0, 1, 0); the dual y = (0, 18, 1) is feasible with value 1, which certifies it.
  const lp: LinearProgram = {
    nVars: 4,
    objective: [-10, 57, 9, 24],
    rows: [row([0.5, -5.5, -2.5, 9], '<=', 0), row([0.5, -1.5, -0.5, 1], '<=', 0), row([1, 0, 0, 0], '<=', 1)],
  };
  for (const solve of Object.values(SOLVERS)) {
    const solution = solve(lp);
    close(solution.value, -1);
    close(solution.x[0], 1);
    close(solution.x[2], 1);
  }
});

test('solveSparseLP: column bounds, free rows and repeated row entries in solveLP summed', () => {
  // max x + y s.t. x + y ≤ 3 (a row with only an upper bound), x ≤ 1, y ≤ 1.5 (column bounds): 2.5.
  const bounded = solveSparseLP({
    numCols: 2,
    numRows: 1,
    colCost: Float64Array.of(-1, -1),
    colUpper: Float64Array.of(1, 1.5),
    rowLower: Float64Array.of(-Infinity),
    rowUpper: Float64Array.of(3),
    colStart: Int32Array.of(0, 1, 2),
    rowIndex: Int32Array.of(0, 0),
    value: Float64Array.of(1, 1),
  });
  close(bounded.value, -2.5);
  close(bounded.x[0], 1);
  close(bounded.x[1], 1.5);
  assert.equal(bounded.residual, 0);
  // x + x = 2 (one variable named twice in a row): x = 1.
  const summed = solveLP({ nVars: 1, objective: [1], rows: [{ indices: [0, 0], values: [1, 1], sense: '=', rhs: 2 }] });
  close(summed.x[0], 1);
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

test('random small LPs: both solvers agree with brute-force vertex enumeration (optimum or infeasibility)', () => {
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
      for (const solve of Object.values(SOLVERS)) assertCoreError(() => solve(lp), 'lp-infeasible');
      infeasible++;
    } else {
      for (const [name, solve] of Object.entries(SOLVERS)) {
        const solution = solve(lp);
        close(solution.value, expected, 1e-9);
        for (const r of rows) {
          const lhs = r.a.reduce((s, v, j) => s + v * solution.x[j], 0);
          if (r.sense === '<=') assert.ok(lhs <= r.b + 1e-9, name);
          if (r.sense === '>=') assert.ok(lhs >= r.b - 1e-9, name);
          if (r.sense === '=') close(lhs, r.b);
        }
      }
      feasible++;
    }
  }
  // Both outcomes must actually have been exercised.
  assert.ok(feasible > 50 && infeasible > 20, `feasible ${feasible}, infeasible ${infeasible}`);
});

test('random sparse LPs too big to enumerate: HiGHS and the dense simplex reach the same optimum to 1e-9', () => {
  const rand = lcg(99);
  let compared = 0;
  for (let trial = 0; trial < 40; trial++) {
    const n = 10 + Math.floor(rand() * 30);
    const m = 5 + Math.floor(rand() * 20);
    const rows: LpRow[] = [];
    for (let i = 0; i < m; i++) {
      const a = Array.from({ length: n }, () => (rand() < 0.3 ? Math.round((rand() * 6 - 2) * 4) / 4 : 0));
      const sense: LpSense = rand() < 0.4 ? '=' : rand() < 0.5 ? '<=' : '>=';
      rows.push(row(a, sense, Math.round(rand() * 8 * 4) / 4));
    }
    rows.push(row(Array.from({ length: n }, () => 1), '<=', 10));
    const lp: LinearProgram = { nVars: n, objective: Array.from({ length: n }, () => Math.round((rand() * 4 - 2) * 8) / 8), rows };
    let expected: number;
    try {
      expected = denseSimplex(lp).value;
    } catch (e) {
      assert.ok(e instanceof CoreError && e.code === 'lp-infeasible', String(e));
      assertCoreError(() => solveLP(lp), 'lp-infeasible');
      continue;
    }
    const solution = solveLP(lp);
    close(solution.value, expected);
    assert.ok(solution.residual <= 1e-9, `trial ${trial}: residual ${solution.residual}`);
    compared++;
  }
  assert.ok(compared >= 10, `only ${compared} feasible instances`);
});
