// Issue 21: `il-notebooks run`'s results cache and `--json` report. What runs and what is restored is
// judged by the report's "source", and what a restored cell gives by the same bytes or by a number
// the test computes itself with the core.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as il from '../../src/core';
import { runNotebookFiles, type RunCommandOptions, type RunReport } from '../../src/cli/runNotebooks';
import { parseNotebook, serializeNotebook, type NotebookCell } from '../../src/notebook/notebookFormat';
import { STDOUT_MIME } from '../../src/notebook/runNotebook';

const root = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'il-cache-run-'));
const workerScript = join(dir, 'kernel', 'kernelWorker.js');
// The CLI bundled as in dist/ (dist/cli/main.js finds ../kernelWorker.js), for what reaches stdout and stderr.
const cliScript = join(dir, 'kernel', 'cli', 'main.js');
before(async () => {
  await build({ entryPoints: [join(root, 'src/notebook/kernel/kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  await build({ entryPoints: [join(root, 'src/cli/main.ts')], outfile: cliScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});

const code = (source: string): NotebookCell => ({ kind: 'code', language: 'javascript', source, outputs: [] });
let folders = 0;
/** A fresh folder with a notebook of these cells (and these files beside it). */
function notebook(cells: NotebookCell[], files: Record<string, string> = {}): string {
  const folder = join(dir, `nb${folders++}`);
  mkdirSync(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  const file = join(folder, 'nb.ilnb');
  writeFileSync(file, serializeNotebook({ cells }));
  return file;
}

async function run(file: string, options: Partial<RunCommandOptions> = {}): Promise<{ exit: number; report: RunReport; log: string }> {
  let out = '';
  let log = '';
  const exit = await runNotebookFiles([file], { workerScript, cache: true, json: true, ...options }, (t) => (out += t), (t) => (log += t));
  return { exit, report: JSON.parse(out) as RunReport, log };
}
const sources = (report: RunReport) => report.notebooks[0].cells.map((c) => c.source);
const cellsOf = (file: string) => parseNotebook(readFileSync(file, 'utf8')).cells;
const stdout = (file: string, index: number) => cellsOf(file)[index].outputs.flatMap((o) => o.items.filter((i) => i.mime === STDOUT_MIME || i.mime === 'text/plain').map((i) => i.data)).join('');
const editCell = (file: string, index: number, edit: (source: string) => string) => {
  const nb = parseNotebook(readFileSync(file, 'utf8'));
  writeFileSync(file, serializeNotebook({ ...nb, cells: nb.cells.map((c, i) => (i === index ? { ...c, source: edit(c.source) } : c)) }));
};

test('examples/04: a second run --json is all cache and writes the same bytes; seeds 400 → 300 in cell 1 gives ran, ran, cache', async () => {
  const folder = join(dir, 'example04');
  mkdirSync(folder);
  const file = join(folder, '04.ilnb');
  copyFileSync(join(root, 'examples/04-reset-cliff-compounding-errors.ilnb'), file);
  const first = await run(file);
  assert.equal(first.exit, 0, first.log);
  assert.deepEqual(sources(first.report), ['ran', 'ran', 'ran']);
  const fresh = readFileSync(file);
  const second = await run(file);
  assert.deepEqual(sources(second.report), ['cache', 'cache', 'cache']);
  assert.deepEqual(second.report.notebooks[0].cells.map((c) => c.outcome), ['ok', 'ok', 'ok']);
  assert.ok(readFileSync(file).equals(fresh), 'a notebook restored whole from the cache is the same file, byte for byte');
  assert.ok(fresh.equals(readFileSync(join(root, 'examples/04-reset-cliff-compounding-errors.ilnb'))), 'and the same as the committed example a fresh run reproduces');

  editCell(file, 1, (s) => s.replace('seeds: 400', 'seeds: 300'));
  const changed = await run(file);
  assert.deepEqual(sources(changed.report), ['ran', 'ran', 'cache']);
  // Cell 2 read cell 1's new sweep: its z-scores are those of 300 seeds, as the core gives them here.
  const sweep = il.gapVsHorizon({ env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons: [1, 2, 4, 8, 16, 32, 64], seeds: 300, slopeRange: [4, 64], baseSeed: 'notebook-4' });
  assert.match(stdout(file, 2), new RegExp(`fitted slope over H in \\[4, 64\\]: ${sweep.slope!.slope.toFixed(3)}`));
  // …and --no-cache makes exactly that file afresh.
  const cachedBytes = readFileSync(file);
  const nocache = await run(file, { cache: false });
  assert.deepEqual(sources(nocache.report), ['ran', 'ran', 'ran']);
  assert.equal(nocache.report.cache, false);
  assert.ok(readFileSync(file).equals(cachedBytes));
});

test('a changed .ilmdp, and a changed dataset file it names, re-run the cells that load it and their readers only', async () => {
  const csv = (action: string) => `episode,step,state,action\n0,0,c0,${action}\n0,1,c1,${action}\n`;
  const ilmdp = (states: number) => `mdp:\n  generator: chain\n  states: ${states}\n  actions: 2\n  horizon: 2\nexperts:\n  expert:\n    builtin: true\ndatasets:\n  recorded:\n    file: data.csv\n`;
  const file = notebook([code('const e = load("m.ilmdp")'), code('console.log(e.mdp.nS, e.datasets.recorded.actions.join(","))'), code('console.log("independent")')], { 'm.ilmdp': ilmdp(5), 'data.csv': csv('right') });
  assert.deepEqual(sources((await run(file)).report), ['ran', 'ran', 'ran']);
  assert.equal(stdout(file, 1), '5 0,0\n');
  assert.deepEqual(sources((await run(file)).report), ['cache', 'cache', 'cache']);
  writeFileSync(join(file, '..', 'm.ilmdp'), ilmdp(6));
  assert.deepEqual(sources((await run(file)).report), ['ran', 'ran', 'cache']);
  assert.equal(stdout(file, 1), '6 0,0\n');
  writeFileSync(join(file, '..', 'data.csv'), csv('left1'));
  assert.deepEqual(sources((await run(file)).report), ['ran', 'ran', 'cache']);
  assert.equal(stdout(file, 1), '6 1,1\n', 'the chain\'s actions are right, left1: right is 0');
});

test('a changed upstream cell re-runs its readers and theirs; a restored cell\'s values serve a cell that runs', async () => {
  const file = notebook([
    code('const env = il.resetCliff({ nS: 5, nA: 2, H: 4 })\nconst n = 3'),
    code('const data = il.sampleTrajectories(env.mdp, env.expert, n * 10, 11)'),
    code('console.log(il.imitationGap(env.mdp, env.expert, il.behavioralCloning(data)))'),
    code('console.log("apart")'),
  ]);
  await run(file);
  editCell(file, 0, (s) => s.replace('const n = 3', 'const n = 4'));
  assert.deepEqual(sources((await run(file)).report), ['ran', 'ran', 'ran', 'cache']);
  // Only cell 3 changes: cells 1 and 2 come from the cache, and their values (an environment, a dataset) must be real ones.
  editCell(file, 2, (s) => s.replace('console.log(', 'console.log("gap", '));
  assert.deepEqual(sources((await run(file)).report), ['cache', 'cache', 'ran', 'cache']);
  const env = il.resetCliff({ nS: 5, nA: 2, H: 4 });
  const gap = il.imitationGap(env.mdp, env.expert, il.behavioralCloning(il.sampleTrajectories(env.mdp, env.expert, 40, 11)));
  assert.equal(stdout(file, 2), `gap ${gap}\n`);
});

test('cells whose values cannot be kept, or whose result is not told by their code, always run and say why; their dependents follow the rule', async () => {
  const file = notebook([code('function twice(x) { return 2 * x }'), code('console.log(twice(21))'), code('const t = Date.now()'), code('const late = t + 1'), code('const plain = [1, 2]')]);
  await run(file);
  const { report } = await run(file);
  assert.deepEqual(sources(report), ['ran', 'cache', 'ran', 'ran', 'cache'], 'a function is rebuilt by running its cell; its reader is restored');
  const notes = report.notebooks[0].cells.map((c) => c.cacheNote);
  assert.equal(notes[0], 'not cached: twice is a function');
  assert.match(notes[2] ?? '', /^not cached: it reads the clock/);
  assert.match(notes[3] ?? '', /^not cached: it depends on cell 3, which always runs/);
  assert.equal(stdout(file, 1), '42\n');
});

test('a damaged cache is ignored and mended, never an error; the folder can be named and holds no temporary files after a run', async () => {
  const file = notebook([code('const a = 6'), code('console.log(a * 7)')]);
  const cacheDir = join(dir, 'named-cache');
  await run(file, { cacheDir });
  assert.equal(existsSync(join(file, '..', '.il-cache')), false, '--cache-dir replaces the default folder');
  const entries = readdirSync(cacheDir);
  assert.equal(entries.length, 2);
  writeFileSync(join(cacheDir, entries[0]), 'not an entry');
  writeFileSync(join(cacheDir, entries[1]), readFileSync(join(cacheDir, entries[1]), 'utf8').slice(0, 60));
  const damaged = await run(file, { cacheDir });
  assert.equal(damaged.exit, 0, damaged.log);
  assert.deepEqual(sources(damaged.report), ['ran', 'ran']);
  assert.equal(stdout(file, 1), '42\n');
  assert.deepEqual(sources((await run(file, { cacheDir })).report), ['cache', 'cache'], 'the damaged entries were written anew');
  assert.deepEqual(readdirSync(cacheDir).filter((n) => !n.endsWith('.ilc')), []);
});

test('an entry whose values do not restore makes its cell run again to rebuild the state (its outputs stay the cached ones)', async () => {
  const file = notebook([code('const base = 5'), code('console.log(base + 1)')]);
  await run(file);
  const cacheDir = join(file, '..', '.il-cache');
  // The entry of cell 1: its values part replaced by text the kernel cannot decode.
  for (const name of readdirSync(cacheDir)) {
    const text = readFileSync(join(cacheDir, name), 'utf8');
    if (text.includes('"base"')) writeFileSync(join(cacheDir, name), `${text.split('\n').slice(0, 2).join('\n')}\n{"format":"il-values","version":1,"names":{"base":{"$":"ref","id":7}}}`);
  }
  editCell(file, 1, (s) => s.replace('base + 1', 'base + 2'));
  const { report, exit } = await run(file);
  assert.equal(exit, 0);
  assert.deepEqual(sources(report), ['cache', 'ran']);
  assert.equal(stdout(file, 1), '7\n');
});

test('two runs at once with one cache both succeed and leave whole entries', async () => {
  const file = notebook([code('const xs = Array.from({ length: 2000 }, (_, i) => i * i)'), code('console.log(xs.length)')]);
  const cacheDir = join(dir, 'shared-cache');
  const [a, b] = await Promise.all([run(file, { cacheDir, out: join(file, '..', 'a.ilnb') }), run(file, { cacheDir, out: join(file, '..', 'b.ilnb') })]);
  assert.deepEqual([a.exit, b.exit], [0, 0]);
  assert.deepEqual(readdirSync(cacheDir).filter((n) => !n.endsWith('.ilc')), []);
  const again = await run(file, { cacheDir, noWrite: true });
  assert.deepEqual(sources(again.report), ['cache', 'cache']);
});

test('--check compares with a fresh computation, never with the cache', async () => {
  const file = notebook([code('console.log(6 * 7)')]);
  await run(file);
  const cacheDir = join(file, '..', '.il-cache');
  // A lying entry: the right key, another output.
  for (const name of readdirSync(cacheDir)) writeFileSync(join(cacheDir, name), readFileSync(join(cacheDir, name), 'utf8').replace('42\\n', '41\\n'));
  const cached = await run(file, { noWrite: true });
  assert.deepEqual(sources(cached.report), ['cache'], 'the premise: the cache would answer');
  const checked = await run(file, { check: true });
  assert.equal(checked.exit, 0, checked.log);
  assert.deepEqual(sources(checked.report), ['ran']);
  assert.equal(checked.report.cache, false);
});

test('the command line: --json alone on stdout, --no-cache, --cache-max-mb checked', () => {
  const file = notebook([code('console.log("hi")')]);
  const cli = (...args: string[]) => spawnSync(process.execPath, [cliScript, 'run', ...args], { cwd: root, encoding: 'utf8' });
  const json = cli(file, '--json', '--no-cache', '--no-write');
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as RunReport;
  assert.deepEqual([report.cache, sources(report)], [false, ['ran']]);
  assert.match(json.stderr, /── cell 1/);
  assert.equal(existsSync(join(file, '..', '.il-cache')), false, '--no-cache writes no cache either');
  const bad = cli(file, '--cache-max-mb', '0');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--cache-max-mb takes a whole number of megabytes/);
});
