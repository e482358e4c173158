/**
 * The IL Variables view in a real VS Code: after one cell of the Reset Cliff notebook it lists `sweep`
 * as a gap-vs-H sweep, its Open in Panel draws the plot in a panel, its Display in Notebook appends a
 * display(sweep) cell that runs; and display(load("three-states.ilmdp")) draws the MDP's table with
 * its transition probabilities.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNT_DRAWN_PIXELS, Session, waitForCellStates } from './harness';

const NOTEBOOK = '.notebook-editor';


test('the Variables view lists the sweep of cell 1 with its kind, opens it in a panel and displays it in the notebook; display(load(…)) shows P', async () => {
  const mdpNotebook = JSON.stringify({
    format: 'il-notebook',
    version: 1,
    cells: [{ kind: 'code', language: 'javascript', source: ['display(load("three-states.ilmdp"))'] }],
  });
  const s = await Session.start('variables', { files: { 'mdp-table.ilnb': mdpNotebook } });
  try {
    await s.openFromExplorer('04-reset-cliff-compounding-errors.ilnb', NOTEBOOK);
    // The view shows while an IL notebook is open; with no kernel yet it says how to get one.
    const pane = s.page.locator('.pane').filter({ has: s.page.locator('.pane-header', { hasText: 'IL Variables' }) });
    const header = pane.locator('.pane-header');
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await pane.getByText('No IL notebook kernel is running').waitFor({ timeout: 30_000 });

    const first = s.page.locator('.notebook-editor .code-cell-row').first();
    await first.hover();
    await first.locator('.run-button-container .codicon-notebook-execute').first().click();
    await waitForCellStates(s, 'success', 1);

    const row = pane.locator('.monaco-list-row', { hasText: 'sweep' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /sweep[\s\S]*gap-vs-H, 7 rows, learner BC/, 'the sweep with its kind and rows');
    assert.match((await row.getAttribute('aria-label')) ?? '', /^sweep, sweep, gap-vs-H/, 'read out with its kind');
    await row.hover();
    await s.screenshot('variables-view');

    // Open in Panel (inline action): the plot in a panel beside the notebook, drawn.
    await row.click();
    await row.locator('.action-label[aria-label="Open in Panel"]').click();
    const panel = await s.webviewShowing(/from a notebook output/);
    const canvas = panel.locator('.panel-content canvas').first();
    await canvas.waitFor({ timeout: 30_000 });
    await s.page.waitForTimeout(500);
    assert.ok((await canvas.evaluate(COUNT_DRAWN_PIXELS)) > 2_000, 'the sweep opened in a panel is drawn');
    await s.screenshot('variables-open-in-panel');

    // Display in Notebook: a display(sweep) cell at the end of the notebook, run at once.
    await s.page.locator('.tabs-container .tab', { hasText: '04-reset-cliff' }).click();
    await row.hover();
    await row.locator('.action-label[aria-label="Display in Notebook"]').click();
    // (Cell 1 may be scrolled out of the DOM by now: the new cell's own state is what is waited for.)
    const added = s.page.locator('.notebook-editor .code-cell-row', { hasText: 'display(sweep)' }).first();
    await added.waitFor({ timeout: 30_000 });
    await added.locator('.codicon-notebook-state-success').waitFor({ timeout: 60_000 });
    await s.screenshot('variables-display-in-notebook');

    // display(load("three-states.ilmdp")): ρ, r and P, with P(middle | start, go) = 0.9 as written in the file.
    await s.openFromExplorer('mdp-table.ilnb', NOTEBOOK);
    await s.page.locator('.notebook-toolbar-container').filter({ visible: true }).getByRole('button', { name: /^Run All/ }).click();
    const outputs = await s.webviewShowing(/MDP of three-states\.ilmdp/);
    const table = outputs.locator('.iln-mdp table.iln-table');
    await table.waitFor({ timeout: 30_000 });
    const headers = await table.locator('thead tr').nth(1).locator('th').allInnerTexts();
    assert.deepEqual(headers.slice(4), ['start', 'middle', 'goal', 'Σ'], 'a column per next state');
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c as HTMLElement).innerText.trim())));
    assert.equal(rows.length, 6, 'one row per (s, a)');
    // The first row of a state carries its name and ρ(s); the second starts at the action.
    assert.deepEqual(rows[1], ['go', '0', '0.1', '0.9', '', '1'], 'P(·|start, go): start 0.1, middle 0.9');
    assert.deepEqual(rows[3], ['go', '0', '0.2', '', '0.8', '1'], 'P(·|middle, go): start 0.2, goal 0.8');
    assert.deepEqual(rows[4], ['goal', '0', 'stay', '1', '', '', '1', '1'], 'goal pays 1 and stays');
    await outputs.locator('.iln-mdp').scrollIntoViewIfNeeded();
    await s.screenshot('variables-mdp-table');
    assert.deepEqual(s.consoleErrors, [], 'no Content-Security-Policy refusals');
  } catch (error) {
    await s.screenshot(`failed-variables-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
