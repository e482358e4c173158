/**
 * TV-AIL's first-order solver (`tv-ail-ogd`) as a learner in a real VS Code, from the installed .vsix:
 * the gap-vs-H panel's form offers it by its label, ticking it re-runs the sweep with a second curve on
 * the same datasets (no LP: nothing waits for HiGHS), and the exported CSV holds both learners' means;
 * notebook 9 runs in the kernel, draws its duality-gap views and saves the bytes plain Node computed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COUNT_DRAWN_PIXELS, root, savedText, Session } from './harness';

const WEBVIEW = 'iframe.webview.ready';
const LABEL = 'TV-AIL (first-order)';

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

test(`the gap-vs-H panel offers "${LABEL}"; ticking it draws its curve beside BC's and exports its means`, async () => {
  const s = await Session.start('first-order-ail');
  try {
    await s.openFromExplorer('reset-cliff.ilmdp', WEBVIEW);
    await runFromTitleMenu(s, 'Plot Gap vs Horizon');
    const panel = await s.webviewShowing(/Imitation gap vs H/);
    const canvas = panel.locator('.panel-content canvas').first();
    await canvas.waitFor({ timeout: 60_000 });

    // The learner's checkbox, found by its accessible name (the label the form gives it), starts unticked.
    const box = panel.getByLabel(LABEL, { exact: true });
    await box.waitFor({ timeout: 30_000 });
    assert.equal(await box.isChecked(), false);
    // Keyboard, as a user without a mouse would: focus it and press Space (a change re-runs at once).
    await box.focus();
    await s.page.keyboard.press('Space');
    assert.equal(await box.isChecked(), true);

    // Only a comparison has a note per learner ("<label>: <sweep description>"): wait for ours, then
    // for the drawing.
    await panel.locator('.iln-notes li', { hasText: `${LABEL}: ` }).first().waitFor({ timeout: 120_000 });
    const redrawn = panel.locator('.panel-content canvas').first();
    let pixels = 0;
    for (let i = 0; i < 40 && pixels < 1000; i++) {
      pixels = await redrawn.evaluate(COUNT_DRAWN_PIXELS);
      if (pixels < 1000) await s.page.waitForTimeout(250);
    }
    assert.ok(pixels > 1000, 'the comparison is drawn');
    await s.screenshot('first-order-ail-panel');

    // The data behind the chart: one row per (series, H), BC's and the first-order solver's means.
    await panel.getByRole('button', { name: 'CSV' }).click();
    const input = s.page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: 15_000 });
    let proposed = '';
    for (let i = 0; i < 40 && !/gap-plot\.csv$/.test(proposed); i++) {
      proposed = await input.inputValue();
      if (!/gap-plot\.csv$/.test(proposed)) await s.page.waitForTimeout(250);
    }
    assert.match(proposed, /gap-plot\.csv$/);
    await input.press('Enter');
    const exported = join(s.workspace, 'gap-plot.csv');
    for (let i = 0; i < 40 && !existsSync(exported); i++) await s.page.waitForTimeout(250);
    const lines = readFileSync(exported, 'utf8').split('\r\n').filter((l) => l.length > 0);
    const ours = lines.filter((l) => l.startsWith(`"${LABEL}`) || l.startsWith(LABEL));
    const bc = lines.filter((l) => l.startsWith('BC') || l.startsWith('"BC'));
    assert.ok(ours.length >= 2, `rows of ${LABEL}:\n${lines.join('\n')}`);
    assert.equal(ours.length, bc.length, 'one mean per horizon for each learner');
    // Each mean is a gap: finite and ≥ 0 (the expert is optimal on the Reset Cliff).
    for (const line of ours) {
      const y = Number(line.split(',').at(-2));
      assert.ok(Number.isFinite(y) && y >= 0, line);
    }
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-first-order-ail-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('Run All on notebook 9 draws the duality gap by round and the sweep, and saves the same bytes', async () => {
  const name = '09-first-order-tv-ail.ilnb';
  const s = await Session.start('first-order-ail-notebook');
  try {
    await s.openFromExplorer(name, '.notebook-editor');
    const toolbar = s.page.locator('.notebook-toolbar-container');
    await toolbar.getByRole('button', { name: /^Run All/ }).click();
    await toolbar.getByRole('button', { name: /^Stop Execution/ }).waitFor({ timeout: 15_000 }).catch(() => undefined);
    await toolbar.getByRole('button', { name: /^Run All/ }).waitFor({ timeout: 180_000 });
    await s.page.waitForFunction(() => !document.querySelector('.notebook-editor .codicon-notebook-state-executing, .notebook-editor .codicon-notebook-state-pending'), null, { timeout: 180_000 });
    await s.page.waitForFunction(() => document.querySelectorAll('.notebook-editor .codicon-notebook-state-success').length >= 1, null, { timeout: 60_000 });
    assert.equal(await s.page.locator('.notebook-editor .codicon-notebook-state-error').count(), 0, 'no cell in view failed');

    // The first output is the Reset Cliff's duality-gap view: its canvas is labelled by the view's title.
    const gapPlot = s.notebookOutputs().locator('canvas[aria-label*="duality gap by round"]').first();
    await gapPlot.waitFor({ timeout: 60_000 });
    let pixels = 0;
    for (let i = 0; i < 40 && pixels < 2000; i++) {
      pixels = await gapPlot.evaluate(COUNT_DRAWN_PIXELS);
      if (pixels < 2000) await s.page.waitForTimeout(250);
    }
    assert.ok(pixels > 2000, 'the duality gap by round is drawn');
    await s.screenshot('first-order-ail-notebook');

    // The editor renders only the cells in view: from the first code cell, leave its editor (Escape)
    // and jump to the last cell (Ctrl+End), which brings the sweep's comparison into view.
    await s.page.locator('.notebook-editor .code-cell-row .monaco-editor .view-lines').first().click();
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.press('Control+End');
    const sweepPlot = s.notebookOutputs().locator('canvas[aria-label*="gap vs H"]').first();
    await sweepPlot.waitFor({ timeout: 60_000 });
    assert.equal(await s.page.locator('.notebook-editor .codicon-notebook-state-error').count(), 0, 'no cell at the end failed');
    await s.screenshot('first-order-ail-notebook-sweep');

    await s.page.locator('.tabs-container .tab.active').click();
    await s.page.keyboard.press('Control+S');
    await s.page.waitForFunction(() => !document.querySelector('.tab.active.dirty'), null, { timeout: 15_000 });
    const expected = readFileSync(join(root, 'examples', name), 'utf8');
    assert.equal(await savedText(join(s.workspace, name), expected), expected, 'the kernel in VS Code computes what plain Node computed');
  } catch (error) {
    await s.screenshot(`failed-first-order-ail-notebook-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
