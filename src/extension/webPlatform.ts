/**
 * The host's platform in VS Code for the Web's web worker extension host: every worker is a Web Worker
 * (the parse service too: there are no processes), started from the bundle's text as a blob: URL (the
 * extension's files are served from another origin than the host's, and a worker script must be
 * same-origin), cores from `navigator.hardwareConcurrency`, files only through vscode.workspace.fs.
 * Shared memory only under cross-origin isolation; elsewhere calls are cancelled by message, and a
 * worker deaf to it (a runaway cell) is terminated.
 */
import * as vscode from 'vscode';
import type { Platform, WorkerBundle } from '../workers/platform';
import { startupScript, webWorker, type WebWorkerLike } from '../workers/webWorker';

/** What this file needs of a browser worker's globals (src/ has no DOM library). */
interface WebGlobals {
  readonly navigator?: { readonly hardwareConcurrency?: number };
  readonly crossOriginIsolated?: boolean;
  readonly Worker: new (url: string, options?: { name?: string }) => WebWorkerLike;
  readonly Blob: new (parts: (string | Uint8Array)[], options: { type: string }) => object;
  readonly URL: { createObjectURL(blob: object): string };
  fetch(url: string): Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
}
const web = globalThis as unknown as WebGlobals;

async function readExtensionFile(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    // An extension served over http(s) (vscode.dev's marketplace) may be no file system's.
    const response = await web.fetch(uri.toString(true));
    if (!response.ok) throw new Error(`${uri.toString(true)}: HTTP ${response.status}`);
    return new TextEncoder().encode(await response.text());
  }
}

/**
 * A Worker whose script is still being fetched: messages and listeners wait for it, so the RPC layer
 * (which starts workers synchronously) sees a worker at once.
 */
function deferredWorker(script: Promise<string>, onFail: (message: string) => void): WebWorkerLike {
  let worker: WebWorkerLike | undefined;
  let terminated = false;
  const pending: [unknown, ArrayBuffer[]][] = [];
  const listeners: ['message' | 'error', (event: never) => void][] = [];
  const errorListeners: ((event: { readonly message?: string }) => void)[] = [];
  script.then(
    (url) => {
      if (terminated) return;
      worker = new web.Worker(url);
      for (const [type, l] of listeners) worker.addEventListener(type as 'message', l as (event: { readonly data: unknown }) => void);
      for (const [message, transfer] of pending.splice(0)) worker.postMessage(message, transfer);
    },
    (error: unknown) => {
      const message = `the worker's script could not be read: ${error instanceof Error ? error.message : String(error)}`;
      onFail(message);
      for (const l of errorListeners) l({ message });
    },
  );
  return {
    postMessage: (message, transfer) => (worker ? worker.postMessage(message, transfer) : void pending.push([message, transfer])),
    addEventListener: (type: 'message' | 'error', listener: (event: never) => void) => {
      if (type === 'error') errorListeners.push(listener as (event: { readonly message?: string }) => void);
      listeners.push([type, listener]);
      worker?.addEventListener(type as 'message', listener as (event: { readonly data: unknown }) => void);
    },
    removeEventListener: (type, listener) => {
      const i = listeners.findIndex(([t, l]) => t === type && l === listener);
      if (i >= 0) listeners.splice(i, 1);
      worker?.removeEventListener(type, listener);
    },
    terminate: () => {
      terminated = true;
      worker?.terminate();
    },
  } as WebWorkerLike;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface WebPlatform extends Platform {
  /** Fetches the bundles (workers and inlined webviews) so that the first worker and panel need not wait. */
  readonly ready: Promise<void>;
}

export function webPlatform(extensionUri: vscode.Uri, log: (line: string) => void): WebPlatform {
  const urls = new Map<string, Promise<string>>();
  const blobUrl = (path: string[], type: string): Promise<string> => {
    const key = path.join('/');
    let url = urls.get(key);
    if (!url) {
      url = readExtensionFile(vscode.Uri.joinPath(extensionUri, ...path)).then((bytes) => {
        texts.set(key, new TextDecoder().decode(bytes));
        return web.URL.createObjectURL(new web.Blob([new TextDecoder().decode(bytes)], { type }));
      });
      urls.set(key, url);
    }
    return url;
  };
  const texts = new Map<string, string>();
  const script = (bundle: WorkerBundle) => blobUrl(['dist', 'web', `${bundle}.js`], 'text/javascript');
  // HiGHS's WebAssembly for the workers that solve LPs, as a script (webHighs.ts says why); without it they run all but TV-AIL and MIMIC-MD.
  let highs: Promise<string | undefined> | undefined;
  const highsScript = () =>
    (highs ??= readExtensionFile(vscode.Uri.joinPath(extensionUri, 'dist', 'highs.wasm')).then(
      (bytes) => web.URL.createObjectURL(new web.Blob([`self.IL_HIGHS_WASM = "${base64(bytes)}";\n`], { type: 'text/javascript' })),
      (error: unknown) => (log(`IL Notebooks: HiGHS (highs.wasm) could not be read, so TV-AIL and MIMIC-MD will not run: ${error instanceof Error ? error.message : String(error)}`), undefined),
    ));
  const hardwareConcurrency = Math.max(1, web.navigator?.hardwareConcurrency ?? 1);
  const shares = web.crossOriginIsolated === true;
  const start = (bundle: WorkerBundle, startup?: unknown) =>
    webWorker(() => {
      // The compute worker and the kernel start sweep-pool workers of their own, from this URL.
      const solves = bundle === 'computeWorker' || bundle === 'kernelWorker';
      const nested = solves ? Promise.all([script('sweepWorker'), highsScript()]) : Promise.resolve([undefined, undefined] as const);
      const ready = Promise.all([script(bundle), nested]).then(([url, [sweepWorkerUrl, highsScriptUrl]]) => {
        const text = startupScript(
          { ...(startup !== undefined ? { startup } : {}), ...(sweepWorkerUrl ? { sweepWorkerUrl } : {}), ...(highsScriptUrl ? { highsScriptUrl } : {}), hardwareConcurrency },
          url,
        );
        return web.URL.createObjectURL(new web.Blob([text], { type: 'text/javascript' }));
      });
      return deferredWorker(ready, (message) => log(`IL Notebooks: ${bundle}: ${message}`));
    }, shares);
  const bundles = [['dist', 'webview', 'mdpEditor.js'], ['dist', 'webview', 'panel.js'], ['media', 'mdpEditor.css'], ['media', 'panel.css']];
  const ready = Promise.all([script('parseService'), script('editorWorker'), script('computeWorker'), script('sweepWorker'), script('kernelWorker'), ...bundles.map((b) => blobUrl(b, 'text/plain'))]).then(
    () => undefined,
    (error: unknown) => log(`IL Notebooks: the web build could not read its bundles: ${error instanceof Error ? error.message : String(error)}`),
  );
  return {
    name: 'web',
    worker: start,
    parseService: () => start('parseService'),
    hardwareConcurrency,
    localDisk: false,
    // Inlined pages (restored panels) need their bundle's text now; until it has been fetched they link it instead.
    bundleText: (path) => texts.get(path.join('/')),
    ready,
  };
}
