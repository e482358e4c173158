/**
 * The notebook kernel: one Node process per notebook that runs cells in its realm, keeping state from
 * cell to cell. Cells see the core as `il`, `load()` for .ilmdp files (relative to the notebook, their
 * dataset files only from where the host's policy allows: KernelWorkerData.datasetFiles), `display()`
 * for rich output, a `console` (and `process.stdout`/`stderr`) that stream to the cell's output, and
 * `require()` / `await import()` resolved from the notebook's folder.
 *
 * It is a process of its own so that whatever a cell does to it (`process.exit()`, a signal, an abort,
 * a native out-of-memory) ends the kernel and never the editor or the CLI that started it.
 *
 * Interrupts: an awaiting cell (and a sweep in `il.parallel`'s pool) stops on the run call's cancel
 * message. A cell busy in synchronous code reads no messages, so the host also sends SIGINT, which
 * `breakOnSigint` turns into an error here with the state kept; that covers the cell's synchronous part
 * only (what runs after an `await` is outside runInThisContext), and the host terminates a kernel that
 * is still busy after the grace period.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Console } from 'node:console';
import { createRequire, isBuiltin } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { initLp } from '../../core/highs';
import { loadIlmdp } from '../../ilmdp/load';
import { isKernelWorkerData, kernelProtocol, KERNEL_LATE_OUTPUT, KERNEL_OVER_MEMORY, type CellResult, type KernelEvent, type KernelWorkerData, type LateOutput, type RunRequest } from '../../shared/kernelProtocol';
import { processPort } from '../../workers/childProcess';
import { serve, type CallContext, type CancelSignal } from '../../workers/serve';
import { CellSyntaxError, transformCell, type TransformedCell } from './cellTransform';
import { cleanCellStack } from './cellStack';
import { toOutputItems } from './display';
import { createKernelIl, type Load } from './kernelApi';
import { createDisplay, kernelHandlers } from './kernelHandlers';
import { createParallelSweeps } from './parallelSweeps';
import { takeBaseline } from './variableSummary';

function startupData(): KernelWorkerData {
  const data: unknown = JSON.parse(process.argv[2] ?? 'null');
  if (!isKernelWorkerData(data)) throw new Error('the kernel must be started by the kernel client (kernelProcess), with its settings as its argument');
  return data;
}
const data = startupData();

/** One run of a cell: its call (the cancel signal is the interrupt, emit the cell's output) and its label. */
interface CellRun {
  readonly label: string;
  readonly call: CallContext<KernelEvent>;
  /** Bytes of output its code wrote after it had ended, reported so far (LATE_OUTPUT_MAX_BYTES). */
  lateBytes: number;
}

/** The running cell, if any. */
let current: CellRun | undefined;
/** Which run a callback, timer or promise belongs to: the cell that created it, even after it ended. */
const cellContext = new AsyncLocalStorage<CellRun>();
/** Kernel messages that came while no cell ran; the next cell shows them first. */
let pendingNotes: string[] = [];

/** Passed to long core computations so that an interrupt stops them between datasets. */
const interruptSignal = {
  get aborted(): boolean {
    return current?.call.signal.aborted ?? false;
  },
};

const cells = new Map<string, TransformedCell>();

// Before the cells' streams replace it: the process's own stderr, which the host reads line by line.
const processStderr = process.stderr.write.bind(process.stderr) as (text: string) => boolean;

/**
 * How much output one cell run's leftover code (a `setInterval` that logs) may report after the cell
 * ended: the host must not be flooded by a timer no one stops.
 */
const LATE_OUTPUT_MAX_BYTES = 64 * 1024;

function reportLate(origin: CellRun | undefined, stream: LateOutput['stream'], text: string): void {
  if (origin) {
    if (origin.lateBytes >= LATE_OUTPUT_MAX_BYTES) return;
    origin.lateBytes += Buffer.byteLength(text);
    if (origin.lateBytes >= LATE_OUTPUT_MAX_BYTES) text = `${text}${text.endsWith('\n') ? '' : '\n'}… more output after ${origin.label} ended is dropped (it passed ${LATE_OUTPUT_MAX_BYTES} bytes); restart the kernel to stop the code that writes it\n`;
  }
  const late: LateOutput = { ...(origin ? { cell: origin.label } : {}), stream, text };
  processStderr(`${KERNEL_LATE_OUTPUT} ${JSON.stringify(late)}\n`);
}

/**
 * Output goes to the cell whose code wrote it (AsyncLocalStorage follows its timers and promises), while
 * that cell runs. Code of a cell that has ended (a timer's console.log) has no output to go to, and
 * putting it in whichever cell runs now would make that cell's saved output depend on timing: it is a
 * labelled kernel message instead (reportLate). Code with no cell of its own (the kernel's) writes to
 * the running cell.
 */
function send(event: KernelEvent): void {
  const origin = cellContext.getStore();
  if (current && (origin === undefined || origin === current)) {
    current.call.emit(event);
    return;
  }
  if (event.type === 'stream') reportLate(origin, event.stream, event.text);
  else reportLate(origin, 'stdout', `${event.items.find((i) => i.mime === 'text/plain')?.data ?? `[a display of ${event.items.map((i) => i.mime).join(', ')}]`}\n`);
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
const parallel = createParallelSweeps(interruptSignal, join(__dirname, 'sweepWorker.js'), data.sweepWorkers);
const il = createKernelIl(interruptSignal, parallel.api);

const display = createDisplay(send);
// The dataset files an .ilmdp names are data someone may have handed over with it: read only from where
// the editor would read them (the policy comes from the host, which knows the workspace and settings).
const load: Load = (path) => loadIlmdp(resolve(data.cwd, String(path)), undefined, { files: data.datasetFiles });

// Modules resolve from the notebook's folder, as they would for a script saved beside it.
const notebookRequire = createRequire(join(data.cwd, 'notebook.js'));

/** `import()` in a cell (vm has no loader of its own for it; the kernel runs with --experimental-vm-modules). */
function importFromNotebook(specifier: string): Promise<unknown> {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return import(pathToFileURL(resolve(data.cwd, specifier)).href);
  if (isBuiltin(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) return import(specifier);
  let target = specifier;
  try {
    target = pathToFileURL(notebookRequire.resolve(specifier)).href;
  } catch {
    // An ESM-only package has no "require" export: let import() resolve it (from the kernel's own folder).
  }
  return import(target);
}

Object.assign(globalThis, { il, display, load, console: kernelConsole, require: notebookRequire });
// What the realm holds before any cell: the Variables view lists only what cells add or replace.
const baseline = takeBaseline(globalThis);

// A cell writing to process.stdout/stderr (directly, or through Node's warnings) is heard in its output.
for (const stream of ['stdout', 'stderr'] as const) {
  const target = process[stream];
  target.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), done?: (e?: Error | null) => void) => {
    send({ type: 'stream', stream, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8') });
    (typeof encoding === 'function' ? encoding : done)?.();
    return true;
  }) as typeof target.write;
}

/** Keeps the frames that point into cells (with their real columns) and drops the kernel's own. */
const cleanStack = (error: unknown) => cleanCellStack(error, cells, (l) => l.replace(/at async (cell [^:()]+:)/, 'at $1').replace(/\s*at (?:async )?\(?<anonymous>\)?$/, ''));

function interruptedError(message: string): Error {
  return Object.assign(new Error(message), { name: 'Interrupted' });
}

/** Where an error that no cell caught goes: its own cell while that runs, else a labelled kernel note. */
function reportStray(kind: string, error: unknown): void {
  const origin = cellContext.getStore();
  const stack = cleanStack(error).stack;
  if (current && origin === current) {
    send({ type: 'stream', stream: 'stderr', text: `${kind}: ${stack}\n` });
    return;
  }
  const from = origin ? `${origin.label}, after it had ended` : 'no cell';
  const note = `Kernel: ${kind.toLowerCase()} from ${from}:\n${stack}\n`;
  if (current) current.call.emit({ type: 'stream', stream: 'stderr', text: note });
  else pendingNotes.push(note);
}

/** Lets the cell's last microtasks report their unhandled rejections while it is still the running cell. */
const settle = () => new Promise<void>((r) => setImmediate(r));

async function run(request: RunRequest, call: CallContext<KernelEvent>): Promise<CellResult> {
  const cellRun: CellRun = { label: request.label, call, lateBytes: 0 };
  current = cellRun;
  const signal: CancelSignal = call.signal;
  let stopListening = () => {};
  for (const note of pendingNotes) call.emit({ type: 'stream', stream: 'stderr', text: note });
  pendingNotes = [];
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
    const script = cellContext.run(cellRun, () =>
      runInThisContext(cell.code, {
        filename: request.label,
        breakOnSigint: true,
        // vm's types want a vm.Module; a module namespace is what Node accepts too.
        importModuleDynamically: importFromNotebook as unknown as NonNullable<Parameters<typeof runInThisContext>[1] & object>['importModuleDynamically'],
      }),
    ) as Promise<unknown>;
    const value: unknown = await Promise.race([script, interrupted]);
    await settle();
    return { status: 'ok', result: toOutputItems(value) };
  } catch (error) {
    await settle();
    // SIGINT broke the cell's synchronous code (breakOnSigint): everything it had set before is kept.
    if ((error as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') return { status: 'interrupted' };
    if (error instanceof CellSyntaxError) {
      const stack = `SyntaxError: ${error.message}\n    at ${request.label}:${error.line}:${error.column}`;
      return { status: 'error', error: { name: 'SyntaxError', message: error.message, stack } };
    }
    if (signal.aborted || (error as { code?: string })?.code === 'cancelled') return { status: 'interrupted' };
    return { status: 'error', error: cleanStack(error) };
  } finally {
    stopListening();
    if (current === cellRun) current = undefined;
  }
}

// Cells call the LP learners synchronously (il.tvAil, il.gapVsHorizon with algorithm 'tv-ail'), so HiGHS
// is loaded as the kernel starts and the first cell waits for it. A failed load does not stop the
// kernel: cells that solve no LP run, and one that does gets the load's reason ('lp-not-ready').
const lpLoaded = initLp().catch(() => undefined);

serve(processPort('the kernel'), kernelProtocol, kernelHandlers(run, lpLoaded, baseline), { name: 'kernel' });

// A promise or timer a cell left behind must not bring the kernel down with the state in it.
process.on('unhandledRejection', (reason) => reportStray('Unhandled promise rejection', reason));
process.on('uncaughtException', (error) => reportStray('Uncaught exception', error));
// SIGINT is the host's interrupt: inside a cell's synchronous code breakOnSigint takes it; anywhere else
// (an idle kernel, a cell that awaits and hears the cancel message) it must not end the process.
process.on('SIGINT', () => undefined);
// Without its host the kernel has no one to answer: end with it.
process.on('disconnect', () => process.exit(0));

/**
 * The watch on the kernel from a thread of its own, which runs while a cell keeps the main thread
 * busy: resident memory beyond the limit (typed arrays live outside the V8 heap that
 * --max-old-space-size caps), and a host that died without a word (the disconnect above is never
 * heard by a kernel stuck in a loop). Either ends the process with SIGKILL; the line on stderr tells the
 * host which it was.
 */
const WATCHDOG = `
const { workerData: w } = require('node:worker_threads');
const { writeSync } = require('node:fs');
setInterval(() => {
  if (process.ppid !== w.ppid) process.kill(process.pid, 'SIGKILL');
  const rss = process.memoryUsage.rss();
  if (rss > w.limitBytes) {
    writeSync(2, w.marker + ' ' + Math.round(rss / 1048576) + ' MB\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, w.intervalMs);
`;
const WATCH_INTERVAL_MS = 100;
new Worker(WATCHDOG, {
  eval: true,
  // What the kernel holds once started (Node, the core) is not the cells' memory.
  workerData: { ppid: process.ppid, limitBytes: process.memoryUsage.rss() + data.residentLimitMb * 2 ** 20, marker: KERNEL_OVER_MEMORY, intervalMs: WATCH_INTERVAL_MS },
  stdout: false,
  stderr: false,
}).unref();
