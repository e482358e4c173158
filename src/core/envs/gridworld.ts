/**
 * A gridworld from a character map: `#` wall, `.` free, `S` start (ρ uniform over them), `G` goal
 * (reward 1 for any action taken there; absorbing). Actions up, right, down, left; a move into a wall
 * or off the map stays put; with probability `slip` the move is replaced by one of the other three.
 */
import { CoreError } from '../errors';
import { createMDP, transitionsFromRows } from '../mdp';
import { optimalPolicy } from '../planning';
import type { Environment } from './environment';
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
  const lines = (typeof params.map === 'string' ? params.map.split('\n') : [...params.map]).map((l) => l.replace(/\r$/, ''));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const index = new Map<string, number>();
  const names: string[] = [];
  const starts: number[] = [];
  const goals = new Set<number>();
  lines.forEach((line, row) => {
    [...line].forEach((ch, col) => {
      if (ch === '#' || ch === ' ') return;
      if (ch !== '.' && ch !== 'S' && ch !== 'G') {
        throw new CoreError(`gridworld map, row ${row + 1}, column ${col + 1}: unknown character '${ch}'; use # . S G`, 'argument');
      }
      const s = names.length;
      index.set(`${row},${col}`, s);
      names.push(`r${row}c${col}`);
      if (ch === 'S') starts.push(s);
      if (ch === 'G') goals.add(s);
    });
  });
  if (starts.length === 0) throw new CoreError('gridworld map has no start cell S', 'argument');
  if (goals.size === 0) throw new CoreError('gridworld map has no goal cell G', 'argument');
  const nS = names.length;
  const nA = 4;
  const cellOf = names.map((n) => n.slice(1).split('c').map(Number) as [number, number]);
  const step = (s: number, m: number): number => {
    const [r, c] = cellOf[s];
    return index.get(`${r + MOVES[m][0]},${c + MOVES[m][1]}`) ?? s;
  };
  const rows: [number, number][][] = [];
  const reward = new Float64Array(nS * nA);
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < nA; a++) {
      if (goals.has(s)) {
        reward[s * nA + a] = 1;
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
  return { mdp, expert: optimalPolicy(mdp).policy, description: `Gridworld ${lines.length}×${Math.max(...lines.map((l) => l.length))} |S|=${nS} H=${H} slip=${slip}` };
}
