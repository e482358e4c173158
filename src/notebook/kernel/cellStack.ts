/**
 * An error's stack as a notebook shows it, for both kernels (kernelWorker.ts on Node,
 * webKernelWorker.ts on the web): the frames that point into cells, at the columns the user wrote
 * (cellTransform.ts maps them back), and none of the kernel's own.
 */
import type { TransformedCell } from './cellTransform';

const CELL_FRAME = /\(?((?:cell|Cell) [^:()]+):(\d+):(\d+)\)?/;

export interface CellStack {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

/** `tidyFrame`: what the engine adds to a cell's frame that means nothing to a user (differs by engine and by how the cell was run). */
export function cleanCellStack(error: unknown, cells: ReadonlyMap<string, TransformedCell>, tidyFrame: (line: string) => string): CellStack {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: `Error: ${String(error)}` };
  const lines = (error.stack ?? '').split('\n');
  const header = lines.findIndex((l) => /^\s+at /.test(l));
  const head = header < 0 ? lines : lines.slice(0, header);
  const frames = (header < 0 ? [] : lines.slice(header))
    .filter((l) => {
      const m = CELL_FRAME.exec(l);
      const cell = m ? cells.get(m[1]) : undefined;
      return cell !== undefined && Number(m![2]) <= cell.lines;
    })
    .map((l) =>
      l.replace(CELL_FRAME, (all, label: string, line: string, col: string) => {
        const column = cells.get(label)!.originalColumn(Number(line), Number(col));
        return all.replace(`${label}:${line}:${col}`, `${label}:${line}:${column}`);
      }),
    )
    .map(tidyFrame);
  return { name: error.name, message: error.message, stack: [...head, ...frames].join('\n') };
}
