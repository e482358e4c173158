/**
 * What `display(x)` (and a cell's last expression) shows: core objects get their rich view plus a
 * text/plain table, views pass through, anything else is inspected as text.
 */
import { inspect } from 'node:util';
import type { Dataset } from '../../core/dataset';
import { parseGridMap, type GridMap } from '../../core/envs/gridMap';
import type { SweepResult } from '../../core/experiments';
import type { MDP } from '../../core/mdp';
import { stateName } from '../../core/mdp';
import type { Policy } from '../../core/policy';
import { bcTableView, datasetView, heatmapView, plotView } from '../../shared/buildViews';
import type { OutputItemData } from '../../shared/kernelProtocol';
import { isView, mimeOf, type View } from '../../shared/viewModels';
import { formatNumber, viewText } from '../../shared/viewText';
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

function isEnvironment(x: unknown): x is { mdp: MDP; expert: Policy; description?: string } {
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

function viewItems(view: View): OutputItemData[] {
  return [
    { mime: mimeOf(view), data: JSON.stringify(view) },
    { mime: 'text/plain', data: viewText(view) },
  ];
}

function mdpMarkdown(mdp: MDP): string {
  const lines = [`**MDP**: |S| = ${mdp.nS}, |A| = ${mdp.nA}, H = ${mdp.H}, ${mdp.transitions.length === 1 ? 'stationary' : 'per-step'} transitions`];
  if (mdp.nS <= 20) {
    lines.push('', '| state | ρ(s) |', '|---|---|');
    for (let s = 0; s < mdp.nS; s++) lines.push(`| ${stateName(mdp, s)} | ${formatNumber(mdp.rho[s])} |`);
  }
  return lines.join('\n');
}

export function toOutputItems(value: unknown): OutputItemData[] {
  if (value === undefined) return [];
  if (value instanceof Markdown) return [{ mime: 'text/markdown', data: value.text }];
  if (isView(value)) return viewItems(value);
  if (isSweep(value)) return viewItems(plotView(value));
  if (isDataset(value)) return viewItems(datasetView(value));
  if (isPolicy(value)) return viewItems(bcTableView(value));
  if (isEnvironment(value)) {
    // One output shows one of its items, so an environment is shown by its expert's visitation alone.
    const grid = gridOf(value as unknown as Record<string, unknown>);
    return viewItems(heatmapView(value.mdp, value.expert, { ...(grid ? { grid } : {}), title: `expert visitation d^E_h(s)${value.description ? ` — ${value.description}` : ''}` }));
  }
  if (isMdp(value)) {
    const md = mdpMarkdown(value);
    return [
      { mime: 'text/markdown', data: md },
      { mime: 'text/plain', data: md.replace(/\*\*/g, '') },
    ];
  }
  if (typeof value === 'string') return [{ mime: 'text/plain', data: value }];
  return [{ mime: 'text/plain', data: inspect(value, { depth: 4, maxArrayLength: 50, breakLength: 100 }) }];
}
