/**
 * The same pictures in a notebook, in a real VS Code: display(policy, { on: lab }) draws a gridworld's
 * expert and BC's policy on the map (arrows, V_h(s), a step slider), display(dataset, { on: lab }) its
 * coverage with the unseen cells outlined, display(load('three-states.ilmdp')) the MDP's graph above its
 * tables, read-only, and Open in panel shows that graph in a panel. Saved, closed and opened again, the
 * outputs are drawn from the file, in the dark, light and high-contrast themes (screenshots).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { savedText, Session } from './harness';

const NOTEBOOK = '.notebook-editor';
const CELLS = [
  'const lab = load("gridworld.ilmdp")\ndisplay(lab.expert, { on: lab })',
  'display(il.behavioralCloning(lab.datasets.small), { on: lab })',
  'display(lab.datasets.small, { on: lab })',
  'display(load("three-states.ilmdp"))',
];

/** Moves a range input as a user would (VS Code hides outputs scrolled out of view, so through the DOM). */
async function slide(slider: Locator, index: number): Promise<void> {
  await slider.evaluate((input, i) => {
    (input as HTMLInputElement).value = String(i);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, index);
}

test('a notebook draws a gridworld policy and dataset on the map and an explicit MDP as a graph; themes', async () => {
  const notebook = JSON.stringify({ format: 'il-notebook', version: 1, cells: CELLS.map((source) => ({ kind: 'code', language: 'javascript', source: source.split(/(?<=\n)/) })) });
  const s = await Session.start('grid-notebook', { files: { 'pictures.ilnb': notebook } });
  const outputs = () => s.notebookOutputs();
  try {
    await s.openFromExplorer('pictures.ilnb', NOTEBOOK);
    await s.page.locator('.notebook-toolbar-container').getByRole('button', { name: /^Run All/ }).click();
    // The last cell's output, reached by scrolling down to it.
    await outputs().locator('.iln-bc-table .iln-grid[role="grid"]').first().waitFor({ state: 'attached', timeout: 120_000 });
    // Focusing each cell in turn brings it into view, and so draws every output.
    await s.revealOutput(3, outputs().locator('.iln-mdp .iln-graph-scroll svg'));
    await s.focusCell(0);

    // The expert on the map: one gridcell per cell, arrows, its value and action in each label.
    const policyMaps = outputs().locator('.iln-bc-table .iln-grid[role="grid"]');
    await policyMaps.nth(1).waitFor({ state: 'attached', timeout: 60_000 });
    const expert = policyMaps.nth(0);
    assert.equal(await expert.locator('[role="gridcell"]').count(), 20, 'one gridcell per map cell (4 × 5)');
    assert.ok((await expert.locator('[role="gridcell"] svg line').count()) >= 10, 'arrows in the free cells');
    const start = expert.locator('[role="gridcell"]').nth(0);
    // From S the optimal expert goes right along the top row (the text fallback's map says the same).
    assert.match((await start.getAttribute('aria-label')) ?? '', /^row 1, column 1, start, V = [\d.]+, expert: right$/);
    // At h = 12 one step is left and G is six moves away: nothing more can be earned, V_12(S) = 0.
    const expertControls = outputs().locator('.iln-bc-table').nth(0).locator('.iln-grid-controls');
    await slide(expertControls.getByRole('slider', { name: 'step h' }), 11);
    assert.match((await start.getAttribute('aria-label')) ?? '', /^row 1, column 1, start, V = 0, expert: /);
    assert.match(await expertControls.innerText(), /h = 12 of 12/);
    // The table below follows the map's slider, and the map follows the table's step picker.
    const expertTable = outputs().locator('.iln-bc-table').nth(0);
    const picker = expertTable.locator('select[aria-label="step"]');
    assert.equal(await picker.inputValue(), '12', 'the table shows the step the map shows');
    assert.match(await expertTable.locator('.iln-step-title').first().innerText(), /^step h = 12$/);
    await picker.evaluate((select) => {
      (select as HTMLSelectElement).value = '3';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    assert.match(await expertTable.locator('.iln-grid-controls').innerText(), /h = 3 of 12/);
    assert.equal(await expertTable.getByRole('slider', { name: 'step h' }).inputValue(), '2');
    await slide(expertControls.getByRole('slider', { name: 'step h' }), 0);
    assert.equal(await outputs().locator('.iln-bc-table').nth(0).locator('.iln-grid-controls input[type="radio"], [role="radiogroup"]').count(), 0, 'no brush: nothing to paint in an output');

    // BC's policy on the map, under its own name; every trajectory went right from S at h = 1.
    assert.match((await policyMaps.nth(1).locator('[role="gridcell"]').nth(0).getAttribute('aria-label')) ?? '', /^row 1, column 1, start, V = [\d.]+, π\^BC: right$/);
    await s.revealOutput(0, outputs().locator('.iln-bc-table').first());
    await s.page.waitForTimeout(500);
    await s.screenshot('grid-notebook-policy');

    // The dataset's coverage: all 10 trajectories start at S, so at h = 1 the other 13 states are unseen and outlined.
    const coverage = outputs().locator('.iln-dataset .iln-grid[role="grid"]');
    await coverage.waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await coverage.locator('[role="gridcell"]').nth(0).getAttribute('aria-label'), 'row 1, column 1, start, small: 10 of 10 trajectories here at this step');
    assert.equal(await coverage.locator('.iln-grid-cell.unseen').count(), 13);
    const show = outputs().locator('.iln-dataset').getByRole('combobox', { name: 'what the cells show' });
    assert.deepEqual(await show.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['coverage:small', 'bc:small']);
    await s.revealOutput(2, outputs().locator('.iln-dataset'));
    await s.page.waitForTimeout(500);
    await s.screenshot('grid-notebook-dataset');

    // The explicit MDP's graph above its tables: 3 states, 8 edges (as written in three-states.ilmdp), read-only.
    const graph = outputs().locator('.iln-mdp .iln-graph-scroll svg');
    await graph.waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await graph.locator('.iln-graph-node').count(), 3);
    assert.equal(await graph.locator('.iln-graph-edge').count(), 8);
    assert.ok(await graph.locator('.iln-graph-edge[aria-label="start → middle under go, probability 0.9"]').count(), 'edges are labelled for a screen reader');
    assert.ok((await outputs().locator('.iln-mdp table').count()) >= 1, 'the ρ/r/P tables are still there');
    assert.equal(await outputs().locator('.iln-mdp').getByRole('button', { name: /Add state|Rename|Delete/, includeHidden: true }).count(), 0, 'no edit affordances');
    // Selecting an edge (Enter or a click) says what it is, with no field to change it.
    await graph.locator('.iln-graph-edge').first().evaluate((g) => g.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    const detail = outputs().locator('.iln-mdp .iln-graph-panel');
    assert.match(await detail.innerText(), /P\(start \| start, stay\) = 1/);
    assert.equal(await detail.locator('input').count(), 0);
    await s.revealOutput(3, outputs().locator('.iln-mdp'));
    await s.page.waitForTimeout(500);
    await s.screenshot('grid-notebook-graph');

    // Open in panel on the MDP's output: the panel draws the same graph.
    const open = outputs().getByRole('button', { name: 'Open in panel', includeHidden: true }).nth(3);
    await open.evaluate((button) => (button as HTMLButtonElement).click());
    const panel = await s.webviewShowing(/from a notebook output/);
    const panelGraph = panel.locator('.iln-mdp .iln-graph-scroll svg');
    await panelGraph.waitFor({ timeout: 30_000 });
    assert.equal(await panelGraph.locator('.iln-graph-node').count(), 3);
    await s.page.waitForTimeout(500);
    await s.screenshot('grid-notebook-graph-panel');
    await s.page.locator('.tabs-container .tab').filter({ hasText: 'IL: MDP of three-states.ilmdp' }).click();
    await s.page.keyboard.press('Control+W');

    // Saved with its outputs, then drawn again from the file in each theme.
    await s.page.locator('.tabs-container .tab[data-resource-name="pictures.ilnb"]').click();
    await s.page.keyboard.press('Control+S');
    await s.page.waitForFunction(() => !document.querySelector('.tabs-container .tab[data-resource-name="pictures.ilnb"].dirty'), undefined, { timeout: 15_000 });
    const saved = await savedText(join(s.workspace, 'pictures.ilnb'));
    assert.match(saved, /"grid": \{/, 'the maps are saved in the outputs');
    assert.match(saved, /"graph": \{/, 'and the graph');
    // Closed and opened again, the notebook draws its saved outputs from the file; then each theme is
    // switched live, as a user does.
    await s.page.keyboard.press('Control+W');
    await s.page.locator('.tabs-container .tab[data-resource-name="pictures.ilnb"]').waitFor({ state: 'detached', timeout: 15_000 });
    await s.openFromExplorer('pictures.ilnb', NOTEBOOK);
    for (const [theme, name] of [['Dark Modern', 'dark'], ['Light Modern', 'light'], ['Dark High Contrast', 'high-contrast']] as const) {
      await s.setColorTheme(theme);
      const map = outputs().locator('.iln-bc-table .iln-grid[role="grid"]').first();
      await map.waitFor({ state: 'attached', timeout: 60_000 });
      await s.revealOutput(0, outputs().locator('.iln-bc-table').first());
      await s.page.waitForTimeout(800);
      await s.screenshot(`grid-notebook-policy-${name}`);
      await s.revealOutput(2, outputs().locator('.iln-dataset'));
      await s.page.waitForTimeout(500);
      await s.screenshot(`grid-notebook-dataset-${name}`);
      await s.revealOutput(3, outputs().locator('.iln-mdp'));
      await outputs().locator('.iln-mdp .iln-graph-scroll svg').waitFor({ state: 'attached', timeout: 30_000 });
      await s.page.waitForTimeout(500);
      await s.screenshot(`grid-notebook-graph-${name}`);
    }
    assert.deepEqual(s.consoleErrors, [], 'no Content-Security-Policy refusals');
  } catch (error) {
    await s.screenshot('grid-notebook-failure');
    throw error;
  } finally {
    await s.close();
  }
});
