/**
 * The command palette's questions for a panel: a pick from a list, and the sweep parameters as input
 * boxes pre-filled with the last values, validated as the user types (the same rules as the panel's form).
 */
import * as vscode from 'vscode';
import { ALGORITHM_LABELS, ALGORITHM_NAMES, type AlgorithmName } from '../core/algorithmNames';
import { MAX_PANEL_SWEEP_DATASETS, MAX_SWEEP_POINTS, PARAM_LIMITS, type GapVsHorizonParams, type GapVsSamplesParams } from '../shared/panelProtocol';
import { formatList, parseCount, parseIncreasingList, type Parsed } from '../shared/paramText';

export async function pickFromList<T>(items: readonly { label: string; description?: string; value: T }[], placeHolder: string): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(
    items.map((i) => ({ label: i.label, ...(i.description ? { description: i.description } : {}), value: i.value })),
    { placeHolder, ignoreFocusOut: true },
  );
  return picked?.value;
}

async function ask<T>(title: string, prompt: string, value: string, parse: (text: string) => Parsed<T>): Promise<T | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (t) => {
      const r = parse(t);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const r = parse(text);
  return 'value' in r ? r.value : undefined;
}

const seedsFits = (points: number, learners: number) => (t: string) => {
  const r = parseCount(t, 'seeds', PARAM_LIMITS.seeds);
  if ('value' in r && r.value * points * learners > MAX_PANEL_SWEEP_DATASETS) return { error: `${points} points × ${r.value} seeds × ${learners} learners is more than ${MAX_PANEL_SWEEP_DATASETS.toLocaleString('en-US')} datasets; use the CLI (il-notebooks sweep) for bigger sweeps` };
  return r;
};

/** Which learners to compare (several picks draw one curve each, on the same datasets). */
async function pickLearners(chosen: readonly AlgorithmName[]): Promise<AlgorithmName[] | undefined> {
  const items = ALGORITHM_NAMES.map((name) => ({ label: ALGORITHM_LABELS[name], description: name, picked: chosen.includes(name), name }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: 'Learners to compare on the same datasets (BC alone draws the closed form and bounds too)', ignoreFocusOut: true });
  if (!picked) return undefined;
  return picked.length > 0 ? picked.map((p) => p.name) : ['bc'];
}

export async function askSweepParameters(params: GapVsHorizonParams | GapVsSamplesParams): Promise<GapVsHorizonParams | GapVsSamplesParams | undefined> {
  const algorithms = await pickLearners(params.algorithms ?? ['bc']);
  if (!algorithms) return undefined;
  return askNumbers({ ...params, algorithms });
}

async function askNumbers(params: GapVsHorizonParams | GapVsSamplesParams): Promise<GapVsHorizonParams | GapVsSamplesParams | undefined> {
  const learners = params.algorithms?.length ?? 1;
  if (params.kind === 'gap-vs-H') {
    const title = 'Plot Gap vs Horizon';
    const N = await ask(title, 'N: expert trajectories per dataset', String(params.N), (t) => parseCount(t, 'N', PARAM_LIMITS.N));
    if (N === undefined) return undefined;
    const horizons = await ask(title, 'Horizons H to sweep (increasing)', formatList(params.horizons), (t) => parseIncreasingList(t, 'H', PARAM_LIMITS.H, MAX_SWEEP_POINTS));
    if (horizons === undefined) return undefined;
    const seeds = await ask(title, 'Datasets (seeds) per horizon', String(params.seeds), seedsFits(horizons.length, learners));
    if (seeds === undefined) return undefined;
    return { ...params, N, horizons, seeds };
  }
  const title = 'Plot Gap vs Samples';
  const sampleSizes = await ask(title, 'Dataset sizes N to sweep (increasing)', formatList(params.sampleSizes), (t) => parseIncreasingList(t, 'N', PARAM_LIMITS.N, MAX_SWEEP_POINTS));
  if (sampleSizes === undefined) return undefined;
  const seeds = await ask(title, 'Datasets (seeds) per N', String(params.seeds), seedsFits(sampleSizes.length, learners));
  if (seeds === undefined) return undefined;
  return { ...params, sampleSizes, seeds };
}
