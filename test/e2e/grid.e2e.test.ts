/**
 * The grid view of a gridworld in the IL MDP editor, in a real VS Code: the map is an ARIA grid with the
 * expert's arrows on it; painting a cell edits one character of the map (one line of the file), undo
 * restores the file byte for byte, cells are painted from the keyboard too, and the grid reads in the
 * dark, light and high-contrast themes (screenshots).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { savedText, Session } from './harness';

const WEBVIEW = 'iframe.webview.ready';
const FILE = 'gridworld.ilmdp';

const BIG = `mdp:\n  generator: gridworld\n  horizon: 100\n  slip: 0.1\n  map: |\n${Array.from({ length: 50 }, (_, r) => `    ${r === 0 ? `S${'.'.repeat(49)}` : r === 49 ? `${'.'.repeat(49)}G` : '.'.repeat(50)}`).join('\n')}\nexperts:\n  expert: {builtin: true}\n`;

test('painting the gridworld map edits one character; undo restores the file; keyboard painting; themes', async () => {
  const notebook = JSON.stringify({ format: 'il-notebook', version: 1, cells: [{ kind: 'code', language: 'javascript', source: ['display(load("gridworld.ilmdp"))'] }] });
  const s = await Session.start('grid', { files: { 'big-grid.ilmdp': BIG, 'grid.ilnb': notebook } });
  const original = readFileSync(join(s.workspace, FILE), 'utf8');
  const save = async (name = FILE) => {
    const tab = `.tabs-container .tab[data-resource-name="${name}"]`;
    await s.page.locator(tab).click();
    await s.page.keyboard.press('Control+S');
    await s.page.waitForFunction((selector) => !document.querySelector(`${selector}.dirty`), tab, { timeout: 15_000 });
  };
  try {
    await s.openFromExplorer(FILE, WEBVIEW);
    const frame = s.webview();
    const grid = frame.locator('.iln-grid[role="grid"]');
    await grid.waitFor({ timeout: 30_000 });
    assert.equal(await grid.locator('[role="gridcell"]').count(), 20, 'one gridcell per map cell (4 × 5)');
    assert.equal(await grid.getAttribute('aria-rowcount'), '4');
    const corner = grid.locator('[role="gridcell"]').nth(4);
    assert.equal(await corner.getAttribute('aria-label'), 'row 1, column 5, wall');
    // The optimal expert's action is drawn in every free cell that is not the goal.
    assert.ok((await grid.locator('[role="gridcell"] svg line').count()) >= 10, 'expert arrows are drawn');
    assert.match((await grid.locator('[role="gridcell"]').nth(0).getAttribute('aria-label')) ?? '', /^row 1, column 1, start, V = [\d.]+, expert: (right|down)/);
    await s.screenshot('grid-default-theme');

    // The dataset on the map: coverage, and BC against the expert (where BC never saw a state, it plays uniformly).
    const show = frame.getByRole('combobox', { name: 'what the cells show' });
    await show.waitFor({ timeout: 60_000 });
    await show.selectOption('coverage:small');
    assert.match((await grid.locator('[role="gridcell"]').nth(0).getAttribute('aria-label')) ?? '', /^row 1, column 1, start, small: 10 of 10 trajectories here at this step$/);
    await show.selectOption('bc:small');
    await frame.getByRole('slider', { name: 'step h' }).fill('11');
    const labels = await grid.locator('[role="gridcell"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
    assert.ok(labels.some((l) => /not in small at this step \(BC plays uniformly\), BC differs from expert by 0\.75/.test(l)), labels.join('\n'));
    assert.ok((await grid.locator('.iln-grid-cell.unseen').count()) > 0, 'unseen cells are marked');
    await s.screenshot('grid-bc-disagreement');
    await show.selectOption('expert');

    // Paint row 2, column 1 (free) with the default brush, a wall.
    const target = grid.locator('[role="gridcell"][aria-label^="row 2, column 1, free"]');
    await target.click();
    await grid.locator('[role="gridcell"][aria-label^="row 2, column 1, wall"]').waitFor({ timeout: 15_000 });
    await s.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: 15_000 });
    await save();
    const painted = await savedText(join(s.workspace, FILE));
    const before = original.split('\n');
    const after = painted.split('\n');
    assert.equal(after.length, before.length);
    const changed = after.map((line, i) => (line === before[i] ? -1 : i)).filter((i) => i >= 0);
    assert.equal(changed.length, 1, 'one line of the file changed');
    assert.equal(before[changed[0]].trim(), '.##.#');
    assert.equal(after[changed[0]].trim(), '###.#');

    // Undo (from the editor) restores the text; saved, the file is the original byte for byte.
    await frame.locator('body').press('Control+Z');
    await s.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: 15_000 });
    await grid.locator('[role="gridcell"][aria-label^="row 2, column 1, free"]').waitFor({ timeout: 15_000 });
    await save();
    assert.equal(await savedText(join(s.workspace, FILE), original), original, 'undo restores the file byte for byte');

    // Keyboard: arrows move, the brush is a radio group, Space paints.
    await grid.locator('[role="gridcell"]').nth(0).focus();
    await s.page.keyboard.press('ArrowDown');
    await s.page.keyboard.press('ArrowDown');
    await frame.getByRole('radio', { name: 'cliff' }).click();
    await grid.locator('[role="gridcell"][aria-label^="row 3, column 1"]').focus();
    await s.page.keyboard.press('Space');
    await grid.locator('[role="gridcell"][aria-label="row 3, column 1, cliff"]').waitFor({ timeout: 15_000 });
    const focusedLabel = await frame.locator('body').evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(focusedLabel, 'row 3, column 1, cliff', 'the painted cell keeps the focus across the re-render');
    assert.equal(await frame.getByRole('radio', { name: 'cliff' }).getAttribute('aria-checked'), 'true', 'the brush is kept');

    // A 50 × 50 map: a drag across row 10 paints 50 cells in one stroke; frames per second during the drag are logged.
    await s.openFromExplorer('big-grid.ilmdp', WEBVIEW);
    const big = s.webview().locator('.iln-grid[role="grid"]');
    await big.locator('svg').first().waitFor({ timeout: 60_000 });
    const first = await big.locator('[role="gridcell"]').nth(9 * 50).boundingBox();
    const last = await big.locator('[role="gridcell"]').nth(9 * 50 + 49).boundingBox();
    assert.ok(first && last);
    // As a string: tsx would wrap a named function in a helper the page does not have.
    const startCounting = 'window.frames_ = 0; window.counting_ = true; window.t0_ = performance.now(); (function tick() { if (!window.counting_) return; window.frames_++; requestAnimationFrame(tick); })();';
    await s.webview().locator('body').evaluate((_, code) => new Function(code)(), startCounting);
    await s.page.mouse.move(first.x + first.width / 2, first.y + first.height / 2);
    await s.page.mouse.down();
    await s.page.mouse.move(last.x + last.width / 2, last.y + last.height / 2, { steps: 100 });
    const fps = (await s.webview().locator('body').evaluate((_, code) => new Function(code)(), 'window.counting_ = false; return (1000 * window.frames_) / (performance.now() - window.t0_);')) as number;
    await s.page.mouse.up();
    console.log(`painting a 50×50 map: ${fps.toFixed(1)} frames per second during a 50-cell drag`);
    await s.page.locator('.tabs-container .tab.dirty[data-resource-name="big-grid.ilmdp"]').waitFor({ timeout: 15_000 });
    await save('big-grid.ilmdp');
    const bigAfter = (await savedText(join(s.workspace, 'big-grid.ilmdp'))).split('\n');
    const bigBefore = BIG.split('\n');
    const bigChanged = bigAfter.map((line, i) => (line === bigBefore[i] ? -1 : i)).filter((i) => i >= 0);
    assert.deepEqual(bigChanged.map((i) => bigAfter[i]), [`    ${'#'.repeat(50)}`], 'the stroke walled row 10 and changed nothing else');

    // The visitation panel draws d_h(s) on the map too: the expert starts in S, so d_1 = 1 there.
    await s.openFromExplorer(FILE, WEBVIEW);
    await s.webview().getByText('Show visitation heatmap').first().click();
    const panel = await s.webviewShowing(/d_h\(s\) of expert "expert"/);
    const panelMap = panel.locator('.iln-heatmap-map .iln-grid[role="grid"]');
    await panelMap.waitFor({ timeout: 60_000 });
    assert.equal(await panelMap.locator('[role="gridcell"]').count(), 20);
    assert.equal(await panelMap.locator('[role="gridcell"]').nth(0).getAttribute('aria-label'), 'row 1, column 1, start, d_h(s) = 1');
    await panel.getByRole('slider', { name: 'step h' }).fill('4');
    assert.match((await panel.locator('.iln-grid-controls').innerText()) ?? '', /h = 5 of 12/);
    await s.screenshot('grid-visitation-panel');
    // A paint in the editor redraws the panel's map (panels follow the text).
    await s.page.locator('.tabs-container .tab[data-resource-name="gridworld.ilmdp"]').click();
    const editorFrame = await s.webviewShowing(/Brush:/);
    await editorFrame.locator('.iln-grid[role="grid"] [role="gridcell"][aria-label^="row 1, column 2, free"]').click();
    await panelMap.locator('[role="gridcell"][aria-label^="row 1, column 2, wall"]').waitFor({ timeout: 30_000 });

    // A notebook's display() of the gridworld draws the expert's visitation on the map.
    await s.openFromExplorer('grid.ilnb', '.notebook-editor');
    await s.page.locator('.notebook-toolbar-container').getByRole('button', { name: /^Run All/ }).click();
    const outputMap = s.notebookOutputs().locator('.iln-heatmap-map .iln-grid[role="grid"]');
    await outputMap.waitFor({ state: 'attached', timeout: 90_000 });
    assert.equal(await outputMap.locator('[role="gridcell"]').count(), 20);
    assert.equal(await outputMap.locator('[role="gridcell"]').nth(0).getAttribute('aria-label'), 'row 1, column 1, start, d_h(s) = 1');
    await s.screenshot('grid-notebook-display');

    // The same grid in the dark, light and high-contrast themes, each switched live as a user does.
    await s.openFromExplorer(FILE, WEBVIEW);
    const editorMap = (await s.webviewShowing(/Brush:/)).locator('.iln-grid[role="grid"] svg').first();
    for (const [theme, name] of [['Dark Modern', 'grid-dark'], ['Light Modern', 'grid-light'], ['Dark High Contrast', 'grid-high-contrast']] as const) {
      await s.setColorTheme(theme);
      await editorMap.waitFor({ timeout: 30_000 });
      await s.page.waitForTimeout(500);
      await s.screenshot(name);
    }
    assert.deepEqual(s.consoleErrors, [], 'no Content-Security-Policy refusals');
  } catch (error) {
    await s.screenshot('grid-failure');
    throw error;
  } finally {
    await s.close();
  }
});
