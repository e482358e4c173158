/**
 * The HTML report of `il-notebooks run --report`, opened from disk in Chromium with the network cut:
 * every view draws (pixels counted), in the light and the dark colour scheme.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { COUNT_DRAWN_PIXELS, resultsDir, root } from './harness';

test('the report of the Reset Cliff notebook draws its plots offline, light and dark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-report-'));
  const notebook = join(dir, 'reset-cliff.ilnb');
  copyFileSync(join(root, 'examples/04-reset-cliff-compounding-errors.ilnb'), notebook);
  const report = join(dir, 'report.html');
  const run = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'run', notebook, '--report', report, '--no-write'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    mkdirSync(resultsDir, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme: scheme, offline: true, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('requestfailed', (r) => errors.push(`request ${r.url()}`));
      await page.goto(`file://${report}`);
      await page.waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true, null, { timeout: 30_000 });
      await page.waitForTimeout(500);
      const drawn = await page.locator('canvas').evaluateAll((nodes, count) => nodes.map((n) => new Function('c', `return (${count})(c)`)(n) as number), COUNT_DRAWN_PIXELS.toString());
      assert.ok(drawn.filter((n) => n > 2_000).length >= 2, `plots drawn (${scheme}): ${drawn.join(', ')}`);
      assert.deepEqual(errors, []);
      await page.screenshot({ path: join(resultsDir, `report-${scheme}.png`), fullPage: false });
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
