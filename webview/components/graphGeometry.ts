/**
 * The shapes of the graph view's edges, from node centres: a curve between two nodes (bent further for
 * each more edge between the same pair, so several actions' edges and an edge back do not lie on one
 * another), a loop above a node for an edge to itself, the arrowhead at the end, and where its label
 * sits. Pure geometry, no DOM, so it is tested in plain Node.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface EdgeShape {
  /** SVG path data of the edge's line. */
  readonly d: string;
  /** SVG path data of a closed arrowhead at the end. */
  readonly arrow: string;
  /** Where the label's centre goes. */
  readonly label: Point;
}

/** Radius of a node's circle, in px. */
export const NODE_R = 22;
const ARROW = 9;

const f = (v: number) => String(Math.round(v * 10) / 10);

function arrowAt(tip: Point, from: Point): string {
  const dx = tip.x - from.x;
  const dy = tip.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = tip.x - ux * ARROW;
  const by = tip.y - uy * ARROW;
  const half = ARROW * 0.5;
  return `M${f(tip.x)},${f(tip.y)}L${f(bx - uy * half)},${f(by + ux * half)}L${f(bx + uy * half)},${f(by - ux * half)}Z`;
}

/**
 * The `k`-th edge (0-based) from `a` to `b` ≠ `a`: a quadratic curve bent to the left of a → b, so
 * that b → a bends the other way; the ends are on the nodes' circles.
 */
export function edgeBetween(a: Point, b: Point, k: number): EdgeShape {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  // The left normal (screen coordinates: y grows downwards).
  const nx = uy;
  const ny = -ux;
  const bend = 14 + 22 * k;
  const control = { x: (a.x + b.x) / 2 + nx * bend * 2, y: (a.y + b.y) / 2 + ny * bend * 2 };
  const towards = (from: Point, to: Point, r: number): Point => {
    const ex = to.x - from.x;
    const ey = to.y - from.y;
    const l = Math.hypot(ex, ey) || 1;
    return { x: from.x + (ex / l) * r, y: from.y + (ey / l) * r };
  };
  const start = towards(a, control, NODE_R);
  const end = towards(b, control, NODE_R + 1);
  // The curve's midpoint (t = ½ of a quadratic Bézier).
  const label = { x: 0.25 * start.x + 0.5 * control.x + 0.25 * end.x, y: 0.25 * start.y + 0.5 * control.y + 0.25 * end.y };
  return { d: `M${f(start.x)},${f(start.y)}Q${f(control.x)},${f(control.y)} ${f(end.x)},${f(end.y)}`, arrow: arrowAt(end, control), label };
}

/** The `k`-th edge from a node to itself: a loop above it, larger for each further one. */
export function selfLoop(c: Point, k: number): EdgeShape {
  const size = 34 + 20 * k;
  const spread = 0.55;
  const start = { x: c.x - Math.sin(spread) * NODE_R, y: c.y - Math.cos(spread) * NODE_R };
  const end = { x: c.x + Math.sin(spread) * NODE_R, y: c.y - Math.cos(spread) * NODE_R };
  const c1 = { x: c.x - size * 0.9, y: c.y - NODE_R - size * 1.4 };
  const c2 = { x: c.x + size * 0.9, y: c.y - NODE_R - size * 1.4 };
  // The top of the loop: the cubic at t = ½.
  const label = { x: c.x, y: 0.125 * start.y + 0.375 * c1.y + 0.375 * c2.y + 0.125 * end.y };
  return { d: `M${f(start.x)},${f(start.y)}C${f(c1.x)},${f(c1.y)} ${f(c2.x)},${f(c2.y)} ${f(end.x)},${f(end.y)}`, arrow: arrowAt(end, c2), label };
}

/** Probabilities as the text would write them, short: 0.9, 0.333333, 1. */
export function formatProbability(p: number): string {
  return Number.isInteger(p) ? String(p) : String(+p.toPrecision(6));
}
