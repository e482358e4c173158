/**
 * The notebook kernel of the web build: a Web Worker per notebook (VS Code for the Web has no
 * processes) running cells in its global scope, state kept from cell to cell, with the same `il`,
 * `display()` and cell transform as the Node kernel (kernelWorker.ts). What the web lacks, it says:
 *  - `load("x.ilmdp")` reads the texts the host read through vscode.workspace.fs and sent with the
 *    cell (RunRequest.files); a file the host did not send is an error that says so.
 *  - no `require()` or `import()` of the notebook's modules, no `process`;
 *  - no memory watch: the browser ends a worker that exhausts its memory, which the host hears as the
 *    worker's error (kernel died), and a runaway cell is stopped by terminating the worker (the host's
 *    interrupt grace), the outcome saying its state was lost;
 *  - interrupts by message (a cell that awaits, a sweep between datasets via the cancel board when the
 *    page is cross-origin isolated); synchronous code cannot be broken without losing the worker;
 *  - `il.parallel` on a pool of Web Workers (navigator.hardwareConcurrency), the same bits as in-thread.
 */
import { loadIlmdp } from '../../ilmdp/load';
import { isKernelWorkerData, kernelProtocol, type CellResult, type KernelEvent, type KernelWorkerData, type RunRequest } from '../../shared/kernelProtocol';
import { serve, type CallContext, type CancelSignal } from '../../workers/serve';
import { initLp } from '../../core/highs';
import { useHostHighs } from '../../workers/webHighs';
import { nestedSweepWorkers, scopePort, scopeStartup, webWorker, type WebWorkerLike } from '../../workers/webWorker';
import { format } from 'node:util';
import { CellSyntaxError, transformCell, type TransformedCell } from './cellTransform';
import { cleanCellStack } from './cellStack';
import { toOutputItems } from './display';
import { createKernelIl, type Load } from './kernelApi';
import { createDisplay, kernelHandlers } from './kernelHandlers';
import { kernelPath } from './loadPaths';
import { createParallelSweepsOn } from './parallelApi';
import { takeBaseline } from './variableSummary';

const scope = globalThis as unknown as Parameters<typeof scopePort>[0] & {
  readonly IL_WORKER_STARTUP?: unknown;
  readonly IL_HIGHS_WASM?: unknown;
  readonly Worker?: new (url: string) => WebWorkerLike;
  addEventListener(type: 'unhandledrejection', listener: (event: { reason: unknown; preventDefault(): void }) => void): void;
};
const startup = scopeStartup(scope);

function startupData(): KernelWorkerData {
  if (!isKernelWorkerData(startup.startup)) throw new Error('the web kernel must be started by the host (webExtension.ts), with its settings');
  return startup.startup;
}
const data = startupData();

interface CellRun {
  readonly label: string;
  readonly call: CallContext<KernelEvent>;
  readonly files: Readonly<Record<string, string>>;
}

let current: CellRun | undefined;
const cells = new Map<string, TransformedCell>();

const interruptSignal = {
  get aborted(): boolean {
    return current?.call.signal.aborted ?? false;
  },
};

/** Output goes to the running cell; with no cell running (a timer of an ended cell) there is no output to go to, and it is dropped. */
function send(event: KernelEvent): void {
  current?.call.emit(event);
}

const write = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => send({ type: 'stream', stream, text: `${format(...args)}\n` });
const counts = new Map<string, number>();
const kernelConsole = {
  log: write('stdout'),
  info: write('stdout'),
  debug: write('stdout'),
  warn: write('stderr'),
  error: write('stderr'),
  dir: (value: unknown) => write('stdout')(value),
  table: (value: unknown) => write('stdout')(value),
  count: (label = 'default') => {
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    write('stdout')(`${label}: ${n}`);
  },
  assert: (condition: unknown, ...args: unknown[]) => {
    if (!condition) write('stderr')('Assertion failed', ...args);
  },
};

const parallel = createParallelSweepsOn(interruptSignal, webWorker(nestedSweepWorkers(startup, scope)), data.sweepWorkers ?? startup.hardwareConcurrency);
const il = createKernelIl(interruptSignal, parallel.api);

const display = createDisplay(send);

const load: Load = (path) => {
  const files = current?.files ?? {};
  return loadIlmdp(kernelPath(data.cwd, String(path)), (file) => {
    const text = files[file];
    if (text === undefined) {
      throw new Error(`the web kernel reads only the files the editor sends with the cell: write load("…") with the path as a string literal in the cell that loads it`);
    }
    return text;
  }, {
    files: data.datasetFiles,
    // The host read the dataset files the editor may read (its policy) and sent them with the cell.
    readDatasetFile: (baseDir, written) => {
      const path = kernelPath(baseDir, written);
      const text = files[path];
      if (text !== undefined) return { ok: true, path, text };
      return { ok: false, reason: 'missing', message: `${written} was not read: it is not beside this file, or it is outside ${data.datasetFiles.rootsLabel} (${data.datasetFiles.howToAllow})` };
    },
  });
};

function noRequire(): never {
  throw new Error('require() is not available in the web build of the IL kernel (VS Code for the Web): the core is `il`, and files come through load()');
}

Object.assign(globalThis, { il, display, load, console: kernelConsole, require: noRequire });
const baseline = takeBaseline(globalThis);

/** Keeps the frames that point into cells (with their real columns), as the Node kernel does. */
const cleanStack = (error: unknown) => cleanCellStack(error, cells, (l) => l.replace(/at (?:async )?eval \((cell [^:()]+:\d+:\d+)\)/, 'at $1'));

function interruptedError(message: string): Error {
  return Object.assign(new Error(message), { name: 'Interrupted' });
}

const settle = () => new Promise<void>((r) => setTimeout(r, 0));
// Indirect eval: the cell runs in the worker's global scope, so what it defines stays for the next cell.
const globalEval = globalThis.eval as (code: string) => unknown;

async function run(request: RunRequest, call: CallContext<KernelEvent>): Promise<CellResult> {
  const cellRun: CellRun = { label: request.label, call, files: request.files ?? {} };
  current = cellRun;
  const signal: CancelSignal = call.signal;
  let stopListening = () => {};
  try {
    if (signal.aborted) throw interruptedError('the cell was interrupted before it started');
    const cell = transformCell(request.source, request.language);
    cells.set(request.label, cell);
    const interrupted = new Promise<never>((_, reject) => {
      stopListening = signal.onAbort(() => {
        parallel.cancel();
        reject(interruptedError('the cell was interrupted'));
      });
    });
    const script = globalEval(`${cell.code}\n//# sourceURL=${request.label}`) as Promise<unknown>;
    const value: unknown = await Promise.race([script, interrupted]);
    await settle();
    return { status: 'ok', result: toOutputItems(value) };
  } catch (error) {
    await settle();
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

// As in the Node kernel, HiGHS is loaded as the kernel starts (cells call the LP learners synchronously),
// from the host's copy (webHighs.ts); a failed load leaves the LP learners saying why ('lp-not-ready').
useHostHighs(scope);
const lpLoaded = startup.highsScriptUrl ? initLp().catch(() => undefined) : Promise.resolve();
serve(scopePort(scope), kernelProtocol, kernelHandlers(run, lpLoaded, baseline), { name: 'kernel' });

// A promise a cell left behind must not end the worker (and the state in it).
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  send({ type: 'stream', stream: 'stderr', text: `Unhandled promise rejection: ${cleanStack(event.reason).stack}\n` });
});
