/**
 * The HiGHS linear-programming solver (University of Edinburgh; the npm package `highs`, compiled to
 * WebAssembly), loaded once per JavaScript realm: per process, worker thread or browser worker.
 *
 * Why an explicit `await initLp()` rather than loading on first use: the core is synchronous (sweeps
 * call learners in loops, in workers and in notebook cells), but the package's Emscripten factory is an
 * `async function`, so even with the compiled module handed over (`wasmModule`, a synchronous
 * `instantiateWasm`) the runtime only exists after the event loop has run. No synchronous call can
 * bring it up. So every entry point that may solve an LP awaits `initLp()` once before it runs
 * anything (the compute worker and the notebook kernel at start, the sweep pool's workers and the CLI
 * when a sweep's learner needs an LP), and the solvers stay synchronous afterwards; a solver called
 * before that throws CoreError 'lp-not-ready' saying what to do.
 */
// `import … = require`: bundlers then pick the package's CommonJS build, which finds highs.wasm beside
// the bundle through __dirname (its ES build reads import.meta.url, which a CommonJS bundle lacks).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import highsPackage = require('highs');
import { CoreError } from './errors';

type Highs = Awaited<ReturnType<typeof highsPackage.default>>;

/**
 * Where a bundle finds `highs.wasm`, relative to its own folder: scripts/build.mjs defines it for each
 * bundle (dist/ holds one copy, so dist/cli/main.js looks in `../`). Undefined when the sources run
 * directly (tests through tsx), and then the loader finds the file beside itself in node_modules.
 */
declare const IL_HIGHS_WASM: string | undefined;

export interface LpInitOptions {
  /** The bytes of highs.wasm, when the caller has them (a browser bundle that fetched them itself). */
  readonly wasmBinary?: ArrayBuffer | Uint8Array;
  /** Maps the loader's asset name (`highs.wasm`) to a path or URL; the default is beside the bundle. */
  readonly locateFile?: (file: string, scriptDirectory: string) => string;
}

let runtime: Highs | undefined;
/** What `initLp()` uses when its caller gives nothing (setLpDefaults). */
let defaults: LpInitOptions = {};

/**
 * Where this realm's HiGHS comes from when `initLp()` is called without options (by the learners'
 * `prepareLearners`, a sweep's `prepareSweep`): a web worker, which has no folder of its own for
 * `highs.wasm`, sets it once as it starts, and HiGHS still loads only when an LP learner needs it.
 */
export function setLpDefaults(options: LpInitOptions): void {
  defaults = options;
}
let loading: Promise<Highs> | undefined;
/** Why the last load failed, for the 'lp-not-ready' message of a solver called anyway. */
let loadFailure: string | undefined;

function defaultLocateFile(file: string, scriptDirectory: string): string {
  const relative = typeof IL_HIGHS_WASM === 'string' ? IL_HIGHS_WASM : undefined;
  return relative !== undefined && file.endsWith('.wasm') ? scriptDirectory + relative : scriptDirectory + file;
}

/**
 * Loads and instantiates HiGHS once for this realm; later calls return the same promise (and the options
 * of the first call win). After it resolves, `solveLP` and the LP learners (TV-AIL, MIMIC-MD) run
 * synchronously. A failed load is not cached: the next call tries again.
 */
export function initLp(options: LpInitOptions = defaults): Promise<void> {
  loading ??= highsPackage.default({
    // The loader calls locateFile(file, scriptDirectory); its declared type shows only the first.
    locateFile: (options.locateFile ?? defaultLocateFile) as (file: string) => string,
    // This build of the loader reads no `wasmBinary`: the bytes are instantiated through its instantiateWasm hook.
    ...(options.wasmBinary ? { instantiateWasm: instantiateFrom(options.wasmBinary) } : {}),
  }).then(
    (highs) => (runtime = highs),
    (error: unknown) => {
      loading = undefined;
      loadFailure = error instanceof Error ? error.message : String(error);
      throw new CoreError(`the LP solver (HiGHS, WebAssembly) could not be loaded: ${loadFailure}`, 'lp-load');
    },
  );
  return loading.then(() => undefined);
}

interface WasmApi {
  instantiate(bytes: ArrayBuffer | Uint8Array, imports: unknown): Promise<{ instance: unknown }>;
}

/** Emscripten's `instantiateWasm(imports, receive)` over bytes the caller already has. */
function instantiateFrom(bytes: ArrayBuffer | Uint8Array): (imports: unknown, receive: (instance: unknown) => void) => object {
  return (imports, receive) => {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    void wasm.instantiate(bytes, imports).then((result) => receive(result.instance));
    return {};
  };
}

/** True once `initLp()` has resolved in this realm. */
export function lpReady(): boolean {
  return runtime !== undefined;
}

/** The loaded runtime, for lp.ts; a CoreError saying what to do before `initLp()` has resolved. */
export function highsRuntime(who: string): Highs {
  if (runtime) return runtime;
  throw new CoreError(
    loadFailure === undefined
      ? `${who} needs the LP solver, which is not loaded in this process or worker yet: call \`await initLp()\` once before running it`
      : `${who} needs the LP solver, which failed to load here: ${loadFailure}`,
    'lp-not-ready',
  );
}
