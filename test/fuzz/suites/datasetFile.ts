/**
 * The dataset readers (CSV, JSON Lines) on any text, however broken: never an exception, every
 * diagnostic an error located inside the text (its line, a column within that line, a range on it).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDatasetFile, type DatasetFileFormat } from '../../../src/ilmdp/datasetFile';
import type { MDP } from '../../../src/core/mdp';
import type { FuzzSuite } from '../runner';

// Only the names and sizes matter to the reader.
const mdp = { nS: 3, nA: 2, H: 5, stateNames: ['s0', 's1', 'far away'], actionNames: ['go', 'stay'] } as unknown as MDP;

/** Fragments that reach the readers' branches more often than uniform text would. */
const token = fc.oneof(
  fc.constantFrom('episode', 'step', 'state', 'action', 'reward', ',', ',,', '0', '1', '4', '5', '-1', '007', '1e3', '99999999999999999999', 's0', 's1', 'far away', 's9', 'go', 'stay', ' '),
  fc.constantFrom('{', '}', '[', ']', '"', ':', '"episode":', '"step":', '"state":', '"action":', 'null', 'true', '\\', '\r', '\t', '\u2028', '\ufeff', '\ud800'),
  fc.string({ maxLength: 6 }),
);
const line = fc.array(token, { maxLength: 12 }).map((t) => t.join(''));
const header = fc.constantFrom('episode,step,state,action', 'step,episode,action,state,reward', 'episode,step,state', '');
const text = fc
  .tuple(fc.boolean(), header, fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'))
  .map(([withHeader, h, lines, eol]) => [...(withHeader ? [h] : []), ...lines].join(eol));

interface DatasetCase {
  readonly format: DatasetFileFormat;
  readonly text: string;
}

export const datasetFileSuite: FuzzSuite<DatasetCase> = {
  name: 'dataset file readers',
  arbitrary: fc.record({ format: fc.constantFrom<DatasetFileFormat>('csv', 'jsonl'), text }),
  size: (c) => c.text.length,
  check({ format, text: t }) {
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
    return diagnostics.map((d) => d.code);
  },
};
