/**
 * A gridworld drawn as its map: the kind of every cell, the state it is, and, for an expert, its action
 * probabilities π_h(a|s) and values V_h(s) per step to draw on the cells. Built where the MDP is (the
 * parse service for the editor), drawn by webview/components/gridMap.ts.
 */
import { CELL_CHAR, type GridMap } from '../core/envs/gridMap';
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

/** Up to `count` steps from 1 to H, evenly spread, always with 1 and H. */
export function sampledSteps(H: number, count: number): number[] {
  if (count >= H) return Array.from({ length: H }, (_, i) => i + 1);
  if (count <= 1) return [1];
  const steps = new Set<number>();
  for (let i = 0; i < count; i++) steps.add(1 + Math.round((i * (H - 1)) / (count - 1)));
  return [...steps];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function buildGridView(grid: GridMap, paintable: boolean, expert?: { name: string; mdp: MDP; policy: Policy }): GridView {
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
  const steps = sampledSteps(mdp.H, Math.max(1, Math.floor(MAX_OVERLAY_NUMBERS / (5 * mdp.nS))));
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
