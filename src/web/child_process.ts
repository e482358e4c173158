/**
 * `node:child_process` for the web build: there are no processes. Only the Node kernel's starter
 * (src/notebook/kernelProcess.ts, reached through the CLI runner's helpers the controller shares) names
 * it, and the web entry point never calls that: its kernel is a Web Worker (src/extension/webKernel.ts).
 */
export function fork(): never {
  throw new Error('the web build has no child processes: its workers are Web Workers');
}
export default { fork };
