import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { resetCliffExpectedGap, resetCliffRho } from '../../src/core/envs/resetCliff';
import { KernelClient, lateOutputLines, lateOutputReader, type CellOutcome } from '../../src/notebook/kernelClient';
import { kernelProcess } from '../../src/notebook/kernelProcess';
import { isKernelWorkerData, KERNEL_LATE_OUTPUT, type KernelDatasetFiles, type LateOutput } from '../../src/shared/kernelProtocol';
import type { OutputItemData } from '../../src/shared/kernelProtocol';
import { MIME } from '../../src/shared/viewModels';

// The kernel runs as the extension runs it: bundled by esbuild, in a real child process.
const dir = mkdtempSync(join(tmpdir(), 'il-kernel-'));
const workerScript = join(dir, 'kernelWorker.js');
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/notebook/kernel/kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});

const kernels: KernelClient[] = [];
function kernel(options: { memoryLimitMb?: number; residentLimitMb?: number; interruptGraceMs?: number; cwd?: string; datasetFiles?: KernelDatasetFiles; onLateOutput?: (late: LateOutput) => void } = {}): KernelClient {
  const kernelOptions = { cwd: join(__dirname, '../../examples'), ...options };
  const k = new KernelClient(kernelProcess(workerScript, kernelOptions), kernelOptions);
  kernels.push(k);
  return k;
}
after(() => kernels.forEach((k) => k.dispose()));

function text(outcome: CellOutcome): string {
  assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
  return (outcome as { result: readonly OutputItemData[] }).result.find((i) => i.mime === 'text/plain')?.data ?? '';
}

test('state persists across cells like a Jupyter kernel; const can be re-run; top-level await', async () => {
  const k = kernel();
  text(await k.run('const mdp = il.resetCliff({ nS: 5, nA: 2, H: 4 }).mdp', 'javascript', 'cell 1'));
  assert.equal(text(await k.run('mdp.nS * mdp.H', 'javascript', 'cell 2')), '20');
  assert.equal(text(await k.run('const mdp = { nS: 7, H: 3 }; mdp.nS * mdp.H', 'javascript', 'cell 1')), '21');
  assert.equal(text(await k.run('const n: number = await Promise.resolve(mdp.nS)\nn + 1', 'typescript', 'cell 3')), '8');
});

test('console.log streams while the cell runs, before it ends', async () => {
  const k = kernel();
  const events: string[] = [];
  const outcome = await k.run('console.log("first", { a: 1 })\nawait new Promise((r) => setTimeout(r, 50))\nconsole.error("second")\n"end"', 'javascript', 'cell 1', {
    onStream: (stream, t) => events.push(`${stream}:${t}`),
  });
  events.push(`done:${text(outcome)}`);
  assert.deepEqual(events, ['stdout:first { a: 1 }\n', 'stderr:second\n', 'done:end']);
});

test("an exception's stack points at the cell's own line and column", async () => {
  const k = kernel();
  const outcome = await k.run('const a = 1\n\nfunction fail() {\n  throw new RangeError("bad " + a)\n}\nfail()', 'javascript', 'cell 4');
  assert.equal(outcome.status, 'error');
  if (outcome.status !== 'error') return;
  assert.equal(outcome.error.name, 'RangeError');
  assert.equal(outcome.error.message, 'bad 1');
  assert.match(outcome.error.stack, /at fail \(cell 4:4:9\)/);
  assert.match(outcome.error.stack, /at cell 4:6:1/);
  assert.doesNotMatch(outcome.error.stack, /kernelWorker|node:/);
  const syntax = await k.run('const b = 2\nb +', 'javascript', 'cell 5');
  assert.equal(syntax.status, 'error');
  if (syntax.status === 'error') assert.match(syntax.error.stack, /cell 5:2:4/);
});

/** Runs a cell that prints `marker` just before it spins, and interrupts it once the marker arrives: the loop is running then. */
async function interruptedLoop(k: KernelClient, source: string, label: string): Promise<CellOutcome> {
  return k.run(source, 'javascript', label, { onStream: (_, t) => t.includes('spinning') && k.interrupt() });
}

// SIGINT to another process is a POSIX thing; on Windows the grace period's kill is the only way.
const sigint = process.platform !== 'win32';

test('interrupting `while (true) {}` breaks it with SIGINT and keeps the state (the grace period never ran out)', async () => {
  // A grace that expired would end the cell as stateLost: true, so stateLost: false means it stopped within it.
  const k = kernel();
  text(await k.run('const kept = 1', 'javascript', 'cell 1'));
  const outcome = await interruptedLoop(k, 'globalThis.during = 2\nconsole.log("spinning")\nwhile (true) {}', 'cell 2');
  assert.deepEqual(outcome, { status: 'interrupted', stateLost: !sigint });
  assert.equal(text(await k.run('typeof kept + " " + typeof during', 'javascript', 'cell 3')), sigint ? 'number number' : 'undefined undefined');
  assert.equal(k.generation, sigint ? 1 : 2, 'the same kernel served every cell');
});

test('a loop after an await is beyond SIGINT: the grace period ends the kernel and says the state was lost', async () => {
  const k = kernel({ interruptGraceMs: 200 });
  text(await k.run('const kept = 1', 'javascript', 'cell 1'));
  const outcome = await interruptedLoop(k, 'await null\nconsole.log("spinning")\nwhile (true) {}', 'cell 2');
  assert.deepEqual(outcome, { status: 'interrupted', stateLost: true });
  assert.equal(text(await k.run('typeof kept', 'javascript', 'cell 3')), 'undefined');
  assert.equal(k.generation, 2);
});

test('interrupting an awaiting cell or a sweep keeps the state', async () => {
  const k = kernel();
  text(await k.run('const kept = 7', 'javascript', 'cell 1'));
  const waiting = k.run('await new Promise((r) => setTimeout(r, 60000))', 'javascript', 'cell 2');
  setTimeout(() => k.interrupt(), 50);
  assert.deepEqual(await waiting, { status: 'interrupted', stateLost: false });
  const sweep = k.run('il.gapVsHorizon({ env: { kind: "reset-cliff", nS: 11, nA: 2, H: 1 }, N: 40, horizons: [64, 128], seeds: 1e6 })', 'javascript', 'cell 3');
  setTimeout(() => k.interrupt(), 200);
  assert.deepEqual(await sweep, { status: 'interrupted', stateLost: false });
  assert.equal(text(await k.run('kept', 'javascript', 'cell 4')), '7');
});

test('a cell that allocates without bound is stopped by the heap limit; the host survives and the next cell runs', async () => {
  const k = kernel({ memoryLimitMb: 64, residentLimitMb: 4096 });
  const outcome = await k.run('const hoard = []\nwhile (true) hoard.push({ x: Math.random(), y: [1, 2, 3] })', 'javascript', 'cell 1');
  assert.equal(outcome.status, 'kernel-died');
  if (outcome.status === 'kernel-died') {
    assert.equal(outcome.cause, 'out of memory');
    assert.match(outcome.reason, /^kernel died \(out of memory\): its JavaScript heap reached the 64 MB limit/);
  }
  assert.equal(text(await k.run('1 + 1', 'javascript', 'cell 2')), '2');
});

test('typed arrays (outside the V8 heap) are caught by the resident-memory watch in the kernel', async () => {
  const k = kernel({ memoryLimitMb: 256, residentLimitMb: 300 });
  text(await k.run('const kept = 1', 'javascript', 'cell 1'));
  // 8 GB of virtual memory costs nothing until it is written; filling it is what the watch sees.
  const outcome = await k.run('const big = new Float64Array(1e9)\nbig.fill(1)', 'javascript', 'cell 2');
  assert.equal(outcome.status, 'kernel-died');
  if (outcome.status === 'kernel-died') {
    assert.equal(outcome.cause, 'out of memory');
    assert.match(outcome.reason, /^kernel died \(out of memory\): the cells' memory grew beyond 300 MB/);
  }
  assert.equal(text(await k.run('typeof kept', 'javascript', 'cell 3')), 'undefined');
  // An allocation the system refuses outright is an ordinary error, and the kernel lives on.
  const refused = await k.run('new Float64Array(2 ** 40)', 'javascript', 'cell 4');
  assert.equal(refused.status, 'error');
  assert.equal(k.generation, 2);
});

test('process.exit, a signal to itself and process.abort end only the kernel, with the cause; the next cell gets a fresh kernel', async () => {
  // abort() may leave a core file in the kernel's folder: not in the examples.
  const k = kernel({ cwd: mkdtempSync(join(tmpdir(), 'il-kernel-abort-')) });
  const cases: [string, string][] = [
    ['process.exit(3)', 'exit code 3'],
    ['process.kill(process.pid, "SIGTERM")\nawait new Promise(() => {})', 'SIGTERM'],
    ['process.abort()', 'SIGABRT'],
  ];
  for (const [i, [source, cause]] of cases.entries()) {
    text(await k.run(`const kept = ${i}`, 'javascript', 'cell 1'));
    const outcome = await k.run(source, 'javascript', 'cell 2');
    assert.equal(outcome.status, 'kernel-died', `${source}: ${JSON.stringify(outcome)}`);
    if (outcome.status === 'kernel-died') {
      assert.equal(outcome.cause, cause);
      assert.ok(outcome.reason.startsWith(`kernel died (${cause})`), outcome.reason);
    }
    assert.equal(k.generation, i + 1);
    assert.equal(text(await k.run('typeof kept', 'javascript', 'cell 3')), 'undefined', 'a fresh kernel');
    assert.equal(k.generation, i + 2);
  }
});

/** Runs a cell and returns its outcome with what it wrote to stderr. */
async function withStderr(k: KernelClient, source: string, label: string): Promise<{ outcome: CellOutcome; stderr: string }> {
  let stderr = '';
  const outcome = await k.run(source, 'javascript', label, { onStream: (stream, t) => stream === 'stderr' && (stderr += t) });
  return { outcome, stderr };
}

test('an unhandled rejection is reported in the cell that caused it; one that comes after its cell ended is a labelled kernel note', async () => {
  const k = kernel();
  const own = await withStderr(k, 'Promise.reject(new RangeError("lost"))\n"done"', 'cell 1');
  assert.equal(text(own.outcome), 'done');
  assert.match(own.stderr, /^Unhandled promise rejection: RangeError: lost\n\s+at cell 1:1:16/);

  // The promise chain is built in cell 2 and fails while cell 3 runs: it is cell 2's rejection, told in cell 3.
  text(await withStderr(k, 'globalThis.later = new Promise((r) => (globalThis.go = r)).then(() => { throw new Error("late") })\n0', 'cell 2').then((r) => r.outcome));
  const third = await withStderr(k, 'go()\nawait null\n"third"', 'cell 3');
  assert.equal(text(third.outcome), 'third');
  assert.match(third.stderr, /^Kernel: unhandled promise rejection from cell 2, after it had ended:\nError: late/);

  // A rejection while no cell runs waits for the next one.
  text((await withStderr(k, 'setTimeout(() => Promise.reject(new Error("idle")), 20)\n0', 'cell 4')).outcome);
  await new Promise((r) => setTimeout(r, 200));
  const fifth = await withStderr(k, '"fif" + "th"', 'cell 5');
  assert.equal(text(fifth.outcome), 'fifth');
  assert.match(fifth.stderr, /Kernel: unhandled promise rejection from cell 4, after it had ended:\nError: idle/);
});

test("the import statement's advice runs: `await import('…')` and `require('…')`, from the notebook's folder", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'il-kernel-modules-'));
  writeFileSync(join(folder, 'helper.mjs'), 'export const answer = 42;\n');
  writeFileSync(join(folder, 'helper.cjs'), 'module.exports = { answer: 43 };\n');
  const k = kernel({ cwd: folder });
  const refused = await k.run("import { join } from 'node:path'", 'javascript', 'cell 1');
  assert.equal(refused.status, 'error');
  if (refused.status !== 'error') return;
  // Every snippet the message offers, with a real module in place of its ellipsis, is run as given.
  const snippets = [...refused.error.message.matchAll(/`([^`]*…[^`]*)`/g)].map((m) => m[1]);
  assert.ok(snippets.some((s) => s.includes('import(')) && snippets.some((s) => s.includes('require(')), refused.error.message);
  for (const [i, snippet] of snippets.entries()) {
    const code = snippet.replace('…', 'node:path').replace(/^const m = /, '');
    assert.equal(text(await k.run(`const p${i} = ${code}\np${i}.join('a', 'b')`, 'javascript', `cell ${i + 2}`)), join('a', 'b'));
  }
  assert.equal(text(await k.run("(await import('./helper.mjs')).answer + require('./helper.cjs').answer", 'javascript', 'cell 9')), '85');
});

test('process.stdout.write in a cell goes to the cell, not to the host', async () => {
  const k = kernel();
  const events: string[] = [];
  text(await k.run('process.stdout.write("raw ")\nprocess.stderr.write(Buffer.from("bytes"))\n1', 'javascript', 'cell 1', { onStream: (s, t) => events.push(`${s}:${t}`) }));
  assert.deepEqual(events, ['stdout:raw ', 'stderr:bytes']);
});

test('display() picks the view: environment → heatmap, sweep → plot, BC policy → table, dataset → dataset', async () => {
  const k = kernel();
  const shown: OutputItemData[][] = [];
  const outcome = await k.run(
    [
      'const env = il.resetCliff({ nS: 6, nA: 2, H: 5 })',
      'display(env)',
      'const data = il.sampleTrajectories(env.mdp, env.expert, 10, "seed")',
      'display(data)',
      'display(il.behavioralCloning(data))',
      'display(il.gapVsHorizon({ env: { kind: "reset-cliff", nS: 6, nA: 2, H: 1 }, N: 5, horizons: [1, 2, 4], seeds: 50 }))',
      'display.markdown("**done**")',
    ].join('\n'),
    'javascript',
    'cell 1',
    { onDisplay: (items) => shown.push([...items]) },
  );
  assert.equal(outcome.status, 'ok');
  assert.deepEqual(
    shown.map((items) => items[0].mime),
    [MIME.heatmap, MIME.dataset, MIME.bcTable, MIME.plot, 'text/markdown'],
  );
  for (const items of shown.slice(0, 4)) assert.ok(items.some((i) => i.mime === 'text/plain' && i.data.length > 0), 'each view has a text fallback');
  const plot = JSON.parse(shown[3][0].data);
  const closed = plot.series.find((s: { role: string }) => s.role === 'closed-form');
  const rho = resetCliffRho(6);
  assert.ok(Math.abs(closed.points[2].y - resetCliffExpectedGap(2, rho, 5, 4)) < 1e-12);
});

test('load() reads a .ilmdp beside the notebook; a broken one fails with file:line:col', async () => {
  const k = kernel();
  assert.equal(text(await k.run('const e = load("reset-cliff.ilmdp")\ne.mdp.nS > 0 && Object.keys(e.experts).length > 0', 'javascript', 'cell 1')), 'true');
  const broken = join(dir, 'broken.ilmdp');
  writeFileSync(broken, 'mdp:\n  states: [a, b]\n  actions: [x]\n  horizon: 0\n');
  const outcome = await k.run(`load(${JSON.stringify(broken)})`, 'javascript', 'cell 2');
  assert.equal(outcome.status, 'error');
  if (outcome.status === 'error') assert.match(outcome.error.message, /broken\.ilmdp:\d+:\d+: error: /);
});

test("load() applies the editor's dataset-file policy: ../outside.csv is refused with where and how to allow it, and read once allowed", async () => {
  // project/ is the workspace folder; the notebook and its .ilmdp are in project/notebooks/, the CSV beside that folder.
  const project = mkdtempSync(join(tmpdir(), 'il-kernel-policy-'));
  const notebooks = join(project, 'notebooks');
  mkdirSync(notebooks);
  writeFileSync(join(project, 'outside.csv'), 'episode,step,state,action\n0,0,a,x\n0,1,b,x\n1,0,a,x\n1,1,b,x\n');
  // The `file:` value is on line 12, column 11.
  writeFileSync(
    join(notebooks, 'exp.ilmdp'),
    'mdp:\n  states: [a, b]\n  actions: [x]\n  horizon: 2\n  transitions:\n    a: {x: b}\n    b: {x: b}\nexperts:\n  e: {policy: {a: x, b: x}}\ndatasets:\n  recorded:\n    file: ../outside.csv\n',
  );
  const howToAllow = 'to read it anyway, turn on the setting ilNotebooks.datasets.allowFilesOutsideFolder (user settings; ignored in untrusted workspaces)';
  const cell = 'load("exp.ilmdp").datasets.recorded.N';

  // A notebook in no workspace folder: its own folder is the root, so the file is refused.
  const own = kernel({ cwd: notebooks, datasetFiles: { roots: [notebooks], allowOutside: false, rootsLabel: "this file's folder", howToAllow } });
  const refused = await own.run(cell, 'javascript', 'cell 1');
  assert.equal(refused.status, 'error', JSON.stringify(refused));
  if (refused.status === 'error') {
    assert.match(refused.error.message, /exp\.ilmdp:12:11: error: dataset recorded: \.\.\/outside\.csv is outside this file's folder, so it is not read; to read it anyway, turn on the setting ilNotebooks\.datasets\.allowFilesOutsideFolder/);
    assert.ok(!refused.error.message.includes(join(project, 'outside.csv')), 'the resolved path is not printed');
  }
  // Without a policy from its owner the kernel is as narrow: the notebook's folder only.
  const bare = await kernel({ cwd: notebooks }).run(cell, 'javascript', 'cell 1');
  assert.equal(bare.status, 'error');
  if (bare.status === 'error') assert.match(bare.error.message, /outside the notebook's folder, so it is not read/);

  // The setting on: read (2 episodes in the CSV written above).
  assert.equal(text(await kernel({ cwd: notebooks, datasetFiles: { roots: [notebooks], allowOutside: true, rootsLabel: "this file's folder", howToAllow } }).run(cell, 'javascript', 'cell 1')), '2');
  // The notebook's workspace folder is project/: the file is inside it, so it is read without the setting.
  assert.equal(text(await kernel({ cwd: notebooks, datasetFiles: { roots: [project], allowOutside: false, rootsLabel: 'the workspace folder project', howToAllow } }).run(cell, 'javascript', 'cell 1')), '2');
});

// A late output that never comes fails the test by its time limit rather than hanging the run.
test("a console.log after its cell ended is reported as that cell's late output, never dropped nor put in another cell's output", { timeout: 30_000 }, async () => {
  const late: LateOutput[] = [];
  let heard: () => void = () => {};
  const k = kernel({ onLateOutput: (l) => (late.push(l), heard()) });
  const arrived = (n: number) =>
    new Promise<void>((r) => {
      heard = () => late.length >= n && r();
      heard();
    });
  let own = '';
  text(await k.run('setTimeout(() => console.log("late"), 100)\nconsole.log("own")\n1', 'javascript', 'cell 3', { onStream: (_s, t) => (own += t) }));
  assert.equal(own, 'own\n');
  // While no cell runs.
  await arrived(1);
  assert.deepEqual(late, [{ cell: 'cell 3', stream: 'stdout', text: 'late\n' }]);
  // While another cell runs: still cell 4's late output, and not in cell 5's.
  let fifth = '';
  text(await k.run('setTimeout(() => console.error("from 4"), 50)\n0', 'javascript', 'cell 4'));
  text(await k.run('await new Promise((r) => setTimeout(r, 400))\nconsole.log("five")\n5', 'javascript', 'cell 5', { onStream: (_s, t) => (fifth += t) }));
  await arrived(2);
  assert.deepEqual(late[1], { cell: 'cell 4', stream: 'stderr', text: 'from 4\n' });
  assert.equal(fifth, 'five\n');
  // A timer that never stops is cut after 64 KiB, with one line that says so.
  text(await k.run('setInterval(() => console.log("x".repeat(1023)), 0)\n0', 'javascript', 'cell 6'));
  await new Promise((r) => setTimeout(r, 1500));
  const fromSix = late.filter((l) => l.cell === 'cell 6');
  const bytes = fromSix.reduce((sum, l) => sum + Buffer.byteLength(l.text), 0);
  assert.ok(bytes < 64 * 1024 + 2048, `${bytes} bytes of late output`);
  assert.match(fromSix.at(-1)!.text, /… more output after cell 6 ended is dropped \(it passed 65536 bytes\); restart the kernel/);
});

test('late output lines are read whole from the stderr chunks, whatever their cut, and worded with the notebook and the cell', () => {
  const got: LateOutput[] = [];
  const read = lateOutputReader((l) => got.push(l));
  const line = `${KERNEL_LATE_OUTPUT} ${JSON.stringify({ cell: 'cell 2', stream: 'stdout', text: 'a\nb\n' })}\n`;
  const text = `V8 noise\n${line}${line}`;
  for (let i = 0; i < text.length; i += 7) read('stderr', text.slice(i, i + 7));
  read('stdout', line);
  assert.deepEqual(got, [
    { cell: 'cell 2', stream: 'stdout', text: 'a\nb\n' },
    { cell: 'cell 2', stream: 'stdout', text: 'a\nb\n' },
  ]);
  assert.deepEqual(lateOutputLines('04.ilnb', got[0]), ['kernel of 04.ilnb, after cell 2 ended: a', 'kernel of 04.ilnb, after cell 2 ended: b']);
  assert.deepEqual(lateOutputLines('x.ilnb', { stream: 'stderr', text: 'w' }), ['kernel of x.ilnb, while no cell ran (stderr): w']);
});

test("the kernel's settings guard wants a dataset-file policy with at least one root", () => {
  const datasetFiles = { roots: ['/n'], allowOutside: false, rootsLabel: 'the folder', howToAllow: 'a flag' };
  assert.equal(isKernelWorkerData({ cwd: '/n', residentLimitMb: 64, datasetFiles }), true);
  assert.equal(isKernelWorkerData({ cwd: '/n', residentLimitMb: 64 }), false);
  assert.equal(isKernelWorkerData({ cwd: '/n', residentLimitMb: 64, datasetFiles: { ...datasetFiles, roots: [] } }), false);
  assert.equal(isKernelWorkerData({ cwd: '/n', residentLimitMb: 64, datasetFiles: { ...datasetFiles, allowOutside: 'yes' } }), false);
  assert.throws(() => kernelProcess(workerScript, { cwd: '/n', datasetFiles: { ...datasetFiles, roots: [] } }), /bad kernel settings/);
});

test('restart clears every variable; the next cell runs in a fresh kernel', async () => {
  const k = kernel();
  text(await k.run('const kept = 5\nkept', 'javascript', 'cell 1'));
  const before = k.generation;
  await k.restart();
  assert.equal(text(await k.run('typeof kept', 'javascript', 'cell 2')), 'undefined');
  assert.equal(k.generation, before + 1);
});

test('variables(): the names cells defined with what they are; their views; nothing (and no kernel started) without a kernel', async () => {
  const k = kernel();
  assert.equal(await k.variables(), undefined, 'no kernel yet');
  assert.equal(k.generation, 0, 'asking started none');
  text(
    await k.run(
      'const env = il.resetCliff({ nS: 6, nA: 2, H: 5 })\nlet n = 3\nfunction twice(x) { return 2 * x }\nconst sweep = il.gapVsHorizon({ env: { kind: "reset-cliff", nS: 4, nA: 2, H: 1 }, N: 3, horizons: [1, 2], seeds: 2 })\nconst xs = new Float64Array(9)\n1',
      'javascript',
      'cell 1',
    ),
  );
  const listed = await k.variables();
  assert.ok(listed);
  // Only what the cell declared: not il, display, load, console, require or Node's own globals.
  assert.deepEqual(listed.variables.map((v) => `${v.name}:${v.kind}`), ['env:environment', 'n:number', 'sweep:sweep', 'twice:function', 'xs:typed-array']);
  assert.equal(listed.variables.find((v) => v.name === 'sweep')!.detail, 'gap-vs-H, 2 rows, learner BC');
  assert.equal(listed.variables.find((v) => v.name === 'xs')!.detail, '[9]');
  const plot = await k.variableView('sweep');
  assert.equal(plot?.kind, 'plot');
  assert.equal((await k.variableView('env'))?.kind, 'heatmap');
  assert.equal(await k.variableView('n'), null, 'a number has no view');
  assert.equal(await k.variableView('gone'), null);
  await k.restart();
  assert.equal(await k.variables(), undefined, 'a restarted kernel holds nothing until a cell runs');
  assert.equal(k.alive, false);
});

test('onExit hears a kernel that ends between cells', async () => {
  const k = kernel();
  let exits = 0;
  k.onExit(() => exits++);
  text(await k.run('setTimeout(() => process.exit(3), 50)\n1', 'javascript', 'cell 1'));
  const end = Date.now() + 10_000;
  while (exits === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.equal(exits, 1);
  assert.equal(k.alive, false);
  assert.equal(await k.variables(), undefined);
});
