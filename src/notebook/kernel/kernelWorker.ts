/**
 * The notebook kernel: one worker thread per notebook that runs cells in its own realm, keeping state
 * from cell to cell. Cells see the core as `il`, `load()` for .ilmdp files beside the notebook,
 * `display()` for rich output and a `console` that streams to the cell's output.
 *
 * Interrupts are the cancellation of a run call (src/workers): its cancel-board entry, which sweeps and
 * DAgger read through `il`'s default signal between datasets, and its cancel message, which stops a cell
 * that awaits something at once (and a sweep in `il.parallel`'s pool). A cell that never yields is
 * stopped by the host terminating this worker, which ends the pool's threads too.
 */
import { Console } from 'node:console';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { formatWithOptions } from 'node:util';
import { runInThisContext } from 'node:vm';
import { workerData } from 'node:worker_threads';
import { loadIlmdp } from '../../ilmdp/load';
import { kernelProtocol, type CellResult, type KernelEvent, type KernelWorkerData, type RunRequest } from '../../shared/kernelProtocol';
import { parentPortOf } from '../../workers/nodeWorker';
import { serve, type CallContext, type CancelSignal } from '../../workers/serve';
import { CellSyntaxError, transformCell, type TransformedCell } from './cellTransform';
import { Markdown, toOutputItems } from './display';
import { createKernelIl, type Display, type Load } from './kernelApi';
import { createParallelSweeps } from './parallelSweeps';

const data = workerData as KernelWorkerData;

/** The running cell's call: its cancel signal is the interrupt, its emit the cell's output. */
let current: CallContext<KernelEvent> | undefined;

/** Passed to long core computations so that an interrupt stops them between datasets. */
const interruptSignal = {
  get aborted(): boolean {
    return current?.signal.aborted ?? false;
  },
};

const cells = new Map<string, TransformedCell>();

/** Output of the running cell (dropped once it has ended: a late timer's log has no cell to go to). */
function send(event: KernelEvent): void {
  current?.emit(event);
}

function streamWriter(stream: 'stdout' | 'stderr') {
  return (...args: unknown[]) => send({ type: 'stream', stream, text: `${formatWithOptions({ colors: false, depth: 4 }, ...args)}\n` });
}

/** A stream whose every write goes to the running cell's output at once. */
function cellStream(stream: 'stdout' | 'stderr'): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      send({ type: 'stream', stream, text: chunk.toString() });
      done();
    },
  });
}

// A real Console over the cell streams, so table, dir, group, count, time and assert behave as in Node.
const kernelConsole = new Console({ stdout: cellStream('stdout'), stderr: cellStream('stderr'), colorMode: false, inspectOptions: { depth: 4 } });

// The sweep worker bundle sits beside this one in dist/ (the extension and `il-notebooks run` alike).
const parallel = createParallelSweeps(interruptSignal, join(__dirname, 'sweepWorker.js'));
const il = createKernelIl(interruptSignal, parallel.api);

const display: Display = Object.assign(
  (value: unknown) => {
    const items = toOutputItems(value);
    if (items.length > 0) send({ type: 'display', items });
  },
  { markdown: (text: string) => display(new Markdown(String(text))) },
);
const load: Load = (path) => loadIlmdp(resolve(data.cwd, String(path)));

Object.assign(globalThis, { il, display, load, console: kernelConsole });

const CELL_FRAME = /\(?((?:cell|Cell) [^:()]+):(\d+):(\d+)\)?/;

/** Keeps the frames that point into cells (with their real columns) and drops the kernel's own. */
function cleanStack(error: unknown): { name: string; message: string; stack: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: `Error: ${String(error)}` };
  const lines = (error.stack ?? '').split('\n');
  const header = lines.findIndex((l) => /^\s+at /.test(l));
  const head = header < 0 ? lines : lines.slice(0, header);
  const frames = (header < 0 ? [] : lines.slice(header))
    .filter((l) => {
      const m = CELL_FRAME.exec(l);
      const cell = m && cells.get(m[1]);
      return cell !== undefined && cell !== null && Number(m![2]) <= cell.lines;
    })
    .map((l) =>
      l.replace(CELL_FRAME, (all, label: string, line: string, col: string) => {
        const column = cells.get(label)!.originalColumn(Number(line), Number(col));
        return all.replace(`${label}:${line}:${col}`, `${label}:${line}:${column}`);
      }),
    )
    .map((l) => l.replace(/at async (cell [^:()]+:)/, 'at $1').replace(/\s*at (?:async )?\(?<anonymous>\)?$/, ''));
  return { name: error.name, message: error.message, stack: [...head, ...frames].join('\n') };
}

function interruptedError(message: string): Error {
  return Object.assign(new Error(message), { name: 'Interrupted' });
}

async function run(request: RunRequest, call: CallContext<KernelEvent>): Promise<CellResult> {
  current = call;
  const signal: CancelSignal = call.signal;
  let stopListening = () => {};
  try {
    // The interrupt may have come before the cell started (its call was cancelled on arrival).
    if (signal.aborted) throw interruptedError('the cell was interrupted before it started');
    const cell = transformCell(request.source, request.language);
    cells.set(request.label, cell);
    const interrupted = new Promise<never>((_, reject) => {
      stopListening = signal.onAbort(() => {
        // A pooled sweep would otherwise run on until its current slices end (the signal is read between them).
        parallel.cancel();
        reject(interruptedError('the cell was interrupted'));
      });
    });
    const value: unknown = await Promise.race([runInThisContext(cell.code, { filename: request.label }) as Promise<unknown>, interrupted]);
    return { status: 'ok', result: toOutputItems(value) };
  } catch (error) {
    if (error instanceof CellSyntaxError) {
      const stack = `SyntaxError: ${error.message}\n    at ${request.label}:${error.line}:${error.column}`;
      return { status: 'error', error: { name: 'SyntaxError', message: error.message, stack } };
    }
    if (signal.aborted || (error as { code?: string })?.code === 'cancelled') return { status: 'interrupted' };
    return { status: 'error', error: cleanStack(error) };
  } finally {
    stopListening();
  }
}

// Cells run one after another (the host sends one at a time, but a cell's call may still be settling).
let queue: Promise<unknown> = Promise.resolve();
serve(
  parentPortOf('the kernel'),
  kernelProtocol,
  {
    run: (request, call) => {
      const result = queue.then(() => run(request, call));
      queue = result.catch(() => undefined);
      return result;
    },
  },
  { name: 'kernel' },
);

// A promise or timer a cell left behind must not bring the kernel down with the state in it.
process.on('unhandledRejection', (reason) => streamWriter('stderr')(`Unhandled rejection: ${cleanStack(reason).stack}`));
process.on('uncaughtException', (error) => streamWriter('stderr')(`Uncaught exception: ${cleanStack(error).stack}`));
