import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeBetween, NODE_R, selfLoop } from '../../webview/components/graphGeometry';

const numbers = (d: string) => (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
/** Which side of the line a → b a point is on (sign of the cross product; y grows downwards on screen). */
const side = (a: { x: number; y: number }, b: { x: number; y: number }, p: { x: number; y: number }) => Math.sign((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x));

test('an edge starts and ends on the circles of its nodes; the edge back and a second edge bend apart', () => {
  const a = { x: 100, y: 100 };
  const b = { x: 300, y: 160 };
  const shape = edgeBetween(a, b, 0);
  const [x0, y0, , , x1, y1] = numbers(shape.d);
  assert.ok(Math.abs(Math.hypot(x0 - a.x, y0 - a.y) - NODE_R) < 0.2);
  assert.ok(Math.abs(Math.hypot(x1 - b.x, y1 - b.y) - (NODE_R + 1)) < 0.2);
  const back = edgeBetween(b, a, 0);
  assert.equal(side(a, b, shape.label), -side(a, b, back.label), 'a → b and b → a on opposite sides');
  const second = edgeBetween(a, b, 1);
  const distance = (p: { x: number; y: number }) => Math.abs((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) / Math.hypot(b.x - a.x, b.y - a.y);
  assert.ok(distance(second.label) > distance(shape.label) + 10, 'the second edge between the pair bends further');
  // The arrowhead's tip is the curve's end.
  assert.deepEqual(numbers(shape.arrow).slice(0, 2), [x1, y1]);
});

test('a self-loop sits above its node, and a second one is larger', () => {
  const c = { x: 50, y: 200 };
  const one = selfLoop(c, 0);
  const two = selfLoop(c, 1);
  assert.ok(one.label.y < c.y - NODE_R);
  assert.ok(two.label.y < one.label.y);
  assert.equal(one.label.x, c.x);
});
