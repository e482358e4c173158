/**
 * What the extension host needs from the runtime it runs in, so one host (src/extension/activate.ts)
 * serves VS Code desktop and code-server (Node) and VS Code for the Web (a browser's web worker
 * extension host): how its workers start, how many cores a sweep may use, whether memory is shared.
 * The entry point (extension.ts: Node, webExtension.ts: web) builds one and hands it to activate,
 * which installs it here for the host files that start workers (the editors, the controller, panels).
 * No Node or DOM here: the Node platform is src/extension/nodePlatform.ts, the web one webPlatform.ts.
 */
import type { WorkerFactory } from './port';

/** The bundles in dist/ (dist/web/ for the web build) that run as workers of the host. */
export type WorkerBundle = 'computeWorker' | 'editorWorker' | 'parseService' | 'sweepWorker' | 'kernelWorker';

export interface Platform {
  readonly name: 'node' | 'web';
  /**
   * A worker running `bundle`: a worker thread on Node, a Web Worker on the web. `startup` is the
   * worker's settings, JSON-serialisable (only the web kernel reads any).
   */
  worker(bundle: WorkerBundle, startup?: unknown): WorkerFactory;
  /**
   * The parse service: a child process on Node (a V8 abort in a pathological parse must not take the
   * host with it), a Web Worker on the web (a worker's crash there is its own).
   */
  parseService(): WorkerFactory;
  /** Threads a sweep may use when the setting says "one per core". */
  readonly hardwareConcurrency: number;
  /** Files of a `file:` URI can be read from the disk directly (symlinks resolved, FIFOs refused); else only through vscode.workspace.fs. */
  readonly localDisk: boolean;
  /** The text of a file of the extension (a webview bundle to inline), if it is at hand synchronously. */
  bundleText(path: readonly string[]): string | undefined;
}

let current: Platform | undefined;

export function setPlatform(platform: Platform): void {
  current = platform;
}

/** The platform the host was activated with; throws before activation (a bug, not a user's error). */
export function platform(): Platform {
  if (!current) throw new Error('IL Notebooks: the host platform is used before activate() installed it');
  return current;
}
