// The settings as the host reads them: defaults, bad types, clamping, the pool size's 0, and the bounds
// package.json declares (which are what the Settings UI enforces) matching the ones the code applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CELL_TIMEOUT_MS } from '../../src/notebook/runNotebook';
import { DEFAULT_MAX_OUTPUT_BYTES_PER_CELL, DEFAULT_MAX_OUTPUT_BYTES_PER_NOTEBOOK } from '../../src/notebook/outputLimits';
import { defaultParams } from '../../src/shared/panelProtocol';
import { MAX_CELL_TIMEOUT_SECONDS, NUMBER_SETTINGS, readSettings, SAVE_OUTPUTS_KEY } from '../../src/shared/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { type: string; default: unknown; minimum?: number; maximum?: number; description?: string; markdownDescription?: string }> } };
};
const properties = manifest.contributes.configuration.properties;

test('unset settings read as their documented defaults; the pool size 0 is the number of cores', () => {
  const s = readSettings(() => undefined, 6);
  assert.deepEqual(s, {
    saveOutputs: true,
    maxOutputBytesPerCell: 4 * 1024 * 1024,
    maxOutputBytesPerNotebook: 32 * 1024 * 1024,
    memoryLimitMb: 4096,
    interruptGraceMs: 500,
    cellTimeoutSeconds: 0,
    sweepWorkers: 6,
    panelSeeds: 200,
  });
  assert.equal(s.maxOutputBytesPerCell, DEFAULT_MAX_OUTPUT_BYTES_PER_CELL);
  assert.equal(s.maxOutputBytesPerNotebook, DEFAULT_MAX_OUTPUT_BYTES_PER_NOTEBOOK);
  assert.equal(s.panelSeeds, (defaultParams('gap-vs-H') as { seeds: number }).seeds, "the panels' own default");
});

test('values of the wrong type fall back to the default; numbers out of range are clamped, whole numbers rounded down', () => {
  const values: Record<string, unknown> = {
    [SAVE_OUTPUTS_KEY]: 'no',
    'ilNotebooks.kernel.cellTimeoutSeconds': -5,
    'ilNotebooks.kernel.interruptGraceMs': 10_000,
    'ilNotebooks.kernel.memoryLimitMb': '2048',
    'ilNotebooks.sweeps.workers': 2.7,
    'ilNotebooks.panels.defaultSeeds': Number.NaN,
    'ilNotebooks.notebook.maxOutputBytesPerCell': 10,
  };
  const s = readSettings((k) => values[k], 4);
  assert.equal(s.saveOutputs, true);
  assert.equal(s.cellTimeoutSeconds, 0);
  assert.equal(s.interruptGraceMs, 900);
  assert.equal(s.memoryLimitMb, 4096);
  assert.equal(s.sweepWorkers, 2);
  assert.equal(s.panelSeeds, 200);
  assert.equal(s.maxOutputBytesPerCell, 1024);
  // A fraction of a second is a fine timeout; 1 worker means no pool, and is not turned into the cores.
  const t = readSettings((k) => ({ 'ilNotebooks.kernel.cellTimeoutSeconds': 1.5, 'ilNotebooks.sweeps.workers': 1, [SAVE_OUTPUTS_KEY]: false })[k], 8);
  assert.equal(t.cellTimeoutSeconds, 1.5);
  assert.equal(t.sweepWorkers, 1);
  assert.equal(t.saveOutputs, false);
  assert.equal(readSettings((k) => (k === 'ilNotebooks.kernel.cellTimeoutSeconds' ? 1e12 : undefined), 1).cellTimeoutSeconds, MAX_CELL_TIMEOUT_SECONDS);
});

test("the longest cell timeout is Node's longest timer, in whole seconds", () => {
  assert.equal(MAX_CELL_TIMEOUT_SECONDS, Math.floor(MAX_CELL_TIMEOUT_MS / 1000));
});

test("package.json declares every setting with the code's default and bounds, and says when a change applies", () => {
  for (const setting of Object.values(NUMBER_SETTINGS)) {
    const declared = properties[setting.key];
    assert.ok(declared, `${setting.key} is contributed`);
    assert.equal(declared.default, setting.default, `${setting.key} default`);
    assert.equal(declared.minimum, setting.minimum, `${setting.key} minimum`);
    assert.equal(declared.maximum, setting.maximum, `${setting.key} maximum`);
  }
  assert.equal(properties[SAVE_OUTPUTS_KEY].default, true);
  for (const [key, declared] of Object.entries(properties)) {
    assert.match(declared.description ?? declared.markdownDescription ?? '', /Applies (to the next|at the next|when|the next time)/, `${key} says when a change applies`);
  }
});
