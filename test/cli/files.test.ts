/**
 * The built CLI (bundled here as scripts/build.mjs bundles it) on the inputs that used to end in a stack
 * trace, block forever or be taken the wrong way: bad paths, out-of-folder dataset files, huge numbers,
 * unknown flags and --help on every command.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const examples = join(__dirname, '../../examples');
const dir = mkdtempSync(join(tmpdir(), 'il-cli-files-'));
const cli = join(dir, 'cli', 'main.js');
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  const common = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' } as const;
  await build({ ...common, entryPoints: [join(__dirname, '../../src/cli/main.ts')], outfile: cli });
  // main.js finds the sweep worker beside its own folder, as in dist/.
  await build({ ...common, entryPoints: [join(__dirname, '../../src/parallel/sweepWorker.ts')], outfile: join(dir, 'sweepWorker.js') });
});

/**
 * The CLI's exit code and output. `timeout` only keeps a regression (a read that blocks) from hanging
 * the suite; the assertions are on the outcome, and a killed run fails them.
 */
function run(args: readonly string[], cwd = dir): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (text: string) => assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, `a stack trace reached the user:\n${text}`);

const project = join(dir, 'project');
mkdirSync(project);
mkdirSync(join(dir, 'outside'));
writeFileSync(join(dir, 'outside', 'secret.csv'), 'episode,step,state,action\n0,0,a,x\n0,1,b,x\n');
// The `file:` value is on line 12, column 11.
const ilmdpWith = (file: string) => `mdp:\n  states: [a, b]\n  actions: [x]\n  horizon: 2\n  transitions:\n    a: {x: b}\n    b: {x: b}\nexperts:\n  e: {policy: {a: x, b: x}}\ndatasets:\n  recorded:\n    file: ${file}\n`;

test('check DIR, eval DIR and merge of a folder without shards: a clear message and exit 2, no EISDIR stack trace', () => {
  const check = run(['check', project]);
  assert.equal(check.status, 2);
  assert.match(check.stdout, new RegExp(`${project}:1:1: error: ${project} is a directory, not a file; give a file \\(e\\.g\\. ${project}/\\*\\.ilmdp\\)`));
  const evaluated = run(['eval', project]);
  assert.equal(evaluated.status, 2);
  assert.match(evaluated.stderr, /is a directory, not a file/);
  const merged = run(['merge', project]);
  assert.equal(merged.status, 2);
  // A folder is where a job array leaves its shards; one with none in it is said to be so.
  assert.match(merged.stderr, new RegExp(`il-notebooks: ${project} is a folder with no \\.json files in it; give the shard files or the folder that holds them`));
  for (const r of [check, evaluated, merged]) noStack(r.stdout + r.stderr);
});

test('check and eval refuse a FIFO dataset at once instead of waiting for a writer', (t) => {
  if (process.platform === 'win32') {
    // Windows has no mkfifo; its named pipes do not live in folders.
    t.diagnostic('skipped on Windows');
    return;
  }
  assert.equal(spawnSync('mkfifo', [join(project, 'pipe.csv')]).status, 0);
  const file = join(project, 'fifo.ilmdp');
  writeFileSync(file, ilmdpWith('pipe.csv'));
  for (const args of [['check', file], ['eval', file, '--policy', 'e']]) {
    const r = run(args);
    assert.equal(r.signal, null, `${args[0]} was killed: it blocked on the FIFO`);
    assert.equal(r.status, 1, args[0]);
    assert.match(r.stdout + r.stderr, new RegExp(`${file}:12:11: error: dataset recorded: pipe\\.csv is a named pipe \\(FIFO\\)`));
  }
  // A FIFO named as the .ilmdp itself.
  assert.equal(spawnSync('mkfifo', [join(project, 'pipe.ilmdp')]).status, 0);
  const r = run(['check', join(project, 'pipe.ilmdp')]);
  assert.equal(r.signal, null);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /pipe\.ilmdp is a named pipe \(FIFO\), not a file/);
});

test('a dataset outside the folder and the current directory needs --allow-outside-files; the message says so', () => {
  const file = join(project, 'up.ilmdp');
  writeFileSync(file, ilmdpWith('../outside/secret.csv'));
  const refused = run(['check', file], project);
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, /up\.ilmdp:12:11: error: dataset recorded: \.\.\/outside\/secret\.csv is outside the folder of .*up\.ilmdp and the current directory, so it is not read; pass --allow-outside-files to read it anyway/);
  assert.ok(!refused.stdout.includes(join(dir, 'outside')), 'the resolved path is not printed');
  assert.equal(run(['check', file, '--allow-outside-files'], project).status, 0);
  assert.equal(run(['eval', file, '--policy', 'e'], project).status, 1);
  assert.equal(run(['eval', file, '--policy', 'e', '--allow-outside-files'], project).status, 0);
  // The current directory is the other allowed folder: run from the parent, the same file is inside it.
  assert.equal(run(['check', file], dir).status, 0);
});

test('numeric flags are whole numbers within documented maxima: --seeds 1e9 is refused at once, not run', () => {
  const cliff = join(examples, 'reset-cliff.ilmdp');
  const cases: [string[], RegExp][] = [
    [['--n', '5', '--horizons', '2', '--seeds', '1e9'], /--seeds takes whole numbers from 1 to 1000000, got "1e9"/],
    [['--n', '5', '--horizons', '2', '--seeds', '1000001'], /--seeds takes whole numbers from 1 to 1000000/],
    [['--n', '0', '--horizons', '2', '--seeds', '3'], /--n takes whole numbers from 1 to 1000000, got "0"/],
    [['--n', '5', '--horizons', '2,Infinity', '--seeds', '3'], /--horizons takes whole numbers from 1 to 100000, got "Infinity"/],
    [['--n', '5', '--horizons', '2', '--seeds', '3', '--workers', '1.5'], /--workers takes whole numbers from 1 to 64, got "1.5"/],
    [['--n', '5', '--horizons', '2', '--seeds', '3', '--shard', '1/100000'], /--shard takes I\/N with 1 ≤ I ≤ N ≤ 10000/],
    [['--n', '1000000', '--horizons', '1000', '--seeds', '3'], /N·H = 1000000·1000 is more than the 100000000/],
    [['--n', '5', '--horizons', Array.from({ length: 65 }, (_, i) => i + 1).join(','), '--seeds', '3'], /--horizons lists at most 64 values, got 65/],
  ];
  for (const [flags, message] of cases) {
    const r = run(['sweep', 'gap-vs-h', cliff, ...flags]);
    assert.equal(r.status, 2, flags.join(' '));
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: il-notebooks sweep/);
  }
});

test('a large sweep reports progress on stderr while it runs (the first slice has not ended yet)', async () => {
  // ~10^12 sampled steps: it runs for hours, so a progress line can only come from the early report.
  const child = spawn(process.execPath, [cli, 'sweep', 'gap-vs-n', join(examples, 'reset-cliff.ilmdp'), '--n', '100000', '--seeds', '1000000', '--workers', '2'], { cwd: dir });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const m = /^.*\d+% \(\d+\/1000000\)$/m.exec(err);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`the sweep ended (${code}) without progress:\n${err}`)));
    });
    assert.match(line, /^gap-vs-n .*reset-cliff\.ilmdp: 0% \(0\/1000000\)$/);
    assert.equal(child.exitCode, null, 'still running');
  } finally {
    child.kill();
  }
});

test('every command answers --help and -h with its usage (exit 0) and does nothing else', () => {
  for (const command of ['check', 'eval', 'sweep', 'merge', 'demo', 'run']) {
    for (const flag of ['--help', '-h']) {
      const r = run([command, flag]);
      assert.equal(r.status, 0, `${command} ${flag}`);
      assert.match(r.stdout, new RegExp(`^usage: il-notebooks ${command}`), `${command} ${flag}`);
    }
  }
  assert.doesNotMatch(run(['demo', '--help']).stdout, /compounding errors of behavioral cloning on the Reset Cliff\n/, 'the demo did not run');
});

test('unknown flags are errors with the usage (exit 2), never file names; -- ends the options', () => {
  for (const args of [['check', '--bogus'], ['check', join(examples, 'three-states.ilmdp'), '-x'], ['eval', join(examples, 'three-states.ilmdp'), '--bogus'], ['demo', '--bogus'], ['merge', '--bogus']]) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, new RegExp(`il-notebooks: unknown option ${args.at(-1)}\\nusage: il-notebooks ${args[0]}`), args.join(' '));
    noStack(r.stderr);
  }
  // After --, "--help" is a file name (here a missing one), not a request for help.
  const r = run(['check', '--', '--help']);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^--help:1:1: error: file not found/);
});
