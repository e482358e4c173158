import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { datasetFromTrajectories } from '../../src/core/dataset';
import type { MDP } from '../../src/core/mdp';
import { datasetFileChunks, datasetToText } from '../../src/ilmdp/datasetExport';
import { parseDatasetFile } from '../../src/ilmdp/datasetFile';

function mdpOf(nS: number, nA: number, H: number, named: boolean): MDP {
  return {
    nS,
    nA,
    H,
    rho: new Float64Array(nS).fill(1 / nS),
    reward: new Float64Array(nS * nA),
    transitions: [],
    ...(named ? { stateNames: Array.from({ length: nS }, (_, s) => `room ${s}`), actionNames: Array.from({ length: nA }, (_, a) => `act-${a}`) } : {}),
  };
}

test('property: export then import gives back the same trajectories, in CSV and JSONL, named or not', () => {
  const shape = fc.record({ nS: fc.integer({ min: 1, max: 6 }), nA: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 7 }), named: fc.boolean() });
  const input = shape.chain(({ nS, nA, H, named }) =>
    fc.record({
      nS: fc.constant(nS),
      nA: fc.constant(nA),
      H: fc.constant(H),
      named: fc.constant(named),
      // Each trajectory observes its first 1…H steps (an imported episode may stop early).
      trajectories: fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: nS - 1 }), fc.integer({ min: 0, max: nA - 1 })), { minLength: 1, maxLength: H }), { maxLength: 12 }),
      format: fc.constantFrom('csv' as const, 'jsonl' as const),
    }),
  );
  fc.assert(
    fc.property(input, ({ nS, nA, H, named, trajectories, format }) => {
      const mdp = mdpOf(nS, nA, H, named);
      const d = datasetFromTrajectories(nS, nA, H, trajectories);
      const back = parseDatasetFile(datasetToText(d, mdp, format), format, mdp, `x.${format}`);
      assert.deepEqual(back.diagnostics, []);
      assert.equal(back.dataset!.N, trajectories.length);
      assert.deepEqual(back.dataset!.states, d.states);
      assert.deepEqual(back.dataset!.actions, d.actions);
    }),
    { numRuns: 200 },
  );
});

test('the written files follow docs/ilmdp.md: a header, steps from 0, names, rewards when known', () => {
  const mdp = mdpOf(2, 2, 2, true);
  const d = { ...datasetFromTrajectories(2, 2, 2, [[[0, 1], [1, 0]], [[1, 1]]]), rewards: new Float64Array([0, 1, 0.5, 0]) };
  assert.equal(datasetToText(d, mdp, 'csv'), 'episode,step,state,action,reward\n0,0,room 0,act-1,0\n0,1,room 1,act-0,1\n1,0,room 1,act-1,0.5\n');
  assert.equal(datasetToText(d, mdp, 'jsonl').split('\n')[2], '{"episode":1,"step":0,"state":"room 1","action":"act-1","reward":0.5}');
  // Large datasets are written in chunks of whole lines.
  const chunks = [...datasetFileChunks(d, mdp, 'jsonl', 2)];
  assert.deepEqual(chunks.map((c) => c.split('\n').length - 1), [2, 1]);
  const comma = { ...mdp, stateNames: ['a,b', 'c'] };
  assert.throws(() => datasetToText(d, comma, 'csv'), /contains a comma.*export to JSONL instead/);
  assert.equal(parseDatasetFile(datasetToText(d, comma, 'jsonl'), 'jsonl', comma).dataset!.N, 2);
});
