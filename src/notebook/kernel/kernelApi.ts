/**
 * What a notebook cell sees as `il`: the core, with long computations stopping on the kernel's
 * interrupt signal, and the view builders under `il.views`. Its type is what the TypeScript plugin
 * declares for cells (IntelliSense), so the kernel and the completions cannot drift apart.
 */
import * as core from '../../core';
import type { LoadedExperiment } from '../../ilmdp/load';
import { bcTableView, comparisonPlotView, datasetView, heatmapView, plotView } from '../../shared/buildViews';

export function createKernelIl(signal: { readonly aborted: boolean }) {
  const withSignal = <T extends object | undefined>(control: T): T => ({ signal, ...(control ?? {}) }) as T;
  return {
    ...core,
    /** Gap vs H; stops when the cell is interrupted. */
    gapVsHorizon: (spec: core.GapVsHorizonSpec, control?: core.SweepControl): core.SweepResult => core.gapVsHorizon(spec, withSignal(control)),
    /** Gap vs N; stops when the cell is interrupted. */
    gapVsSamples: (spec: core.GapVsSamplesSpec, control?: core.SweepControl): core.SweepResult => core.gapVsSamples(spec, withSignal(control)),
    /** DAgger; stops between rounds when the cell is interrupted. */
    dagger: (mdp: core.MDP, expert: core.Policy, options: core.DaggerOptions): core.DaggerResult => core.dagger(mdp, expert, withSignal(options)),
    /** Rich views for display(): heatmap, BC table, plot, a plot comparing several sweeps, dataset. */
    views: { heatmap: heatmapView, bcTable: bcTableView, plot: plotView, comparePlot: comparisonPlotView, dataset: datasetView },
  };
}

export type KernelIl = ReturnType<typeof createKernelIl>;

/** Shows a value below the cell (a view, an environment, a sweep, a dataset, a policy, or text). */
export interface Display {
  (value: unknown): void;
  /** Renders markdown text. */
  markdown(text: string): void;
}

/** Reads an .ilmdp file relative to the notebook, with every dataset realised. */
export type Load = (path: string) => LoadedExperiment;
