import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { parseIlmdp } from '../../src/ilmdp/parse';
import { LIMITS } from '../../src/ilmdp/limits';
import { ENVIRONMENT_KINDS } from '../../src/core/envs';
import { generatorDefs, schemaTextWithGenerators } from './helpers/generatorSchema';

const root = join(__dirname, '../..');
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/ilmdp.schema.json'), 'utf8')) as object);

test('every example satisfies the JSON Schema', () => {
  for (const f of readdirSync(join(root, 'examples')).filter((n) => n.endsWith('.ilmdp'))) {
    const ok = validate(parse(readFileSync(join(root, 'examples', f), 'utf8')));
    assert.ok(ok, `${f}: ${ajv.errorsText(validate.errors)}`);
  }
});

test('the schema and the parser reject the same structural mistakes', () => {
  const bad = [
    { mdp: { generator: 'reset-cliff', horizon: 0, states: 3, actions: 2 } },
    { mdp: { generator: 'reset-cliff-recovery', horizon: 2, states: 3, actions: 1 } },
    { mdp: { generator: 'garnet', horizon: 2, states: 3, actions: 2, branching: 2 } },
    { mdp: { states: ['a'], actions: ['x'], horizon: 1, transitions: { a: { x: { a: 1.5 } } } } },
    { mdp: { states: ['a'], actions: ['x'], horizon: 1, transitions: { a: { x: 'a' } } }, datasets: { d: { file: 'x.txt' } } },
  ];
  for (const doc of bad) {
    assert.equal(validate(doc), false, JSON.stringify(doc));
    assert.ok(parseIlmdp(JSON.stringify(doc)).diagnostics.some((d) => d.severity === 'error'), JSON.stringify(doc));
  }
});

test('the schema accepts every generator the parser accepts, reset-cliff-recovery included', () => {
  const doc = { mdp: { generator: 'reset-cliff-recovery', horizon: 4, states: 5, actions: 3, rho: 'lower-bound', N: 9 }, experts: { expert: { builtin: true } } };
  assert.ok(validate(doc), ajv.errorsText(validate.errors));
  assert.deepEqual(parseIlmdp(JSON.stringify(doc)).diagnostics, []);
});

test("the schema's generators, and each one's keys, types, defaults and required keys, are the environment registry's", () => {
  const text = readFileSync(join(root, 'schemas/ilmdp.schema.json'), 'utf8');
  const defs = (JSON.parse(text) as { $defs: Record<string, unknown> }).$defs;
  for (const [name, def] of Object.entries(generatorDefs())) assert.deepEqual(defs[name], def, `$defs.${name} (npx tsx test/ilmdp/helpers/generatorSchema.ts --write updates it)`);
  assert.deepEqual(
    Object.keys(defs).filter((k) => k.startsWith('generator-')),
    ENVIRONMENT_KINDS.map((k) => `generator-${k}`),
  );
  assert.equal(schemaTextWithGenerators(text), text, 'the file is written as the helper writes it');
});

test('the schema and the parser agree, generator by generator, on the keys a generated MDP may have', () => {
  for (const kind of ENVIRONMENT_KINDS) {
    const doc = { mdp: { generator: kind, horizon: 3, frobnicate: 1 } };
    assert.equal(validate(doc), false, `${kind}: an unknown key`);
    assert.ok(parseIlmdp(JSON.stringify(doc)).diagnostics.some((d) => d.code === 'unknown-key' && d.path === 'mdp.frobnicate'), kind);
  }
  // A key of one generator is unknown to another.
  const chainWithRho = { mdp: { generator: 'chain', states: 3, actions: 2, horizon: 2, rho: 'uniform' } };
  assert.equal(validate(chainWithRho), false);
  assert.ok(parseIlmdp(JSON.stringify(chainWithRho)).diagnostics.some((d) => d.code === 'unknown-key' && d.path === 'mdp.rho'));
});

test("the schema's maxima are the parser's limits (src/ilmdp/limits.ts), wherever the schema has the field", () => {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/ilmdp.schema.json'), 'utf8')) as { $defs: Record<string, { properties?: Record<string, Record<string, unknown>>; oneOf?: Record<string, unknown>[] }> };
  const defs = schema.$defs;
  const integerForm = (def: { oneOf?: Record<string, unknown>[] }) => def.oneOf!.find((f) => f.type === 'integer')!;
  const arrayForm = (def: { oneOf?: Record<string, unknown>[] }) => def.oneOf!.find((f) => f.type === 'array')!;
  // An explicit MDP: names as a count or a list, and the horizon.
  assert.equal(integerForm(defs.stateNames).maximum, LIMITS.states);
  assert.equal(arrayForm(defs.stateNames).maxItems, LIMITS.states);
  assert.equal(integerForm(defs.actionNames).maximum, LIMITS.actions);
  assert.equal(arrayForm(defs.actionNames).maxItems, LIMITS.actions);
  assert.deepEqual([defs.explicitMdp.properties!.states.$ref, defs.explicitMdp.properties!.actions.$ref], ['#/$defs/stateNames', '#/$defs/actionNames']);
  assert.equal(defs.explicitMdp.properties!.horizon.maximum, LIMITS.horizon);
  // A generated dataset's N.
  assert.equal(integerForm(defs.dataset.properties!.trajectories as { oneOf: Record<string, unknown>[] }).maximum, LIMITS.trajectories);
  // Every generator's sizes, by the key a file writes.
  const byKey: Record<string, number> = { states: LIMITS.states, actions: LIMITS.actions, horizon: LIMITS.horizon, N: LIMITS.trajectories, branching: LIMITS.states };
  let checked = 0;
  for (const kind of ENVIRONMENT_KINDS) {
    for (const [key, property] of Object.entries(defs[`generator-${kind}`].properties!)) {
      if (!(key in byKey)) continue;
      assert.equal(property.maximum, byKey[key], `generator-${kind}.${key}`);
      checked++;
    }
  }
  assert.ok(checked >= 3 * ENVIRONMENT_KINDS.length - 1, `${checked} generator sizes checked`);
  // And the schema refuses what the parser refuses for it.
  const tooLong = { mdp: { states: ['a'], actions: ['x'], horizon: LIMITS.horizon + 1, transitions: { a: { x: 'a' } } } };
  assert.equal(validate(tooLong), false);
  assert.ok(parseIlmdp(JSON.stringify(tooLong)).diagnostics.some((d) => d.code === 'limit'));
});
