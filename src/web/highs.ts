/**
 * The `highs` package for the web build, until its WebAssembly is handed to the web workers: loading it
 * fails with a reason, so TV-AIL and MIMIC-MD say 'lp-not-ready' with that reason while everything
 * else runs (src/core/highs.ts caches no failure: a later build can load it for real).
 */
const unavailable = (): Promise<never> => Promise.reject(new Error('the web build does not load HiGHS yet; run TV-AIL and MIMIC-MD in VS Code desktop or the CLI'));
export default unavailable;
