/**
 * The Port of a browser's Web Worker (and of any object shaped like one, such as a MessagePort): a
 * host starts workers with `webWorker(() => new Worker(url))`, a worker serves on `scopePort(self)`.
 * Typed structurally, so this file needs neither the DOM library nor Node's.
 */
import type { Port, WorkerExit, WorkerFactory, WorkerHandle } from './port';

interface MessageTarget {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

export interface WebWorkerLike extends MessageTarget {
  addEventListener(type: 'error', listener: (event: { readonly message?: string }) => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  terminate(): void;
}

function portOf(target: MessageTarget): Port {
  return {
    post: (message, transfer) => target.postMessage(message, [...(transfer ?? [])]),
    listen: (listener) => {
      const onMessage = (event: { readonly data: unknown }) => listener(event.data);
      target.addEventListener('message', onMessage);
      return () => target.removeEventListener('message', onMessage);
    },
  };
}

/**
 * A factory of Web Workers. Shared memory reaches them only in a cross-origin isolated page; elsewhere
 * calls are cancelled by message alone (and a worker deaf to it by terminating it).
 */
export function webWorker(create: () => WebWorkerLike, sharesMemory = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true): WorkerFactory {
  return () => {
    const worker = create();
    let done = false;
    const listeners: ((exit: WorkerExit) => void)[] = [];
    // A Web Worker has no exit event: an uncaught error is the end it reports (and the host then replaces it).
    worker.addEventListener('error', (event) => {
      if (done) return;
      done = true;
      for (const l of listeners) l({ reason: 'error', message: event.message ?? 'the worker failed' });
    });
    const handle: WorkerHandle = {
      ...portOf(worker),
      sharesMemory,
      onExit: (listener) => void listeners.push(listener),
      terminate: async () => {
        done = true;
        worker.terminate();
      },
    };
    return handle;
  };
}

/** The worker's side: its global scope (`self`), or a MessagePort that has been started. */
export function scopePort(scope: MessageTarget): Port {
  return portOf(scope);
}

/**
 * What a host tells a Web Worker as it starts (it must be there before the first message): its
 * settings, the workers it may start itself, the cores. A worker's `name` cannot carry it, since VS
 * Code's web worker extension host renames the workers an extension starts; the host starts a small
 * script that sets `IL_WORKER_STARTUP` and then loads the bundle (webPlatform.ts).
 */
export interface WebWorkerStartup {
  readonly startup?: unknown;
  /** blob: URL of the sweep-pool worker, for the compute worker's and the kernel's pools. */
  readonly sweepWorkerUrl?: string;
  /** blob: URL of the script that hands over HiGHS's WebAssembly (webHighs.ts), for the workers that may solve LPs. */
  readonly highsScriptUrl?: string;
  readonly hardwareConcurrency: number;
}

/** The worker's side: what its host told it (webWorker's startup); a bare default for a worker started without. */
export function scopeStartup(scope: { readonly IL_WORKER_STARTUP?: unknown }): WebWorkerStartup {
  const startup = scope.IL_WORKER_STARTUP;
  if (typeof startup === 'object' && startup !== null && typeof (startup as WebWorkerStartup).hardwareConcurrency === 'number') return startup as WebWorkerStartup;
  return { hardwareConcurrency: 1 };
}

/**
 * A factory of the sweep-pool workers a web worker starts itself (the compute worker's and the kernel's
 * pools), each told where HiGHS is.
 */
export function nestedSweepWorkers(startup: WebWorkerStartup, scope: { readonly Worker?: new (url: string) => WebWorkerLike }): () => WebWorkerLike {
  const web = globalThis as unknown as { Blob: new (parts: string[], options: { type: string }) => object; URL: { createObjectURL(blob: object): string } };
  let url: string | undefined;
  return () => {
    if (!startup.sweepWorkerUrl || !scope.Worker) throw new Error('this worker was started without a sweep worker to pool (webPlatform.ts hands its URL over)');
    const nested: WebWorkerStartup = { hardwareConcurrency: startup.hardwareConcurrency, ...(startup.highsScriptUrl ? { highsScriptUrl: startup.highsScriptUrl } : {}) };
    url ??= web.URL.createObjectURL(new web.Blob([startupScript(nested, startup.sweepWorkerUrl)], { type: 'text/javascript' }));
    return new scope.Worker(url);
  };
}

/** The script that starts a worker: its startup, HiGHS's script when it has one, then the bundle at `bundleUrl` (blob: URLs). */
export function startupScript(startup: WebWorkerStartup, bundleUrl: string): string {
  const scripts = [...(startup.highsScriptUrl ? [startup.highsScriptUrl] : []), bundleUrl];
  return `self.IL_WORKER_STARTUP = ${JSON.stringify(startup)};\nimportScripts(${scripts.map((s) => JSON.stringify(s)).join(', ')});\n`;
}
