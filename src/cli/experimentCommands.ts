/**
 * `il-notebooks eval` and `il-notebooks sweep`: exact values and BC sweeps on an .ilmdp file's MDP and
 * experts, as a table (what the panels show) or as JSON.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planGapVsHorizonOn, planGapVsSamplesOn, prepareSweep, runSweepPlan, type SweepPlan } from '../core/experiments';
import { mergeShards, POOL_THRESHOLD_TRANSITIONS, runSweepPlanInPool, sampledTransitions, SweepPool } from '../parallel/sweepPool';
import { nodeWorker } from '../workers/nodeWorker';
import { ALGORITHM_NAMES, isAlgorithmName } from '../core/algorithmNames';
import { CoreError } from '../core/errors';
import { evaluateBackward } from '../core/evaluation';
import { IlmdpLoadError, loadIlmdp, type LoadedExperiment } from '../ilmdp/load';
import { heatmapView } from '../shared/buildViews';
import { formatSweepTable, heatmapText } from '../shared/viewText';
import { createProgress } from './progress';
import { sweepEnvironment } from '../ilmdp/sweepEnvironment';
import { cliDatasetAccess } from './check';
import { prepareOutputFile, writeOutputFile } from './outputFile';
import { readShard, sha256, SHARD_FORMAT, SHARD_VERSION, shardPaths, wholeSweep, withoutFlags, type ShardFile } from './shardFiles';
import { UsageError } from './usageError';

export { UsageError } from './usageError';

export interface Flags {
  readonly positional: string[];
  readonly values: Map<string, string>;
  readonly switches: Set<string>;
}

/**
 * `--name value` pairs and `--switch`es; `valueFlags` names the flags that take a value. Anything else
 * that starts with `-` is an unknown option (a typo must not become a file name); after `--` every
 * argument is positional.
 */
export function parseFlags(args: readonly string[], valueFlags: readonly string[], switchFlags: readonly string[]): Flags {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') positional.push(arg);
    else if (valueFlags.includes(arg)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      values.set(arg, value);
    } else if (switchFlags.includes(arg)) switches.add(arg);
    else throw new UsageError(`unknown option ${arg}`);
  }
  return { positional, values, switches };
}

/**
 * The documented maxima of the sweep's numbers (SWEEP_USAGE). They keep one command from asking for
 * more than a machine has: a dataset holds N·H cells of each of two Int32 arrays, a point one Float64
 * per seed, and each worker is a thread with its own heap.
 */
export const SWEEP_LIMITS = {
  seeds: 1_000_000,
  n: 1_000_000,
  horizon: 100_000,
  /** N·H of one dataset: the bound of a dataset file's cells too (MAX_DATASET_PAIRS). */
  cells: 100_000_000,
  points: 64,
  workers: 64,
  shards: 10_000,
} as const;

/** A whole number written in digits (no 1e9, 0x10, 2.0 or Infinity), within 1…max. */
function integerIn(text: string, flag: string, max: number): number {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= max)) throw new UsageError(`${flag} takes whole numbers from 1 to ${max}, got "${text}"`);
  return n;
}

function integerList(text: string | undefined, flag: string, max: number, maxCount: number = SWEEP_LIMITS.points): number[] {
  if (text === undefined) throw new UsageError(`${flag} is required (a comma-separated list of positive integers, e.g. 1,2,4,8)`);
  const parts = text.split(',');
  if (parts.length > maxCount) throw new UsageError(`${flag} lists at most ${maxCount} values, got ${parts.length}`);
  return parts.map((t) => integerIn(t, flag, max));
}

function integerFlag(flags: Flags, flag: string, max: number): number | undefined {
  const text = flags.values.get(flag);
  return text === undefined ? undefined : integerIn(text, flag, max);
}

function load(file: string | undefined, flags: Flags): LoadedExperiment {
  if (!file) throw new UsageError('give an .ilmdp file');
  return loadIlmdp(file, undefined, { files: cliDatasetAccess(file, { allowOutsideFiles: flags.switches.has('--allow-outside-files') }) });
}

function policyOf(experiment: LoadedExperiment, name: string | undefined, flag: string) {
  const names = Object.keys(experiment.experts);
  if (!name) {
    if (names.length === 1) return { name: names[0], policy: experiment.experts[names[0]] };
    throw new UsageError(`${flag} NAME is required; ${experiment.file} defines ${names.length ? names.join(', ') : 'no experts'}`);
  }
  const policy = experiment.experts[name];
  if (!policy) throw new UsageError(`${experiment.file} has no expert "${name}"; it defines ${names.join(', ') || 'none'}`);
  return { name, policy };
}

export const EVAL_USAGE = `usage: il-notebooks eval FILE.ilmdp [--policy NAME] [--visitation] [--json] [--allow-outside-files]
  V(π) of a policy of the file by exact backward induction; --visitation adds d^π_h(s).
  --allow-outside-files  read dataset files outside the .ilmdp's folder and the current directory`;

function onePositional(flags: Flags, what: string): void {
  if (flags.positional.length > 1) throw new UsageError(`one ${what}, got ${flags.positional.length}: ${flags.positional.join(' ')}`);
}

export function evalCommand(args: readonly string[], write: (text: string) => void): number {
  const flags = parseFlags(args, ['--policy'], ['--visitation', '--json', '--allow-outside-files']);
  onePositional(flags, '.ilmdp file');
  const experiment = load(flags.positional[0], flags);
  const { name, policy } = policyOf(experiment, flags.values.get('--policy'), '--policy');
  const { mdp } = experiment;
  const value = evaluateBackward(mdp, policy).value;
  const view = flags.switches.has('--visitation') ? heatmapView(mdp, policy, { title: `d^π_h(s) of ${name}`, maxCells: Number.MAX_SAFE_INTEGER }) : undefined;
  if (flags.switches.has('--json')) {
    const visitation = view ? Array.from({ length: mdp.H }, (_, h) => view.values.slice(h * mdp.nS, (h + 1) * mdp.nS)) : undefined;
    write(`${JSON.stringify({ file: experiment.file, policy: name, H: mdp.H, value, ...(visitation ? { states: mdp.stateNames ?? [], visitation } : {}) })}\n`);
  } else {
    write(`V(${name}) = ${value}   (H = ${mdp.H}, |S| = ${mdp.nS}, |A| = ${mdp.nA})\n`);
    if (view) write(`${heatmapText(view)}\n`);
  }
  return 0;
}

export const SWEEP_USAGE = `usage: il-notebooks sweep gap-vs-h|gap-vs-n FILE.ilmdp [--expert NAME] --n N[,N…] [--horizons H,H…] --seeds K
                        [--algorithm NAME] [--mode per-step|pooled] [--seed BASE] [--workers W] [--shard I/N] [--json]
                        [--out FILE] [--allow-outside-files]
  gap-vs-h: mean imitation gap for each horizon (one N); gap-vs-n: for each N, at the file's horizon.
  On a generated MDP (mdp: generator: …) each point is the generator's instance at its H, and at its N
  for rho: lower-bound (the file's N is then only the file's own instance), with that instance's own
  expert for a builtin one: the same instances as the core's gapVsHorizon / gapVsSamples.
  --algorithm   the learner: ${ALGORITHM_NAMES.join(', ')} (default bc; docs/algorithms.md); every learner
                gets the same N expert trajectories per seed, DAgger spends half of them as expert queries
  --workers W   threads (default: one per core for large sweeps, this thread for small ones)
  --shard I/N   run only the I-th of N slices of the seeds (I = 1…N) and print them as JSON for
                il-notebooks merge (docs/sweeps-at-scale.md)
  --out FILE    write the table, the JSON or the shard to FILE instead of stdout (its folder is created;
                the file appears only once it is complete)
  --allow-outside-files  read dataset files outside the .ilmdp's folder and the current directory
  Limits: --seeds K ≤ ${SWEEP_LIMITS.seeds}; each N ≤ ${SWEEP_LIMITS.n} and H ≤ ${SWEEP_LIMITS.horizon}, with N·H ≤ ${SWEEP_LIMITS.cells};
  at most ${SWEEP_LIMITS.points} values in --n or --horizons; --workers W ≤ ${SWEEP_LIMITS.workers}; --shard N ≤ ${SWEEP_LIMITS.shards}.
  Progress goes to stderr.`;

export const MERGE_USAGE = `usage: il-notebooks merge SHARD.json|FOLDER… [--json] [--out FILE]
  combines the shards of one sweep (il-notebooks sweep … --shard I/N) into the sweep's table or JSON,
  the very same as the sweep run in one place. A FOLDER stands for the .json files in it. Every shard
  1…N must be given once, from the same arguments and the same .ilmdp file, which merge reads again
  at the path the sweep was given (run it where the sweep ran: docs/sweeps-at-scale.md).
  --out FILE    write the result to FILE instead of stdout (its folder is created)`;

/** Flags that change where and how a sweep runs, not what it computes: a shard's arguments leave them out. */
const RUN_ONLY_VALUE_FLAGS = ['--shard', '--workers', '--out'];
const RUN_ONLY_SWITCHES = ['--json'];

/** The plan of a sweep command line, its flags, and the hash of the .ilmdp file it was planned from. */
function sweepPlanOf(args: readonly string[]): { plan: SweepPlan; flags: Flags; label: string; file: string; ilmdpSha256: string } {
  const flags = parseFlags(args, ['--expert', '--n', '--horizons', '--seeds', '--algorithm', '--mode', '--seed', '--workers', '--shard', '--out'], ['--json', '--allow-outside-files']);
  const [kind, file] = flags.positional;
  if (kind !== 'gap-vs-h' && kind !== 'gap-vs-n') throw new UsageError('the first argument is gap-vs-h or gap-vs-n');
  if (flags.positional.length > 2) throw new UsageError(`one .ilmdp file, got ${flags.positional.slice(1).join(' ')}`);
  // The numbers are checked before the file is read: a wrong flag is reported without waiting for a load.
  const seeds = integerList(flags.values.get('--seeds'), '--seeds', SWEEP_LIMITS.seeds);
  if (seeds.length !== 1) throw new UsageError('--seeds takes one number');
  const sampleSizes = integerList(flags.values.get('--n'), '--n', SWEEP_LIMITS.n);
  const horizons = flags.values.has('--horizons') ? integerList(flags.values.get('--horizons'), '--horizons', SWEEP_LIMITS.horizon) : undefined;
  integerFlag(flags, '--workers', SWEEP_LIMITS.workers);
  shardOf(flags.values.get('--shard'));
  const experiment = load(file, flags);
  // Hashed after the load has accepted the path (it reports a missing file or a folder as a bad path).
  const ilmdpSha256 = sha256(readFileSync(file!));
  const { name } = policyOf(experiment, flags.values.get('--expert'), '--expert');
  const cells = (N: number, H: number) => {
    if (N * H > SWEEP_LIMITS.cells) throw new UsageError(`N·H = ${N}·${H} is more than the ${SWEEP_LIMITS.cells} (trajectory, step) cells a dataset may have; lower --n or the horizon`);
  };
  const mode = flags.values.get('--mode') ?? 'per-step';
  if (mode !== 'per-step' && mode !== 'pooled') throw new UsageError('--mode is per-step or pooled');
  const algorithm = flags.values.get('--algorithm') ?? 'bc';
  if (!isAlgorithmName(algorithm)) throw new UsageError(`--algorithm is one of ${ALGORITHM_NAMES.join(', ')}, got "${algorithm}"`);
  const options = { seeds: seeds[0], mode, algorithm, baseSeed: flags.values.get('--seed') ?? 0 } as const;
  const env = sweepEnvironment(experiment, name);
  if (kind === 'gap-vs-h') {
    if (sampleSizes.length !== 1) throw new UsageError('gap-vs-h takes one --n');
    if (!horizons) throw new UsageError('--horizons is required (a comma-separated list of positive integers, e.g. 1,2,4,8)');
    for (const H of horizons) cells(sampleSizes[0], H);
    const plan = planGapVsHorizonOn(env, { ...options, N: sampleSizes[0], horizons });
    return { plan, flags, label: `${kind} ${file}`, file: file!, ilmdpSha256 };
  }
  if (horizons) throw new UsageError("gap-vs-n runs at the file's horizon; --horizons belongs to gap-vs-h");
  for (const N of sampleSizes) cells(N, experiment.mdp.H);
  const plan = planGapVsSamplesOn(env, { ...options, sampleSizes });
  return { plan, flags, label: `${kind} ${file}`, file: file!, ilmdpSha256 };
}

function shardOf(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && n <= SWEEP_LIMITS.shards && i >= 1 && i <= n)) {
    // A job array's index from 0 (Slurm's --array=0-…, a matrix of 0…N−1) is the likely slip.
    const hint = m && i === 0 && n >= 1 ? ': shards are numbered from 1, so a job array runs 1/N … N/N (Slurm: --array=1-N)' : '';
    throw new UsageError(`--shard takes I/N with 1 ≤ I ≤ N ≤ ${SWEEP_LIMITS.shards}, got "${text}"${hint}`);
  }
  return { index: i - 1, count: n };
}

export async function sweepCommand(args: readonly string[], write: (text: string) => void, workerScript = defaultSweepWorker()): Promise<number> {
  const { plan, flags, label, ilmdpSha256 } = sweepPlanOf(args);
  const shard = shardOf(flags.values.get('--shard'));
  const out = flags.values.get('--out');
  if (out !== undefined) prepareOutputFile('--out', out);
  const emit = (text: string) => (out === undefined ? write(text) : writeOutputFile(out, text));
  const transitions = sampledTransitions(plan);
  const requested = integerFlag(flags, '--workers', SWEEP_LIMITS.workers);
  const workers = requested ?? (transitions >= POOL_THRESHOLD_TRANSITIONS ? availableParallelism() : 1);
  const total = plan.points.reduce((n, p) => n + p.seeds, 0);
  const progress = createProgress(label, process.stderr, { total });
  const control = { onProgress: (done: number, total: number) => progress.update(done, total) };
  try {
    if (shard) {
      const pool = new SweepPool(nodeWorker(workerScript), workers);
      try {
        const gaps = await pool.gaps(plan, { ...control, shard });
        const file: ShardFile = {
          format: SHARD_FORMAT,
          version: SHARD_VERSION,
          args: withoutFlags(args, RUN_ONLY_VALUE_FLAGS, RUN_ONLY_SWITCHES),
          ilmdpSha256,
          shard: shard.index + 1,
          of: shard.count,
          gaps: gaps.map((g) => Array.from(g)),
        };
        emit(`${JSON.stringify(file)}\n`);
        return 0;
      } finally {
        await pool.dispose();
      }
    }
    if (workers <= 1) await prepareSweep(plan);
    const result = workers > 1 ? await runSweepPlanInPool(plan, { ...control, factory: nodeWorker(workerScript), workers }) : runSweepPlan(plan, control);
    emit(flags.switches.has('--json') ? `${JSON.stringify(result)}\n` : `${formatSweepTable(result)}\n`);
    return 0;
  } finally {
    progress.finish();
  }
}

export function mergeCommand(args: readonly string[], write: (text: string) => void): number {
  const flags = parseFlags(args, ['--out'], ['--json']);
  if (flags.positional.length === 0) throw new UsageError('give the shard files, or the folder that holds them');
  const out = flags.values.get('--out');
  if (out !== undefined) prepareOutputFile('--out', out);
  const shards = wholeSweep(shardPaths(flags.positional).map(readShard));
  const first = shards[0];
  const { plan, file, ilmdpSha256 } = sweepPlanOf(first.args);
  if (ilmdpSha256 !== first.ilmdpSha256) {
    throw new UsageError(`${file} is not the file the shards were computed from (its contents changed since): merge with the version of it that the sweep read`);
  }
  for (const s of shards) {
    if (s.gaps.length !== plan.points.length) throw new UsageError(`${s.path}: a damaged shard file (${s.gaps.length} points of gaps, the sweep has ${plan.points.length})`);
  }
  const result = mergeShards(
    plan,
    shards.map((s) => s.gaps.map((g) => Float64Array.from(g))),
  );
  const text = flags.switches.has('--json') ? `${JSON.stringify(result)}\n` : `${formatSweepTable(result)}\n`;
  if (out === undefined) write(text);
  else writeOutputFile(out, text);
  return 0;
}

function defaultSweepWorker(): string {
  return join(__dirname, '..', 'sweepWorker.js');
}

/**
 * `--help`/`-h` (before any `--`) prints the usage; usage errors, files that cannot be read and .ilmdp
 * problems become messages and exit code 2 / 2 / 1; anything else is a bug and propagates.
 */
export async function runExperimentCommand(
  command: (args: readonly string[], write: (t: string) => void) => number | Promise<number>,
  usage: string,
  args: readonly string[],
): Promise<number> {
  const options = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (options.includes('--help') || options.includes('-h')) {
    console.log(usage);
    return 0;
  }
  try {
    return await command(args, (t) => process.stdout.write(t));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`il-notebooks: ${error.message}\n${usage}`);
      return 2;
    }
    if (error instanceof IlmdpLoadError) {
      console.error(error.problems.join('\n'));
      return error.unreadable ? 2 : 1;
    }
    if (error instanceof CoreError) {
      console.error(`il-notebooks: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
