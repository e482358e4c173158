/**
 * Property tests of the dataset readers (fast-check): any valid dataset, written as CSV or JSON Lines
 * with its rows in any order, reads back to the same trajectories with no diagnostic. Broken text is
 * the fuzz suite's (test/fuzz/suites/datasetFile.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { datasetToText } from '../../src/ilmdp/datasetExport';
import { parseDatasetFile, type DatasetFileFormat } from '../../src/ilmdp/datasetFile';
import type { MDP } from '../../src/core/mdp';

// Only the names and sizes matter to the reader.
const mdp = { nS: 3, nA: 2, H: 5, stateNames: ['s0', 's1', 'far away'], actionNames: ['go', 'stay'] } as unknown as MDP;
const FORMATS: readonly DatasetFileFormat[] = ['csv', 'jsonl'];

/** Trajectories as the format allows them: each a prefix of H steps (possibly empty is not written). */
const trajectory = fc.array(fc.tuple(fc.nat({ max: mdp.nS - 1 }), fc.nat({ max: mdp.nA - 1 })), { minLength: 1, maxLength: mdp.H });
const dataset = fc.array(trajectory, { minLength: 1, maxLength: 12 });

test('valid datasets, rows in any order and episodes named by any ids, read back exactly — 400 cases', () => {
  for (const format of FORMATS) {
    fc.assert(
      fc.property(dataset, fc.integer({ min: -1000, max: 1000 }), fc.infiniteStream(fc.nat()), (trajectories, idBase, shuffle) => {
        // Rows written by hand (not through the exporter), in a shuffled order, with ids that are not 0…N−1.
        const rows = trajectories.flatMap((t, e) => t.map(([s, a], h) => ({ episode: idBase + 3 * e, step: h, state: mdp.stateNames![s], action: mdp.actionNames![a] })));
        const order = rows.map((_, i) => i);
        const draws = shuffle[Symbol.iterator]();
        for (let i = order.length - 1; i > 0; i--) {
          const j = (draws.next().value as number) % (i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        const shuffled = order.map((i) => rows[i]);
        const body = shuffled.map((r) => (format === 'csv' ? `${r.episode},${r.step},${r.state},${r.action}` : JSON.stringify(r)));
        const written = (format === 'csv' ? ['episode,step,state,action', ...body] : body).join('\n');
        const { dataset: d, diagnostics } = parseDatasetFile(written, format, mdp);
        assert.deepEqual(diagnostics, []);
        // Episodes are numbered by first appearance in the file.
        const firstSeen = [...new Set(shuffled.map((r) => r.episode))];
        assert.equal(d!.N, trajectories.length);
        firstSeen.forEach((id, k) => {
          const t = trajectories[(id - idBase) / 3];
          for (let h = 0; h < mdp.H; h++) {
            assert.equal(d!.states[k * mdp.H + h], h < t.length ? t[h][0] : -1);
            assert.equal(d!.actions[k * mdp.H + h], h < t.length ? t[h][1] : -1);
          }
        });
        // And the exporter's text of what was read reads back to the same cells.
        if (format === 'jsonl' || !mdp.stateNames!.some((n) => n.includes(','))) {
          const again = parseDatasetFile(datasetToText(d!, mdp, format), format, mdp);
          assert.deepEqual(again.diagnostics, []);
          assert.deepEqual(Array.from(again.dataset!.states), Array.from(d!.states));
          assert.deepEqual(Array.from(again.dataset!.actions), Array.from(d!.actions));
        }
      }),
      { numRuns: 200 },
    );
  }
});
