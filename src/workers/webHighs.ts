/**
 * HiGHS in a web worker: its WebAssembly comes from the host as a script that sets
 * `IL_HIGHS_WASM` (base64), loaded before the worker's bundle (webWorker.ts's startupScript). Fetching a
 * blob: URL of the bytes fails in VS Code's web worker extension host (Chromium refuses the nested
 * worker's request), while importScripts of a blob: script works. Decoded only when an LP learner first
 * calls `initLp()`, so a worker that never solves one never pays for it.
 */
import { setLpDefaults } from '../core/highs';

export function useHostHighs(scope: { readonly IL_HIGHS_WASM?: unknown }): void {
  const base64 = scope.IL_HIGHS_WASM;
  if (typeof base64 !== 'string') return;
  let bytes: Uint8Array | undefined;
  setLpDefaults({
    get wasmBinary(): Uint8Array {
      if (!bytes) {
        const binary = atob(base64);
        bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      }
      return bytes;
    },
  });
}
