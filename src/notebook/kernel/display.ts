/**
 * What `display(x)` (and a cell's last expression) shows: core objects get their rich view plus a
 * text/plain table, views pass through, anything else is inspected as text.
 */
import { basename } from 'node:path';
import { inspect } from 'node:util';
import type { Dataset } from '../../core/dataset';
import { parseGridMap, type GridMap } from '../../core/envs/gridMap';
import type { SweepResult } from '../../core/experiments';
import type { MDP } from '../../core/mdp';
import type { Policy } from '../../core/policy';
import { bcTableView, datasetView, heatmapView, mdpView, plotView, rewardHeatmapView, type LearnedReward } from '../../shared/buildViews';
import type { OutputItemData } from '../../shared/kernelProtocol';
import { isView, mimeOf, type View } from '../../shared/viewModels';
import { viewText } from '../../shared/viewText';
import { isRecord } from '../../core/guards';

/** Text for markdown output, made by `display.markdown(…)`. */
export class Markdown {
  constructor(readonly text: string) {}
}

export function isMdp(x: unknown): x is MDP {
  return isRecord(x) && Number.isInteger(x.nS) && Number.isInteger(x.nA) && Number.isInteger(x.H) && x.rho instanceof Float64Array && Array.isArray(x.transitions);
}

export function isPolicy(x: unknown): x is Policy {
  return isRecord(x) && (x.kind === 'deterministic' || x.kind === 'stochastic' || x.kind === 'counts') && Number.isInteger(x.nS) && Number.isInteger(x.nA);
}

export function isDataset(x: unknown): x is Dataset {
  return isRecord(x) && Number.isInteger(x.N) && Number.isInteger(x.H) && x.states instanceof Int32Array && x.actions instanceof Int32Array;
}

export function isSweep(x: unknown): x is SweepResult {
  return isRecord(x) && (x.kind === 'gap-vs-H' || x.kind === 'gap-vs-N') && Array.isArray(x.rows);
}

/** An MCE-IRL fit (`il.mceIrlFit`): displayed as its learned reward. */
export function isLearnedReward(x: unknown): x is LearnedReward {
  return isRecord(x) && x.kind === 'mce-irl' && x.reward instanceof Float64Array && typeof x.perStep === 'boolean' && Number.isInteger(x.nS) && Number.isInteger(x.nA) && Number.isInteger(x.H);
}

export function isEnvironment(x: unknown): x is { mdp: MDP; expert: Policy; description?: string } {
  return isRecord(x) && isMdp(x.mdp) && isPolicy(x.expert);
}

/**
 * The map of a gridworld: an environment's own (`il.gridworld`), or its generator's (an environment from
 * a spec, or `load()` of a gridworld .ilmdp), so its visitation is drawn on the map.
 */
function gridOf(x: Record<string, unknown>): GridMap | undefined {
  const own = x.grid as GridMap | undefined;
  if (isRecord(own) && own.stateOf instanceof Int32Array) return own;
  const generator = isRecord(x.generator) ? x.generator : undefined;
  const spec = generator && isRecord(generator.spec) ? generator.spec : generator;
  if (!spec || spec.kind !== 'gridworld' || (typeof spec.map !== 'string' && !Array.isArray(spec.map))) return undefined;
  try {
    return parseGridMap(spec.map as string | string[]);
  } catch {
    return undefined;
  }
}

/** What `load("file.ilmdp")` returns: the file's MDP with its experts and datasets. */
export function isLoadedExperiment(x: unknown): x is { file: string; mdp: MDP; experts: Record<string, Policy>; datasets: Record<string, Dataset>; description?: string } {
  return isRecord(x) && typeof x.file === 'string' && isMdp(x.mdp) && isRecord(x.experts) && isRecord(x.datasets);
}

function experimentView(x: { file: string; mdp: MDP; experts: Record<string, Policy>; datasets: Record<string, Dataset>; description?: string }): View {
  const list = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
  const notes = [
    ...(x.description ? [x.description] : []),
    `experts: ${list(Object.keys(x.experts))}; datasets: ${list(Object.keys(x.datasets))}`,
  ];
  return mdpView(x.mdp, { title: `MDP of ${basename(x.file)}`, notes });
}

/** `display(x, options)`'s options as they reach the kernel: anything (kernelApi.ts's DisplayOptions is what cells are told). */
export interface DisplayRequest {
  readonly on?: unknown;
}

interface Context {
  readonly mdp: MDP;
  readonly expert?: Policy;
  readonly grid?: GridMap;
  readonly experts: Readonly<Record<string, unknown>>;
  readonly datasets: Readonly<Record<string, unknown>>;
}

function contextOf(on: unknown): Context {
  if (isMdp(on)) return { mdp: on, experts: {}, datasets: {} };
  if (isRecord(on) && isMdp(on.mdp)) {
    const grid = gridOf(on);
    return {
      mdp: on.mdp,
      ...(isPolicy(on.expert) ? { expert: on.expert } : {}),
      ...(grid ? { grid } : {}),
      experts: isRecord(on.experts) ? on.experts : {},
      datasets: isRecord(on.datasets) ? on.datasets : {},
    };
  }
  throw new TypeError(`display(x, { on }): on is what x belongs to, an environment, what load() returns, or an MDP; got ${inspect(on, { depth: 0 })}`);
}

/** The name a value has in its file (load()'s experts and datasets), if any. */
const nameIn = (list: Readonly<Record<string, unknown>>, value: unknown) => Object.keys(list).find((k) => list[k] === value);

function checkShape(what: string, x: { nS: number; nA: number; H: number }, mdp: MDP): void {
  if (x.nS !== mdp.nS || x.nA !== mdp.nA || x.H !== mdp.H) {
    throw new TypeError(`display(x, { on }): the ${what} (|S|=${x.nS}, |A|=${x.nA}, H=${x.H}) is not of on's MDP (|S|=${mdp.nS}, |A|=${mdp.nA}, H=${mdp.H})`);
  }
}

/** A policy or a dataset shown with what it belongs to (display(x, { on })). */
function viewOn(value: unknown, on: unknown): View {
  const ctx = contextOf(on);
  const { mdp, grid } = ctx;
  const expertName = (ctx.expert && nameIn(ctx.experts, ctx.expert)) ?? 'expert';
  if (isPolicy(value)) {
    checkShape('policy', value, mdp);
    const name = value === ctx.expert ? expertName : (nameIn(ctx.experts, value) ?? (value.kind === 'counts' ? 'π^BC' : 'π'));
    return bcTableView(value, { mdp, ...(grid ? { grid, name } : {}), title: value.kind === 'counts' ? 'π^BC_h(a|s)' : `${name}: π_h(a|s)` });
  }
  if (isDataset(value)) {
    checkShape('dataset', value, mdp);
    const name = nameIn(ctx.datasets, value) ?? 'the dataset';
    return datasetView(value, { mdp, ...(ctx.expert ? { expert: ctx.expert, expertName } : {}), ...(grid ? { grid, name } : {}), ...(name !== 'the dataset' ? { title: `Dataset ${name}: ${value.N} trajectories` } : {}) });
  }
  throw new TypeError(`display(x, { on }) shows a policy or a dataset with what it belongs to; x is ${inspect(value, { depth: 0 })}`);
}

/**
 * The rich view of a value, if it has one. A loaded .ilmdp is shown as its MDP (what the file
 * describes); an environment as its expert's visitation (one output holds one view).
 */
export function viewOf(value: unknown, options?: DisplayRequest): View | undefined {
  if (options?.on !== undefined) return viewOn(value, options.on);
  if (isView(value)) return value;
  if (isSweep(value)) return plotView(value);
  if (isLearnedReward(value)) return rewardHeatmapView(value, { title: `MCE-IRL's learned reward ${value.perStep ? 'r_h(s, a)' : 'r(s, a), the same at every step'}` });
  if (isDataset(value)) return datasetView(value);
  if (isPolicy(value)) return bcTableView(value);
  // A gridworld is drawn on its map (its expert's visitation there), not as a table of |S||A| rows.
  const grid = isRecord(value) ? gridOf(value) : undefined;
  if (isLoadedExperiment(value) && !(grid && isEnvironment(value))) return experimentView(value);
  if (isEnvironment(value)) {
    return heatmapView(value.mdp, value.expert, { ...(grid ? { grid } : {}), title: `expert visitation d^E_h(s)${value.description ? ` — ${value.description}` : ''}` });
  }
  if (isMdp(value)) return mdpView(value);
  return undefined;
}

function viewItems(view: View): OutputItemData[] {
  return [
    { mime: mimeOf(view), data: JSON.stringify(view) },
    { mime: 'text/plain', data: viewText(view) },
  ];
}

export function toOutputItems(value: unknown, options?: DisplayRequest): OutputItemData[] {
  if (options?.on !== undefined) return viewItems(viewOn(value, options.on));
  if (value === undefined) return [];
  if (value instanceof Markdown) return [{ mime: 'text/markdown', data: value.text }];
  const view = viewOf(value);
  if (view) return viewItems(view);
  if (typeof value === 'string') return [{ mime: 'text/plain', data: value }];
  return [{ mime: 'text/plain', data: inspect(value, { depth: 4, maxArrayLength: 50, breakLength: 100 }) }];
}
