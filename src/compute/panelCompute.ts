/**
 * What a panel shows, computed from the .ilmdp text it follows: runs in the compute worker (never on the
 * extension host), and has no `vscode` import so it is tested in plain Node. A file with problems yields
 * a PanelProblems error listing them with file:line:col, which the panel shows instead of a stale chart.
 */
import { behavioralCloning } from '../core/bc';
import { CoreError } from '../core/errors';
import { planGapVsHorizonOn, planGapVsSamplesOn, prepareSweep, runSweepPlan, type SweepControl, type SweepPlan, type SweepResult } from '../core/experiments';
import type { Policy } from '../core/policy';
import { IlmdpLoadError, loadIlmdp, type LoadedExperiment } from '../ilmdp/load';
import { sweepEnvironment } from '../ilmdp/sweepEnvironment';
import { ALGORITHM_LABELS, type AlgorithmName } from '../core/algorithmNames';
import { parseGridMap } from '../core/envs/gridMap';
import { bcTableView, comparisonPlotView, heatmapView, plotView } from '../shared/buildViews';
import type { PanelParams, PanelResult, PanelSource } from '../shared/panelProtocol';
import type { View } from '../shared/viewModels';
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';

/** The file cannot give this panel what it needs; each line says where and what to do. */
export class PanelProblems extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'PanelProblems';
  }
}

/** Runs a sweep plan; the worker passes one that uses a pool of threads for big sweeps. */
export type SweepRunner = (plan: SweepPlan, control: SweepControl) => Promise<SweepResult>;

const runInThisThread: SweepRunner = async (plan, control) => {
  await prepareSweep(plan);
  return runSweepPlan(plan, control);
};

function load(source: PanelSource, datasets: readonly string[]): LoadedExperiment {
  // Datasets stored beside the file are read from disk; the .ilmdp itself from the editor's (maybe unsaved) text.
  const readText = (file: string) => (file === source.file ? source.text : readFileSync(file, 'utf8'));
  try {
    return loadIlmdp(source.file, readText, { datasets, ...(source.datasetFiles ? { files: source.datasetFiles } : {}) });
  } catch (error) {
    if (error instanceof IlmdpLoadError) throw new PanelProblems(error.problems);
    throw error;
  }
}

function choose(kind: 'expert' | 'dataset', wanted: string | undefined, available: readonly string[], file: string): string {
  if (wanted !== undefined) {
    if (available.includes(wanted)) return wanted;
    const list = available.length > 0 ? available.join(', ') : 'none';
    throw new PanelProblems([`${file}:1:1: error: there is no ${kind} named "${wanted}" in ${basename(file)} (it has: ${list}); choose another in the panel`]);
  }
  if (available.length > 0) return available[0];
  const how =
    kind === 'expert'
      ? 'add one under `experts:` (e.g. `expert: { s0: a0 }`)'
      : 'add one under `datasets:` (e.g. `demo: { from: expert, trajectories: 40, seed: 1 }`) or use Generate dataset in the IL MDP editor';
  throw new PanelProblems([`${file}:1:1: error: ${basename(file)} has no ${kind}; ${how}`]);
}

interface Loaded {
  readonly experiment: LoadedExperiment;
  readonly expertName: string;
  readonly expert: Policy;
  readonly datasetName?: string;
}

/** Parses once without datasets to learn the names, then realises only the dataset the panel uses. */
function loadFor(source: PanelSource, params: PanelParams, needsDataset: boolean): Loaded {
  const names = load(source, []);
  const expertName = choose('expert', params.expert, Object.keys(names.experts), source.file);
  if (!needsDataset) return { experiment: names, expertName, expert: names.experts[expertName] };
  const wanted = 'dataset' in params ? params.dataset : undefined;
  const datasetName = choose('dataset', wanted, names.datasetNames, source.file);
  const experiment = load(source, [datasetName]);
  return { experiment, expertName, expert: experiment.experts[expertName], datasetName };
}

/**
 * One learner: the sweep's own plot (mean, closed form, bounds, slope). Several: one mean series each,
 * with its slope in the legend, on the same datasets (the seeds do not depend on the learner), and the
 * bound once.
 */
async function sweepView(plans: readonly { algorithm: AlgorithmName; plan: SweepPlan }[], control: SweepControl, runSweep: SweepRunner, title: string): Promise<View> {
  const total = plans.reduce((n, p) => n + p.plan.points.reduce((m, point) => m + point.seeds, 0), 0);
  const results: { label: string; result: SweepResult }[] = [];
  let before = 0;
  for (const { algorithm, plan } of plans) {
    const result = await runSweep(plan, { ...control, onProgress: (done) => control.onProgress?.(before + done, total) });
    before += plan.points.reduce((m, point) => m + point.seeds, 0);
    results.push({ label: ALGORITHM_LABELS[algorithm], result });
  }
  if (results.length === 1) return plotView(results[0].result, title);
  const comparison = comparisonPlotView(results, title);
  const first = results[0].result;
  const bound = { name: 'bound min{H, |S|H²/N}', role: 'bound' as const, points: first.rows.map((r) => ({ x: r.x, y: r.bound })) };
  return { ...comparison, series: [...comparison.series, bound], notes: [...comparison.notes, `bound: ${first.boundFormula}`] };
}

export async function computePanel(source: PanelSource, params: PanelParams, control: SweepControl = {}, runSweep: SweepRunner = runInThisThread): Promise<PanelResult> {
  const needsDataset = params.kind === 'bc-table' || (params.kind === 'heatmap' && params.policy !== 'expert');
  const { experiment, expertName, expert, datasetName } = loadFor(source, params, needsDataset);
  const { mdp } = experiment;
  const file = basename(source.file);
  let view: View;
  try {
    switch (params.kind) {
      case 'heatmap': {
        // A gridworld's visitation is drawn on its map too.
        const spec = experiment.generator;
        const grid = spec?.kind === 'gridworld' ? parseGridMap(spec.map) : undefined;
        if (params.policy === 'expert') {
          view = heatmapView(mdp, expert, { grid, stateAction: params.stateAction, title: `${params.stateAction ? 'd_h(s, a)' : 'd_h(s)'} of expert "${expertName}" · ${file}` });
        } else {
          const bc = behavioralCloning(experiment.datasets[datasetName!], { horizon: mdp.H });
          view =
            params.policy === 'bc'
              ? heatmapView(mdp, bc, { grid, stateAction: params.stateAction, title: `${params.stateAction ? 'd_h(s, a)' : 'd_h(s)'} of BC on "${datasetName}" · ${file}` })
              : heatmapView(mdp, expert, { grid, minus: bc, title: `d^E_h(s) − d^BC_h(s): expert "${expertName}" minus BC on "${datasetName}" · ${file}` });
        }
        break;
      }
      case 'bc-table': {
        const dataset = experiment.datasets[datasetName!];
        const bc = behavioralCloning(dataset, { mode: params.mode, horizon: mdp.H });
        // A gridworld's BC policy is drawn on its map too, as a notebook's display(bc, { on }) draws it.
        view = bcTableView(bc, { mdp, dataset, expert, ...(experiment.grid ? { grid: experiment.grid, name: 'BC' } : {}), title: `π^BC_h(a|s) from "${datasetName}" (N = ${dataset.N}, ${params.mode}) · ${file}` });
        break;
      }
      case 'gap-vs-H': {
        const env = sweepEnvironment(experiment, expertName);
        const plans = (params.algorithms ?? ['bc']).map((algorithm) => ({
          algorithm,
          plan: planGapVsHorizonOn(env, { N: params.N, horizons: params.horizons, seeds: params.seeds, mode: params.mode, baseSeed: params.baseSeed, algorithm }),
        }));
        view = await sweepView(plans, control, runSweep, `Imitation gap vs H · expert "${expertName}" · ${file}`);
        break;
      }
      case 'gap-vs-N': {
        const env = sweepEnvironment(experiment, expertName);
        const plans = (params.algorithms ?? ['bc']).map((algorithm) => ({
          algorithm,
          plan: planGapVsSamplesOn(env, { H: params.H, sampleSizes: params.sampleSizes, seeds: params.seeds, mode: params.mode, baseSeed: params.baseSeed, algorithm }),
        }));
        view = await sweepView(plans, control, runSweep, `Imitation gap vs N · expert "${expertName}" · ${file}`);
        break;
      }
    }
  } catch (error) {
    // A parameter the core rejects (a per-step expert swept past its horizon, …) is the user's to fix.
    if (error instanceof CoreError && error.code === 'argument') throw new PanelProblems([`${source.file}:1:1: error: ${error.message}`]);
    throw error;
  }
  return {
    view,
    experts: Object.keys(experiment.experts),
    datasets: experiment.datasetNames,
    used: { expert: expertName, ...(datasetName !== undefined ? { dataset: datasetName } : {}) },
  };
}
