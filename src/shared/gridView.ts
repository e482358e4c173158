/**
 * A gridworld drawn as its map: the kind of every cell, the state it is, and, for an expert, its action
 * probabilities π_h(a|s) and values V_h(s) per step to draw on the cells. Built where the MDP is (the
 * parse service for the editor), drawn by webview/components/gridMap.ts.
 */
import { CELL_CHAR, type GridMap } from '../core/envs/gridMap';
import { behavioralCloning } from '../core/bc';
import type { Dataset } from '../core/dataset';
import { evaluateBackward } from '../core/evaluation';
import type { MDP } from '../core/mdp';
import { actionDistribution, type Policy } from '../core/policy';

/** Numbers an overlay may hold (steps × |S| × (4 actions + V)): a large map with a long horizon keeps a sample of its steps. */
export const MAX_OVERLAY_NUMBERS = 250_000;

export interface GridOverlay {
  readonly expert: string;
  readonly H: number;
  /** The steps h (1-based) held: every step, or an even sample from 1 to H when there are too many. */
  readonly steps: readonly number[];
  /** π_h(a|s) for each held step, state and action (up, right, down, left): steps × |S| × 4. */
  readonly policy: readonly number[];
  /** V_h(s) of the expert for each held step and state: steps × |S|. */
  readonly value: readonly number[];
  /** The largest V_h(s) held (the colour scale's top; at least 1e-12). */
  readonly valueMax: number;
}

export interface GridView {
  readonly rows: number;
  readonly cols: number;
  /** One character per cell, row-major: `#` wall, `.` free, `S` start, `G` goal, `C` cliff. */
  readonly cells: string;
  /** The state of each cell (row-major), −1 for walls and cliffs. */
  readonly stateOf: readonly number[];
  /** The absorbing state a cliff drops into, or −1. */
  readonly cliffState: number;
  /** Whether the map is written as a block (`map: |`), so that the editor can paint it. */
  readonly paintable: boolean;
  readonly overlay?: GridOverlay;
}

/**
 * A dataset drawn on the grid: n_h(s) per held step (the same steps as the expert's overlay), and
 * where the expert is known, how far BC on this dataset is from it: the total-variation distance
 * ½ Σ_a |π̂_h(a|s) − π^E_h(a|s)|, with the states BC never saw at step h (where it plays uniformly).
 */
export interface GridDatasetOverlay {
  readonly N: number;
  readonly steps: readonly number[];
  /** n_h(s): trajectories in state s at step h, per held step and state (steps × |S|). */
  readonly counts: readonly number[];
  /** TV(π̂^BC_h(·|s), π^E_h(·|s)) per held step and state, when an expert is known. */
  readonly disagreement?: readonly number[];
  /** The expert BC is compared with. */
  readonly expert?: string;
}

/**
 * Numbers a notebook output's overlay may hold: the output is saved in the .ilnb and sits beside a
 * table in one payload under MAX_PAYLOAD_BYTES, where the editor's overlay is a message, never saved.
 */
export const MAX_NOTEBOOK_OVERLAY_NUMBERS = 50_000;

/** The steps an overlay of |S| states holds for horizon H: all of them, or an even sample within the budget. */
export function overlaySteps(H: number, nS: number, budget = MAX_OVERLAY_NUMBERS): number[] {
  return sampledSteps(H, Math.max(1, Math.floor(budget / (5 * Math.max(1, nS)))));
}

export function buildGridDatasetOverlay(data: Dataset, expert?: { name: string; policy: Policy }, budget = MAX_OVERLAY_NUMBERS): GridDatasetOverlay {
  const { N, H, nS } = data;
  const steps = overlaySteps(H, nS, budget);
  const counts = new Array<number>(steps.length * nS).fill(0);
  steps.forEach((h, j) => {
    for (let i = 0; i < N; i++) {
      const s = data.states[i * H + h - 1];
      if (s >= 0) counts[j * nS + s]++;
    }
  });
  if (!expert) return { N, steps, counts };
  const bc = behavioralCloning(data);
  const learner = new Float64Array(data.nA);
  const target = new Float64Array(data.nA);
  const disagreement: number[] = [];
  for (const h of steps) {
    for (let s = 0; s < nS; s++) {
      actionDistribution(bc, h - 1, s, learner);
      actionDistribution(expert.policy, h - 1, s, target);
      let tv = 0;
      for (let a = 0; a < data.nA; a++) tv += Math.abs(learner[a] - target[a]);
      disagreement.push(round(tv / 2));
    }
  }
  return { N, steps, counts, disagreement, expert: expert.name };
}

/** Up to `count` steps from 1 to H, evenly spread, always with 1 and H. */
export function sampledSteps(H: number, count: number): number[] {
  if (count >= H) return Array.from({ length: H }, (_, i) => i + 1);
  if (count <= 1) return [1];
  const steps = new Set<number>();
  for (let i = 0; i < count; i++) steps.add(1 + Math.round((i * (H - 1)) / (count - 1)));
  return [...steps];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The map, with a policy drawn on it when one is given: the editor's first expert, or in a notebook
 * any policy of the gridworld (the expert, BC's), its name on the labels and V_h(s) its own value.
 */
export function buildGridView(grid: GridMap, paintable: boolean, expert?: { name: string; mdp: MDP; policy: Policy }, budget = MAX_OVERLAY_NUMBERS): GridView {
  const view: GridView = {
    rows: grid.rows,
    cols: grid.cols,
    cells: grid.kinds.map((k) => CELL_CHAR[k]).join(''),
    stateOf: Array.from(grid.stateOf),
    cliffState: grid.cliffState,
    paintable,
  };
  if (!expert || expert.mdp.nS !== grid.nS || expert.mdp.nA !== 4) return view;
  const { mdp, policy } = expert;
  const steps = overlaySteps(mdp.H, mdp.nS, budget);
  const V = evaluateBackward(mdp, policy, { storeV: true }).V!;
  const probs: number[] = [];
  const value: number[] = [];
  const dist = new Float64Array(4);
  let valueMax = 1e-12;
  for (const h of steps) {
    for (let s = 0; s < mdp.nS; s++) {
      actionDistribution(policy, h - 1, s, dist);
      for (let a = 0; a < 4; a++) probs.push(round(dist[a]));
      const v = V[(h - 1) * mdp.nS + s];
      value.push(round(v));
      if (v > valueMax) valueMax = v;
    }
  }
  return { ...view, overlay: { expert: expert.name, H: mdp.H, steps, policy: probs, value, valueMax } };
}
