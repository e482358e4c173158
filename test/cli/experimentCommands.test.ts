import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { evalCommand, mergeCommand, sweepCommand, SWEEP_USAGE, UsageError } from '../../src/cli/experimentCommands';
import { resetCliffExpectedGap, resetCliffRho } from '../../src/core/envs/resetCliff';
import { IlmdpLoadError } from '../../src/ilmdp/load';

const examples = join(__dirname, '../../examples');
const dir = mkdtempSync(join(tmpdir(), 'il-cli-'));
const workerScript = join(dir, 'sweepWorker.js');
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/parallel/sweepWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});
const capture = () => {
  let out = '';
  return { write: (t: string) => (out += t), text: () => out };
};

test('eval prints V(π): the Reset Cliff expert earns exactly H; --visitation rows are ρ (il-theory §5)', () => {
  const c = capture();
  assert.equal(evalCommand([join(examples, 'reset-cliff.ilmdp'), '--visitation', '--json'], c.write), 0);
  const out = JSON.parse(c.text()) as { value: number; H: number; visitation: number[][] };
  assert.equal(out.H, 16);
  assert.ok(Math.abs(out.value - 16) < 1e-12);
  assert.equal(out.visitation.length, 16);
  for (const row of out.visitation) row.forEach((p, s) => assert.ok(Math.abs(p - (s < 10 ? 0.1 : 0)) < 1e-12));
});

test('sweep gap-vs-n on the Reset Cliff file agrees with the closed form within 4 s.e.', async () => {
  const c = capture();
  assert.equal(await sweepCommand(['gap-vs-n', join(examples, 'reset-cliff.ilmdp'), '--n', '10,40', '--seeds', '300', '--json', '--seed', 'cli'], c.write, workerScript), 0);
  const result = JSON.parse(c.text()) as { rows: { x: number; mean: number; se: number }[] };
  for (const row of result.rows) {
    const expected = resetCliffExpectedGap(2, resetCliffRho(11), row.x, 16);
    assert.ok(Math.abs(row.mean - expected) <= 4 * row.se + 1e-9, `N=${row.x}: ${row.mean} ± ${row.se} vs ${expected}`);
  }
});

test('sweep --algorithm dagger: same datasets as BC, no closed-form column; --help lists the names; unknown names are usage errors', async () => {
  const args = ['gap-vs-n', join(examples, 'reset-cliff.ilmdp'), '--n', '1,8', '--seeds', '30', '--seed', 'alg'];
  const bc = capture();
  await sweepCommand([...args, '--json'], bc.write, workerScript);
  const dagger = capture();
  await sweepCommand([...args, '--json', '--algorithm', 'dagger'], dagger.write, workerScript);
  const b = JSON.parse(bc.text()) as { algorithm: string; rows: { mean: number; closedForm?: number }[] };
  const d = JSON.parse(dagger.text()) as { algorithm: string; rows: { mean: number; closedForm?: number }[] };
  assert.equal(b.algorithm, 'bc');
  assert.equal(d.algorithm, 'dagger');
  // With N = 1 DAgger has no queries to make (daggerSchedule): it is BC on the same dataset, seed for seed.
  assert.equal(d.rows[0].mean, b.rows[0].mean);
  assert.ok(d.rows.every((r) => r.closedForm === undefined));
  const table = capture();
  await sweepCommand([...args, '--algorithm', 'dagger'], table.write, workerScript);
  assert.match(table.text(), /DAgger/);
  assert.doesNotMatch(table.text(), /closed form/);
  assert.match(SWEEP_USAGE, /--algorithm\s+the learner: bc, dagger, tv-ail, gail, mimic-md/);
  await assert.rejects(sweepCommand([...args, '--algorithm', 'ppo'], capture().write), /--algorithm is one of bc, dagger, tv-ail, gail, mimic-md, got "ppo"/);
  const mimic = capture();
  await sweepCommand([...args, '--algorithm', 'mimic-md', '--json'], mimic.write, workerScript);
  assert.equal((JSON.parse(mimic.text()) as { algorithm: string }).algorithm, 'mimic-md');
});

test('bad flags and files are clear errors', async () => {
  const c = capture();
  await assert.rejects(sweepCommand(['gap-vs-x', join(examples, 'reset-cliff.ilmdp')], c.write), UsageError);
  await assert.rejects(sweepCommand(['gap-vs-h', join(examples, 'reset-cliff.ilmdp'), '--n', '5', '--seeds', '3'], c.write), /--horizons is required/);
  await assert.rejects(sweepCommand(['gap-vs-h', join(examples, 'three-states.ilmdp'), '--n', '5', '--horizons', '2', '--seeds', '3'], c.write), /--expert NAME is required; .* defines walker, hesitant/);
  await assert.rejects(sweepCommand(['gap-vs-h', join(examples, 'reset-cliff.ilmdp'), '--n', '5', '--horizons', '2', '--seeds', '3', '--shard', '3/2'], c.write), /--shard takes I\/N/);
  assert.throws(() => evalCommand([join(examples, 'three-states.ilmdp'), '--policy', 'nobody'], c.write), /has no expert "nobody"/);
  assert.throws(() => evalCommand([join(examples, 'three-states.ilmdp'), '--frobnicate'], c.write), /unknown option --frobnicate/);
  assert.throws(() => evalCommand([join(examples, 'missing.ilmdp')], c.write), IlmdpLoadError);
});

test('a sweep on a pool of threads, and one split in shards and merged, print the very same result as one thread', async () => {
  const args = ['gap-vs-h', join(examples, 'three-states.ilmdp'), '--expert', 'walker', '--n', '5', '--horizons', '2,4,8', '--seeds', '60', '--seed', 'shards', '--json'];
  const single = capture();
  await sweepCommand([...args, '--workers', '1'], single.write, workerScript);
  const pooled = capture();
  await sweepCommand([...args, '--workers', '2'], pooled.write, workerScript);
  assert.equal(pooled.text(), single.text());
  const files: string[] = [];
  for (const i of [2, 1, 3]) {
    const c = capture();
    await sweepCommand([...args, '--shard', `${i}/3`], c.write, workerScript);
    const file = join(dir, `shard-${i}.json`);
    writeFileSync(file, c.text());
    files.push(file);
  }
  const merged = capture();
  assert.equal(mergeCommand([...files, '--json'], merged.write), 0);
  assert.equal(merged.text(), single.text());
  assert.throws(() => mergeCommand(files.slice(0, 2), capture().write), /missing or repeated/);
});
