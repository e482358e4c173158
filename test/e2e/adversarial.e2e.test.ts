/**
 * The LP learners in a real VS Code, from the installed .vsix: notebook 7 (TV-AIL and MIMIC-MD against
 * BC on the lower-bound instance) runs all its cells in the kernel, which loads HiGHS's WebAssembly
 * from the extension's dist/ (so the .vsix must carry it), draws its plot, and saves the same bytes as
 * the example, whose outputs `il-notebooks run` computed in plain Node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COUNT_DRAWN_PIXELS, root, Session } from './harness';

const NOTEBOOK = '.notebook-editor';

test('Run All on notebook 7 solves its LPs in the kernel (HiGHS from the .vsix), draws the comparison and saves the same bytes', async () => {
  const name = '07-adversarial-vs-bc.ilnb';
  const s = await Session.start('adversarial');
  try {
    await s.openFromExplorer(name, NOTEBOOK);
    const toolbar = s.page.locator('.notebook-toolbar-container');
    await toolbar.getByRole('button', { name: /^Run All/ }).click();
    await toolbar.getByRole('button', { name: /^Stop Execution/ }).waitFor({ timeout: 15_000 }).catch(() => undefined);
    await toolbar.getByRole('button', { name: /^Run All/ }).waitFor({ timeout: 180_000 });
    await s.page.waitForFunction(() => !document.querySelector('.notebook-editor .codicon-notebook-state-executing, .notebook-editor .codicon-notebook-state-pending'), null, { timeout: 180_000 });
    await s.page.waitForFunction(() => document.querySelectorAll('.notebook-editor .codicon-notebook-state-success').length >= 1, null, { timeout: 60_000 });
    assert.equal(await s.page.locator('.notebook-editor .codicon-notebook-state-error').count(), 0, 'no cell failed (an LP learner without HiGHS fails with lp-not-ready)');

    const canvas = s.notebookOutputs().locator('canvas').first();
    await canvas.waitFor({ timeout: 60_000 });
    await s.page.waitForTimeout(500);
    assert.ok((await canvas.evaluate(COUNT_DRAWN_PIXELS)) > 2_000, 'the gap-vs-H comparison is drawn');
    await s.screenshot('adversarial-notebook-run-all');

    await s.page.locator('.tabs-container .tab.active').click();
    await s.page.keyboard.press('Control+S');
    await s.page.waitForFunction(() => !document.querySelector('.tab.active.dirty'), null, { timeout: 15_000 });
    assert.equal(readFileSync(join(s.workspace, name), 'utf8'), readFileSync(join(root, 'examples', name), 'utf8'), 'the kernel in VS Code computes what plain Node computed');
  } finally {
    await s.close();
  }
});
