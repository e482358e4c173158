import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIlmdp } from '../../src/ilmdp/parse';
import { NEW_ILMDP_TEMPLATE } from '../../src/notebook/templates';

test('the New IL MDP File template parses without a problem, with its expert and dataset', () => {
  const { model, diagnostics } = parseIlmdp(NEW_ILMDP_TEMPLATE);
  assert.deepEqual(diagnostics, []);
  assert.ok(model);
  assert.equal(model.mdp.nS, 3);
  assert.equal(model.mdp.nA, 2);
  assert.equal(model.mdp.H, 8);
  assert.deepEqual([...model.experts.keys()], ['goer']);
  assert.deepEqual([...model.datasets.keys()], ['demo']);
});
