/**
 * An explicit MDP as a graph for the IL MDP editor: states are nodes, each written transition entry
 * (s, a, s′, p) an edge, with every row's sum so that a wrong one is shown where it is, and node
 * positions from graphLayout.ts when the graph is small enough to draw whole. Larger MDPs get a
 * summary and the edges for a neighbourhood search (a state and its successors and predecessors one
 * step away), which the webview draws without a layout. Built in the parse service (mdpViewModel.ts),
 * drawn by webview/components/mdpGraph.ts; plain JSON.
 */
import { layoutGraph } from './graphLayout';

/** Drawn whole up to this many states (the "no hairball" line); beyond, summary and neighbourhoods. */
export const MAX_DRAWN_STATES = 200;
/** Edges sent for the neighbourhood search of a larger MDP; beyond, the summary alone. */
export const MAX_SENT_EDGES = 50_000;

export interface DegreeStats {
  readonly min: number;
  readonly mean: number;
  readonly max: number;
}

export interface GraphSummary {
  readonly states: number;
  readonly actions: number;
  /** Written (s, a, s′) entries. */
  readonly edges: number;
  readonly selfLoops: number;
  /** Distinct successor states per state, over all actions. */
  readonly outDegree: DegreeStats;
  /** Distinct predecessor states per state. */
  readonly inDegree: DegreeStats;
  /** Rows (s, a) that are missing or do not sum to 1. */
  readonly badRows: number;
  /** States no path from ρ's support reaches (when ρ is known). */
  readonly unreachable?: number;
}

export interface GraphView {
  readonly states: readonly string[];
  readonly actions: readonly string[];
  /** The edges as parallel lists, ordered by row (s·|A| + a) then as written. Empty when not sent. */
  readonly from: readonly number[];
  readonly to: readonly number[];
  readonly action: readonly number[];
  readonly prob: readonly number[];
  /** 1 where the probability is a plain number in the text (so one scalar edit changes it), else 0. */
  readonly editable: readonly number[];
  /** Σ_s′ P(s′ | s, a) per row s·|A| + a, or −1 for a row that is not written (empty when the edges are not sent). */
  readonly rowSums: readonly number[];
  /** ρ(s), when the MDP could be built. */
  readonly rho?: readonly number[];
  /** Node centres (|S| ≤ MAX_DRAWN_STATES), in a box of width × height. */
  readonly layout?: { readonly x: readonly number[]; readonly y: readonly number[]; readonly width: number; readonly height: number };
  readonly summary: GraphSummary;
  /** Whether the edges were sent (false past MAX_SENT_EDGES: the summary alone). */
  readonly edgesSent: boolean;
}

export interface GraphInput {
  readonly states: readonly string[];
  readonly actions: readonly string[];
  /** The entries (next state, probability) of row s·|A| + a as written; undefined for a row not written. */
  readonly entriesOf: (row: number) => readonly (readonly [number, number])[] | undefined;
  /** Whether P(next | s, a) is a plain number in the text. */
  readonly editable: (s: number, a: number, next: number) => boolean;
  readonly rho?: ArrayLike<number>;
}

/** A row sums to 1 within the parser's tolerance. */
export function rowSumOk(sum: number): boolean {
  return sum >= 0 && Math.abs(sum - 1) <= 1e-9;
}

function degreeStats(counts: ArrayLike<number>): DegreeStats {
  let min = Infinity;
  let max = 0;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    min = Math.min(min, counts[i]);
    max = Math.max(max, counts[i]);
    total += counts[i];
  }
  return { min: counts.length === 0 ? 0 : min, mean: counts.length === 0 ? 0 : Math.round((total / counts.length) * 100) / 100, max };
}

export function buildGraphView(input: GraphInput): GraphView {
  const nS = input.states.length;
  const nA = input.actions.length;
  const from: number[] = [];
  const to: number[] = [];
  const action: number[] = [];
  const prob: number[] = [];
  const editable: number[] = [];
  const rowSums: number[] = [];
  let selfLoops = 0;
  let badRows = 0;
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < nA; a++) {
      const entries = input.entriesOf(s * nA + a);
      if (entries === undefined) {
        rowSums.push(-1);
        badRows++;
        continue;
      }
      let sum = 0;
      for (const [next, p] of entries) {
        from.push(s);
        to.push(next);
        action.push(a);
        prob.push(p);
        editable.push(input.editable(s, a, next) ? 1 : 0);
        sum += p;
        if (next === s) selfLoops++;
      }
      rowSums.push(sum);
      if (!rowSumOk(sum)) badRows++;
    }
  }
  // Distinct neighbours, from the sorted (s, s′) pairs.
  const pairs = new Set<number>();
  for (let e = 0; e < from.length; e++) if (from[e] !== to[e]) pairs.add(from[e] * nS + to[e]);
  const outDegree = new Uint32Array(nS);
  const inDegree = new Uint32Array(nS);
  for (const pair of pairs) {
    outDegree[Math.floor(pair / nS)]++;
    inDegree[pair % nS]++;
  }
  const roots = input.rho ? Array.from({ length: nS }, (_, s) => s).filter((s) => input.rho![s] > 0) : [];
  const depth = depths(nS, from, to, roots);
  const unreachable = input.rho ? depth.filter((d) => d < 0).length : undefined;
  const summary: GraphSummary = {
    states: nS,
    actions: nA,
    edges: from.length,
    selfLoops,
    outDegree: degreeStats(outDegree),
    inDegree: degreeStats(inDegree),
    badRows,
    ...(unreachable !== undefined ? { unreachable } : {}),
  };
  const edgesSent = from.length <= MAX_SENT_EDGES;
  const layout = nS <= MAX_DRAWN_STATES ? layoutGraph(nS, [...pairs].map((p) => [Math.floor(p / nS), p % nS] as const), depth) : undefined;
  return {
    states: input.states,
    actions: input.actions,
    from: edgesSent ? from : [],
    to: edgesSent ? to : [],
    action: edgesSent ? action : [],
    prob: edgesSent ? prob : [],
    editable: edgesSent ? editable : [],
    rowSums: edgesSent ? rowSums : [],
    ...(input.rho ? { rho: Array.from(input.rho) } : {}),
    ...(layout ? { layout } : {}),
    summary,
    edgesSent,
  };
}

/**
 * Steps from ρ's support (breadth first), −1 for states not reached. Without ρ (a file whose MDP
 * cannot be built) the first state is the root, so the picture still reads from one side.
 */
function depths(nS: number, from: readonly number[], to: readonly number[], roots: readonly number[]): number[] {
  const start = roots.length > 0 ? roots : nS > 0 ? [0] : [];
  const offsets = new Uint32Array(nS + 1);
  for (const s of from) offsets[s + 1]++;
  for (let s = 0; s < nS; s++) offsets[s + 1] += offsets[s];
  const next = new Uint32Array(from.length);
  const fill = offsets.slice(0, nS);
  for (let e = 0; e < from.length; e++) next[fill[from[e]]++] = to[e];
  const depth = new Array<number>(nS).fill(-1);
  const queue: number[] = [];
  for (const r of start) {
    depth[r] = 0;
    queue.push(r);
  }
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head];
    for (let k = offsets[s]; k < offsets[s + 1]; k++) {
      const t = next[k];
      if (depth[t] < 0) {
        depth[t] = depth[s] + 1;
        queue.push(t);
      }
    }
  }
  return depth;
}
