/**
 * Loads a .ilmdp file into ready-to-use core objects: the MDP, its experts, and its datasets realised
 * (generated ones sampled with their seed, inline ones built, file ones read beside the .ilmdp). Any
 * error, in the .ilmdp or in a dataset file, throws one IlmdpLoadError listing every problem as
 * `file:line:col: severity: message`, so a notebook cell or the CLI says exactly where to look.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { datasetFromTrajectories, type Dataset } from '../core/dataset';
import type { EnvironmentSpec } from '../core/envs';
import type { MDP } from '../core/mdp';
import type { Policy } from '../core/policy';
import { sampleTrajectories } from '../core/sampling';
import { datasetFormatOf, parseDatasetFile } from './datasetFile';
import { formatDiagnostic } from './diagnostics';
import { parseIlmdp } from './parse';

export interface LoadedExperiment {
  readonly file: string;
  readonly mdp: MDP;
  readonly description?: string;
  /** The generator spec of a generated MDP (see IlmdpModel.generator). */
  readonly generator?: EnvironmentSpec;
  readonly experts: Readonly<Record<string, Policy>>;
  readonly datasets: Readonly<Record<string, Dataset>>;
  /** Every dataset the file names, realised or not (see LoadOptions.datasets), in file order. */
  readonly datasetNames: readonly string[];
  /** The experts that are the generator's own (see IlmdpModel.builtinExperts). */
  readonly builtinExperts: readonly string[];
  /** The first expert in the file. */
  readonly expert: Policy | undefined;
}

export class IlmdpLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} has ${problems.length} problem(s):\n${problems.join('\n')}`);
    this.name = 'IlmdpLoadError';
  }
}

export interface LoadOptions {
  /** Realise only these datasets (a panel needs one; sampling the others would be wasted work). */
  readonly datasets?: readonly string[];
}

export function loadIlmdp(path: string, readText: (file: string) => string = (f) => readFileSync(f, 'utf8'), options: LoadOptions = {}): LoadedExperiment {
  const file = resolve(path);
  let text: string;
  try {
    text = readText(file);
  } catch {
    throw new IlmdpLoadError(file, [`${file}:1:1: error: cannot read the file (does it exist?)`]);
  }
  const { model, diagnostics } = parseIlmdp(text);
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(file, d));
  if (!model || errors.length > 0) throw new IlmdpLoadError(file, errors.length > 0 ? errors : [`${file}:1:1: error: not a valid .ilmdp file`]);

  const { mdp } = model;
  const experts: Record<string, Policy> = Object.fromEntries(model.experts);
  const datasets: Record<string, Dataset> = {};
  const problems: string[] = [];
  for (const [name, source] of model.datasets) {
    if (options.datasets && !options.datasets.includes(name)) continue;
    if (source.kind === 'generated') {
      datasets[name] = sampleTrajectories(mdp, model.experts.get(source.from)!, source.trajectories, source.seed);
    } else if (source.kind === 'inline') {
      datasets[name] = datasetFromTrajectories(mdp.nS, mdp.nA, mdp.H, source.trajectories);
    } else {
      const dataFile = resolve(dirname(file), source.path);
      let dataText: string;
      try {
        dataText = readText(dataFile);
      } catch {
        problems.push(`${file}:1:1: error: dataset ${name}: cannot read ${source.path} (looked for ${dataFile})`);
        continue;
      }
      const result = parseDatasetFile(dataText, datasetFormatOf(dataFile)!, mdp, dataFile);
      problems.push(...result.diagnostics.map((d) => formatDiagnostic(dataFile, d)));
      if (result.dataset) datasets[name] = result.dataset;
    }
  }
  if (problems.length > 0) throw new IlmdpLoadError(file, problems);
  return {
    file,
    mdp,
    ...(model.description !== undefined ? { description: model.description } : {}),
    ...(model.generator ? { generator: model.generator } : {}),
    experts,
    datasets,
    datasetNames: [...model.datasets.keys()],
    builtinExperts: model.builtinExperts,
    expert: model.experts.values().next().value,
  };
}
