/**
 * Issue 16 in a real VS Code, the kernel's side: a cell's load() refuses a dataset file outside the
 * notebook's workspace folder with the editor's message (the controller hands the kernel the editor's
 * policy), a cell's console.log that runs after the cell ended appears, labelled, in the "IL Notebooks"
 * output channel, and a huge Error is shown capped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeNotebook } from '../../src/notebook/notebookFormat';
import { Session } from './harness';

const NOTEBOOK = '.notebook-editor';

const ilmdp =
  'mdp:\n  states: [a, b]\n  actions: [x]\n  horizon: 2\n  transitions:\n    a: {x: b}\n    b: {x: b}\nexperts:\n  e: {policy: {a: x, b: x}}\ndatasets:\n  recorded:\n    file: ../outside.csv\n';

const notebook = serializeNotebook({
  cells: [
    { kind: 'code', language: 'javascript', source: 'setTimeout(() => console.log("late from the e2e"), 200)\n"first"', outputs: [] },
    { kind: 'code', language: 'javascript', source: 'await new Promise((r) => setTimeout(r, 1500))\n"second"', outputs: [] },
    { kind: 'code', language: 'javascript', source: 'throw new Error("e".repeat(2 ** 20))', outputs: [] },
    { kind: 'code', language: 'javascript', source: 'load("outside.ilmdp")', outputs: [] },
  ],
});

async function runCell(s: Session, index: number): Promise<void> {
  const cell = s.page.locator('.notebook-editor .code-cell-row').nth(index);
  await cell.hover();
  await cell.locator('.run-button-container .codicon-notebook-execute').first().click();
}

test("load() keeps to the notebook's workspace folder; late output goes to the IL Notebooks channel, labelled; a huge error is capped", async () => {
  const s = await Session.start('kernel-messages', {
    files: { 'messages.ilnb': notebook, 'outside.ilmdp': ilmdp, '../outside.csv': 'episode,step,state,action\n0,0,a,x\n0,1,b,x\n' },
    settings: { 'ilNotebooks.notebook.maxOutputBytesPerCell': 10_000 },
  });
  try {
    await s.openFromExplorer('messages.ilnb', NOTEBOOK);
    // Cells one by one (Run All stops at the failing third cell).
    await runCell(s, 0);
    await s.notebookOutputs().getByText('first').first().waitFor({ timeout: 120_000 });
    await runCell(s, 1);
    await s.notebookOutputs().getByText('second').first().waitFor({ timeout: 60_000 });
    await runCell(s, 2);
    await s.notebookOutputs().getByText(/output truncated: [\d,]+ more bytes \(10,000 bytes kept: ilNotebooks\.notebook\.maxOutputBytesPerCell\)/).waitFor({ timeout: 60_000 });
    await runCell(s, 3);
    await s.notebookOutputs().getByText(/outside\.csv is outside the workspace folder workspace, so it is not read; to read it anyway, turn on the setting ilNotebooks\.datasets\.allowFilesOutsideFolder/).first().waitFor({ timeout: 60_000 });
    // The late log is in no cell's output.
    assert.equal(await s.notebookOutputs().getByText('late from the e2e').count(), 0);
    await s.screenshot('notebook-kernel-messages');

    await s.page.keyboard.press('F1');
    await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.type('Output: Show Output Channels');
    await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: 'Show Output Channels' }).first().click();
    await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: 'IL Notebooks' }).first().click();
    await s.page.locator('.part.panel .view-lines').getByText('kernel of messages.ilnb, after cell 1 ended: late from the e2e').waitFor({ timeout: 30_000 });
    await s.screenshot('output-channel-late-output');
  } catch (error) {
    await s.screenshot(`failed-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
