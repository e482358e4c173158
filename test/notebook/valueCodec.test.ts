import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as il from '../../src/core';
import { decodeValues, encodeValues } from '../../src/notebook/kernel/valueCodec';

const roundTrip = (values: Record<string, unknown>) => {
  const encoded = encodeValues(new Map(Object.entries(values).map(([k, v]) => [k, { value: v }])));
  assert.ok(encoded.ok, encoded.ok ? '' : encoded.reason);
  return Object.fromEntries([...decodeValues(encoded.text)].map(([k, v]) => [k, v?.value]));
};
const refusal = (value: unknown) => {
  const encoded = encodeValues(new Map([['x', { value }]]));
  assert.equal(encoded.ok, false);
  return encoded.ok ? '' : encoded.reason;
};

test('what the core computes comes back equal, typed arrays bit for bit, and it computes the same from there', () => {
  const env = il.makeEnvironment({ kind: 'reset-cliff', nS: 5, nA: 2, H: 6 });
  const data = il.sampleTrajectories(env.mdp, env.expert, 30, 7);
  const bc = il.behavioralCloning(data);
  const sweep = il.gapVsHorizon({ env: { kind: 'reset-cliff', nS: 5, nA: 2, H: 1 }, N: 10, horizons: [2, 4], seeds: 20, baseSeed: 'codec' });
  const back = roundTrip({ env, data, bc, sweep });
  assert.deepStrictEqual(back, { env, data, bc, sweep });
  assert.ok(back.env !== env && (back.env as il.Environment).mdp.rho instanceof Float64Array);
  // The restored values are not just alike: the core gives the same numbers from them.
  const restored = back as { env: il.Environment; bc: il.Policy };
  assert.equal(il.imitationGap(restored.env.mdp, restored.env.expert, restored.bc), il.imitationGap(env.mdp, env.expert, bc));
});

test('an object met twice is one object again (an environment\'s expert is its generator\'s); cycles survive', () => {
  const env = il.makeEnvironment({ kind: 'reset-cliff', nS: 4, nA: 2, H: 3 });
  assert.equal(env.expert, env.generator?.expert, 'the premise');
  const cyclic: { self?: unknown; n: number } = { n: 1 };
  cyclic.self = cyclic;
  const back = roundTrip({ env, alias: env.mdp, cyclic }) as { env: il.Environment; alias: unknown; cyclic: { self: unknown } };
  assert.equal(back.env.expert, back.env.generator?.expert);
  assert.equal(back.alias, back.env.mdp, 'two names of one value stay one value');
  assert.equal(back.cyclic.self, back.cyclic);
});

test('numbers JSON cannot hold, bigints, maps, sets, dates, frozen and prototype-less objects, absent names', () => {
  const bare = Object.assign(Object.create(null) as object, { a: 1 });
  const values = { nan: NaN, inf: -Infinity, negZero: -0, big: 2n ** 70n, u: undefined, map: new Map<unknown, unknown>([[1, 'a'], ['k', [2]]]), set: new Set([1, 'b']), date: new Date(86_400_000), frozen: Object.freeze({ k: [1, 2] }), bare, proto: JSON.parse('{"__proto__": {"polluted": true}}') as unknown, big64: new BigInt64Array([-5n]) };
  const back = roundTrip(values);
  assert.deepStrictEqual(back, values);
  assert.ok(Object.is(back.negZero, -0));
  assert.ok(Object.isFrozen(back.frozen) && !Object.isFrozen((back.frozen as { k: unknown[] }).k));
  assert.equal(Object.getPrototypeOf(back.bare), null);
  assert.equal(({} as { polluted?: boolean }).polluted, undefined, 'a "__proto__" key is data, not a prototype');
  const absent = encodeValues(new Map([['gone', undefined]]));
  assert.ok(absent.ok);
  assert.deepEqual([...decodeValues(absent.text)], [['gone', undefined]]);
});

test('what cannot be rebuilt is refused, saying where', () => {
  assert.equal(refusal(() => 1), 'x is a function');
  assert.equal(refusal({ deep: [{ f: class Shape {} }] }), 'x.deep[0].f is a class');
  assert.match(refusal({ p: Promise.resolve(1) }), /^x\.p is a Promise/);
  assert.match(refusal(new (class Point {})()), /^x is a Point/);
  assert.match(refusal({ get lazy() { return 1; } }), /x\.lazy is a getter/);
  assert.match(refusal({ [Symbol('s')]: 1 }), /symbol keys/);
  assert.match(refusal(new DataView(new ArrayBuffer(4))), /DataView/);
  assert.match(refusal(Object.assign([1, 2], { extra: 3 })), /extra properties/);
  assert.match(refusal(new WeakMap()), /WeakMap/);
  const big = encodeValues(new Map([['x', { value: new Float64Array(1000) }]]), 1000);
  assert.ok(!big.ok && /more than 1000 characters/.test(big.reason));
  let chain: { next?: unknown } = {};
  for (let i = 0; i < 100_000; i++) chain = { next: chain };
  assert.match(refusal(chain), /nested too deeply/);
});

test('text this codec did not write is an error to catch, not a value', () => {
  for (const text of ['', 'null', '{"format":"il-values","version":2,"names":{}}', '{"format":"il-values","version":1,"names":{"x":{"$":"ref","id":9}}}', '{"format":"il-values","version":1,"names":{"x":{"$":"typed","id":0,"type":"Float64Array","b64":"AAA="}}}', '{"format":"il-values","version":1,"names":{"x":{"$":"weird"}}}']) {
    assert.throws(() => decodeValues(text), Error, text);
  }
});
