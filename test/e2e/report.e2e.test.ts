/**
 * The HTML report of `il-notebooks run --report`, opened from disk in Chromium with the network cut:
 * every view draws (pixels counted), in the light and the dark colour scheme.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertReportDrawsOffline, root } from './harness';

test('the report of the Reset Cliff notebook draws its plots offline, light and dark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-report-'));
  const notebook = join(dir, 'reset-cliff.ilnb');
  copyFileSync(join(root, 'examples/04-reset-cliff-compounding-errors.ilnb'), notebook);
  const report = join(dir, 'report.html');
  const run = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'run', notebook, '--report', report, '--no-write'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  await assertReportDrawsOffline(report, 'report');
});
