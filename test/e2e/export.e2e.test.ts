/**
 * Exports and a live setting in a real VS Code: the Reset Cliff notebook, opened with its saved outputs
 * and not run, is exported from the notebook toolbar as an HTML report (the save dialog answered by
 * typing a path) that draws its plots offline in Chromium and is the CLI's report byte for byte, and
 * from the command palette as JSON results equal to `il-notebooks run --json-results`. Then the cell
 * timeout is set in the Settings UI while VS Code runs, and a `while (true) {}` cell is stopped with the
 * message that names the setting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeNotebook } from '../../src/notebook/notebookFormat';
import { assertReportDrawsOffline, root, Session } from './harness';

const NAME = '04-reset-cliff-compounding-errors';
const NOTEBOOK = '.notebook-editor';

/** Answers VS Code's save dialog (in the browser, a quick input): checks the name it proposes, then types `path`. */
async function answerSaveDialog(s: Session, proposedName: RegExp, path: string): Promise<void> {
  const input = s.page.locator('.quick-input-widget input').first();
  await input.waitFor({ timeout: 15_000 });
  // The dialog fills in the folder first and the proposed name a moment later.
  let proposed = '';
  for (let i = 0; i < 40 && !proposedName.test(proposed); i++) {
    proposed = await input.inputValue();
    if (!proposedName.test(proposed)) await s.page.waitForTimeout(250);
  }
  assert.match(proposed, proposedName, 'the dialog starts at the name beside the notebook');
  await input.fill(path);
  await s.page.waitForTimeout(300);
  await input.press('Enter');
}

async function waitForFile(s: Session, path: string): Promise<void> {
  for (let i = 0; i < 80 && !existsSync(path); i++) await s.page.waitForTimeout(250);
  assert.ok(existsSync(path), `${path} was written`);
}

/** The CLI on a copy of the example: a fresh run, nothing written back, the report and the results. */
function cliExports(): { html: string; json: string } {
  const dir = mkdtempSync(join(tmpdir(), 'il-export-cli-'));
  const notebook = join(dir, `${NAME}.ilnb`);
  copyFileSync(join(root, 'examples', `${NAME}.ilnb`), notebook);
  const html = join(dir, 'cli.html');
  const json = join(dir, 'cli.json');
  const run = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'run', notebook, '--no-write', '--report', html, '--json-results', json], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  return { html: readFileSync(html, 'utf8'), json: readFileSync(json, 'utf8') };
}

test('export from the toolbar and the palette: an offline report whose plots draw, the same files as the CLI; a cell timeout set in the Settings UI stops while(true){}', async () => {
  const loop = serializeNotebook({ cells: [{ kind: 'code', language: 'javascript', source: 'let spins = 0\nwhile (true) { spins++ }', outputs: [] }] });
  const s = await Session.start('export', { files: { 'loop.ilnb': loop } });
  try {
    await s.openFromExplorer(`${NAME}.ilnb`, NOTEBOOK);
    await s.notebookOutputs().locator('canvas').first().waitFor({ timeout: 60_000 });
    const toolbar = s.page.locator('.notebook-toolbar-container');
    await toolbar.getByRole('button', { name: /Export as HTML Report/ }).click();
    const reportPath = join(s.workspace, 'typed-report.html');
    await answerSaveDialog(s, new RegExp(`${NAME}\\.html$`), reportPath);
    await waitForFile(s, reportPath);
    await s.screenshot('export-html-written');

    await s.page.keyboard.press('F1');
    await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.type('IL Notebooks: Export as JSON Results');
    await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: 'Export as JSON Results' }).first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.press('Enter');
    const resultsPath = join(s.workspace, `${NAME}.results.json`);
    await answerSaveDialog(s, new RegExp(`${NAME}\\.results\\.json$`), resultsPath);
    await waitForFile(s, resultsPath);

    // Nothing was run in VS Code (no cell has an execution state): the files come from the saved outputs.
    assert.equal(await s.page.locator(`${NOTEBOOK} .codicon-notebook-state-success`).count(), 0, 'no cell ran');
    const exported = { html: readFileSync(reportPath, 'utf8'), json: readFileSync(resultsPath, 'utf8') };
    const results = JSON.parse(exported.json) as { version: number; summary: Record<string, number>; cells: { kind: string; outputs?: { items: { mime: string; json?: unknown }[] }[] }[] };
    assert.equal(results.version, 1);
    assert.equal(results.summary.error, 0);
    const plots = results.cells.flatMap((c) => c.outputs ?? []).flatMap((o) => o.items).filter((i) => i.mime === 'application/vnd.il-notebooks.plot+json');
    assert.ok(plots.length >= 2 && plots.every((p) => typeof p.json === 'object'), 'the plots are parsed view models');
    // The example re-runs to the same outputs (seeded), so a fresh CLI run writes the very same files.
    const cli = cliExports();
    assert.equal(exported.json, cli.json, "VS Code's JSON results are the CLI's");
    assert.equal(exported.html, cli.html, "VS Code's report is the CLI's");

    // The report from disk, offline: every plot draws, light and dark.
    await assertReportDrawsOffline(reportPath, 'export-report');

    // The setting, changed in the Settings UI while the window is open (it writes the user settings.json):
    // the next cell obeys it, no reload.
    await s.page.keyboard.press('F1');
    await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.type('Preferences: Open Settings (UI)');
    await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: 'Open Settings (UI)' }).first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.press('Enter');
    await s.page.locator('.settings-editor').waitFor({ timeout: 30_000 });
    await s.page.waitForTimeout(1_000);
    await s.page.keyboard.type('ilNotebooks.kernel.cellTimeoutSeconds');
    const field = s.page.locator('.settings-editor input[aria-label="ilNotebooks.kernel.cellTimeoutSeconds"]');
    await field.waitFor({ timeout: 30_000 });
    await field.click();
    await field.fill('2');
    await s.page.waitForTimeout(1_500);
    await s.screenshot('export-setting-ui');
    const settingsFile = join(s.workspace, '..', 'user-data', 'User', 'settings.json');
    for (let i = 0; i < 40 && !readFileSync(settingsFile, 'utf8').includes('cellTimeoutSeconds'); i++) await s.page.waitForTimeout(250);
    assert.equal((JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['ilNotebooks.kernel.cellTimeoutSeconds'], 2, 'written to settings.json');
    await s.openFromExplorer('loop.ilnb', NOTEBOOK);
    await s.page.locator('.notebook-toolbar-container').getByRole('button', { name: /^Run All/ }).click();
    await s.page.locator(`${NOTEBOOK} .codicon-notebook-state-error`).first().waitFor({ timeout: 60_000 });
    const message = s.notebookOutputs().getByText(/cell 1 ran longer than 2\.0 s and was stopped \(setting ilNotebooks\.kernel\.cellTimeoutSeconds\)/);
    await message.first().waitFor({ timeout: 30_000 });
    assert.match(await message.first().innerText(), /The kernel kept its state/);
    await s.screenshot('export-cell-timeout');
    assert.deepEqual(s.consoleErrors, [], 'no Content-Security-Policy refusals');
  } catch (error) {
    await s.screenshot(`failed-export-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
