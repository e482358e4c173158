/**
 * The .ilmdp custom editor in a real VS Code: an edit in the webview changes exactly that number in the
 * text and undo restores it; a broken file shows its problem in the Problems panel and in the editor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COUNT_DRAWN_PIXELS, Session } from './harness';

const WEBVIEW = 'iframe.webview.ready';

test('changing a probability in the visual editor edits that number in the text; undo restores it', async () => {
  const s = await Session.start('editor');
  const original = readFileSync(join(s.workspace, 'three-states.ilmdp'), 'utf8');
  try {
    await s.openFromExplorer('three-states.ilmdp', WEBVIEW);
    const frame = s.webview();
    const field = frame.locator('vscode-textfield[aria-label="P(middle | start, go)"] input');
    await field.waitFor({ timeout: 30_000 });
    assert.equal(await field.inputValue(), '0.9');
    await s.screenshot('editor-open');
    await field.fill('0.85');
    await field.press('Enter');
    await s.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: 15_000 });
    // The row now sums to 0.95: the editor says so, and keeps the row's fields so it can be fixed there.
    await frame.getByText(/sums to 0\.95/).first().waitFor({ timeout: 15_000 });
    await frame.locator('vscode-textfield[aria-label="P(start | start, go)"] input').waitFor({ timeout: 15_000 });
    await s.screenshot('editor-edited');

    await frame.getByText('Open as text').click();
    const text = s.page.locator('.monaco-editor .view-lines').filter({ hasText: 'middle' }).last();
    await text.getByText('go: {middle: 0.85, start: 0.1}').waitFor({ timeout: 15_000 });
    assert.equal(readFileSync(join(s.workspace, 'three-states.ilmdp'), 'utf8'), original, 'nothing is written to disk before a save');

    await text.click();
    await s.page.keyboard.press('Control+Z');
    await text.getByText('go: {middle: 0.9, start: 0.1}').waitFor({ timeout: 15_000 });
    await s.page.waitForFunction(() => !document.querySelector('.tabs-container .tab.dirty'), null, { timeout: 15_000 });
    // The webview re-renders from the text a moment after the change.
    let value = '';
    for (let i = 0; i < 50 && value !== '0.9'; i++) {
      value = await field.inputValue();
      if (value !== '0.9') await s.page.waitForTimeout(200);
    }
    assert.equal(value, '0.9', 'the visual editor follows the undo');
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-editor-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('a broken .ilmdp shows its problem in the Problems panel and in the editor', async () => {
  const broken = readFileSync(join(__dirname, '../../examples/three-states.ilmdp'), 'utf8').replace('go: {middle: 0.9, start: 0.1}', 'go: {middle: 0.7, start: 0.1}');
  const s = await Session.start('broken', { files: { 'broken.ilmdp': broken } });
  try {
    await s.openFromExplorer('broken.ilmdp', WEBVIEW);
    await s.webview().getByText(/sums to 0\.8/).first().waitFor({ timeout: 30_000 });
    await s.page.locator('.statusbar-item[id="status.problems"]').click();
    const problem = s.page.locator('.markers-panel').getByText(/sums to 0\.8.*must sum to 1/).first();
    await problem.waitFor({ timeout: 30_000 });
    await s.screenshot('editor-broken');
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-broken-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('"Generate dataset" adds a dataset whose table and coverage heatmap render; "Run BC" opens its BC table panel', async () => {
  const s = await Session.start('generate');
  try {
    await s.openFromExplorer('reset-cliff.ilmdp', WEBVIEW);
    const frame = s.webview();
    await frame.getByText('Generate dataset').first().click();
    // The file has one expert, so the questions are N and the seed; the defaults (100, 1) are accepted.
    const input = s.page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: 15_000 });
    await input.press('Enter');
    // The seed box replaces the N box in the same widget: its default (1) shows when it is up.
    let value = '';
    for (let i = 0; i < 60 && value !== '1'; i++) {
      value = await input.inputValue();
      if (value !== '1') await s.page.waitForTimeout(250);
    }
    assert.equal(value, '1', 'the seed question is asked');
    await input.press('Enter');
    await s.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: 15_000 });
    const section = frame.locator('.dataset', { hasText: 'expert-n100' }).first();
    await section.getByText('100 trajectories from expert, seed 1').waitFor({ timeout: 60_000 });
    const coverage = section.locator('canvas').first();
    await coverage.waitFor({ timeout: 60_000 });
    assert.match((await coverage.getAttribute('aria-label')) ?? '', /16 rows × 11 columns/);
    assert.ok((await coverage.evaluate(COUNT_DRAWN_PIXELS)) > 1000, 'the coverage heatmap is drawn');
    // The virtualised trajectory grid: its first page arrives from the worker.
    await section.locator('.trajectories .cell', { hasText: '· expert' }).first().waitFor({ timeout: 30_000 });
    await section.scrollIntoViewIfNeeded();
    await s.screenshot('editor-generated-dataset');

    await section.getByText('Run BC').click();
    const panel = s.page.frameLocator(WEBVIEW).last().frameLocator('#active-frame');
    await panel.getByText(/π\^BC_h\(a\|s\) from "expert-n100"/).waitFor({ timeout: 60_000 });
    await panel.locator('.panel-content table tbody tr').first().waitFor({ timeout: 30_000 });
    await s.screenshot('editor-run-bc');
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-generate-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});

test('typing into an .ilmdp whose parse takes seconds leaves the host free: another editor\'s edit goes through, and the Problems panel shows the error where it is', async () => {
  // 5·10^5 nested flow sequences: the YAML parser recurses for seconds before it reports it. Parsed on
  // the host, every pause in typing froze the extension host (or aborted it: see parseService.ts).
  const pathological = `description: ${'['.repeat(500_000)}\nmdp:\n  generator: chain\n  states: 5\n  actions: 2\n  horizon: 8\n`;
  const s = await Session.start('pathological', { files: { 'pathological.ilmdp': pathological } });
  try {
    await s.openFromExplorer('pathological.ilmdp', WEBVIEW);
    await s.webview().getByText('Open as text').click();
    const text = s.page.locator('.monaco-editor .view-lines').last();
    await text.waitFor({ timeout: 30_000 });
    await text.click();
    await s.page.keyboard.press('Control+End');
    // Each keystroke is a new version: the parse of the one before is superseded.
    for (const word of ['# one', ' two', ' three']) {
      await s.page.keyboard.type(word, { delay: 80 });
      await s.page.waitForTimeout(400);
    }
    await s.page.locator('.tabs-container .tab.dirty', { hasText: 'pathological.ilmdp' }).first().waitFor({ timeout: 15_000 });

    // Meanwhile the host serves another document's visual editor: its edit becomes a text edit.
    await s.openFromExplorer('three-states.ilmdp', WEBVIEW);
    const frame = await s.webviewShowing(/P\(middle \| start, go\)|transitions/i);
    const field = frame.locator('vscode-textfield[aria-label="P(middle | start, go)"] input');
    await field.waitFor({ timeout: 60_000 });
    await field.fill('0.85');
    await field.press('Enter');
    await s.page.locator('.tabs-container .tab.dirty', { hasText: 'three-states.ilmdp' }).first().waitFor({ timeout: 60_000 });
    await frame.getByText(/sums to 0\.95/).first().waitFor({ timeout: 60_000 });

    // The typed file's own problem, at its line and column (three-states' problem is further down).
    await s.page.locator('.statusbar-item[id="status.problems"]').click();
    await s.page.locator('.markers-panel').getByText(/Ln 1, Col \d+/).first().waitFor({ timeout: 60_000 });
    await s.screenshot('editor-pathological');
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot(`failed-pathological-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
