/**
 * The notebook kernel: one worker thread per notebook that runs cells in its own realm, keeping state
 * from cell to cell. Cells see the core as `il`, `load()` for .ilmdp files beside the notebook,
 * `display()` for rich output and a `console` that streams to the cell's output.
 *
 * Interrupts: the host sets a shared flag (sweeps and DAgger check it through `il`'s default signal)
 * and sends an interrupt message (a cell awaiting something stops at once, and so does a sweep in
 * `il.parallel`'s pool); a cell that never yields is stopped by the host terminating this worker, which
 * ends the pool's threads too.
 */
import { Console } from 'node:console';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { formatWithOptions } from 'node:util';
import { runInThisContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { loadIlmdp } from '../../ilmdp/load';
import { isKernelRequest, type KernelResponse, type KernelWorkerData, type RunRequest } from '../../shared/kernelProtocol';
import { CellSyntaxError, transformCell, type TransformedCell } from './cellTransform';
import { Markdown, toOutputItems } from './display';
import { createKernelIl, type Display, type Load } from './kernelApi';
import { createParallelSweeps } from './parallelSweeps';

const port = parentPort;
if (!port) throw new Error('the kernel must run in a worker thread');
const data = workerData as KernelWorkerData;
const interruptFlag = new Int32Array(data.interruptFlag);

/** Passed to long core computations so that an interrupt stops them between datasets. */
const interruptSignal = {
  get aborted(): boolean {
    return Atomics.load(interruptFlag, 0) !== 0;
  },
};

let currentId = 0;
const cells = new Map<string, TransformedCell>();
const interruptHandlers = new Map<number, (error: Error) => void>();

function send(message: KernelResponse): void {
  port!.postMessage(message);
}

function streamWriter(stream: 'stdout' | 'stderr') {
  return (...args: unknown[]) => send({ type: 'stream', id: currentId, stream, text: `${formatWithOptions({ colors: false, depth: 4 }, ...args)}\n` });
}

/** A stream whose every write goes to the running cell's output at once. */
function cellStream(stream: 'stdout' | 'stderr'): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      send({ type: 'stream', id: currentId, stream, text: chunk.toString() });
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
    if (items.length > 0) send({ type: 'display', id: currentId, items });
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

async function run(request: RunRequest): Promise<void> {
  // The host clears the flag before it sends the run, so an interrupt that overtakes the run still counts.
  currentId = request.id;
  try {
    if (interruptSignal.aborted) throw Object.assign(new Error('the cell was interrupted before it started'), { name: 'Interrupted' });
    const cell = transformCell(request.source, request.language);
    cells.set(request.label, cell);
    const interrupted = new Promise<never>((_, reject) => interruptHandlers.set(request.id, reject));
    const value: unknown = await Promise.race([runInThisContext(cell.code, { filename: request.label }) as Promise<unknown>, interrupted]);
    send({ type: 'done', id: request.id, result: toOutputItems(value) });
  } catch (error) {
    if (error instanceof CellSyntaxError) {
      const stack = `SyntaxError: ${error.message}\n    at ${request.label}:${error.line}:${error.column}`;
      send({ type: 'error', id: request.id, error: { name: 'SyntaxError', message: error.message, stack } });
    } else {
      const interrupted = interruptSignal.aborted || (error as { code?: string })?.code === 'cancelled';
      send({ type: 'error', id: request.id, error: cleanStack(error), ...(interrupted ? { interrupted: true } : {}) });
    }
  } finally {
    interruptHandlers.delete(request.id);
  }
}

let queue = Promise.resolve();
port.on('message', (message: unknown) => {
  if (!isKernelRequest(message)) return;
  if (message.type === 'interrupt') {
    // The host has already raised the shared flag. Raising it here too would be wrong when this message
    // arrives late (after a synchronous sweep stopped on the flag): the host may have cleared it for the
    // next cell, which would then be "interrupted before it started".
    const error = new Error('the cell was interrupted');
    error.name = 'Interrupted';
    const interruptCell = interruptHandlers.get(message.id);
    if (!interruptCell) return;
    // A pooled sweep would otherwise run on until its current slices end (the flag is read between them).
    parallel.cancel();
    interruptCell(error);
    return;
  }
  queue = queue.then(() => run(message));
});

// A promise or timer a cell left behind must not bring the kernel down with the state in it.
process.on('unhandledRejection', (reason) => streamWriter('stderr')(`Unhandled rejection: ${cleanStack(reason).stack}`));
process.on('uncaughtException', (error) => streamWriter('stderr')(`Uncaught exception: ${cleanStack(error).stack}`));

send({ type: 'ready' });
