/**
 * A gridworld's character map as a grid: the kind of every cell and the state it is. One reading of
 * the map for the generator (which builds the MDP from it) and for the views that draw the MDP on it.
 *
 * `#` (or a space, or past a row's end) wall, `.` free, `S` start, `G` goal, `C` cliff. Free, start and
 * goal cells are states, numbered row by row; a cliff cell is not a state of its own: moving into one
 * drops into a single absorbing bad state, numbered after the cells.
 */
import { CoreError } from '../errors';

export type CellKind = 'wall' | 'free' | 'start' | 'goal' | 'cliff';

export const CELL_CHAR: Readonly<Record<CellKind, string>> = { wall: '#', free: '.', start: 'S', goal: 'G', cliff: 'C' };

const KIND_OF: Readonly<Record<string, CellKind>> = { '#': 'wall', ' ': 'wall', '.': 'free', S: 'start', G: 'goal', C: 'cliff' };

export interface GridMap {
  readonly rows: number;
  /** The longest row's length; shorter rows end in walls. */
  readonly cols: number;
  /** Row-major, rows × cols. */
  readonly kinds: readonly CellKind[];
  /** Row-major: the state a cell is, or −1 (walls; cliffs, which lead to `cliffState`). */
  readonly stateOf: Int32Array;
  /** The absorbing bad state a cliff drops into, or −1 when the map has no cliff. */
  readonly cliffState: number;
  readonly nS: number;
  /** Per state: its row and column (the cliff state: −1, −1). */
  readonly cellOf: readonly (readonly [number, number])[];
}

/** The map's lines, without a trailing blank line or carriage returns. */
export function mapLines(map: string | readonly string[]): string[] {
  const lines = (typeof map === 'string' ? map.split('\n') : [...map]).map((l) => l.replace(/\r$/, ''));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

export function parseGridMap(map: string | readonly string[]): GridMap {
  const lines = mapLines(map);
  const rows = lines.length;
  const cols = Math.max(0, ...lines.map((l) => [...l].length));
  const kinds: CellKind[] = [];
  const stateOf = new Int32Array(rows * cols).fill(-1);
  const cellOf: [number, number][] = [];
  let hasCliff = false;
  lines.forEach((line, row) => {
    const chars = [...line];
    for (let col = 0; col < cols; col++) {
      const ch = chars[col] ?? '#';
      const kind = KIND_OF[ch];
      if (!kind) throw new CoreError(`gridworld map, row ${row + 1}, column ${col + 1}: unknown character '${ch}'; use # . S G C`, 'argument');
      kinds.push(kind);
      if (kind === 'cliff') hasCliff = true;
      if (kind === 'free' || kind === 'start' || kind === 'goal') {
        stateOf[row * cols + col] = cellOf.length;
        cellOf.push([row, col]);
      }
    }
  });
  const cliffState = hasCliff ? cellOf.length : -1;
  if (hasCliff) cellOf.push([-1, -1]);
  return { rows, cols, kinds, stateOf, cliffState, nS: cellOf.length, cellOf };
}

/** States of a map, counted without building it (the parser's size check before allocation). */
export function countGridStates(map: string): number {
  let n = 0;
  let cliff = 0;
  for (const ch of map) {
    if (ch === '.' || ch === 'S' || ch === 'G') n++;
    else if (ch === 'C') cliff = 1;
  }
  return n + cliff;
}
