/**
 * A small dense two-phase simplex, kept only as a TEST ORACLE for the HiGHS-based solver (src/core/lp.ts)
 * on small LPs: an independent implementation (no shared code, another algorithm on another
 * representation), so agreement to 1e-9 means something. It was the project's solver before HiGHS;
 * it refuses anything over LP_MAX_TABLEAU_ENTRIES.
 *
 * Method: two-phase primal simplex on a dense tableau. Phase 1 minimises the sum of artificial
 * variables (only rows without a usable slack get one); artificials are never stored as columns and
 * never re-enter once they leave, so the tableau is m × (n + slacks + 1). Pivoting follows Dantzig's
 * rule (most negative reduced cost); after a run of degenerate pivots it switches to Bland's rule
 * (smallest index), which cannot cycle, until the objective moves again.
 *
 * Tolerances are absolute (1e-9 on reduced costs and pivots), which suits problems whose data are
 * O(1), as probabilities are.
 */
import { CoreError } from '../../../src/core/errors';
import { checkProgram, type LinearProgram } from '../../../src/core/lp';

/** Size limits: past them the tableau (8 bytes an entry) would take gigabytes; 'lp-too-large' instead. */
export const LP_MAX_ROWS = 20_000;
export const LP_MAX_COLUMNS = 40_000;
export const LP_MAX_TABLEAU_ENTRIES = 16_000_000;

export interface DenseOptions {
  /** Pivot budget (default 50·(rows + columns)); beyond it the solver throws 'lp-iterations'. */
  readonly maxIterations?: number;
  /** Checked before every pivot; when set, throws CoreError 'cancelled'. */
  readonly signal?: { readonly aborted: boolean };
}

export interface DenseSolution {
  /** An optimal vertex, length nVars, every entry ≥ 0. */
  readonly x: Float64Array;
  /** cᵀx. */
  readonly value: number;
  /** Pivots in both phases. */
  readonly iterations: number;
  /** Tableau size actually used: rows (after dropping redundant equalities) and columns. */
  readonly rows: number;
  readonly columns: number;
}

const COST_TOL = 1e-9;
const PIVOT_TOL = 1e-9;
/** Entries this small after an update are set to 0, so that cancellations keep the tableau sparse. */
const DROP_TOL = 1e-14;
/** Consecutive degenerate pivots before switching to Bland's rule. */
const DEGENERATE_RUN = 50;


/** The tableau and its bookkeeping; `width` = columns + 1 (the last column is the right-hand side). */
interface Tableau {
  m: number;
  readonly n: number;
  readonly width: number;
  readonly T: Float64Array;
  /** Basic column of each row; −1 marks an artificial. */
  readonly basis: Int32Array;
  /** Reduced costs (length width; the last entry is −objective). */
  readonly d: Float64Array;
  readonly pivotNz: Int32Array;
  iterations: number;
}

function pivot(tab: Tableau, r: number, col: number): void {
  const { m, width, T, d, pivotNz } = tab;
  const rBase = r * width;
  const inv = 1 / T[rBase + col];
  let nz = 0;
  for (let j = 0; j < width; j++) {
    const v = T[rBase + j];
    if (v !== 0) {
      T[rBase + j] = v * inv;
      pivotNz[nz++] = j;
    }
  }
  T[rBase + col] = 1;
  for (let i = 0; i < m; i++) {
    if (i === r) continue;
    const base = i * width;
    const f = T[base + col];
    if (f === 0) continue;
    for (let k = 0; k < nz; k++) {
      const j = pivotNz[k];
      const v = T[base + j] - f * T[rBase + j];
      T[base + j] = Math.abs(v) < DROP_TOL ? 0 : v;
    }
    T[base + col] = 0;
  }
  const f = d[col];
  if (f !== 0) {
    for (let k = 0; k < nz; k++) {
      const j = pivotNz[k];
      d[j] -= f * T[rBase + j];
    }
    d[col] = 0;
  }
  tab.basis[r] = col;
  tab.iterations++;
}

/**
 * Runs simplex pivots until no reduced cost is below −COST_TOL. Returns false when a column with a
 * negative reduced cost has no positive entry (the objective is unbounded below).
 */
function runSimplex(tab: Tableau, maxIterations: number, signal: DenseOptions['signal'], phase: string): boolean {
  const { n, width, T, d, basis } = tab;
  let degenerateRun = 0;
  for (;;) {
    if (signal?.aborted) throw new CoreError('the linear program was cancelled', 'cancelled');
    if (tab.iterations >= maxIterations) {
      throw new CoreError(
        `the simplex method did not finish within ${maxIterations} pivots (${phase}); the LP may be badly scaled — pass a larger maxIterations or a smaller problem`,
        'lp-iterations',
      );
    }
    const bland = degenerateRun >= DEGENERATE_RUN;
    let col = -1;
    let best = -COST_TOL;
    for (let j = 0; j < n; j++) {
      if (d[j] < best) {
        col = j;
        if (bland) break;
        best = d[j];
      }
    }
    if (col < 0) return true;
    let r = -1;
    let ratio = Infinity;
    for (let i = 0; i < tab.m; i++) {
      const a = T[i * width + col];
      if (a <= PIVOT_TOL) continue;
      const q = Math.max(T[i * width + n], 0) / a;
      // Ties go to artificials first (they then leave for good), then to the smallest basic index (Bland).
      if (q < ratio - 1e-12) {
        ratio = q;
        r = i;
      } else if (q <= ratio + 1e-12 && basis[i] < basis[r]) {
        ratio = Math.min(ratio, q);
        r = i;
      }
    }
    if (r < 0) return false;
    degenerateRun = ratio * -d[col] <= 1e-12 ? degenerateRun + 1 : 0;
    pivot(tab, r, col);
  }
}

/**
 * Solves min cᵀx s.t. the rows, x ≥ 0. Throws CoreError 'lp-infeasible', 'lp-unbounded',
 * 'lp-too-large', 'lp-iterations' or 'cancelled'.
 */
export function denseSimplex(lp: LinearProgram, options: DenseOptions = {}): DenseSolution {
  checkProgram(lp);
  const { nVars, objective, rows } = lp;
  const m = rows.length;
  let slacks = 0;
  for (const row of rows) if (row.sense !== '=') slacks++;
  const n = nVars + slacks;
  const width = n + 1;
  if (m > LP_MAX_ROWS || n > LP_MAX_COLUMNS || m * width > LP_MAX_TABLEAU_ENTRIES) {
    throw new CoreError(
      `the LP has ${m} rows and ${n} columns (${m * width} tableau entries); the dense simplex accepts at most ${LP_MAX_ROWS} rows, ` +
        `${LP_MAX_COLUMNS} columns and ${LP_MAX_TABLEAU_ENTRIES} entries — use a smaller MDP or horizon`,
      'lp-too-large',
    );
  }
  const T = new Float64Array(m * width);
  const basis = new Int32Array(m);
  let slack = nVars;
  for (let i = 0; i < m; i++) {
    const row = rows[i];
    const base = i * width;
    for (let k = 0; k < row.indices.length; k++) T[base + row.indices[k]] += row.values[k];
    let slackCol = -1;
    if (row.sense !== '=') {
      slackCol = slack++;
      T[base + slackCol] = row.sense === '<=' ? 1 : -1;
    }
    T[base + n] = row.rhs;
    if (row.rhs < 0) for (let j = 0; j < width; j++) T[base + j] = -T[base + j];
    basis[i] = slackCol >= 0 && T[base + slackCol] === 1 ? slackCol : -1;
  }
  const maxIterations = options.maxIterations ?? 50 * (m + n);
  const tab: Tableau = { m, n, width, T, basis, d: new Float64Array(width), pivotNz: new Int32Array(width), iterations: 0 };

  // Phase 1: reduced costs of "minimise the sum of artificials" are minus the column sums of their rows.
  let artificials = 0;
  for (let i = 0; i < m; i++) {
    if (basis[i] !== -1) continue;
    artificials++;
    const base = i * width;
    for (let j = 0; j < width; j++) tab.d[j] -= T[base + j];
  }
  if (artificials > 0) {
    runSimplex(tab, maxIterations, options.signal, 'phase 1');
    let scale = 1;
    for (const row of rows) scale += Math.abs(row.rhs);
    const infeasibility = -tab.d[n];
    if (infeasibility > 1e-9 * scale) {
      throw new CoreError(`the LP is infeasible: no x ≥ 0 satisfies its ${m} rows (phase 1 left a residual of ${infeasibility.toExponential(3)})`, 'lp-infeasible');
    }
    driveOutArtificials(tab);
  }

  // Phase 2: reduced costs c_j − c_Bᵀ B⁻¹ A_j from the tableau rows.
  const d = tab.d;
  d.fill(0);
  for (let j = 0; j < nVars; j++) d[j] = objective[j];
  for (let i = 0; i < tab.m; i++) {
    const b = basis[i];
    const cb = b < nVars ? objective[b] : 0;
    if (cb === 0) continue;
    const base = i * width;
    for (let j = 0; j < width; j++) d[j] -= cb * T[base + j];
  }
  if (!runSimplex(tab, maxIterations, options.signal, 'phase 2')) {
    throw new CoreError('the LP is unbounded: the objective decreases without limit on its feasible set', 'lp-unbounded');
  }
  const x = new Float64Array(nVars);
  for (let i = 0; i < tab.m; i++) {
    const b = basis[i];
    if (b >= 0 && b < nVars) x[b] = Math.max(T[i * width + n], 0);
  }
  let value = 0;
  for (let j = 0; j < nVars; j++) value += objective[j] * x[j];
  return { x, value, iterations: tab.iterations, rows: tab.m, columns: n };
}

/**
 * After phase 1 an artificial may still be basic at level 0: pivot it out on any non-zero entry of
 * its row, or drop the row when it has none (the equality was implied by the others).
 */
function driveOutArtificials(tab: Tableau): void {
  const { n, width, T, basis } = tab;
  let i = 0;
  while (i < tab.m) {
    if (basis[i] !== -1) {
      i++;
      continue;
    }
    const base = i * width;
    let col = -1;
    let best = PIVOT_TOL;
    for (let j = 0; j < n; j++) {
      const v = Math.abs(T[base + j]);
      if (v > best) {
        best = v;
        col = j;
      }
    }
    if (col >= 0) {
      pivot(tab, i, col);
      i++;
      continue;
    }
    // Redundant row: move the last row into its place.
    const last = tab.m - 1;
    if (i !== last) {
      T.copyWithin(base, last * width, (last + 1) * width);
      basis[i] = basis[last];
    }
    T.fill(0, last * width, (last + 1) * width);
    tab.m--;
  }
}
