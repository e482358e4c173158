/**
 * Notebooks in a real VS Code: Run All renders the rich outputs (pixels, not just elements), a re-run
 * saves the very same bytes, outputs survive a reopen, a runaway cell is interrupted from the UI, and a
 * cell that kills its own kernel leaves the editor and the other notebooks working.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COUNT_DRAWN_PIXELS, root, savedText, Session, waitForCellStates } from './harness';

const NOTEBOOK = '.notebook-editor';


async function drawnCanvases(s: Session): Promise<number[]> {
  const canvases = s.notebookOutputs().locator('canvas');
  await canvases.first().waitFor({ timeout: 60_000 });
  await s.page.waitForTimeout(500);
  return canvases.evaluateAll((nodes, count) => nodes.map((n) => new Function('c', `return (${count})(c)`)(n) as number), COUNT_DRAWN_PIXELS.toString());
}

test('Run All on the Reset Cliff notebook renders the plots, saves the same bytes, and reopens with its outputs; BC tables and heatmaps render', async () => {
  const name = '04-reset-cliff-compounding-errors.ilnb';
  const s = await Session.start('notebook');
  try {
    await s.openFromExplorer(name, NOTEBOOK);
    const toolbar = s.page.locator('.notebook-toolbar-container');
    const runAllAt = Date.now();
    await toolbar.getByRole('button', { name: /^Run All/ }).click();
    // While cells run, Run All becomes Stop Execution; it comes back when the last cell has ended.
    // (A run faster than the toolbar's update never shows Stop Execution; the file check below still holds.)
    await toolbar.getByRole('button', { name: /^Stop Execution/ }).waitFor({ timeout: 15_000 }).catch(() => undefined);
    await toolbar.getByRole('button', { name: /^Run All/ }).waitFor({ timeout: 120_000 });
    await s.page.waitForFunction(() => !document.querySelector('.notebook-editor .codicon-notebook-state-executing, .notebook-editor .codicon-notebook-state-pending'), null, { timeout: 120_000 });
    await waitForCellStates(s, 'success', 1);
    assert.equal(await s.page.locator('.notebook-editor .codicon-notebook-state-error').count(), 0, 'no cell failed');
    const drawn = await drawnCanvases(s);
    // Measured for docs/performance.md, not asserted: from the click on Run All to the last cell's output drawn.
    console.log(`Run All → last output drawn: ${Date.now() - runAllAt} ms`);
    assert.ok(drawn.filter((n) => n > 2_000).length >= 1, `plot canvases drawn: ${drawn.join(', ')}`);
    await s.screenshot('notebook-run-all');

    await s.page.locator('.tabs-container .tab.active').click();
    await s.page.keyboard.press('Control+S');
    await s.page.waitForFunction(() => !document.querySelector('.tab.active.dirty'), null, { timeout: 15_000 });
    const expected = readFileSync(join(root, 'examples', name), 'utf8');
    assert.equal(await savedText(join(s.workspace, name), expected), expected, 'a re-run in VS Code saves the same bytes');

    await s.page.keyboard.press('Control+W');
    await s.openFromExplorer(name, NOTEBOOK);
    const reopened = await drawnCanvases(s);
    assert.ok(reopened.some((n) => n > 2_000), 'saved outputs render after reopening');

    // Saved outputs of the other views render too: the BC table (a table of counts) and the heatmaps (canvas).
    await s.openFromExplorer('02-bc-maximum-likelihood.ilnb', NOTEBOOK);
    const bcRows = s.notebookOutputs().locator('table.iln-table tbody tr');
    await bcRows.first().waitFor({ timeout: 60_000 });
    assert.ok((await bcRows.count()) >= 3, 'BC table rows');
    await s.screenshot('notebook-bc-table');
    await s.openFromExplorer('01-mdps-values-visitation.ilnb', NOTEBOOK);
    const heatmaps = await drawnCanvases(s);
    assert.ok(heatmaps.some((n) => n > 2_000), `heatmap canvases drawn: ${heatmaps.join(', ')}`);
    await s.screenshot('notebook-heatmap');

    // "Open in panel" on an output: the same view in a panel beside the notebook, drawn.
    // VS Code hides outputs scrolled out of its view (visibility: hidden), so the button is clicked through the DOM.
    const open = s.notebookOutputs().getByRole('button', { name: 'Open in panel', includeHidden: true }).first();
    await open.waitFor({ state: 'attached', timeout: 30_000 });
    await open.evaluate((button) => (button as HTMLButtonElement).click());
    const panel = await s.webviewShowing(/from a notebook output/);
    const canvas = panel.locator('.panel-content canvas').first();
    await canvas.waitFor({ timeout: 30_000 });
    await s.page.waitForTimeout(500);
    assert.ok((await canvas.evaluate(COUNT_DRAWN_PIXELS)) > 2_000, 'the view opened in a panel is drawn');
    await s.screenshot('notebook-open-in-panel');
    assert.deepEqual(s.consoleErrors, [], 'no Content-Security-Policy refusals');
  } catch (error) {
    await s.screenshot(`failed-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('a runaway cell is interrupted from the toolbar with the state kept, and the next cell still runs', async () => {
  const runaway = JSON.stringify({
    format: 'il-notebook',
    version: 1,
    cells: [
      { kind: 'code', language: 'javascript', source: ['while (true) {}'] },
      { kind: 'code', language: 'javascript', source: ['"after " + (6 * 7)'] },
    ],
  });
  const s = await Session.start('runaway', { files: { 'runaway.ilnb': runaway } });
  try {
    await s.openFromExplorer('runaway.ilnb', NOTEBOOK);
    const toolbar = s.page.locator('.notebook-toolbar-container');
    await toolbar.getByRole('button', { name: /^Run All/ }).click();
    await s.page.locator('.notebook-editor .codicon-notebook-state-executing').first().waitFor({ timeout: 30_000 });
    // Stop once the loop runs: on a loaded machine a stop that lands while the kernel is still starting
    // interrupts the cell before it begins (with the state kept), which is not this scenario.
    await s.page.waitForTimeout(3_000);
    await toolbar.getByRole('button', { name: /^Stop Execution/ }).click();
    await waitForCellStates(s, 'error', 1, 10_000);
    // SIGINT breaks the synchronous loop, so the kernel keeps its state (the grace period's kill would say otherwise).
    await s.notebookOutputs().getByText(/Interrupted\. The kernel kept its state/).waitFor({ timeout: 10_000 });

    // Run the second cell on its own, with the run button beside it.
    const second = s.page.locator('.notebook-editor .code-cell-row').nth(1);
    await second.hover();
    await second.locator('.run-button-container .codicon-notebook-execute').first().click();
    await waitForCellStates(s, 'success', 1, 30_000);
    await s.notebookOutputs().getByText('after 42').waitFor({ timeout: 10_000 });
    await s.screenshot('notebook-interrupt');
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('a cell that kills its own kernel ends only that kernel: its notebook says so, and another notebook still runs', async () => {
  const notebook = (source: string) =>
    JSON.stringify({ format: 'il-notebook', version: 1, cells: [{ kind: 'code', language: 'javascript', source: [source] }] });
  const s = await Session.start('kernel-died', {
    files: {
      'suicide.ilnb': notebook('process.kill(process.pid, "SIGTERM")\nawait new Promise(() => {})'),
      // Counts its runs in its kernel: "run 2" later proves that this kernel, state and all, lived on.
      'survivor.ilnb': notebook('"alive " + (6 * 7) + ", run " + (globalThis.runs = (globalThis.runs ?? 0) + 1)'),
    },
  });
  try {
    // The survivor's kernel starts first, so that the death below happens beside a live kernel.
    await s.openFromExplorer('survivor.ilnb', NOTEBOOK);
    const toolbar = s.page.locator('.notebook-toolbar-container').filter({ visible: true });
    await toolbar.getByRole('button', { name: /^Run All/ }).click();
    await s.webviewShowing(/alive 42, run 1/);

    await s.openFromExplorer('suicide.ilnb', NOTEBOOK);
    await s.page.locator('.notebook-toolbar-container').filter({ visible: true }).getByRole('button', { name: /^Run All/ }).click();
    // Had the kernel shared the extension host's process, the signal would have ended every extension.
    await s.webviewShowing(/kernel died \(SIGTERM\)/);
    await s.screenshot('notebook-kernel-died');

    // Back in the other notebook, its cell runs again in its own kernel, which kept its state.
    await s.openFromExplorer('survivor.ilnb', NOTEBOOK);
    const cell = s.page.locator('.notebook-editor').filter({ visible: true }).locator('.code-cell-row').first();
    await cell.hover();
    await cell.locator('.run-button-container .codicon-notebook-execute').first().click();
    await s.webviewShowing(/alive 42, run 2/);
    await s.screenshot('notebook-kernel-died-survivor');
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
