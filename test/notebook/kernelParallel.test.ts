import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { gapVsHorizon, gapVsSamplesOn } from '../../src/core/experiments';
import { garnet } from '../../src/core/envs/garnet';
import { KernelClient, type CellOutcome } from '../../src/notebook/kernelClient';
import { kernelProcess } from '../../src/notebook/kernelProcess';

// Both bundles side by side, as in dist/: the kernel finds the sweep worker beside itself.
const dir = mkdtempSync(join(tmpdir(), 'il-kernel-pool-'));
// A kernel alone, without the sweep worker beside it.
const lonely = mkdtempSync(join(tmpdir(), 'il-kernel-alone-'));
before(async () => {
  const bundle = (entry: string, outfile: string) => build({ entryPoints: [join(__dirname, '../../src', entry)], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  await Promise.all([
    bundle('notebook/kernel/kernelWorker.ts', join(dir, 'kernelWorker.js')),
    bundle('parallel/sweepWorker.ts', join(dir, 'sweepWorker.js')),
    bundle('notebook/kernel/kernelWorker.ts', join(lonely, 'kernelWorker.js')),
  ]);
});

const kernels: KernelClient[] = [];
function kernel(folder = dir): KernelClient {
  const options = { cwd: join(__dirname, '../../examples') };
  const k = new KernelClient(kernelProcess(join(folder, 'kernelWorker.js'), options), options);
  kernels.push(k);
  return k;
}
after(() => kernels.forEach((k) => k.dispose()));

/** Runs a cell and returns what it printed; the cell must succeed. */
async function printed(k: KernelClient, source: string, label: string): Promise<string> {
  let out = '';
  const outcome = await k.run(source, 'javascript', label, { onStream: (_, text) => (out += text) });
  assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
  return out;
}

// Every number as the hex of its 8 bytes, so that equal strings mean equal bits (NaN and -0 included).
const BITS = `const bits = (x) => Buffer.from(new Float64Array([x]).buffer).toString('hex');
const dump = (r) => JSON.stringify(r, (_, v) => (typeof v === 'number' ? bits(v) : ArrayBuffer.isView(v) ? Array.from(v, bits) : v));`;

function dump(result: unknown): string {
  const bits = (x: number) => Buffer.from(new Float64Array([x]).buffer).toString('hex');
  return JSON.stringify(result, (_, v: unknown) => (typeof v === 'number' ? bits(v) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array, bits) : v));
}

const spec = { env: { kind: 'reset-cliff' as const, nS: 11, nA: 2, H: 1 }, N: 20, horizons: [1, 4, 16], seeds: 61, baseSeed: 'kpool', slopeRange: [1, 16] as [number, number] };
const garnetArgs = { nS: 20, nA: 3, H: 6, branching: 3, seed: 'kg' };
const samples = { sampleSizes: [2, 8], seeds: 30, baseSeed: 'kg' };

test('il.parallel sweeps in a cell equal the synchronous ones bit for bit, with 1, 2 or the default workers, cell after cell', async () => {
  const k = kernel();
  const cell1 = await printed(
    k,
    `${BITS}
const spec = ${JSON.stringify(spec)}
const sync = il.gapVsHorizon(spec)
for (const workers of [1, 2, undefined]) console.log(dump(await il.parallel.gapVsHorizon(spec, workers ? { workers } : {})))
console.log(dump(sync))`,
    'cell 1',
  );
  const expected = dump(gapVsHorizon(spec));
  assert.deepEqual(cell1.trim().split('\n'), [expected, expected, expected, expected]);

  // The warm pool serves the next cell: your own MDP, a plan, and sweeps started together.
  const cell2 = await printed(
    k,
    `const env = il.garnet(${JSON.stringify(garnetArgs)})
const samples = ${JSON.stringify(samples)}
const [a, b] = await Promise.all([il.parallel.gapVsSamplesOn(env, samples, { workers: 2 }), il.parallel.runSweepPlan(il.planGapVsHorizon(spec))])
console.log(dump(a))
console.log(dump(b))
console.log(dump(il.gapVsSamplesOn(env, samples)))`,
    'cell 2',
  );
  const own = dump(gapVsSamplesOn(garnet(garnetArgs), samples));
  assert.deepEqual(cell2.trim().split('\n'), [own, expected, own]);
  assert.notEqual(own, expected);
});

test('interrupting a pooled sweep stops it; the state is kept and the next cell runs (and sweeps) normally', async () => {
  const k = kernel();
  await printed(k, 'const kept = 7', 'cell 1');
  // Far more work than the first slice: the interrupt, sent on the first progress, lands mid-sweep.
  const big = { env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 10, horizons: [4, 8, 16, 32, 64, 128], seeds: 100000 };
  let interrupted = false;
  const outcome: CellOutcome = await k.run(`await il.parallel.gapVsHorizon(${JSON.stringify(big)}, { workers: 2, onProgress: (done) => console.log('progress ' + done) })`, 'javascript', 'cell 2', {
    onStream: (_, text) => {
      if (!interrupted && text.startsWith('progress')) {
        interrupted = true;
        k.interrupt();
      }
    },
  });
  assert.ok(interrupted, 'the sweep reported progress');
  assert.deepEqual(outcome, { status: 'interrupted', stateLost: false });
  // A sweep left running would print its progress into this cell (the flag is cleared for it).
  const next = await printed(k, `${BITS}\nawait new Promise((r) => setTimeout(r, 300))\nconsole.log(kept)\nconsole.log(dump(await il.parallel.gapVsHorizon(${JSON.stringify(spec)})))`, 'cell 3');
  assert.deepEqual(next.trim().split('\n'), ['7', dump(gapVsHorizon(spec))]);
});

test('a kernel without the sweep worker beside it, or a wrong worker count, says where and what to do', async () => {
  const k = kernel(lonely);
  const outcome = await k.run(`await il.parallel.gapVsHorizon(${JSON.stringify(spec)})`, 'javascript', 'cell 1');
  assert.equal(outcome.status, 'error');
  if (outcome.status === 'error') assert.match(outcome.error.message, /sweep worker .*sweepWorker\.js is missing; run `npm run build`/);
  const zero = await k.run(`await il.parallel.gapVsHorizon(${JSON.stringify(spec)}, { workers: 0 })`, 'javascript', 'cell 1');
  assert.equal(zero.status, 'error');
  if (zero.status === 'error') assert.match(zero.error.message, /workers must be a whole number ≥ 1, got 0/);
  assert.equal(await printed(k, 'console.log(il.gapVsHorizon({ env: { kind: "reset-cliff", nS: 4, nA: 2, H: 1 }, N: 2, horizons: [2], seeds: 3 }).rows.length)', 'cell 2'), '1\n');
});

test("the setting's thread count (sweepWorkers at the kernel's start) is il.parallel's default, and a cell's own workers still win", async () => {
  const options = { cwd: join(__dirname, '../../examples'), sweepWorkers: 3 };
  const k = new KernelClient(kernelProcess(join(dir, 'kernelWorker.js'), options), options);
  kernels.push(k);
  assert.equal(await printed(k, 'console.log(il.parallel.defaultWorkers)', 'cell 1'), '3\n');
  // The result does not depend on the threads: two ways of asking give the synchronous sweep's bits.
  const out = await printed(
    k,
    `${BITS}
const spec = ${JSON.stringify(spec)}
console.log(dump(await il.parallel.gapVsHorizon(spec)) === dump(il.gapVsHorizon(spec)), dump(await il.parallel.gapVsHorizon(spec, { workers: 1 })) === dump(il.gapVsHorizon(spec)))`,
    'cell 2',
  );
  assert.equal(out, 'true true\n');
});
