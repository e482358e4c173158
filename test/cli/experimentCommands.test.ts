import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { evalCommand, mergeCommand, sweepCommand, SWEEP_USAGE, UsageError } from '../../src/cli/experimentCommands';
import { withoutFlags } from '../../src/cli/shardFiles';
import { resetCliffExpectedGap, resetCliffRho } from '../../src/core/envs/resetCliff';
import { RESET_CLIFF_RECOVERY_GAP_FORMULA, resetCliffRecoveryExpectedGap } from '../../src/core/envs/resetCliffRecovery';
import { gapVsHorizon, planGapVsSamples, sweepPointSlice } from '../../src/core/experiments';
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

test('eval prints V(π): the Reset Cliff expert earns exactly H; --visitation rows are ρ (docs/theory.md §5)', () => {
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
  assert.match(SWEEP_USAGE, /--algorithm\s+the learner: bc, dagger, tv-ail, gail, mimic-md, tv-ail-ogd, mce-irl/);
  await assert.rejects(sweepCommand([...args, '--algorithm', 'ppo'], capture().write), /--algorithm is one of bc, dagger, tv-ail, gail, mimic-md, tv-ail-ogd, mce-irl, got "ppo"/);
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
  assert.throws(() => mergeCommand(files.slice(0, 2), capture().write), /: shard 3 of 3 is missing \(2 of 3 given\); merge needs every shard of the sweep$/);
});

/** E[gap] of per-step BC on the Reset Cliff with uniform ρ over `good` states (docs/theory.md §5), summed here independently of the core. */
function resetCliffGapByHand(good: number, nA: number, N: number, H: number): number {
  const mu = Math.pow(1 - 1 / good, N);
  const keep = 1 - (1 - 1 / nA) * mu;
  let sum = 0;
  for (let h = 1; h <= H; h++) sum += Math.pow(keep, h);
  return H - sum;
}

test('sweeps on a file that generates a Reset Cliff show its closed form E[gap] like the built-in sweep, within 4 s.e. of the means', async () => {
  const json = capture();
  const args = ['gap-vs-h', join(examples, 'reset-cliff.ilmdp'), '--n', '20', '--horizons', '1,4,16,32', '--seeds', '300', '--seed', 'closed'];
  assert.equal(await sweepCommand([...args, '--json'], json.write, workerScript), 0);
  const result = JSON.parse(json.text()) as { rows: { x: number; mean: number; se: number; closedForm?: number }[]; closedFormFormula?: string };
  assert.match(result.closedFormFormula ?? '', /E\[gap\] = H − Σ/);
  for (const row of result.rows) {
    const expected = resetCliffGapByHand(10, 2, 20, row.x);
    assert.ok(row.closedForm !== undefined && Math.abs(row.closedForm - expected) <= 1e-12 * row.x, `H=${row.x}: closed form ${row.closedForm} vs ${expected}`);
    assert.ok(Math.abs(row.mean - expected) <= 4 * row.se + 1e-9, `H=${row.x}: ${row.mean} ± ${row.se} vs ${expected}`);
  }
  const table = capture();
  await sweepCommand(args, table.write, workerScript);
  assert.match(table.text(), /closed form: E\[gap\]/);
  const byN = capture();
  await sweepCommand(['gap-vs-n', join(examples, 'reset-cliff.ilmdp'), '--n', '5,80', '--seeds', '20', '--json'], byN.write, workerScript);
  const rowsByN = (JSON.parse(byN.text()) as { rows: { x: number; closedForm?: number }[] }).rows;
  for (const row of rowsByN) assert.ok(Math.abs((row.closedForm ?? NaN) - resetCliffGapByHand(10, 2, row.x, 16)) <= 1e-12 * 16, `N=${row.x}`);
});

test('no closed form where it does not hold: another expert on the Reset Cliff, pooled BC, an explicit MDP', async () => {
  const file = join(dir, 'cliff-other-expert.ilmdp');
  const names = [...Array.from({ length: 10 }, (_, i) => `g${i + 1}`), 'bad'];
  const policy = names.map((s, i) => `${s}: ${i === 0 ? 'other1' : 'expert'}`).join(', ');
  writeFileSync(file, `mdp:\n  generator: reset-cliff\n  states: 11\n  actions: 2\n  horizon: 8\n  rho: uniform\nexperts:\n  clumsy:\n    policy: {${policy}}\n`);
  for (const args of [
    ['gap-vs-h', file, '--expert', 'clumsy', '--n', '10', '--horizons', '2,4', '--seeds', '5', '--json'],
    ['gap-vs-h', join(examples, 'reset-cliff.ilmdp'), '--mode', 'pooled', '--n', '10', '--horizons', '2,4', '--seeds', '5', '--json'],
    ['gap-vs-h', join(examples, 'three-states.ilmdp'), '--expert', 'walker', '--n', '5', '--horizons', '2,4', '--seeds', '5', '--json'],
  ]) {
    const c = capture();
    assert.equal(await sweepCommand(args, c.write, workerScript), 0);
    const result = JSON.parse(c.text()) as { rows: { closedForm?: number }[]; closedFormFormula?: string };
    assert.equal(result.closedFormFormula, undefined, args.join(' '));
    assert.ok(result.rows.every((r) => r.closedForm === undefined), args.join(' '));
  }
});

/** E[gap] of per-step BC on a Reset Cliff with ρ given over its good states (docs/theory.md §5), summed here independently of the core. */
function cliffGapByHand(rho: readonly number[], nA: number, N: number, H: number): number {
  const mu = rho.reduce((m, p) => m + p * Math.pow(1 - p, N), 0);
  const keep = 1 - (1 - 1 / nA) * mu;
  let sum = 0;
  for (let h = 1; h <= H; h++) sum += Math.pow(keep, h);
  return H - sum;
}

test("sweep gap-vs-n on a lower-bound Reset Cliff file is the core's gapVsSamples on the same spec, seed for seed: ρ is rebuilt for each N, sharded or not", async () => {
  const file = join(dir, 'lower-bound.ilmdp');
  writeFileSync(file, 'mdp:\n  generator: reset-cliff\n  states: 6\n  actions: 2\n  horizon: 8\n  rho: lower-bound\n  N: 10\nexperts:\n  expert:\n    builtin: true\n');
  const sampleSizes = [4, 10, 40];
  const args = ['gap-vs-n', file, '--n', sampleSizes.join(','), '--seeds', '40', '--seed', 'lb'];
  const shard = capture();
  assert.equal(await sweepCommand([...args, '--shard', '1/1'], shard.write, workerScript), 0);
  const cliGaps = (JSON.parse(shard.text()) as { gaps: number[][] }).gaps;
  const core = planGapVsSamples({ env: { kind: 'reset-cliff', nS: 6, nA: 2, H: 8, rho: 'lower-bound', N: 10 }, H: 8, sampleSizes, seeds: 40, baseSeed: 'lb' });
  assert.deepEqual(cliGaps, core.points.map((p) => Array.from(sweepPointSlice(p, 0, p.seeds))));
  // The closed form at each N is that of §5's lower-bound ρ for that N: 1/(N+1) on |S| − 2 = 4 good states, the rest on the fifth.
  const json = capture();
  await sweepCommand([...args, '--json'], json.write, workerScript);
  const rows = (JSON.parse(json.text()) as { rows: { x: number; closedForm?: number }[] }).rows;
  for (const row of rows) {
    const rho = [...Array<number>(4).fill(1 / (row.x + 1)), 1 - 4 / (row.x + 1)];
    assert.ok(Math.abs(row.closedForm! - cliffGapByHand(rho, 2, row.x, 8)) < 1e-12, `N=${row.x}: ${row.closedForm}`);
  }
  // Shards rebuild the same plan from the file: merged, they print what one run prints.
  const files: string[] = [];
  for (const i of [1, 2]) {
    const c = capture();
    await sweepCommand([...args, '--json', '--shard', `${i}/2`], c.write, workerScript);
    files.push(join(dir, `lower-bound-${i}.json`));
    writeFileSync(files.at(-1)!, c.text());
  }
  const merged = capture();
  mergeCommand([...files, '--json'], merged.write);
  assert.equal(merged.text(), json.text());
});

test('sweep gap-vs-h on a reset-cliff-recovery file shows the recovery closed form; on a gridworld or chain file past its horizon it is the built-in sweep of the same spec', async () => {
  const recovery = join(dir, 'recovery.ilmdp');
  writeFileSync(recovery, 'mdp:\n  generator: reset-cliff-recovery\n  states: 6\n  actions: 3\n  horizon: 4\nexperts:\n  expert:\n    builtin: true\n');
  const c = capture();
  await sweepCommand(['gap-vs-h', recovery, '--n', '3', '--horizons', '2,8,32', '--seeds', '200', '--seed', 'rec', '--json'], c.write, workerScript);
  const result = JSON.parse(c.text()) as { rows: { x: number; mean: number; se: number; closedForm?: number }[]; closedFormFormula?: string };
  assert.equal(result.closedFormFormula, RESET_CLIFF_RECOVERY_GAP_FORMULA);
  for (const row of result.rows) {
    const expected = resetCliffRecoveryExpectedGap(3, Array<number>(5).fill(1 / 5), 3, row.x);
    assert.ok(Math.abs(row.closedForm! - expected) < 1e-12, `H=${row.x}`);
    assert.ok(Math.abs(row.mean - expected) <= 4 * row.se + 1e-9, `H=${row.x}: ${row.mean} ± ${row.se} vs ${expected}`);
  }
  // examples/gridworld.ilmdp (H = 12) and the chain of examples/external-dataset.ilmdp (H = 8), written here as specs.
  const cases = [
    { file: 'gridworld.ilmdp', env: { kind: 'gridworld', map: 'S...#\n.##.#\n....G\n#...#\n', H: 12, slip: 0.1 }, horizons: [4, 12, 20] },
    { file: 'external-dataset.ilmdp', env: { kind: 'chain', nS: 5, nA: 2, H: 8, slip: 0.1 }, horizons: [3, 16] },
  ] as const;
  for (const { file, env, horizons } of cases) {
    const out = capture();
    await sweepCommand(['gap-vs-h', join(examples, file), '--n', '4', '--horizons', horizons.join(','), '--seeds', '30', '--seed', 'past', '--json'], out.write, workerScript);
    const rows = (JSON.parse(out.text()) as { rows: { x: number; mean: number; se: number }[] }).rows;
    const builtIn = gapVsHorizon({ env, N: 4, horizons, seeds: 30, baseSeed: 'past' });
    assert.deepEqual(rows.map((r) => [r.x, r.mean, r.se]), builtIn.rows.map((r) => [r.x, r.mean, r.se]), file);
    assert.ok(rows.at(-1)!.mean > 0, `${file}: BC loses something at H = ${horizons.at(-1)}`);
  }
});

/** The shards 1…n of a small sweep on `file`, written into a folder of their own; and the sweep's own JSON. */
async function shardsOf(file: string, n: number, folder: string): Promise<{ files: string[]; whole: string; args: string[] }> {
  const args = ['gap-vs-h', file, '--expert', 'walker', '--n', '3', '--horizons', '2,4', '--seeds', '11', '--seed', 'merge'];
  mkdirSync(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 1; i <= n; i++) {
    files.push(join(folder, `shard-${i}.json`));
    assert.equal(await sweepCommand([...args, '--shard', `${i}/${n}`, '--out', files.at(-1)!], capture().write, workerScript), 0);
  }
  const whole = capture();
  await sweepCommand([...args, '--json'], whole.write, workerScript);
  return { files, whole: whole.text(), args };
}

test('merge FOLDER and --out: the folder stands for its .json shards, --out gets what stdout would, and sweep --out leaves stdout empty', async () => {
  const folder = join(dir, 'merge-folder');
  const { files, whole } = await shardsOf(join(examples, 'three-states.ilmdp'), 3, folder);
  assert.deepEqual(readdirSync(folder).sort(), ['shard-1.json', 'shard-2.json', 'shard-3.json'], 'only the finished shards, no partial files');
  const printed = capture();
  assert.equal(mergeCommand([folder, '--json'], printed.write), 0);
  assert.equal(printed.text(), whole);
  const out = join(dir, 'merged', 'deeper', 'result.json');
  const quiet = capture();
  assert.equal(mergeCommand([...files, '--json', '--out', out], quiet.write), 0);
  assert.equal(quiet.text(), '');
  assert.equal(readFileSync(out, 'utf8'), whole, 'the folder of --out is created');
  // A shard's arguments leave out how it ran (--shard, --workers, --out), not what it computes.
  const shard = JSON.parse(readFileSync(files[0], 'utf8')) as { args: string[]; shard: number; of: number; version: number };
  assert.deepEqual([shard.shard, shard.of, shard.version], [1, 3, 2]);
  assert.ok(!shard.args.some((a) => ['--shard', '--out', '--workers', '--json'].includes(a)), shard.args.join(' '));
  await assert.rejects(sweepCommand(['gap-vs-h', join(examples, 'three-states.ilmdp'), '--expert', 'walker', '--n', '3', '--horizons', '2', '--seeds', '3', '--out', folder], capture().write, workerScript), /: --out: .*merge-folder is a directory; give a file name$/);
});

test('merge refuses every set of shards that is not one whole sweep, naming the files, and writes nothing', async () => {
  const threeStates = join(examples, 'three-states.ilmdp');
  const { files, args } = await shardsOf(threeStates, 3, join(dir, 'refuse'));
  const out = join(dir, 'refused.json');
  const refused = (inputs: string[], message: RegExp) => {
    assert.throws(() => mergeCommand([...inputs, '--out', out], capture().write), (error: Error) => error instanceof UsageError && message.test(error.message));
    assert.equal(existsSync(out), false);
  };
  refused([files[0], files[2]], /^shard 2 of 3 is missing \(2 of 3 given\)/);
  refused([files[0]], /^shards 2, 3 of 3 are missing \(1 of 3 given\)/);
  refused([...files, files[1]], new RegExp(`^shard 2 of 3 is given 2 times: ${files[1]}, ${files[1]}; give each shard once$`));
  // The same shard index from another split, and a shard of another sweep.
  const other = join(dir, 'refuse', 'other-split.json');
  await sweepCommand([...args, '--shard', '2/4', '--out', other], capture().write, workerScript);
  refused([files[0], other, files[2]], /other-split\.json is shard 2 of 4, but .*shard-1\.json is shard 1 of 3: shards of different splits do not merge/);
  const moreSeeds = join(dir, 'refuse', 'more-seeds.json');
  await sweepCommand([...args.map((a) => (a === '11' ? '12' : a)), '--shard', '2/3', '--out', moreSeeds], capture().write, workerScript);
  refused([files[0], moreSeeds, files[2]], /more-seeds\.json is a shard of another sweep than .*shard-1\.json: ".*--seeds 12.*" against ".*--seeds 11.*"/);
  // Damaged and foreign files, and an older format that cannot be checked against its file.
  const damaged = join(dir, 'refuse', 'damaged.json');
  const good = JSON.parse(readFileSync(files[1], 'utf8')) as Record<string, unknown>;
  for (const [change, message] of [
    [{ gaps: [[0.5, 'x']] }, /damaged\.json: a damaged shard file \("gaps" is not a list of lists of finite numbers\)/],
    [{ gaps: [[0.5]] }, /damaged\.json: a damaged shard file \(1 points of gaps, the sweep has 2\)/],
    [{ shard: 4 }, /damaged\.json: a damaged shard file \("shard" and "of" are not 1 ≤ shard ≤ of\)/],
    [{ version: 1 }, /damaged\.json: a shard file of version 1; this il-notebooks reads version 2: run the shards again with it/],
    [{ format: 'something-else' }, /damaged\.json: not a shard file of il-notebooks sweep … --shard I\/N/],
  ] as const) {
    writeFileSync(damaged, JSON.stringify({ ...good, ...change }));
    refused([files[0], damaged, files[2]], message);
  }
  writeFileSync(damaged, '{"format": "il-notebooks-shard", ');
  refused([damaged], /damaged\.json: not a shard file \(/);
});

test('merge refuses shards of an .ilmdp file that changed: between two shards, or since they ran', async () => {
  const file = join(dir, 'edited.ilmdp');
  const text = readFileSync(join(examples, 'three-states.ilmdp'), 'utf8');
  writeFileSync(file, text);
  const { files, args } = await shardsOf(file, 2, join(dir, 'edited'));
  const ok = capture();
  assert.equal(mergeCommand(files, ok.write), 0);
  // An edit that changes no number still changes the file: the shards say which contents they read, not what they mean.
  writeFileSync(file, `${text}\n# edited while the array ran\n`);
  assert.throws(() => mergeCommand(files, capture().write), new RegExp(`: ${file} is not the file the shards were computed from \\(its contents changed since\\)`));
  const later = join(dir, 'edited', 'shard-2-later.json');
  await sweepCommand([...args, '--shard', '2/2', '--out', later], capture().write, workerScript);
  assert.throws(() => mergeCommand([files[0], later], capture().write), /shard-2-later\.json and .*shard-1\.json were computed from different contents of the \.ilmdp file \(it changed while the shards ran\)/);
});

test('--shard counts from 1: a 0 from a job array index says so; withoutFlags keeps what follows --', async () => {
  await assert.rejects(
    sweepCommand(['gap-vs-h', join(examples, 'reset-cliff.ilmdp'), '--n', '5', '--horizons', '2', '--seeds', '3', '--shard', '0/4'], capture().write),
    /--shard takes I\/N with 1 ≤ I ≤ N ≤ 10000, got "0\/4": shards are numbered from 1, so a job array runs 1\/N … N\/N \(Slurm: --array=1-N\)/,
  );
  assert.deepEqual(withoutFlags(['a', '--shard', '1/2', '--json', '--', '--json', '--out'], ['--shard', '--out'], ['--json']), ['a', '--', '--json', '--out']);
});
