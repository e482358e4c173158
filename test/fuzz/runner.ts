/**
 * One runner for every fuzz suite: a suite is an arbitrary of inputs and a check that throws when an
 * invariant breaks (and returns the diagnostic codes it saw, for the counts). `npm test` runs each suite
 * a few hundred times from a fixed seed (test/fuzz/fuzz.test.ts), `npm run fuzz` ten thousand times or
 * more and prints the counts (test/fuzz/main.ts). A new suite (the dataset readers, the notebook format)
 * is one file in test/fuzz/suites/ added to the list in suites/index.ts.
 */
import fc from 'fast-check';

export interface FuzzSuite<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** The size shown for the slowest input (characters of text, rows of a file…). */
  size(input: T): number;
  /** Throws when an invariant does not hold; returns the codes of the diagnostics the input produced. */
  check(input: T): readonly string[];
}

export interface FuzzStats {
  readonly suite: string;
  readonly cases: number;
  readonly byCode: ReadonlyMap<string, number>;
  readonly maxDiagnostics: number;
  /** The input that took longest, for the report only: no test asserts a time. */
  readonly slowest: { readonly size: number; readonly ms: number };
  readonly failure?: string;
}

export function runSuite<T>(suite: FuzzSuite<T>, options: { readonly numRuns: number; readonly seed: number }): FuzzStats {
  const byCode = new Map<string, number>();
  let cases = 0;
  let maxDiagnostics = 0;
  let slowest = { size: 0, ms: 0 };
  // Shrinking re-runs failing inputs; the counts describe the cases drawn before the first failure.
  let failed = false;
  const property = fc.property(suite.arbitrary, (input) => {
    const t0 = performance.now();
    let codes: readonly string[];
    try {
      codes = suite.check(input);
    } catch (error) {
      failed = true;
      throw error;
    }
    const ms = performance.now() - t0;
    if (failed) return;
    cases++;
    maxDiagnostics = Math.max(maxDiagnostics, codes.length);
    for (const c of codes) byCode.set(c, (byCode.get(c) ?? 0) + 1);
    if (ms > slowest.ms) slowest = { size: suite.size(input), ms };
  });
  const details = fc.check(property, { numRuns: options.numRuns, seed: options.seed });
  return {
    suite: suite.name,
    cases,
    byCode,
    maxDiagnostics,
    slowest,
    ...(details.failed ? { failure: `${fc.defaultReportMessage(details) ?? 'failed'}\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}` } : {}),
  };
}

export function formatStats(stats: FuzzStats): string {
  const codes = [...stats.byCode].sort((a, b) => b[1] - a[1]);
  return [
    `${stats.suite}: ${stats.cases} cases${stats.failure ? ' — FAILED' : ''}`,
    `  max diagnostics per input: ${stats.maxDiagnostics}`,
    `  slowest input: ${stats.slowest.size} characters (${stats.slowest.ms.toFixed(1)} ms on this run)`,
    `  diagnostics by code (${codes.length} codes):`,
    ...codes.map(([code, n]) => `    ${code.padEnd(28)} ${n}`),
    ...(stats.failure ? ['', stats.failure] : []),
  ].join('\n');
}
