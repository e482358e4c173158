import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellProblems } from '../../src/notebook/tsDiagnostics';

test('tsserver diagnostics become 0-based problems with their severity, code and tags', () => {
  const response = {
    type: 'response',
    success: true,
    body: [
      { start: { line: 1, offset: 4 }, end: { line: 1, offset: 16 }, text: 'Expected 3 arguments, but got 1.', code: 2554, category: 'error' },
      { start: { line: 3, offset: 7 }, end: { line: 3, offset: 8 }, text: "'x' is declared but never used.", code: 6133, category: 'suggestion', reportsUnnecessary: true },
      { start: { line: 2, offset: 1 }, end: { line: 2, offset: 9 }, text: 'deprecated', code: 6385, category: 'warning', reportsDeprecated: true },
      { start: { line: 0, offset: 1 }, end: { line: 1, offset: 1 }, text: 'a malformed one is skipped', category: 'error' },
    ],
  };
  assert.deepEqual(cellProblems(response), [
    { start: { line: 0, character: 3 }, end: { line: 0, character: 15 }, message: 'Expected 3 arguments, but got 1.', severity: 'error', code: 2554, tags: [] },
    { start: { line: 2, character: 6 }, end: { line: 2, character: 7 }, message: "'x' is declared but never used.", severity: 'hint', code: 6133, tags: ['unnecessary'] },
    { start: { line: 1, character: 0 }, end: { line: 1, character: 8 }, message: 'deprecated', severity: 'warning', code: 6385, tags: ['deprecated'] },
  ]);
});

test('no answer is not "no problems": a missing, cancelled or bodiless response gives undefined', () => {
  assert.equal(cellProblems(undefined), undefined);
  assert.equal(cellProblems({ type: 'cancelled' }), undefined);
  assert.equal(cellProblems({ type: 'noContent' }), undefined);
  assert.equal(cellProblems({ type: 'response', success: false }), undefined);
  assert.deepEqual(cellProblems({ type: 'response', success: true, body: [] }), []);
});
