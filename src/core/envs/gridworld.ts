/**
 * A gridworld from a character map (gridMap.ts): `#` wall, `.` free, `S` start (ρ uniform over them),
 * `G` goal (reward 1 for any action taken there; absorbing), `C` cliff (moving into it drops into one
 * absorbing state `cliff` with reward 0: CliffWalking's layout, or a Reset Cliff laid out in space).
 * Actions up, right, down, left; a move into a wall or off the map stays put; with probability `slip`
 * the move is replaced by one of the other three.
 */
import { CoreError } from '../errors';
import { createMDP, transitionsFromRows } from '../mdp';
import { optimalPolicy } from '../planning';
import type { Environment } from './environment';
import { parseGridMap } from './gridMap';
import type { GridworldParams } from './spec';

const MOVES: readonly (readonly [number, number])[] = [
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
];

export function gridworld(params: GridworldParams): Environment {
  const { H } = params;
  const slip = params.slip ?? 0;
  if (!Number.isInteger(H) || H < 1) throw new CoreError(`the horizon H must be a positive integer, got ${H}`, 'argument');
  if (!(slip >= 0 && slip <= 1)) throw new CoreError(`slip must lie in [0, 1], got ${slip}`, 'argument');
  const grid = parseGridMap(params.map);
  const starts: number[] = [];
  const goals = new Set<number>();
  grid.kinds.forEach((kind, i) => {
    if (kind === 'start') starts.push(grid.stateOf[i]);
    if (kind === 'goal') goals.add(grid.stateOf[i]);
  });
  if (starts.length === 0) throw new CoreError('gridworld map has no start cell S', 'argument');
  if (goals.size === 0) throw new CoreError('gridworld map has no goal cell G', 'argument');
  const { nS, rows: height, cols: width, cliffState } = grid;
  const nA = 4;
  const names = grid.cellOf.map(([r, c], s) => (s === cliffState ? 'cliff' : `r${r}c${c}`));
  const step = (s: number, m: number): number => {
    const [r, c] = grid.cellOf[s];
    const [nr, nc] = [r + MOVES[m][0], c + MOVES[m][1]];
    if (nr < 0 || nr >= height || nc < 0 || nc >= width) return s;
    const kind = grid.kinds[nr * width + nc];
    if (kind === 'cliff') return cliffState;
    return kind === 'wall' ? s : grid.stateOf[nr * width + nc];
  };
  const rows: [number, number][][] = [];
  const reward = new Float64Array(nS * nA);
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < nA; a++) {
      if (goals.has(s) || s === cliffState) {
        if (goals.has(s)) reward[s * nA + a] = 1;
        rows.push([[s, 1]]);
        continue;
      }
      const row = new Map<number, number>();
      row.set(step(s, a), 1 - slip);
      for (let m = 0; m < 4; m++) if (m !== a) row.set(step(s, m), (row.get(step(s, m)) ?? 0) + slip / 3);
      rows.push([...row.entries()].filter(([, p]) => p > 0));
    }
  }
  const rho = new Float64Array(nS);
  for (const s of starts) rho[s] = 1 / starts.length;
  const mdp = createMDP({
    nS,
    nA,
    H,
    rho,
    reward,
    transitions: [transitionsFromRows(nS, nA, rows)],
    stateNames: names,
    actionNames: ['up', 'right', 'down', 'left'],
  });
  return { mdp, expert: optimalPolicy(mdp).policy, description: `Gridworld ${height}×${width} |S|=${nS} H=${H} slip=${slip}`, grid };
}
