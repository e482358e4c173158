/**
 * The cluster examples of docs/sweeps-at-scale.md, run here as the job arrays they describe: the
 * checked-in Slurm script and GitHub Actions workflow are read (never a copy of their commands), every
 * array task or matrix job runs as a process of its own, all at once, in a folder of its own where a
 * machine of its own would have one, and the merged result must be byte for byte the sweep run on one
 * machine with the same arguments.
 *
 * What stands in for the cluster is small and strict: `sbatch` records the job it is asked to submit;
 * `npm ci && npm run build` marks a job's folder as built; `npx --no-install il-notebooks` runs the CLI
 * bundled here, and refuses any other command or a folder that was not built (a script that forgot its
 * build step, or an npx that could download a package, fails here as it would there). Artifacts are
 * copied the way actions/upload-artifact@v4 and download-artifact@v4 (`pattern`, `merge-multiple`) store
 * and restore them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { parse as parseYaml } from 'yaml';

const repo = join(__dirname, '../..');
const sbatchFile = join(repo, 'examples/cluster/slurm-sweep.sbatch');
const workflowFile = join(repo, 'examples/cluster/github-actions-sweep.yml');
// Real path: the stand-ins log process.cwd(), which has every symlink resolved.
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'il-job-array-')));
const cli = join(dir, 'dist', 'cli', 'main.js');
const bin = join(dir, 'bin');
/** One line of JSON per il-notebooks command any task ran: its arguments and folder. */
const commandLog = join(dir, 'commands.jsonl');
const sbatchLog = join(dir, 'sbatch.jsonl');
after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  const common = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' } as const;
  await build({ ...common, entryPoints: [join(repo, 'src/cli/main.ts')], outfile: cli });
  await build({ ...common, entryPoints: [join(repo, 'src/parallel/sweepWorker.ts')], outfile: join(dir, 'dist', 'sweepWorker.js') });
  mkdirSync(bin);
  const shim = (name: string, body: string) => writeFileSync(join(bin, name), `#!/usr/bin/env node\n'use strict';\nconst fs = require('node:fs');\n${body}\n`, { mode: 0o755 });
  shim(
    'npx',
    `const args = process.argv.slice(2);
if (args[0] !== '--no-install' || args[1] !== 'il-notebooks') { console.error('npx stand-in: expected "npx --no-install il-notebooks …", got: npx ' + args.join(' ')); process.exit(127); }
if (!fs.existsSync('.built')) { console.error('npx stand-in: il-notebooks is not built in ' + process.cwd()); process.exit(127); }
fs.appendFileSync(${JSON.stringify(commandLog)}, JSON.stringify({ cwd: process.cwd(), args: args.slice(2) }) + '\\n');
process.argv.splice(2, 2);
require(${JSON.stringify(cli)});`,
  );
  shim(
    'npm',
    `const args = process.argv.slice(2).join(' ');
if (args !== 'ci' && args !== 'run build') { console.error('npm stand-in: only "npm ci" and "npm run build", got: npm ' + args); process.exit(127); }
if (args === 'run build') fs.writeFileSync('.built', '');`,
  );
  shim(
    'sbatch',
    `fs.appendFileSync(${JSON.stringify(sbatchLog)}, JSON.stringify({ cwd: process.cwd(), args: process.argv.slice(2) }) + '\\n');
console.log('Submitted batch job 4243');`,
  );
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A process of its own, as a task on another machine is; the limit only keeps a hang from stalling the suite. */
function runProcess(command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: dir, ...env }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const assertOk = (run: Run, what: string) => assert.equal(run.code, 0, `${what} failed:\n${run.stderr}${run.stdout}`);

/** The built CLI in one process, on this machine: the run the shards must reproduce. */
function oneMachine(args: readonly string[], cwd: string): string {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

interface Logged {
  readonly cwd: string;
  readonly args: string[];
}
const logged = (file: string): Logged[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Logged) : []);

/** A flag's value in an argument list. */
const valueOf = (args: readonly string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const without = (args: readonly string[], valueFlags: readonly string[]): string[] => args.filter((_, i) => !valueFlags.includes(args[i]) && !valueFlags.includes(args[i - 1]));

/**
 * The sweeps the tasks ran, checked to be the shards 1…N of one sweep, once each, and that sweep's
 * arguments (what a single machine would be given).
 */
function sweepOfShards(commands: readonly Logged[], n: number): string[] {
  const sweeps = commands.filter((c) => c.args[0] === 'sweep');
  assert.deepEqual(sweeps.map((c) => valueOf(c.args, '--shard')).sort(), Array.from({ length: n }, (_, i) => `${i + 1}/${n}`).sort(), 'every task runs its own shard');
  const whole = sweeps.map((c) => without(c.args, ['--shard', '--workers', '--out']));
  for (const args of whole) assert.deepEqual(args, whole[0], 'every task runs the same sweep');
  return whole[0];
}

/**
 * Every merge command's output against the one-machine sweep with the same output flags: the file it
 * wrote with --out, or what it printed (`printed`, when exactly one merge printed).
 */
function assertMergesEqualOneMachine(commands: readonly Logged[], sweep: readonly string[], printed: string, cwd: string): void {
  const merges = commands.filter((c) => c.args[0] === 'merge');
  assert.ok(merges.length >= 1, 'a merge ran');
  const toStdout = merges.filter((c) => valueOf(c.args, '--out') === undefined);
  for (const merge of merges) {
    const expected = oneMachine([...sweep, ...(merge.args.includes('--json') ? ['--json'] : [])], cwd);
    const out = valueOf(merge.args, '--out');
    if (out !== undefined) assert.equal(readFileSync(join(merge.cwd, out), 'utf8'), expected, `merge ${merge.args.join(' ')}`);
    else if (toStdout.length === 1) assert.ok(printed.includes(expected), `the printed merge is the one-machine table:\n${printed}\n---\n${expected}`);
  }
}

/** A folder where a repository's files would be (a checkout, or the clone on a shared file system). */
function workspace(name: string): string {
  const w = join(dir, name);
  mkdirSync(w, { recursive: true });
  symlinkSync(join(repo, 'examples'), join(w, 'examples'));
  return w;
}

/** The `#SBATCH` options before the script's first command, as sbatch reads them. */
function sbatchOptions(text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    if (!line.startsWith('#')) break;
    const m = /^#SBATCH\s+(--[\w-]+)(?:=(\S+))?/.exec(line);
    if (m) options.set(m[1], m[2] ?? '');
  }
  return options;
}

test('the Slurm example: its array tasks, run at once, and the merge job it submits give the one-machine sweep byte for byte; merge refuses a missing or a repeated shard', async () => {
  const text = readFileSync(sbatchFile, 'utf8');
  const options = sbatchOptions(text);
  const array = /^(\d+)-(\d+)$/.exec(options.get('--array') ?? '');
  assert.ok(array, `#SBATCH --array=FIRST-LAST, got ${options.get('--array')}`);
  const [first, last] = [Number(array[1]), Number(array[2])];
  const n = last - first + 1;
  assert.ok(n >= 2, 'an array of several tasks');
  const cpus = options.get('--cpus-per-task') ?? '1';
  const clone = workspace('slurm');
  // The clone was built once before submitting, as the script's header asks.
  writeFileSync(join(clone, '.built'), '');
  const arrayJob = '4242';
  const slurm = (task: number): Record<string, string> => ({
    SLURM_JOB_ID: String(5000 + task),
    SLURM_ARRAY_JOB_ID: arrayJob,
    SLURM_ARRAY_TASK_ID: String(task),
    SLURM_ARRAY_TASK_COUNT: String(n),
    SLURM_ARRAY_TASK_MIN: String(first),
    SLURM_ARRAY_TASK_MAX: String(last),
    SLURM_CPUS_PER_TASK: cpus,
    SLURM_SUBMIT_DIR: clone,
    // Submitted with `sbatch --export=ALL,SEEDS=…`, as the header shows, to keep this test small;
    // 37 seeds do not split evenly into the shards.
    SEEDS: '37',
  });
  const tasks = await Promise.all(Array.from({ length: n }, (_, k) => runProcess('bash', [sbatchFile], clone, slurm(first + k))));
  tasks.forEach((t, k) => assertOk(t, `array task ${first + k}`));

  const submitted = logged(sbatchLog);
  assert.equal(submitted.length, 1, 'one merge job is submitted, by one task');
  const dependency = submitted[0].args.find((a) => a.startsWith('--dependency='));
  assert.equal(dependency, `--dependency=afterok:${arrayJob}`, 'the merge waits for every task of the array to succeed');
  const wrap = submitted[0].args.find((a) => a.startsWith('--wrap='))?.slice('--wrap='.length);
  assert.ok(wrap, 'the merge job is a --wrap command');
  // afterok: the merge job starts once every task has exited 0, which they all have.
  const mergeJob = await runProcess('sh', ['-c', wrap], submitted[0].cwd, { SLURM_JOB_ID: '4243' });
  assertOk(mergeJob, 'the merge job');

  const commands = logged(commandLog).filter((c) => c.cwd === clone);
  const sweep = sweepOfShards(commands, n);
  assert.equal(valueOf(sweep, '--seeds'), '37');
  assertMergesEqualOneMachine(commands, sweep, mergeJob.stdout, clone);

  // The shard files the tasks left, merged again with one of them gone, and with one of them twice.
  const shardFiles = commands.filter((c) => c.args[0] === 'sweep').map((c) => join(c.cwd, valueOf(c.args, '--out')!));
  const incomplete = join(dir, 'incomplete');
  const doubled = join(dir, 'doubled');
  mkdirSync(incomplete);
  mkdirSync(doubled);
  const second = shardFiles.find((f) => readFileSync(f, 'utf8').includes(`"shard":2,"of":${n}`))!;
  for (const f of shardFiles) {
    if (f !== second) copyFileSync(f, join(incomplete, basename(f)));
    copyFileSync(f, join(doubled, basename(f)));
  }
  copyFileSync(second, join(doubled, 'shard-2-again.json'));
  const missing = spawnSync(process.execPath, [cli, 'merge', incomplete, '--json', '--out', join(dir, 'never.json')], { cwd: clone, encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, new RegExp(`^il-notebooks: shard 2 of ${n} is missing \\(${n - 1} of ${n} given\\); merge needs every shard of the sweep$`, 'm'));
  const repeated = spawnSync(process.execPath, [cli, 'merge', doubled, '--json', '--out', join(dir, 'never.json')], { cwd: clone, encoding: 'utf8' });
  assert.equal(repeated.status, 2);
  assert.match(repeated.stderr, new RegExp(`^il-notebooks: shard 2 of ${n} is given 2 times: .*shard-2-again\\.json, .*shard-2\\.json; give each shard once$`, 'm'));
  assert.equal(existsSync(join(dir, 'never.json')), false, 'a refused merge writes nothing');

  // A lost shard, run again as the script's header says: that index alone, an array of one task,
  // which still computes shard 3 of n and submits a merge of its own after it.
  const lost = shardFiles.find((f) => readFileSync(f, 'utf8').includes(`"shard":3,"of":${n}`))!;
  const result = join(clone, valueOf(commands.find((c) => c.args[0] === 'merge' && c.args.includes('--out'))!.args, '--out')!);
  rmSync(lost);
  rmSync(result);
  const rerun = { ...slurm(3), SLURM_ARRAY_JOB_ID: '4300', SLURM_ARRAY_TASK_COUNT: '1', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '3' };
  assertOk(await runProcess('bash', [sbatchFile], clone, rerun), 'the rerun of task 3');
  const resubmitted = logged(sbatchLog).slice(1);
  assert.equal(resubmitted.length, 1);
  assert.ok(resubmitted[0].args.includes('--dependency=afterok:4300'));
  assertOk(await runProcess('sh', ['-c', resubmitted[0].args.find((a) => a.startsWith('--wrap='))!.slice('--wrap='.length)], clone, {}), 'the merge after the rerun');
  assert.equal(readFileSync(result, 'utf8'), oneMachine([...sweep, '--json'], clone));
});

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string | boolean | number>;
}
interface Job {
  readonly needs?: string | string[];
  readonly strategy?: { readonly matrix?: Record<string, unknown[]> };
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly on: { readonly workflow_dispatch?: { readonly inputs?: Record<string, { readonly default?: string }> } };
  readonly env?: Record<string, string>;
  readonly defaults?: { readonly run?: { readonly shell?: string } };
  readonly jobs: Record<string, Job>;
}

/** `${{ … }}` with the contexts this workflow may use; anything else fails the test rather than pass unread. */
function expand(text: string, contexts: Record<string, Record<string, string | number>>): string {
  return text.replace(/\$\{\{\s*([\w-]+)\.([\w-]+)\s*\}\}/g, (whole, context: string, key: string) => {
    const value = contexts[context]?.[key];
    if (value === undefined) throw new Error(`the simulation does not know ${whole}`);
    return String(value);
  });
}
const unexpanded = (text: string) => assert.doesNotMatch(text, /\$\{\{/, `an expression the simulation does not evaluate: ${text}`);

type Artifacts = Map<string, { name: string; bytes: Buffer }[]>;

/** One job on a machine of its own: a fresh checkout, its steps in order; artifacts are all it shares. */
async function runJob(workflow: Workflow, job: Job, id: string, contexts: Record<string, Record<string, string | number>>, artifacts: Artifacts): Promise<string> {
  const work = join(dir, 'gh', id);
  mkdirSync(work, { recursive: true });
  const summary = join(work, '..', `${id}.summary.md`);
  const env = (step: Step) => {
    const all: Record<string, string> = { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: work, GITHUB_STEP_SUMMARY: summary };
    for (const scope of [workflow.env, job.env, step.env]) for (const [k, v] of Object.entries(scope ?? {})) all[k] = expand(String(v), contexts);
    return all;
  };
  for (const step of job.steps) {
    const input = (key: string) => (step.with?.[key] === undefined ? undefined : expand(String(step.with[key]), contexts));
    if (step.run !== undefined) {
      assert.equal(workflow.defaults?.run?.shell, 'bash', 'run steps in bash, with pipefail');
      const script = join(work, '..', `${id}.step.sh`);
      writeFileSync(script, expand(step.run, contexts));
      // What `shell: bash` runs: bash --noprofile --norc -eo pipefail {0}.
      assertOk(await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], work, env(step)), `${id}: ${step.name ?? step.run}`);
    } else if (step.uses === 'actions/checkout@v4') {
      symlinkSync(join(repo, 'examples'), join(work, 'examples'));
    } else if (step.uses === 'actions/setup-node@v4') {
      // Node is already on PATH.
    } else if (step.uses === 'actions/upload-artifact@v4') {
      const name = input('name')!;
      const path = input('path')!;
      unexpanded(name + path);
      assert.ok(!artifacts.has(name), `two jobs upload an artifact named ${name} (upload-artifact@v4 refuses the second)`);
      assert.ok(existsSync(join(work, path)), `${id}: nothing at ${path} to upload`);
      // One file is stored under its own name (the least common ancestor of one path is its folder).
      artifacts.set(name, [{ name: basename(path), bytes: readFileSync(join(work, path)) }]);
    } else if (step.uses === 'actions/download-artifact@v4') {
      const pattern = new RegExp(`^${input('pattern')!.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      // A token and an id read the artifacts of a run through the REST API: this run's, here.
      if (input('run-id') !== undefined) assert.equal(input('run-id'), String(contexts.github.run_id), 'the artifacts of this run');
      const into = join(work, input('path') ?? '.');
      for (const [name, files] of artifacts) {
        if (!pattern.test(name)) continue;
        const folder = input('merge-multiple') === 'true' ? into : join(into, name);
        mkdirSync(folder, { recursive: true });
        for (const file of files) writeFileSync(join(folder, file.name), file.bytes);
      }
    } else {
      assert.fail(`${id}: the simulation does not run ${step.uses}`);
    }
  }
  return existsSync(summary) ? readFileSync(summary, 'utf8') : '';
}

test('the GitHub Actions example: its matrix jobs, run at once, each on its own checkout, and the merge job give the one-machine sweep byte for byte', async () => {
  const workflow = parseYaml(readFileSync(workflowFile, 'utf8')) as Workflow;
  const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => u !== undefined));
  assert.deepEqual([...new Set(uses)].sort(), ['actions/checkout@v4', 'actions/download-artifact@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4']);
  const [shardId, shardJob] = Object.entries(workflow.jobs).find(([, j]) => j.strategy?.matrix)!;
  const [mergeId, mergeJob] = Object.entries(workflow.jobs).find(([, j]) => [j.needs ?? []].flat().includes(shardId))!;
  const matrix = Object.entries(shardJob.strategy!.matrix!);
  assert.equal(matrix.length, 1, 'one dimension: the shard index');
  const [key, values] = matrix[0];
  const n = values.length;
  assert.ok(n >= 2);
  // Dispatched with a small number of seeds (the input's default is for real runs); 22 do not split evenly.
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(workflow.on.workflow_dispatch?.inputs ?? {})) inputs[name] = spec.default ?? '';
  assert.ok('seeds' in inputs, 'the number of seeds is an input of the workflow');
  inputs.seeds = '22';

  const artifacts: Artifacts = new Map();
  const github = { token: 'a-token', run_id: 77 };
  await Promise.all(
    values.map((value, index) =>
      runJob(workflow, shardJob, `${shardId}-${index}`, { github, matrix: { [key]: value as string | number }, strategy: { 'job-index': index, 'job-total': n }, inputs }, artifacts),
    ),
  );
  const summary = await runJob(workflow, mergeJob, mergeId, { github, inputs, strategy: { 'job-index': 0, 'job-total': 1 } }, artifacts);

  const commands = logged(commandLog).filter((c) => c.cwd.startsWith(join(dir, 'gh')));
  const sweep = sweepOfShards(commands, n);
  assert.equal(valueOf(sweep, '--seeds'), '22');
  const table = oneMachine(sweep, join(dir, 'gh', mergeId));
  assert.equal(summary, `\`\`\`\n${table}\`\`\`\n`, 'the run summary shows the one-machine table');
  assertMergesEqualOneMachine(commands, sweep, summary, join(dir, 'gh', mergeId));
  // What the merge job uploads is the merge's output file: the one-machine JSON.
  const uploaded = [...artifacts].filter(([name]) => !/^shard-/.test(name));
  assert.equal(uploaded.length, 1);
  assert.equal(uploaded[0][1][0].bytes.toString('utf8'), oneMachine([...sweep, '--json'], join(dir, 'gh', mergeId)));
  assert.equal(readdirSync(join(dir, 'gh', mergeId, 'shards')).length, n, 'the merge job downloaded every shard into one folder');
});
