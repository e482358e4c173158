/**
 * Workspace Trust: in a folder the user does not trust, notebook cells do not run and the user is told
 * why; nothing in the notebook is executed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from './harness';

test('in an untrusted workspace a cell is refused with the explanation', async () => {
  const marker = JSON.stringify({ format: 'il-notebook', version: 1, cells: [{ kind: 'code', language: 'javascript', source: ['"ran " + (6 * 7)'] }] });
  const s = await Session.start('untrusted', { trustPrompt: true, files: { 'trust.ilnb': marker } });
  try {
    // The trust prompt comes up with the folder: decline it.
    await s.page.getByRole('button', { name: /^No, I don.t trust the authors/ }).click({ timeout: 60_000 });
    await s.page.locator('.statusbar-item, .monaco-workbench').filter({ hasText: /Restricted Mode/ }).first().waitFor({ timeout: 30_000 });
    await s.openFromExplorer('trust.ilnb', '.notebook-editor');
    await s.page.locator('.notebook-toolbar-container').getByRole('button', { name: /^Run All/ }).click();
    // VS Code asks for trust itself before a kernel runs anything; declining leaves the cell unrun.
    const dialog = s.page.locator('.monaco-dialog-box');
    const refused = s.notebookOutputs().getByText(/Cells do not run in an untrusted workspace/);
    await Promise.race([dialog.waitFor({ timeout: 30_000 }), refused.waitFor({ timeout: 30_000 })]);
    await s.screenshot('untrusted');
    if (await dialog.isVisible()) {
      const text = await dialog.innerText();
      assert.match(text, /trust/i);
      await dialog.getByRole('button', { name: /^(Cancel|No|Don.t Trust)/ }).first().click();
    } else {
      await refused.waitFor();
    }
    await s.page.waitForTimeout(2_000);
    assert.equal(await s.notebookOutputs().getByText('ran 42').count(), 0, 'the cell did not run');
  } catch (error) {
    await s.screenshot(`failed-untrusted-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
