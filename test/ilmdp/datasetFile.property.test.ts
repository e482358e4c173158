/**
 * Property tests of the dataset readers (fast-check), 1 000 cases in all: any text, however broken, gives
 * diagnostics located inside that text and never an exception; any valid dataset, written as CSV or
 * JSON Lines with its rows in any order, reads back to the same trajectories with no diagnostic.
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

/** Fragments that reach the readers' branches more often than uniform text would. */
const token = fc.oneof(
  fc.constantFrom('episode', 'step', 'state', 'action', 'reward', ',', ',,', '0', '1', '4', '5', '-1', '007', '1e3', '99999999999999999999', 's0', 's1', 'far away', 's9', 'go', 'stay', ' '),
  fc.constantFrom('{', '}', '[', ']', '"', ':', '"episode":', '"step":', '"state":', '"action":', 'null', 'true', '\\', '\r', '\t', '\u2028', '\ufeff', '\ud800'),
  fc.string({ maxLength: 6 }),
);
const line = fc.array(token, { maxLength: 12 }).map((t) => t.join(''));
const header = fc.constantFrom('episode,step,state,action', 'step,episode,action,state,reward', 'episode,step,state', '');
const text = fc.tuple(fc.boolean(), header, fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n')).map(([withHeader, h, lines, eol]) => [...(withHeader ? [h] : []), ...lines].join(eol));

test('random text: never an exception, every diagnostic inside the text (line, column, range) — 600 cases', () => {
  for (const format of FORMATS) {
    fc.assert(
      fc.property(text, (t) => {
        const { diagnostics } = parseDatasetFile(t, format, mdp, 'f');
        const lines = t.split('\n').map((l) => l.replace(/\r$/, ''));
        for (const d of diagnostics) {
          assert.equal(d.severity, 'error');
          assert.ok(d.start.line >= 1 && d.start.line <= lines.length, `line ${d.start.line} of ${lines.length}`);
          assert.equal(d.end.line, d.start.line);
          const width = lines[d.start.line - 1].length;
          assert.ok(d.start.column >= 1 && d.start.column <= width + 1, `column ${d.start.column} in a line of ${width}`);
          assert.ok(d.end.column >= d.start.column && d.end.column <= width + 1, `end ${d.end.column} in a line of ${width}`);
        }
      }),
      { numRuns: 300 },
    );
  }
});

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
