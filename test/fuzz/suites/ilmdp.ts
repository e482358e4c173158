/**
 * The .ilmdp parser under generated text: valid files written from a random spec (explicit MDPs in block
 * or flow style, experts, datasets, generators), then mutated (lines deleted, duplicated or swapped,
 * random characters, huge numbers, NaN and infinities, deep nesting, truncation).
 *
 * Invariants: parseIlmdp never throws; every diagnostic points inside the text (a real line, a column
 * within it or just past its end); none points at 1:1, since line 1 is a comment no mutation touches,
 * unless nothing but comments is left; there are never more than MAX_DIAGNOSTICS; and an unmutated file
 * parses without errors to the spec it was written from.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIlmdp } from '../../../src/ilmdp/parse';
import { MAX_DIAGNOSTICS } from '../../../src/ilmdp/limits';
import { transitionRow } from '../../../src/core/mdp';
import type { FuzzSuite } from '../runner';

interface ExplicitSpec {
  readonly kind: 'explicit';
  readonly states: readonly string[];
  readonly actions: readonly string[];
  readonly H: number;
  /** Row s·|A| + a: next state → probability, multiples of 1/8 so that the sums are exact. */
  readonly rows: readonly (readonly [number, number][])[];
  readonly rewards: readonly number[];
  /** An action per state, for a deterministic expert. */
  readonly policy: readonly number[];
  readonly N: number;
  readonly seed: number | string;
  readonly flow: boolean;
}

interface GeneratedSpec {
  readonly kind: 'generated';
  readonly body: string;
}

type Spec = ExplicitSpec | GeneratedSpec;

type Mutation =
  | { readonly op: 'delete' | 'duplicate' | 'swap'; readonly line: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'number'; readonly which: number; readonly value: string }
  | { readonly op: 'nest'; readonly at: number; readonly open: string; readonly depth: number }
  | { readonly op: 'truncate'; readonly at: number };

export interface IlmdpCase {
  readonly spec: Spec;
  readonly mutations: readonly Mutation[];
}

const nameArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter((n) => !['null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n'].includes(n));

/** k eighths (k ≥ 1) spread over `count` next states. */
function distribution(count: number, nS: number): fc.Arbitrary<[number, number][]> {
  return fc.tuple(fc.uniqueArray(fc.nat(nS - 1), { minLength: 1, maxLength: Math.min(count, nS) }), fc.nat(1_000_000)).map(([nexts, salt]) => {
    let left = 8;
    return nexts.map((s, i) => {
      const share = i === nexts.length - 1 ? left : Math.max(1, Math.min(left - (nexts.length - 1 - i), 1 + ((salt >> i) % left)));
      left -= share;
      return [s, share / 8] as [number, number];
    }).filter(([, p]) => p > 0);
  });
}

const explicitArb: fc.Arbitrary<ExplicitSpec> = fc
  .record({
    states: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 5 }),
    actions: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 3 }),
    H: fc.integer({ min: 1, max: 6 }),
    flow: fc.boolean(),
    N: fc.integer({ min: 1, max: 50 }),
    seed: fc.oneof(fc.nat(), nameArb),
  })
  .chain((base) => {
    const nS = base.states.length;
    const nA = base.actions.length;
    return fc.record({
      rows: fc.array(distribution(3, nS), { minLength: nS * nA, maxLength: nS * nA }),
      rewards: fc.array(fc.integer({ min: 0, max: 4 }).map((k) => k / 4), { minLength: nS * nA, maxLength: nS * nA }),
      policy: fc.array(fc.nat(nA - 1), { minLength: nS, maxLength: nS }),
    }).map((rest) => ({ kind: 'explicit' as const, ...base, ...rest }));
  });

const generatedArb: fc.Arbitrary<GeneratedSpec> = fc.oneof(
  fc.record({ nS: fc.integer({ min: 2, max: 30 }), nA: fc.integer({ min: 2, max: 4 }), H: fc.integer({ min: 1, max: 8 }) }).map(({ nS, nA, H }) => `  generator: reset-cliff\n  states: ${nS}\n  actions: ${nA}\n  horizon: ${H}\n`),
  fc.record({ nS: fc.integer({ min: 2, max: 30 }), nA: fc.integer({ min: 2, max: 4 }), H: fc.integer({ min: 1, max: 8 }), slip: fc.integer({ min: 0, max: 8 }) }).map(({ nS, nA, H, slip }) => `  generator: chain\n  states: ${nS}\n  actions: ${nA}\n  horizon: ${H}\n  slip: ${slip / 8}\n`),
  fc.record({ nS: fc.integer({ min: 2, max: 20 }), b: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 5 }), seed: fc.nat() }).map(({ nS, b, H, seed }) => `  generator: garnet\n  states: ${nS}\n  actions: 2\n  horizon: ${H}\n  branching: ${b}\n  seed: ${seed}\n`),
  fc.constant('  generator: gridworld\n  horizon: 4\n  map: |\n    S..\n    .#G\n'),
).map((body) => ({ kind: 'generated' as const, body: `mdp:\n${body}datasets:\n  d: {from: expert, trajectories: 5, seed: 3}\n` }));

export function writeSpec(spec: Spec): string {
  if (spec.kind === 'generated') return `# fuzz case\n${spec.body}`;
  const { states, actions, H, rows, rewards, policy, flow } = spec;
  const nA = actions.length;
  const dist = (r: number) => `{${rows[r].map(([s, p]) => `${states[s]}: ${p}`).join(', ')}}`;
  const lines = ['# fuzz case', 'description: generated', 'mdp:'];
  if (flow) lines.push(`  states: [${states.join(', ')}]`, `  actions: [${actions.join(', ')}]`);
  else lines.push('  states:', ...states.map((s) => `    - ${s}`), '  actions:', ...actions.map((a) => `    - ${a}`));
  lines.push(`  horizon: ${H}`, '  transitions:');
  states.forEach((s, i) => {
    if (flow) lines.push(`    ${s}: {${actions.map((a, j) => `${a}: ${dist(i * nA + j)}`).join(', ')}}`);
    else {
      lines.push(`    ${s}:`);
      actions.forEach((a, j) => lines.push(`      ${a}: ${dist(i * nA + j)}`));
    }
  });
  lines.push('  rewards:');
  states.forEach((s, i) => lines.push(`    ${s}: {${actions.map((a, j) => `${a}: ${rewards[i * nA + j]}`).join(', ')}}`));
  lines.push('experts:', '  e:', `    policy: {${states.map((s, i) => `${s}: ${actions[policy[i]]}`).join(', ')}}`);
  lines.push('datasets:', '  d:', '    from: e', `    trajectories: ${spec.N}`, `    seed: ${typeof spec.seed === 'string' ? JSON.stringify(spec.seed) : spec.seed}`);
  return `${lines.join('\n')}\n`;
}

const NUMBERS = ['.nan', '.NaN', '.inf', '-.inf', '1e308', '-1e308', '1e12', '123456789012345678901234567890', '9007199254740993', '10000000', '0', '-1', '0.5', '1.5', '0x10', '1_000'];
const CHARS = '[]{}:,-?#&*!|>\'"%@` \t\r\n\\xé😀0.';

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant('number' as const), which: fc.nat(), value: fc.constantFrom(...NUMBERS) }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), open: fc.constantFrom('[', '{', '{a: ', '- ', '[[', '&x ['), depth: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Applies a mutation to lines 2…n only: line 1 stays the comment the 1:1 invariant relies on. */
export function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const head = lines[0];
  const body = lines.slice(1);
  const bodyText = body.join('\n');
  const pick = (n: number, k: number) => (k === 0 ? 0 : n % k);
  switch (m.op) {
    case 'delete':
      body.splice(pick(m.line, body.length), 1);
      return [head, ...body].join('\n');
    case 'duplicate': {
      const i = pick(m.line, body.length);
      body.splice(i, 0, body[i] ?? '');
      return [head, ...body].join('\n');
    }
    case 'swap': {
      const i = pick(m.line, body.length);
      const j = pick(m.line * 7 + 3, body.length);
      [body[i], body[j]] = [body[j], body[i]];
      return [head, ...body].join('\n');
    }
    case 'insert': {
      const at = pick(m.at, bodyText.length + 1);
      return `${head}\n${bodyText.slice(0, at)}${m.text}${bodyText.slice(at)}`;
    }
    case 'number': {
      const numbers = [...bodyText.matchAll(/\b\d+(\.\d+)?\b/g)];
      if (numbers.length === 0) return text;
      const n = numbers[pick(m.which, numbers.length)];
      return `${head}\n${bodyText.slice(0, n.index)}${m.value}${bodyText.slice(n.index + n[0].length)}`;
    }
    case 'nest': {
      const at = pick(m.at, bodyText.length + 1);
      return `${head}\n${bodyText.slice(0, at)}${m.open.repeat(m.depth)}${bodyText.slice(at)}`;
    }
    case 'truncate':
      return `${head}\n${bodyText.slice(0, pick(m.at, bodyText.length + 1))}`;
  }
}

function checkRoundTrip(spec: ExplicitSpec, text: string): void {
  const { model, diagnostics } = parseIlmdp(text);
  assert.deepEqual(diagnostics, [], text);
  assert.ok(model);
  const { mdp } = model;
  assert.deepEqual(mdp.stateNames, spec.states);
  assert.deepEqual(mdp.actionNames, spec.actions);
  assert.equal(mdp.H, spec.H);
  const nA = spec.actions.length;
  spec.rows.forEach((entries, r) => {
    const expected = new Array<number>(spec.states.length).fill(0);
    for (const [s, p] of entries) expected[s] += p;
    assert.deepEqual(Array.from(transitionRow(mdp, 0, Math.floor(r / nA), r % nA)), expected);
  });
  assert.deepEqual(Array.from(mdp.reward), spec.rewards);
  const e = model.experts.get('e');
  assert.ok(e && e.kind === 'deterministic');
  assert.deepEqual(Array.from(e.action), spec.policy);
  assert.deepEqual(model.datasets.get('d'), { kind: 'generated', from: 'e', trajectories: spec.N, seed: spec.seed });
}

/** Whether nothing but blank lines and comments follows line 1 (an empty document, which is a problem of the whole file). */
function onlyComments(text: string): boolean {
  return text.split('\n').slice(1).every((l) => /^\s*(#.*)?$/.test(l));
}

export function checkText(text: string): readonly string[] {
  const { diagnostics } = parseIlmdp(text);
  const lines = text.split('\n');
  assert.ok(diagnostics.length <= MAX_DIAGNOSTICS, `${diagnostics.length} diagnostics`);
  for (const d of diagnostics) {
    for (const p of [d.start, d.end]) {
      assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines.length, `${d.code} at line ${p.line} of ${lines.length}`);
      assert.ok(Number.isInteger(p.column) && p.column >= 1 && p.column <= lines[p.line - 1].length + 1, `${d.code} at ${p.line}:${p.column}, line length ${lines[p.line - 1].length}`);
    }
    assert.ok(d.end.line > d.start.line || (d.end.line === d.start.line && d.end.column >= d.start.column), `${d.code}: end before start`);
    if (d.start.line === 1 && d.start.column === 1) assert.ok(onlyComments(text), `${d.code} at 1:1: ${d.message}`);
    assert.ok(d.message.length > 0 && !/\bundefined\b|\[object /.test(d.message), `${d.code}: ${d.message}`);
  }
  return diagnostics.map((d) => d.code);
}

export const ilmdpSuite: FuzzSuite<IlmdpCase> = {
  name: 'ilmdp parser',
  arbitrary: fc.record({
    spec: fc.oneof({ weight: 3, arbitrary: explicitArb }, { weight: 1, arbitrary: generatedArb }),
    // A fifth of the cases stay valid, for the round trip.
    mutations: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) }),
  }),
  size: (c) => c.mutations.reduce(mutate, writeSpec(c.spec)).length,
  check(c) {
    const valid = writeSpec(c.spec);
    if (c.mutations.length === 0) {
      if (c.spec.kind === 'explicit') checkRoundTrip(c.spec, valid);
      else assert.deepEqual(parseIlmdp(valid).diagnostics, [], valid);
    }
    return checkText(c.mutations.reduce(mutate, valid));
  },
};
