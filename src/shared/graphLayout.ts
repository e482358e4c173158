/**
 * Node positions for the graph view, by d3-force (a force-directed layout: links pull, nodes repel),
 * with a pull towards a column per step from ρ's support so that a chain or a start-to-goal MDP reads
 * left to right. Force-directed rather than layered (dagre, ELK): a layered layout of a 200-state
 * Garnet written out (1 600 edges) took over 30 s in both, where this takes a fraction of a second
 * (docs/ilmdp.md, bench row "editor: graph layout"). d3-force draws its jitter from a seeded generator,
 * so the same graph always gets the same picture.
 *
 * It runs where the view model is built (the parse service), never on the host; a layout depends only
 * on the states and which of them are linked, so the last few are kept and an edit of a probability,
 * or a rename, moves no node.
 */
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';

export interface GraphLayout {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly width: number;
  readonly height: number;
}

/** Distance between columns (steps from ρ) and the space a node needs, in the webview's pixels. */
const COLUMN = 170;
const LINK = 130;
const NODE_RADIUS = 46;
const MARGIN = 70;
/** Room above the top row for its self-loops and their labels. */
const MARGIN_TOP = 130;

const cache = new Map<string, GraphLayout>();
const CACHE_SIZE = 4;

/**
 * Positions for `nS` nodes linked by `links` (pairs of distinct nodes); `depth[s]` is s's step from
 * ρ's support, −1 when unreached (drawn one column past the deepest).
 */
export function layoutGraph(nS: number, links: readonly (readonly [number, number])[], depth: readonly number[]): GraphLayout {
  const key = `${nS}|${depth.join(',')}|${links.map(([a, b]) => `${a}-${b}`).join(',')}`;
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const layout = computeLayout(nS, links, depth);
  cache.set(key, layout);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return layout;
}

/** The layout itself, without the cache (the bench times this). */
export function computeLayout(nS: number, links: readonly (readonly [number, number])[], depth: readonly number[]): GraphLayout {
  if (nS === 0) return { x: [], y: [], width: 0, height: 0 };
  const deepest = Math.max(0, ...depth);
  const column = depth.map((d) => (d < 0 ? deepest + 1 : d));
  const nodes: SimulationNodeDatum[] = Array.from({ length: nS }, () => ({}));
  // Columns matter most for small MDPs, where they are the story; in a large one they would squash it.
  const columnStrength = nS <= 30 ? 0.5 : 0.08;
  const simulation = forceSimulation(nodes)
    .force('link', forceLink(links.map(([source, target]) => ({ source, target }))).distance(LINK).strength(0.3))
    .force('charge', forceManyBody().strength(-500).distanceMax(900))
    .force('collide', forceCollide(NODE_RADIUS))
    .force('x', forceX<SimulationNodeDatum>((_, i) => column[i] * COLUMN).strength(columnStrength))
    .force('y', forceY(0).strength(0.06))
    .stop();
  // As many steps as the simulation's own cooling schedule takes (300 with d3's defaults).
  simulation.tick(Math.ceil(Math.log(simulation.alphaMin()) / Math.log(1 - simulation.alphaDecay())));
  const xs = nodes.map((n) => n.x ?? 0);
  const ys = nodes.map((n) => n.y ?? 0);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const round = (v: number) => Math.round(v * 10) / 10;
  const x = xs.map((v) => round(v - minX + MARGIN));
  const y = ys.map((v) => round(v - minY + MARGIN_TOP));
  return { x, y, width: Math.ceil(Math.max(...x) + MARGIN), height: Math.ceil(Math.max(...y) + MARGIN) };
}
