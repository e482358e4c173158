/**
 * Issue 21 in a real VS Code, on examples/04: after Run All, editing cell 1 marks cell 2 stale (it
 * reads cell 1's `sweep`) and not cell 3; Run Stale Cells runs cell 2 alone (restored from the cache:
 * the kernel still holds the sweep it was computed from); after Restart Kernel, Run All computes the
 * edited cell 1 and its reader and restores cell 3 from the cache; Run Cell and Dependents on cell 1
 * runs cells 1 and 2 (both from the cache now), not cell 3; Clear Cache empties it; with
 * runDependentsAutomatically, running cell 1 alone runs cell 2 after it, and not cell 3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from './harness';

const NOTEBOOK = '.notebook-editor';
/** Cell `i` of the notebook (0 is the markdown title; 1–3 the code cells), when the list has it rendered. */
const cellRow = (s: Session, i: number) => s.page.locator(`${NOTEBOOK} .monaco-list-row[data-index="${i}"]`);
const badge = (s: Session, i: number, text: string) => cellRow(s, i).locator('.cell-status-item', { hasText: text });

/** Scrolls the notebook (the mouse wheel over it) until cell `i`'s status bar is in view: the list renders only what it shows. */
async function reveal(s: Session, i: number): Promise<void> {
  const box = await s.page.locator(NOTEBOOK).first().boundingBox();
  // Over the cells' left margin: over an output the wheel would go to its webview.
  await s.page.mouse.move(box!.x + 10, box!.y + box!.height / 2);
  await s.page.mouse.wheel(0, -20_000);
  await s.page.waitForTimeout(300);
  for (let step = 0; step < 40; step++) {
    // A short timeout: a row the list has not rendered would be waited for forever.
    const bar = await cellRow(s, i).locator('.cell-statusbar-container').boundingBox({ timeout: 200 }).catch(() => null);
    if (bar && bar.y > 100 && bar.y + bar.height < s.page.viewportSize()!.height - 30) return;
    await s.page.mouse.wheel(0, 250);
    await s.page.waitForTimeout(150);
  }
  const classes = await s.page.locator(`${NOTEBOOK} .monaco-list-row`).evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-index')}: ${[...r.querySelectorAll('[class*="status"]')].map((e) => e.className).slice(0, 4).join(' | ')}`));
  throw new Error(`cell ${i} could not be scrolled into view; rows: ${classes.join('; ')}`);
}

/** What the cell's status bar says (for the assertions' messages). */
const statusOf = async (s: Session, i: number) => (await cellRow(s, i).locator('.cell-statusbar-container').innerText({ timeout: 5_000 }).catch(() => '?')).replace(/\s+/g, ' ');

async function command(s: Session, title: string): Promise<void> {
  await s.page.keyboard.press('F1');
  await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
  await s.page.keyboard.type(`IL Notebooks: ${title}`);
  await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await s.page.keyboard.press('Enter');
}

/** No cell is executing or waiting to. */
const idle = (s: Session) =>
  s.page.waitForFunction(() => !document.querySelector('.notebook-editor .codicon-notebook-state-executing, .notebook-editor .codicon-notebook-state-pending'), null, { timeout: 120_000 });

test('edit cell 1 of examples/04: cell 2 is stale, cell 3 is not; Run Stale Cells runs only cell 2; after a restart Run All restores cell 3 from the cache', async () => {
  // Dependents re-run by themselves (checked last; Run All and the commands queue theirs already, so nothing runs twice).
  const s = await Session.start('stale-cache', { settings: { 'ilNotebooks.notebook.runDependentsAutomatically': true } });
  // Where a slow or stuck run is, in the test's output.
  const step = (what: string) => console.log(`stale-cache e2e: ${what}`);
  try {
    // Tall enough for the whole notebook: the cell list renders only the cells in view.
    await s.page.setViewportSize({ width: 1400, height: 2600 });
    await s.openFromExplorer('04-reset-cliff-compounding-errors.ilnb', NOTEBOOK);
    await s.page.locator('.notebook-toolbar-container').getByRole('button', { name: /^Run All/ }).click();
    step('run all');
    await reveal(s, 3);
    await cellRow(s, 3).locator('.codicon-notebook-state-success').waitFor({ timeout: 120_000 });
    await idle(s);
    const executed = async (i: number) => {
      await reveal(s, i);
      // The execution's order ([n], left of the cell) and its status bar (its time, the badges).
      const order = await cellRow(s, i).locator('.execution-count-label').innerText({ timeout: 2_000 }).catch(() => '');
      return `${order} ${await cellRow(s, i).locator('.cell-statusbar-container').innerText({ timeout: 5_000 })}`;
    };
    // What each code cell's status bar said after Run All (its execution's order and time among it).
    const afterRunAll = [await executed(1), await executed(2), await executed(3)];
    for (const [k, text] of afterRunAll.entries()) assert.doesNotMatch(text, /stale|from cache/, `cell ${k + 1} after Run All: ${text}`);
    step(`after run all: ${JSON.stringify(afterRunAll)}`);

    step('edit');
    // Edit cell 1 (a comment is enough: its code is no longer what cell 2's outputs were made from).
    await reveal(s, 1);
    await cellRow(s, 1).locator('.view-line', { hasText: 'display(sweep)' }).click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type('\n// edited');
    await s.page.locator('.statusbar-item', { hasText: '1 stale cell' }).waitFor({ timeout: 30_000 });
    await reveal(s, 2);
    await badge(s, 2, 'stale').waitFor({ timeout: 10_000 });
    await s.screenshot('stale-after-edit');
    await reveal(s, 3);
    assert.equal(await badge(s, 3, 'stale').count(), 0, `cell 3 reads nothing of cell 1: ${await statusOf(s, 3)}`);
    await reveal(s, 1);
    assert.equal(await badge(s, 1, 'stale').count(), 0, 'the edited cell itself is not stale');

    step('run stale cells');
    await s.page.keyboard.press('Escape');
    await command(s, 'Run Stale Cells');
    await reveal(s, 2);
    await badge(s, 2, 'from cache').waitFor({ timeout: 60_000 });
    await idle(s);
    await s.screenshot('stale-after-run-stale');
    assert.equal(await badge(s, 2, 'stale').count(), 0, 'cell 2 is no longer stale');
    assert.notEqual(await executed(2), afterRunAll[1], 'cell 2 had an execution');
    // Cells 1 and 3 had none: their status bars are as Run All left them (execution order, time).
    assert.equal(await executed(3), afterRunAll[2], 'cell 3 did not run');
    assert.equal(await executed(1), afterRunAll[0], 'cell 1 did not run');
    assert.equal(await s.page.locator('.statusbar-item', { hasText: /stale cell/ }).filter({ visible: true }).count(), 0);

    step('restart, run all');
    await command(s, 'Restart Kernel');
    await s.page.waitForTimeout(1_000);
    await s.page.locator('.notebook-toolbar-container').getByRole('button', { name: /^Run All/ }).click();
    await reveal(s, 3);
    await badge(s, 3, 'from cache').waitFor({ timeout: 120_000 });
    await idle(s);
    await s.screenshot('stale-restart-run-all');
    await reveal(s, 1);
    assert.equal(await badge(s, 1, 'from cache').count(), 0, `the edited cell 1 is computed: ${await statusOf(s, 1)}`);
    await reveal(s, 2);
    assert.equal(await badge(s, 2, 'from cache').count(), 0, `and so is its reader: ${await statusOf(s, 2)}`);
    assert.match(await statusOf(s, 2), /✓|\d/, 'it ran');
    const afterRestart = [await executed(1), await executed(2), await executed(3)];

    step('run cell and dependents');
    // Cell 1 selected (a click in its editor), then the command: cell 1 and its reader run, cell 3 does not.
    await cellRow(s, 1).locator('.view-line', { hasText: 'display(sweep)' }).click();
    await s.page.keyboard.press('Escape');
    await command(s, 'Run Cell and Dependents');
    await badge(s, 2, 'from cache').waitFor({ timeout: 60_000 });
    await badge(s, 1, 'from cache').waitFor({ timeout: 10_000 });
    await idle(s);
    assert.equal(await executed(3), afterRestart[2], 'cell 3 did not run');

    step('clear cache');
    // Run All kept cells 1–3; after the edit and the restart, the new cell 1 and its reader: 5 entries.
    await command(s, 'Clear Cache');
    await s.page.locator('.notification-toast', { hasText: /results cache cleared \(5 entries/ }).waitFor({ timeout: 15_000 });
    await s.screenshot('stale-clear-cache');

    step('run cell 1 alone: its reader follows by itself');
    const beforeAuto = [await executed(1), await executed(2), await executed(3)];
    // The cell's own run button (in code-server's cell editor Ctrl+Enter inserts a line).
    await cellRow(s, 1).hover();
    await cellRow(s, 1).locator('.run-button-container .action-label').first().click({ force: true });
    await s.page.waitForFunction(
      (before) => {
        const label = document.querySelector('.notebook-editor .monaco-list-row[data-index="2"] .execution-count-label')?.textContent ?? '';
        return label.trim() !== '' && !before.includes(label.trim());
      },
      beforeAuto[1],
      { timeout: 60_000 },
    );
    await idle(s);
    assert.notEqual(await executed(1), beforeAuto[0], 'cell 1 ran');
    assert.equal(await executed(3), beforeAuto[2], 'cell 3, which reads nothing of it, did not');
    assert.doesNotMatch(await executed(2), /from cache/, 'the cache was cleared: cell 2 was computed');
    await s.screenshot('stale-auto-rerun');
  } catch (error) {
    await s.screenshot(`failed-stale-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
