/**
 * `il-notebooks eval` and `il-notebooks sweep`: exact values and BC sweeps on an .ilmdp file's MDP and
 * experts, as a table (what the panels show) or as JSON.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { planGapVsHorizonOn, planGapVsSamplesOn, runSweepPlan, type SweepPlan } from '../core/experiments';
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

export class UsageError extends Error {}

export interface Flags {
  readonly positional: string[];
  readonly values: Map<string, string>;
  readonly switches: Set<string>;
}

/** `--name value` pairs and `--switch`es; `valueFlags` names the flags that take a value. */
export function parseFlags(args: readonly string[], valueFlags: readonly string[], switchFlags: readonly string[]): Flags {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) positional.push(arg);
    else if (valueFlags.includes(arg)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      values.set(arg, value);
    } else if (switchFlags.includes(arg)) switches.add(arg);
    else throw new UsageError(`unknown option ${arg}`);
  }
  return { positional, values, switches };
}

function integerList(text: string | undefined, flag: string): number[] {
  if (text === undefined) throw new UsageError(`${flag} is required (a comma-separated list of positive integers, e.g. 1,2,4,8)`);
  const list = text.split(',').map((t) => Number(t.trim()));
  if (list.length === 0 || !list.every((n) => Number.isInteger(n) && n >= 1)) throw new UsageError(`${flag} must list positive integers, got "${text}"`);
  return list;
}

function load(file: string | undefined): LoadedExperiment {
  if (!file) throw new UsageError('give an .ilmdp file');
  return loadIlmdp(file);
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

export const EVAL_USAGE = `usage: il-notebooks eval FILE.ilmdp [--policy NAME] [--visitation] [--json]
  V(π) of a policy of the file by exact backward induction; --visitation adds d^π_h(s).`;

export function evalCommand(args: readonly string[], write: (text: string) => void): number {
  const flags = parseFlags(args, ['--policy'], ['--visitation', '--json']);
  const experiment = load(flags.positional[0]);
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
  gap-vs-h: mean imitation gap for each horizon (one N); gap-vs-n: for each N, at the file's horizon.
  On a generated MDP (mdp: generator: …) each point is the generator's instance at its H, and at its N
  for rho: lower-bound (the file's N is then only the file's own instance), with that instance's own
  expert for a builtin one: the same instances as the core's gapVsHorizon / gapVsSamples.
  --algorithm   the learner: ${ALGORITHM_NAMES.join(', ')} (default bc; docs/algorithms.md); every learner
                gets the same N expert trajectories per seed, DAgger spends half of them as expert queries
  --workers W   threads (default: one per core for large sweeps, this thread for small ones)
  --shard I/N   run only the I-th of N slices of the seeds and print them as JSON for il-notebooks merge`;

export const MERGE_USAGE = `usage: il-notebooks merge SHARD.json… [--json]
  combines the shards of one sweep (il-notebooks sweep … --shard I/N) into the sweep's table or JSON.`;


interface ShardFile {
  readonly format: 'il-notebooks-shard';
  readonly version: 1;
  /** The sweep's arguments (without --shard, --workers, --json), so merge can rebuild the same plan. */
  readonly args: readonly string[];
  readonly shard: number;
  readonly of: number;
  readonly gaps: readonly (readonly number[])[];
}

/** The plan of a sweep command line, and its flags. */
function sweepPlanOf(args: readonly string[]): { plan: SweepPlan; flags: Flags; label: string } {
  const flags = parseFlags(args, ['--expert', '--n', '--horizons', '--seeds', '--algorithm', '--mode', '--seed', '--workers', '--shard'], ['--json']);
  const [kind, file] = flags.positional;
  if (kind !== 'gap-vs-h' && kind !== 'gap-vs-n') throw new UsageError('the first argument is gap-vs-h or gap-vs-n');
  const experiment = load(file);
  const { name } = policyOf(experiment, flags.values.get('--expert'), '--expert');
  const seeds = integerList(flags.values.get('--seeds'), '--seeds');
  if (seeds.length !== 1) throw new UsageError('--seeds takes one number');
  const mode = flags.values.get('--mode') ?? 'per-step';
  if (mode !== 'per-step' && mode !== 'pooled') throw new UsageError('--mode is per-step or pooled');
  const algorithm = flags.values.get('--algorithm') ?? 'bc';
  if (!isAlgorithmName(algorithm)) throw new UsageError(`--algorithm is one of ${ALGORITHM_NAMES.join(', ')}, got "${algorithm}"`);
  const options = { seeds: seeds[0], mode, algorithm, baseSeed: flags.values.get('--seed') ?? 0 } as const;
  const env = sweepEnvironment(experiment, name);
  if (kind === 'gap-vs-h') {
    const N = integerList(flags.values.get('--n'), '--n');
    if (N.length !== 1) throw new UsageError('gap-vs-h takes one --n');
    const plan = planGapVsHorizonOn(env, { ...options, N: N[0], horizons: integerList(flags.values.get('--horizons'), '--horizons') });
    return { plan, flags, label: `${kind} ${file}` };
  }
  if (flags.values.has('--horizons')) throw new UsageError("gap-vs-n runs at the file's horizon; --horizons belongs to gap-vs-h");
  const plan = planGapVsSamplesOn(env, { ...options, sampleSizes: integerList(flags.values.get('--n'), '--n') });
  return { plan, flags, label: `${kind} ${file}` };
}

function shardOf(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && i >= 1 && i <= n)) throw new UsageError(`--shard takes I/N with 1 ≤ I ≤ N, got "${text}"`);
  return { index: i - 1, count: n };
}

export async function sweepCommand(args: readonly string[], write: (text: string) => void, workerScript = defaultSweepWorker()): Promise<number> {
  const { plan, flags, label } = sweepPlanOf(args);
  const shard = shardOf(flags.values.get('--shard'));
  const transitions = sampledTransitions(plan);
  const requested = flags.values.has('--workers') ? integerList(flags.values.get('--workers'), '--workers')[0] : undefined;
  const workers = requested ?? (transitions >= POOL_THRESHOLD_TRANSITIONS ? availableParallelism() : 1);
  const progress = createProgress(label);
  const control = { onProgress: (done: number, total: number) => progress.update(done, total) };
  try {
    if (shard) {
      const pool = new SweepPool(nodeWorker(workerScript), workers);
      try {
        const gaps = await pool.gaps(plan, { ...control, shard });
        const kept = args.filter((a, i) => !['--shard', '--workers'].includes(a) && !['--shard', '--workers'].includes(args[i - 1]) && a !== '--json');
        const file: ShardFile = { format: 'il-notebooks-shard', version: 1, args: kept, shard: shard.index + 1, of: shard.count, gaps: gaps.map((g) => Array.from(g)) };
        write(`${JSON.stringify(file)}\n`);
        return 0;
      } finally {
        await pool.dispose();
      }
    }
    const result = workers > 1 ? await runSweepPlanInPool(plan, { ...control, factory: nodeWorker(workerScript), workers }) : runSweepPlan(plan, control);
    write(flags.switches.has('--json') ? `${JSON.stringify(result)}\n` : `${formatSweepTable(result)}\n`);
    return 0;
  } finally {
    progress.finish();
  }
}

export function mergeCommand(args: readonly string[], write: (text: string) => void): number {
  const flags = parseFlags(args, [], ['--json']);
  if (flags.positional.length === 0) throw new UsageError('give the shard files');
  const shards = flags.positional.map((path) => {
    let parsed: ShardFile;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as ShardFile;
    } catch (error) {
      throw new UsageError(`${path}: not a shard file (${error instanceof Error ? error.message : String(error)})`);
    }
    if (parsed.format !== 'il-notebooks-shard' || parsed.version !== 1 || !Array.isArray(parsed.gaps)) throw new UsageError(`${path}: not a shard file of il-notebooks sweep`);
    return { path, ...parsed };
  });
  const { args: sweepArgs, of } = shards[0];
  for (const s of shards) {
    if (JSON.stringify(s.args) !== JSON.stringify(sweepArgs) || s.of !== of) throw new UsageError(`${s.path} belongs to a different sweep than ${shards[0].path}`);
  }
  const present = new Set(shards.map((s) => s.shard));
  const missing = Array.from({ length: of }, (_, i) => i + 1).filter((i) => !present.has(i));
  if (missing.length > 0 || shards.length !== of) throw new UsageError(`shards ${missing.join(', ') || '(duplicates)'} of ${of} are missing or repeated`);
  const { plan } = sweepPlanOf(sweepArgs);
  const ordered = [...shards].sort((a, b) => a.shard - b.shard).map((s) => s.gaps.map((g) => Float64Array.from(g)));
  const result = mergeShards(plan, ordered);
  write(flags.switches.has('--json') ? `${JSON.stringify(result)}\n` : `${formatSweepTable(result)}\n`);
  return 0;
}

function defaultSweepWorker(): string {
  return join(__dirname, '..', 'sweepWorker.js');
}

/** Usage errors and .ilmdp problems become messages and exit code 2 / 1; anything else is a bug and propagates. */
export async function runExperimentCommand(
  command: (args: readonly string[], write: (t: string) => void) => number | Promise<number>,
  usage: string,
  args: readonly string[],
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
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
      return 1;
    }
    if (error instanceof CoreError) {
      console.error(`il-notebooks: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
