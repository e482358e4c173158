/**
 * The view panels in a real VS Code: every panel command opens its panel with a drawn chart (or table);
 * a panel follows its .ilmdp as it is edited, shows the file's problems instead of a stale chart, and
 * comes back after a window reload — replaced by a new panel if its restored webview never loads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { COUNT_DRAWN_PIXELS, Session } from './harness';

const WEBVIEW = 'iframe.webview.ready';

async function runFromTitleMenu(s: Session, item: string): Promise<void> {
  await s.page.locator('.editor-actions [aria-label="IL Notebooks Views"]').first().click();
  const entry = s.page.locator('.monaco-menu .action-label', { hasText: item }).first();
  await entry.waitFor({ timeout: 15_000 });
  await entry.click();
  // A click that lands while the menu is still animating open only highlights the entry: confirm it.
  const closed = await s.page
    .locator('.monaco-menu')
    .first()
    .waitFor({ state: 'detached', timeout: 3_000 })
    .then(() => true)
    .catch(() => false);
  if (!closed) await s.page.keyboard.press('Enter');
}

/**
 * VS Code's own Reload Window (a browser reload would skip the workbench's shutdown, which is when it
 * writes the webviews' saved state).
 */
async function reloadWindow(s: Session): Promise<void> {
  await s.page.keyboard.press('F1');
  await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
  await s.page.keyboard.type('Developer: Reload Window');
  await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: 'Reload Window' }).first().waitFor({ timeout: 15_000 });
  await Promise.all([s.page.waitForEvent('load', { timeout: 60_000 }), s.page.keyboard.press('Enter')]);
  await s.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

async function drawnPixels(frame: FrameLocator): Promise<number> {
  const canvas = frame.locator('.panel-content canvas').first();
  await canvas.waitFor({ timeout: 60_000 });
  // Charts draw on the next animation frames.
  let pixels = 0;
  for (let i = 0; i < 20 && pixels < 1000; i++) {
    pixels = await canvas.evaluate(COUNT_DRAWN_PIXELS);
    if (pixels < 1000) await frame.locator('body').evaluate(() => new Promise((r) => setTimeout(r, 250)));
  }
  return pixels;
}

test('each panel command opens its panel with a chart or table drawn', async () => {
  const s = await Session.start('panels');
  try {
    await s.openFromExplorer('reset-cliff.ilmdp', WEBVIEW);
    await (await s.webviewShowing(/Open in notebook/)).getByText('transition', { exact: false }).first().waitFor({ timeout: 30_000 }).catch(() => undefined);

    await runFromTitleMenu(s, 'Plot Gap vs Horizon');
    const gapH = await s.webviewShowing(/Imitation gap vs H/);
    assert.ok((await drawnPixels(gapH)) > 1000, 'the gap-vs-H plot is drawn');
    await s.screenshot('panel-gap-vs-h');

    await runFromTitleMenu(s, 'Plot Gap vs Samples');
    const gapN = await s.webviewShowing(/Imitation gap vs N/);
    assert.ok((await drawnPixels(gapN)) > 1000, 'the gap-vs-N plot is drawn');

    await runFromTitleMenu(s, 'Show Visitation Heatmap');
    const heat = await s.webviewShowing(/d_h\(s\) of expert/);
    assert.ok((await drawnPixels(heat)) > 1000, 'the heatmap is drawn');
    assert.match((await heat.locator('.panel-content canvas').first().getAttribute('aria-label')) ?? '', /16 rows × 11 columns/);
    await s.screenshot('panel-heatmap');

    await runFromTitleMenu(s, 'Show BC Table');
    const bc = await s.webviewShowing(/π\^BC_h\(a\|s\) from "n40"/);
    await bc.locator('.panel-content table tbody tr').first().waitFor({ timeout: 30_000 });
    assert.ok((await bc.locator('.panel-content table tbody tr').count()) >= 1);
    assert.match(await bc.locator('body').innerText(), /missing mass/i);
    await s.screenshot('panel-bc-table');

    // Export the data behind the table: VS Code's save dialog (a quick input in the browser) proposes
    // bc-table.csv beside the .ilmdp; accepting it writes the CSV there.
    await bc.getByRole('button', { name: 'CSV' }).click();
    const input = s.page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: 15_000 });
    // The dialog fills in the folder first and the proposed name a moment later.
    let proposed = '';
    for (let i = 0; i < 40 && !/bc-table\.csv$/.test(proposed); i++) {
      proposed = await input.inputValue();
      if (!/bc-table\.csv$/.test(proposed)) await s.page.waitForTimeout(250);
    }
    assert.match(proposed, /bc-table\.csv$/);
    await input.press('Enter');
    const exported = join(s.workspace, 'bc-table.csv');
    for (let i = 0; i < 40 && !existsSync(exported); i++) await s.page.waitForTimeout(250);
    const csv = readFileSync(exported, 'utf8').split('\r\n');
    assert.equal(csv[0], 'step,state,name,n(expert),n(other1),pi(expert),pi(other1)');
    assert.ok(csv.length > 10);
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-panels-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('a panel follows the text as it is edited, shows problems instead of a stale chart, and survives a reload', async () => {
  const s = await Session.start('panel-follow');
  try {
    await s.openFromExplorer('reset-cliff.ilmdp', WEBVIEW);
    await (await s.webviewShowing(/Open as text/)).getByText('Open as text').click();
    const text = s.page.locator('.monaco-editor .view-lines').filter({ hasText: 'horizon' }).last();
    await text.waitFor({ timeout: 30_000 });
    await runFromTitleMenu(s, 'Show Visitation Heatmap');
    const heat = await s.webviewShowing(/d_h\(s\) of expert/);
    const label = () => heat.locator('.panel-content canvas').first().getAttribute('aria-label', { timeout: 30_000 });
    await heat.locator('.panel-content canvas').first().waitFor({ timeout: 60_000 });
    assert.match((await label()) ?? '', /16 rows/);

    // horizon: 16 → 5, typed into the text editor (unsaved): the panel redraws with 5 steps.
    await text.getByText('horizon: 16').click();
    await s.page.keyboard.press('End');
    await s.page.keyboard.press('Backspace');
    await s.page.keyboard.press('Backspace');
    await s.page.keyboard.type('5');
    await heat.locator('.panel-content canvas[aria-label*="5 rows"]').waitFor({ timeout: 30_000 });

    // horizon: 5 → -5: the panel lists the problem (with the line) and drops the chart.
    await s.page.keyboard.press('Backspace');
    await s.page.keyboard.type('-5');
    await heat.getByText(/problem stops this view/).waitFor({ timeout: 30_000 });
    assert.match(await heat.locator('.panel-problems').innerText(), /reset-cliff\.ilmdp:\d+:\d+: error: .*horizon/i);
    assert.equal(await heat.locator('.panel-content canvas').count(), 0, 'no stale chart beside a broken file');
    await s.screenshot('panel-problems');

    // Back to a valid file, saved, then a window reload: the panel is restored by its serializer.
    await s.page.keyboard.press('Backspace');
    await s.page.keyboard.press('Backspace');
    await s.page.keyboard.type('16');
    await heat.locator('.panel-content canvas[aria-label*="16 rows"]').waitFor({ timeout: 30_000 });
    await s.page.keyboard.press('Control+S');
    await s.page.waitForTimeout(1_000);
    await reloadWindow(s);
    const restored = await s.webviewShowing(/d_h\(s\) of expert/, 90_000);
    assert.ok((await drawnPixels(restored)) > 1000, 'the restored heatmap is drawn');
    await s.screenshot('panel-restored');
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-panel-follow-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('a restored panel whose webview never loads is replaced by a working one in its place', async () => {
  // The extension host is told to make every restored panel's frame stay blank through its reload, as
  // the webview service-worker race sometimes does (see IlPanel): only a new panel can show the view.
  const s = await Session.start('panel-recovery', { env: { IL_NOTEBOOKS_E2E_STUCK_RESTORED_FRAMES: '1' } });
  try {
    await s.openFromExplorer('reset-cliff.ilmdp', WEBVIEW);
    await runFromTitleMenu(s, 'Show Visitation Heatmap');
    const heat = await s.webviewShowing(/d_h\(s\) of expert/);
    assert.ok((await drawnPixels(heat)) > 1000, 'the heatmap is drawn before the reload');
    await s.page.waitForTimeout(1_000);
    await reloadWindow(s);
    const replaced = await s.webviewShowing(/d_h\(s\) of expert/, 90_000);
    assert.ok((await drawnPixels(replaced)) > 1000, 'the replacing panel draws the heatmap');
    const tabs = s.page.locator('.tabs-container .tab', { hasText: 'Visitation Heatmap' });
    assert.equal(await tabs.count(), 1, 'the stuck panel is gone, one heatmap tab is left');
    await s.screenshot('panel-recovered');
  } catch (error) {
    await s.screenshot(`failed-panel-recovery-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
