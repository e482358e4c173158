/**
 * Linear programs through HiGHS (./highs.ts): minimise cᵀx subject to row bounds on Ax and x ≥ 0
 * (optionally x ≤ an upper bound). Two ways in: `solveLP` takes rows `Σ_j a_ij x_j {=, ≤, ≥} b_i`
 * (convenient for small problems and scripts), `solveSparseLP` a column-compressed matrix (what the
 * occupancy LPs of adversarial.ts build, with no per-row objects). Both hand HiGHS its structured
 * sparse input, not LP text: nothing is printed or parsed.
 *
 * Accuracy: HiGHS's default feasibility tolerances are 1e-7; these solves ask for 1e-10 (primal) and
 * 1e-10 (dual), which costs a few iterations on the occupancy LPs and keeps their flow residuals near
 * rounding. Each solution carries its largest row violation `residual` (recomputed here from x), so
 * callers that need exact constraints can check or repair (adversarial.ts re-propagates its flows).
 *
 * HiGHS's outcomes become CoreErrors: 'lp-infeasible', 'lp-unbounded', 'lp-iterations' (the
 * iteration budget), 'lp-time-limit', 'cancelled' (the signal, polled by HiGHS's simplex and IPM
 * interrupt callbacks), 'lp-solver' (HiGHS reported an error or an unknown outcome), 'lp-not-ready'
 * (initLp() has not resolved), 'lp-too-large' (more non-zeros than LP_MAX_NONZEROS), 'argument'.
 */
import { CoreError } from './errors';
import { highsRuntime } from './highs';

/**
 * At most this many matrix non-zeros: HiGHS copies the matrix into its 32-bit WebAssembly memory (4 GiB
 * at most) and factorises it there, and beyond about 10⁸ entries (1.2 GB as input alone) it would run
 * out of memory midway with a less helpful message.
 */
export const LP_MAX_NONZEROS = 100_000_000;

export type LpSense = '=' | '<=' | '>=';

/** One constraint Σ_k values[k] · x[indices[k]] (sense) rhs; repeated indices add up. */
export interface LpRow {
  readonly indices: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly sense: LpSense;
  readonly rhs: number;
}

/** min cᵀx s.t. the rows, x ≥ 0. */
export interface LinearProgram {
  readonly nVars: number;
  /** c, length nVars. */
  readonly objective: ArrayLike<number>;
  readonly rows: readonly LpRow[];
}

/**
 * min colCost·x s.t. rowLower ≤ Ax ≤ rowUpper, 0 ≤ x ≤ colUpper (∞ when omitted), with A in compressed
 * sparse column form: column j's entries are rowIndex/value[colStart[j] … colStart[j + 1]), no row twice
 * in one column. ±Infinity marks a missing row bound.
 */
export interface SparseLinearProgram {
  readonly numCols: number;
  readonly numRows: number;
  readonly colCost: Float64Array;
  readonly colUpper?: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  readonly colStart: Int32Array;
  readonly rowIndex: Int32Array;
  readonly value: Float64Array;
}

export interface LpOptions {
  /** Simplex iteration budget (HiGHS's own default otherwise, effectively none); beyond it 'lp-iterations'. */
  readonly maxIterations?: number;
  /** Seconds of solving before 'lp-time-limit' (none by default). */
  readonly timeLimit?: number;
  /** Polled by HiGHS during the solve; when set, throws CoreError 'cancelled'. */
  readonly signal?: { readonly aborted: boolean };
}

export interface LpSolution {
  /** An optimal point, length nVars (numCols), clipped to its bounds. */
  readonly x: Float64Array;
  /** cᵀx at that x. */
  readonly value: number;
  /** Simplex (and interior-point) iterations HiGHS took. */
  readonly iterations: number;
  /** Size of the problem handed to HiGHS. */
  readonly rows: number;
  readonly columns: number;
  readonly nonzeros: number;
  /** Largest violation of a row bound by Ax, recomputed from x (0 when every row holds exactly). */
  readonly residual: number;
}

const FEASIBILITY_TOLERANCE = 1e-10;

/** Refuses a malformed program (sizes, senses, finite numbers, variable indices) with the row that is wrong. */
export function checkProgram(lp: LinearProgram): void {
  const { nVars, objective, rows } = lp;
  if (!Number.isInteger(nVars) || nVars < 1) throw new CoreError(`an LP needs at least one variable, got nVars = ${nVars}`, 'argument');
  if (objective.length !== nVars) throw new CoreError(`the LP objective has ${objective.length} entries for ${nVars} variables`, 'argument');
  for (let j = 0; j < nVars; j++) {
    if (!Number.isFinite(objective[j])) throw new CoreError(`LP objective entry ${j} is ${objective[j]}; it must be finite`, 'argument');
  }
  rows.forEach((row, i) => {
    if (row.sense !== '=' && row.sense !== '<=' && row.sense !== '>=') {
      throw new CoreError(`LP row ${i} has sense ${String(row.sense)}; use '=', '<=' or '>='`, 'argument');
    }
    if (!Number.isFinite(row.rhs)) throw new CoreError(`LP row ${i} has right-hand side ${row.rhs}; it must be finite`, 'argument');
    if (row.indices.length !== row.values.length) throw new CoreError(`LP row ${i} has ${row.indices.length} indices but ${row.values.length} values`, 'argument');
    for (let k = 0; k < row.indices.length; k++) {
      const j = row.indices[k];
      if (!Number.isInteger(j) || j < 0 || j >= nVars) throw new CoreError(`LP row ${i} refers to variable ${j}, outside 0…${nVars - 1}`, 'argument');
      if (!Number.isFinite(row.values[k])) throw new CoreError(`LP row ${i} has coefficient ${row.values[k]} for variable ${j}; it must be finite`, 'argument');
    }
  });
}

/** The rows as a column-compressed matrix, repeated indices summed. */
function toSparse(lp: LinearProgram): SparseLinearProgram {
  const { nVars, rows } = lp;
  const numRows = rows.length;
  const count = new Int32Array(nVars + 1);
  for (const row of rows) for (let k = 0; k < row.indices.length; k++) count[row.indices[k] + 1]++;
  for (let j = 0; j < nVars; j++) count[j + 1] += count[j];
  const fill = count.slice(0, nVars);
  const rowIndex = new Int32Array(count[nVars]);
  const value = new Float64Array(count[nVars]);
  rows.forEach((row, i) => {
    for (let k = 0; k < row.indices.length; k++) {
      const j = row.indices[k];
      // Rows arrive in order, so a repeat of (i, j) is the column's latest entry.
      const last = fill[j] - 1;
      if (last >= count[j] && rowIndex[last] === i) value[last] += row.values[k];
      else {
        rowIndex[fill[j]] = i;
        value[fill[j]++] = row.values[k];
      }
    }
  });
  // Compact the columns that lost entries to merged repeats.
  const colStart = new Int32Array(nVars + 1);
  let nz = 0;
  for (let j = 0; j < nVars; j++) {
    colStart[j] = nz;
    for (let k = count[j]; k < fill[j]; k++) {
      rowIndex[nz] = rowIndex[k];
      value[nz++] = value[k];
    }
  }
  colStart[nVars] = nz;
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  rows.forEach((row, i) => {
    rowLower[i] = row.sense === '<=' ? -Infinity : row.rhs;
    rowUpper[i] = row.sense === '>=' ? Infinity : row.rhs;
  });
  return { numCols: nVars, numRows, colCost: Float64Array.from(lp.objective), rowLower, rowUpper, colStart, rowIndex: rowIndex.slice(0, nz), value: value.slice(0, nz) };
}

/**
 * Solves min cᵀx s.t. the rows, x ≥ 0. Throws the CoreErrors listed at the top of this file. Needs
 * `await initLp()` once in this process or worker.
 */
export function solveLP(lp: LinearProgram, options: LpOptions = {}): LpSolution {
  checkProgram(lp);
  return solveSparseLP(toSparse(lp), options);
}

function checkSparse(lp: SparseLinearProgram): void {
  const { numCols, numRows, colStart, rowIndex, value } = lp;
  if (!Number.isInteger(numCols) || numCols < 1) throw new CoreError(`an LP needs at least one variable, got numCols = ${numCols}`, 'argument');
  if (!Number.isInteger(numRows) || numRows < 0) throw new CoreError(`an LP's row count must be a non-negative integer, got ${numRows}`, 'argument');
  if (lp.colCost.length !== numCols || (lp.colUpper && lp.colUpper.length !== numCols)) throw new CoreError(`the LP's column arrays must have ${numCols} entries`, 'argument');
  if (lp.rowLower.length !== numRows || lp.rowUpper.length !== numRows) throw new CoreError(`the LP's row bounds must have ${numRows} entries`, 'argument');
  if (colStart.length !== numCols + 1 || colStart[0] !== 0 || colStart[numCols] !== rowIndex.length || rowIndex.length !== value.length) {
    throw new CoreError('the LP matrix is not a valid compressed-column matrix (colStart, rowIndex and value disagree)', 'argument');
  }
  if (rowIndex.length > LP_MAX_NONZEROS) {
    throw new CoreError(`the LP has ${rowIndex.length} non-zeros; at most ${LP_MAX_NONZEROS} fit the solver's memory — use a smaller MDP or horizon`, 'lp-too-large');
  }
}

/**
 * Solves a column-compressed LP; see SparseLinearProgram. Throws the CoreErrors listed at the top of
 * this file; `who` names the caller in the 'lp-not-ready' message.
 */
export function solveSparseLP(lp: SparseLinearProgram, options: LpOptions = {}, who = 'solving a linear program'): LpSolution {
  checkSparse(lp);
  const signal = options.signal;
  if (signal?.aborted) throw new CoreError('the linear program was cancelled', 'cancelled');
  const highs = highsRuntime(who);
  const { numCols, numRows } = lp;
  const inf = highs.infinity;
  const bound = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const colUpper = new Float64Array(numCols);
  for (let j = 0; j < numCols; j++) colUpper[j] = lp.colUpper ? bound(lp.colUpper[j]) : inf;
  const model = createModel(highs, {
    numCols,
    numRows,
    colCost: lp.colCost,
    colLower: new Float64Array(numCols),
    colUpper,
    rowLower: lp.rowLower.map(bound),
    rowUpper: lp.rowUpper.map(bound),
    matrix: { format: 'csc', numRows, numCols, starts: lp.colStart, indices: lp.rowIndex, values: lp.value },
  });
  try {
    model.options.set({
      output_flag: false,
      primal_feasibility_tolerance: FEASIBILITY_TOLERANCE,
      dual_feasibility_tolerance: FEASIBILITY_TOLERANCE,
      ...(options.maxIterations !== undefined ? { simplex_iteration_limit: options.maxIterations, ipm_iteration_limit: options.maxIterations } : {}),
      ...(options.timeLimit !== undefined ? { time_limit: options.timeLimit } : {}),
    });
    const { callbackType, modelStatus } = highs.constants;
    const poll = (event: { interrupt(): void }): undefined => {
      if (signal?.aborted) event.interrupt();
      return undefined;
    };
    const callbacks = signal ? { [callbackType.simplexInterrupt]: poll, [callbackType.ipmInterrupt]: poll } : undefined;
    let status = model.run(callbacks).modelStatus;
    if (status === modelStatus.unboundedOrInfeasible) {
      // Presolve can detect that one of the two holds without telling which; the simplex on the
      // unreduced problem does tell.
      model.options.set('presolve', 'off');
      status = model.run(callbacks).modelStatus;
    }
    const iterations = Number(model.info.get('simplex_iteration_count')) + Math.max(0, Number(model.info.get('ipm_iteration_count')));
    const size = `${numRows} rows × ${numCols} columns`;
    switch (status) {
      case modelStatus.optimal:
        break;
      case modelStatus.infeasible:
        throw new CoreError(`the LP is infeasible: no x within the bounds satisfies its ${numRows} rows (HiGHS, ${size})`, 'lp-infeasible');
      case modelStatus.unbounded:
        throw new CoreError(`the LP is unbounded: the objective decreases without limit on its feasible set (HiGHS, ${size})`, 'lp-unbounded');
      case modelStatus.unboundedOrInfeasible:
        throw new CoreError(`the LP is infeasible or unbounded; HiGHS could not tell which (${size})`, 'lp-infeasible');
      case modelStatus.iterationLimit:
        throw new CoreError(`the LP solver stopped at its budget of ${options.maxIterations ?? iterations} iterations before the optimum (${size}); pass a larger maxIterations`, 'lp-iterations');
      case modelStatus.timeLimit:
        throw new CoreError(`the LP solver stopped at its time limit of ${options.timeLimit ?? '?'} s before the optimum (${size}); pass a larger timeLimit or a smaller problem`, 'lp-time-limit');
      case modelStatus.interrupted:
        throw new CoreError('the linear program was cancelled', 'cancelled');
      default:
        throw new CoreError(`the LP solver (HiGHS) ended with status ${describeStatus(status, modelStatus)} on ${size}; the problem may be badly scaled`, 'lp-solver');
    }
    const x = model.getSolution().colValue;
    return finish(lp, x, colUpper, iterations);
  } finally {
    model.dispose();
  }
}

/** HiGHS's own input checks throw its error classes; they become the core's 'argument' errors. */
function createModel(highs: ReturnType<typeof highsRuntime>, data: Parameters<ReturnType<typeof highsRuntime>['createModel']>[0]) {
  try {
    return highs.createModel(data);
  } catch (error) {
    throw new CoreError(`HiGHS refused the LP: ${error instanceof Error ? error.message : String(error)}`, 'argument');
  }
}

function describeStatus(status: number, names: Readonly<Record<string, number>>): string {
  const name = Object.keys(names).find((k) => names[k] === status);
  return name ? `"${name}" (${status})` : String(status);
}

/** Clips x to its bounds (HiGHS may leave −1e-12 on a variable at 0) and measures the row violations. */
function finish(lp: SparseLinearProgram, x: Float64Array, colUpper: Float64Array, iterations: number): LpSolution {
  const { numCols, numRows, colStart, rowIndex, value } = lp;
  let objective = 0;
  const activity = new Float64Array(numRows);
  for (let j = 0; j < numCols; j++) {
    const v = Math.min(Math.max(x[j], 0), colUpper[j]);
    x[j] = v;
    if (v === 0) continue;
    objective += lp.colCost[j] * v;
    for (let k = colStart[j]; k < colStart[j + 1]; k++) activity[rowIndex[k]] += value[k] * v;
  }
  let residual = 0;
  for (let i = 0; i < numRows; i++) residual = Math.max(residual, lp.rowLower[i] - activity[i], activity[i] - lp.rowUpper[i]);
  return { x, value: objective, iterations, rows: numRows, columns: numCols, nonzeros: rowIndex.length, residual };
}
