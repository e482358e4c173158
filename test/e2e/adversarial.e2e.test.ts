/**
 * The LP learners in a real VS Code, from the installed .vsix: notebook 7 (TV-AIL and MIMIC-MD against
 * BC on the lower-bound instance) runs all its cells in the kernel, which loads HiGHS's WebAssembly
 * from the extension's dist/ (so the .vsix must carry it), draws its plot, and saves the same bytes as
 * the example, whose outputs `il-notebooks run` computed in plain Node. Its last cell displays an MCE-IRL
 * fit, which the renderer draws as a heatmap of the learned reward (the heatmap view's 'reward' quantity).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COUNT_DRAWN_PIXELS, root, savedText, Session } from './harness';

const NOTEBOOK = '.notebook-editor';

test('Run All on notebook 7 solves its LPs in the kernel (HiGHS from the .vsix), draws the comparison and MCE-IRL’s reward, and saves the same bytes', async () => {
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

    // The last cell's display(fit): MCE-IRL's learned reward, drawn (outputs far down render once scrolled to).
    const reward = s.notebookOutputs().locator('.iln-heatmap canvas[aria-label*="heatmap of r_h(s, a)"]').first();
    await s.page.keyboard.press('F1');
    await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.type('Focus Last Cell');
    await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: 'Focus Last Cell' }).first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.press('Enter');
    await reward.waitFor({ state: 'attached', timeout: 30_000 });
    // The last cell is in view now; wheel the notebook back until the heatmap is, for the screenshot.
    const viewport = s.page.viewportSize()!;
    await s.page.mouse.move(viewport.width / 2, viewport.height / 2);
    for (let i = 0; i < 40; i++) {
      const box = await reward.boundingBox();
      if (!box || box.y >= 160) break;
      await s.page.mouse.wheel(0, -Math.max(100, Math.min(600, 200 - box.y)));
      await s.page.waitForTimeout(200);
    }
    await s.page.waitForTimeout(500);
    assert.ok((await reward.evaluate(COUNT_DRAWN_PIXELS)) > 200, "MCE-IRL's learned reward is drawn");
    assert.match((await reward.getAttribute('aria-label')) ?? '', /learned reward r\(s, a\), the same at every step: heatmap of r_h\(s, a\), 1 rows × 12 columns/);
    await s.screenshot('adversarial-notebook-mce-irl-reward');

    await s.page.locator('.tabs-container .tab.active').click();
    await s.page.keyboard.press('Control+S');
    await s.page.waitForFunction(() => !document.querySelector('.tab.active.dirty'), null, { timeout: 15_000 });
    const expected = readFileSync(join(root, 'examples', name), 'utf8');
    assert.equal(await savedText(join(s.workspace, name), expected), expected, 'the kernel in VS Code computes what plain Node computed');
  } catch (error) {
    await s.screenshot('adversarial-failure');
    throw error;
  } finally {
    await s.close();
  }
});
