/**
 * A web build's worker bundle (dist-web/web/*.js: a classic Web Worker script) run in a Node worker
 * thread dressed as a browser's dedicated worker scope: `self`, `postMessage`, `addEventListener`
 * ('message'), `IL_WORKER_STARTUP` (the startup webPlatform.ts gives), `navigator.hardwareConcurrency`, and a
 * `Worker` constructor for the workers it starts itself (the sweep pool), built the same way. No Node
 * global is left where a web bundle could lean on it by mistake: `require`, `process`, `Buffer`,
 * `setImmediate` are removed before the bundle runs. blob: URLs are stood in for by files (a worker's
 * startup script, HiGHS's WebAssembly), which `importScripts`, `fetch` and `Worker` read.
 */
import { Worker } from 'node:worker_threads';
import { startupScript, type WebWorkerLike, type WebWorkerStartup } from '../../src/workers/webWorker';

const PRELUDE = `
const { parentPort, workerData, Worker: NodeWorker } = require('node:worker_threads');
const { readFileSync, writeFileSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runInThisContext } = require('node:vm');
const blobs = mkdtempSync(join(tmpdir(), 'il-blob-'));
let blobCount = 0;
const NodeBuffer = Buffer;
class Blob {
  constructor(parts) { this.bytes = NodeBuffer.concat(parts.map((p) => NodeBuffer.from(p))); }
}
URL.createObjectURL = (blob) => {
  const file = join(blobs, 'blob-' + blobCount++);
  writeFileSync(file, blob.bytes);
  return file;
};
const listeners = new Set();
parentPort.on('message', (data) => { for (const l of listeners) l({ data }); });
const prelude = workerData.prelude;
function webWorkerOf(url) {
  const w = new NodeWorker(prelude, { eval: true, workerData: { prelude, script: url, cores: workerData.cores } });
  const ls = new Set();
  w.on('message', (data) => { for (const l of ls) l({ data }); });
  return {
    postMessage: (m, t) => w.postMessage(m, t),
    addEventListener: (type, l) => { if (type === 'message') ls.add(l); else w.on('error', (e) => l({ message: e.message })); },
    removeEventListener: (type, l) => ls.delete(l),
    terminate: () => void w.terminate(),
  };
}
const scope = {
  navigator: { hardwareConcurrency: workerData.cores },
  crossOriginIsolated: false,
  postMessage: (m, t) => parentPort.postMessage(m, t),
  addEventListener: (type, l) => { if (type === 'message') listeners.add(l); },
  removeEventListener: (type, l) => listeners.delete(l),
  Worker: function (url) { return webWorkerOf(url); },
  Blob,
  location: { href: 'blob:browser-like-worker' },
  WorkerGlobalScope: function WorkerGlobalScope() {},
  importScripts: (...urls) => { for (const url of urls) runInThisContext(readFileSync(url, 'utf8'), { filename: url }); },
  // A response of the file's bytes (Node's own Response needs the Buffer global this scope lacks).
  fetch: async (url) => {
    const bytes = new Uint8Array(readFileSync(String(url)));
    return { ok: true, status: 200, url: String(url), headers: { get: () => (String(url).endsWith('.wasm') ? 'application/wasm' : 'text/plain') }, arrayBuffer: async () => bytes.buffer, text: async () => new TextDecoder().decode(bytes) };
  },
};
const code = workerData.boot ?? readFileSync(workerData.script, 'utf8');
for (const [k, v] of Object.entries(scope)) globalThis[k] = v;
globalThis.self = globalThis;
for (const k of ['require', 'process', 'Buffer', 'setImmediate', 'module', 'exports', '__dirname', '__filename']) {
  try { delete globalThis[k]; } catch {}
  if (k in globalThis) globalThis[k] = undefined;
}
runInThisContext(code, { filename: workerData.script });
`;

/** A Web Worker (as webWorker.ts sees one) running the web bundle `script`, started as webPlatform.ts starts it (startupScript). */
export function browserLikeWorker(script: string, startup: WebWorkerStartup, cores = 2): WebWorkerLike {
  const worker = new Worker(PRELUDE, { eval: true, workerData: { prelude: PRELUDE, script, boot: startupScript(startup, script), cores } });
  const listeners = new Map<(event: { readonly data: unknown }) => void, (data: unknown) => void>();
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    addEventListener: ((type: 'message' | 'error', listener: (event: never) => void) => {
      if (type === 'error') worker.on('error', (error: Error) => (listener as (e: { message?: string }) => void)({ message: error.message }));
      else {
        const l = (data: unknown) => (listener as (e: { data: unknown }) => void)({ data });
        listeners.set(listener as (event: { readonly data: unknown }) => void, l);
        worker.on('message', l);
      }
    }) as WebWorkerLike['addEventListener'],
    removeEventListener: (_type, listener) => {
      const l = listeners.get(listener);
      if (l) worker.off('message', l);
    },
    terminate: () => void worker.terminate(),
  };
}
