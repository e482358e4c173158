/**
 * Loads a .ilmdp file into ready-to-use core objects: the MDP, its experts, and its datasets realised
 * (generated ones sampled with their seed, inline ones built, file ones read beside the .ilmdp, within
 * the folders LoadOptions.files allows: datasetAccess.ts). Any error, in the .ilmdp or in a dataset file,
 * throws one IlmdpLoadError listing every problem as `file:line:col: severity: message`, so a notebook
 * cell or the CLI says exactly where to look.
 */
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { datasetFromTrajectories, type Dataset } from '../core/dataset';
import type { EnvironmentSpec } from '../core/envs';
import { parseGridMap, type GridMap } from '../core/envs/gridMap';
import type { MDP } from '../core/mdp';
import type { Policy } from '../core/policy';
import { sampleTrajectories } from '../core/sampling';
import { datasetFileValueRange, readDatasetFileSync, readUserFileSync, type DatasetFileAccess, type Refusal } from './datasetAccess';
import { datasetFormatOf, parseDatasetFile } from './datasetFile';
import { formatDiagnostic } from './diagnostics';
import { parseIlmdp } from './parse';

export interface LoadedExperiment {
  readonly file: string;
  readonly mdp: MDP;
  readonly description?: string;
  /** The generator spec of a generated MDP (see IlmdpModel.generator). */
  readonly generator?: EnvironmentSpec;
  /** A gridworld's map (generator: gridworld), so that its policies and datasets can be drawn on it. */
  readonly grid?: GridMap;
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
    /** The .ilmdp itself could not be read (missing, a directory…): a bad path rather than a bad file. */
    readonly unreadable = false,
  ) {
    super(`${file} has ${problems.length} problem(s):\n${problems.join('\n')}`);
    this.name = 'IlmdpLoadError';
  }
}

export interface LoadOptions {
  /** Realise only these datasets (a panel needs one; sampling the others would be wasted work). */
  readonly datasets?: readonly string[];
  /** The folders dataset files may come from; by default only the .ilmdp's own folder (defaultDatasetAccess). */
  readonly files?: DatasetFileAccess;
  /** How a `file:` dataset is read: from the disk, through the checks of `files`, by default; the web kernel has the texts its host sent. */
  readonly readDatasetFile?: DatasetFileReader;
}

export type DatasetFileReader = (baseDir: string, written: string, access: DatasetFileAccess) => { ok: true; path: string; text: string } | Refusal;

export function defaultDatasetAccess(file: string): DatasetFileAccess {
  return { roots: [dirname(resolve(file))], rootsLabel: `the folder of ${basename(file)}`, howToAllow: 'move or copy it into that folder' };
}

/** A file the user named could not be read; the message says why (missing, a directory, too large…). */
class UnreadableFile extends Error {}

function readIlmdpText(file: string): string {
  const read = readUserFileSync(file);
  if (!read.ok) throw new UnreadableFile(read.message);
  return read.text;
}

/**
 * One `file:` dataset of a parsed .ilmdp: its dataset, or its problems as `file:line:col` lines (a
 * refused or unreadable file at the `file:` value, bad rows in the dataset file itself).
 */
export function loadDatasetFile(
  ilmdp: { readonly path: string; readonly shown: string; readonly text: string },
  name: string,
  written: string,
  mdp: MDP,
  access: DatasetFileAccess,
  readFile: DatasetFileReader = readDatasetFileSync,
): { dataset?: Dataset; problems: string[] } {
  const read = readFile(dirname(resolve(ilmdp.path)), written, access);
  if (!read.ok) {
    const { start, end } = datasetFileValueRange(ilmdp.text, name);
    return { problems: [formatDiagnostic(ilmdp.shown, { severity: 'error', code: `dataset-${read.reason}`, message: `dataset ${name}: ${read.message}`, path: `datasets.${name}.file`, start, end })] };
  }
  // Rows are shown in the dataset file, named the way the .ilmdp was (relative stays relative).
  const shownData = isAbsolute(written) ? written : join(dirname(ilmdp.shown), written);
  const result = parseDatasetFile(read.text, datasetFormatOf(written)!, mdp, shownData);
  return { ...(result.dataset ? { dataset: result.dataset } : {}), problems: result.diagnostics.map((d) => formatDiagnostic(shownData, d)) };
}

/**
 * `readText` reads the .ilmdp itself (a panel passes the editor's unsaved text); dataset files are
 * always read from disk, through the checks of options.files.
 */
export function loadIlmdp(path: string, readText: (file: string) => string = readIlmdpText, options: LoadOptions = {}): LoadedExperiment {
  const file = resolve(path);
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    const why = error instanceof UnreadableFile ? error.message : 'cannot read the file (does it exist?)';
    throw new IlmdpLoadError(file, [`${file}:1:1: error: ${why}`], true);
  }
  const { model, diagnostics } = parseIlmdp(text);
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(file, d));
  if (!model || errors.length > 0) throw new IlmdpLoadError(file, errors.length > 0 ? errors : [`${file}:1:1: error: not a valid .ilmdp file`]);

  const { mdp } = model;
  const access = options.files ?? defaultDatasetAccess(file);
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
      const loaded = loadDatasetFile({ path: file, shown: file, text }, name, source.path, mdp, access, options.readDatasetFile);
      problems.push(...loaded.problems);
      if (loaded.dataset) datasets[name] = loaded.dataset;
    }
  }
  if (problems.length > 0) throw new IlmdpLoadError(file, problems);
  return {
    file,
    mdp,
    ...(model.description !== undefined ? { description: model.description } : {}),
    ...(model.generator ? { generator: model.generator } : {}),
    ...(model.generator?.kind === 'gridworld' ? { grid: parseGridMap(model.generator.map) } : {}),
    experts,
    datasets,
    datasetNames: [...model.datasets.keys()],
    builtinExperts: model.builtinExperts,
    expert: model.experts.values().next().value,
  };
}
