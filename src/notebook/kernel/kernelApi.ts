/**
 * What a notebook cell sees as `il`: the core, with long computations stopping on the kernel's
 * interrupt signal, the same sweeps on worker threads under `il.parallel`, and the view builders under
 * `il.views`. Its type is what the TypeScript plugin
 * declares for cells (IntelliSense), so the kernel and the completions cannot drift apart.
 */
import * as core from '../../core';
import type { LoadedExperiment } from '../../ilmdp/load';
import type { ParallelSweeps } from './parallelSweeps';
import { bcTableView, comparisonPlotView, datasetView, dualityGapView, heatmapView, mdpView, plotView, rewardHeatmapView } from '../../shared/buildViews';
import { formatSweepTable } from '../../shared/viewText';

/**
 * What the kernel adds to the core, or changes in it: declared with method signatures so that the
 * editor lists them as methods (the core's own functions list as functions).
 */
export interface NotebookExtras {
  /** Gap vs H; stops when the cell is interrupted. */
  gapVsHorizon(spec: core.GapVsHorizonSpec, control?: core.SweepControl): core.SweepResult;
  /** Gap vs N; stops when the cell is interrupted. */
  gapVsSamples(spec: core.GapVsSamplesSpec, control?: core.SweepControl): core.SweepResult;
  /** Gap vs H for a given MDP and expert; stops when the cell is interrupted. */
  gapVsHorizonOn(env: core.Environment, spec: Parameters<typeof core.gapVsHorizonOn>[1], control?: core.SweepControl): core.SweepResult;
  /** Gap vs N for a given MDP and expert; stops when the cell is interrupted. */
  gapVsSamplesOn(env: core.Environment, spec: Parameters<typeof core.gapVsSamplesOn>[1], control?: core.SweepControl): core.SweepResult;
  /** Any sweep plan on this thread; stops when the cell is interrupted. */
  runSweepPlan(plan: core.SweepPlan, control?: core.SweepControl): core.SweepResult;
  /**
   * The same sweeps on worker threads (one per core by default), awaited:
   * `await il.parallel.gapVsHorizon(spec, { workers? })` gives exactly `il.gapVsHorizon(spec)`, sooner.
   * Also gapVsSamples, gapVsHorizonOn, gapVsSamplesOn, runSweepPlan. Interrupting the cell stops them.
   */
  readonly parallel: ParallelSweeps;
  /** DAgger; stops between rounds when the cell is interrupted. */
  dagger(mdp: core.MDP, expert: core.Policy, options: core.DaggerOptions): core.DaggerResult;
  /** A sweep as the plain-text table the CLI prints. */
  formatSweepTable(result: core.SweepResult): string;
  /** Rich views for display(): heatmap, BC table, plot, a plot comparing several sweeps, a first-order TV-AIL run's duality gap, dataset, an MDP's ρ, r and P, a learned reward (an MCE-IRL fit). */
  readonly views: {
    readonly heatmap: typeof heatmapView;
    readonly bcTable: typeof bcTableView;
    readonly plot: typeof plotView;
    readonly comparePlot: typeof comparisonPlotView;
    /** TV-AIL's first-order solver (il.tvAilOgdFit) round by round: its duality gap and regret bound. */
    readonly dualityGap: typeof dualityGapView;
    readonly dataset: typeof datasetView;
    readonly mdp: typeof mdpView;
    readonly reward: typeof rewardHeatmapView;
  };
}

/** A notebook's `il`: the core (its functions list as functions in completions), with the kernel's extras. */
export type KernelIl = typeof core & NotebookExtras;

export function createKernelIl(signal: { readonly aborted: boolean }, parallel: ParallelSweeps): KernelIl {
  const withSignal = <T extends object | undefined>(control: T): T => ({ signal, ...(control ?? {}) }) as T;
  const extras: NotebookExtras = {
    gapVsHorizon: (spec, control) => core.gapVsHorizon(spec, withSignal(control)),
    gapVsSamples: (spec, control) => core.gapVsSamples(spec, withSignal(control)),
    gapVsHorizonOn: (env, spec, control) => core.gapVsHorizonOn(env, spec, withSignal(control)),
    gapVsSamplesOn: (env, spec, control) => core.gapVsSamplesOn(env, spec, withSignal(control)),
    runSweepPlan: (plan, control) => core.runSweepPlan(plan, withSignal(control)),
    parallel,
    dagger: (mdp, expert, options) => core.dagger(mdp, expert, withSignal(options)),
    formatSweepTable,
    views: { heatmap: heatmapView, bcTable: bcTableView, plot: plotView, comparePlot: comparisonPlotView, dualityGap: dualityGapView, dataset: datasetView, mdp: mdpView, reward: rewardHeatmapView },
  };
  return { ...core, ...extras };
}

/** The second argument of `display(x, options)`. */
export interface DisplayOptions {
  /**
   * What `x` belongs to: an environment (`il.gridworld(…)`, `il.makeEnvironment(…)`), what `load()`
   * returns, or an MDP. A policy or a dataset is then shown with its states' names and, on a
   * gridworld, drawn on the map: a policy as arrows per cell (lengths ∝ π_h(a|s)) with V_h(s) and a
   * step slider, a dataset as its coverage n_h(s) per cell and step (and BC's disagreement with the expert).
   */
  readonly on?: core.Environment | LoadedExperiment | core.MDP;
}

/**
 * Shows a value below the cell (a view, an environment, a sweep, a dataset, a policy, or text).
 * `display(policyOrDataset, { on: env })` shows it with the environment (or load() result) it belongs
 * to: on a gridworld, drawn on the map.
 */
export interface Display {
  (value: unknown, options?: DisplayOptions): void;
  /** Renders markdown text. */
  markdown(text: string): void;
}

/** Reads an .ilmdp file relative to the notebook, with every dataset realised. */
export type Load = (path: string) => LoadedExperiment;
