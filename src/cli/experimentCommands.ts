/**
 * `il-notebooks eval` and `il-notebooks sweep`: exact values and BC sweeps on an .ilmdp file's MDP and
 * experts, as a table (what the panels show) or as JSON.
 */
import { gapVsHorizonOn, gapVsSamplesOn, formatSweepTable, type SweepResult } from '../core/experiments';
import { CoreError } from '../core/errors';
import { evaluateBackward } from '../core/evaluation';
import { IlmdpLoadError, loadIlmdp, type LoadedExperiment } from '../ilmdp/load';
import { heatmapView } from '../shared/buildViews';
import { heatmapText } from '../shared/viewText';
import { createProgress } from './progress';

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
                        [--mode per-step|pooled] [--seed BASE] [--json]
  gap-vs-h: mean BC imitation gap for each horizon (one N); gap-vs-n: for each N, at the file's horizon.`;

export function sweepCommand(args: readonly string[], write: (text: string) => void): number {
  const flags = parseFlags(args, ['--expert', '--n', '--horizons', '--seeds', '--mode', '--seed'], ['--json']);
  const [kind, file] = flags.positional;
  if (kind !== 'gap-vs-h' && kind !== 'gap-vs-n') throw new UsageError('the first argument is gap-vs-h or gap-vs-n');
  const experiment = load(file);
  const { policy } = policyOf(experiment, flags.values.get('--expert'), '--expert');
  const seeds = integerList(flags.values.get('--seeds'), '--seeds');
  if (seeds.length !== 1) throw new UsageError('--seeds takes one number');
  const mode = flags.values.get('--mode') ?? 'per-step';
  if (mode !== 'per-step' && mode !== 'pooled') throw new UsageError('--mode is per-step or pooled');
  const options = { seeds: seeds[0], mode, baseSeed: flags.values.get('--seed') ?? 0 } as const;
  const env = { mdp: experiment.mdp, expert: policy, description: experiment.description ?? experiment.file };
  const progress = createProgress(`${kind} ${file}`);
  const control = { onProgress: (done: number, total: number) => progress.update(done, total) };
  let result: SweepResult;
  try {
    if (kind === 'gap-vs-h') {
      const N = integerList(flags.values.get('--n'), '--n');
      if (N.length !== 1) throw new UsageError('gap-vs-h takes one --n');
      result = gapVsHorizonOn(env, { ...options, N: N[0], horizons: integerList(flags.values.get('--horizons'), '--horizons') }, control);
    } else {
      if (flags.values.has('--horizons')) throw new UsageError('gap-vs-n runs at the file\'s horizon; --horizons belongs to gap-vs-h');
      result = gapVsSamplesOn(env, { ...options, sampleSizes: integerList(flags.values.get('--n'), '--n') }, control);
    }
  } finally {
    progress.finish();
  }
  write(flags.switches.has('--json') ? `${JSON.stringify(result)}\n` : `${formatSweepTable(result)}\n`);
  return 0;
}

/** Usage errors and .ilmdp problems become messages and exit code 2 / 1; anything else is a bug and propagates. */
export function runExperimentCommand(command: (args: readonly string[], write: (t: string) => void) => number, usage: string, args: readonly string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  try {
    return command(args, (t) => process.stdout.write(t));
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
