/**
 * IntelliSense in the cells of an IL notebook, in a real VS Code: the TypeScript service completes `il.`
 * with the core's functions (function icons, not the editor's word list), shows their documentation on
 * hover and their signature while typing a call, and a wrong call gets an error squiggle — in a
 * JavaScript cell, and in a TypeScript cell that uses a name another cell defined.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from './harness';

const NOTEBOOK = '.notebook-editor';

const notebook = JSON.stringify(
  {
    format: 'il-notebook',
    version: 1,
    cells: [
      { kind: 'code', language: 'javascript', source: ['const env = il.resetCliff({ nS: 11, nA: 2, H: 8 })'] },
      { kind: 'code', language: 'javascript', source: ['// type here'] },
      { kind: 'code', language: 'typescript', source: ['const horizon: string = env.mdp.H'] },
    ],
  },
  null,
  2,
);

/**
 * Shows the hover at the cursor until it says `expected`: its parts (problems, then the type service's
 * quick info) arrive one after another, and a problem of the text before the last keystrokes may show
 * until the diagnostics catch up.
 */
async function hoverSaying(s: Session, expected: RegExp): Promise<string> {
  let text = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    await s.page.keyboard.press('Control+K');
    await s.page.keyboard.press('Control+I');
    const hover = s.page.locator('.monaco-hover').filter({ visible: true }).first();
    await hover.waitFor({ timeout: 20_000 });
    await s.page.waitForTimeout(500);
    text = await hover.innerText();
    if (expected.test(text)) return text;
    await s.page.keyboard.press('Escape');
    await s.page.waitForTimeout(1_000);
  }
  return text;
}

test('IntelliSense for il in notebook cells: completions with function icons, hover docs, signature help, error squiggles in JavaScript and TypeScript cells', async () => {
  const s = await Session.start('intellisense', { files: { 'intellisense.ilnb': notebook } });
  const { page } = s;
  try {
    await s.openFromExplorer('intellisense.ilnb', NOTEBOOK);
    const cellEditors = page.locator(`${NOTEBOOK} .cell-editor-container .monaco-editor`);
    await cellEditors.nth(2).waitFor({ timeout: 30_000 });

    // The TypeScript cell's error is found without typing anything: `env` comes from cell 1, its H is a number.
    const tsCell = cellEditors.nth(2);
    await tsCell.locator('.squiggly-error').first().waitFor({ timeout: 90_000 });
    await tsCell.locator('.view-line').first().click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 'const hor'.length; i++) await page.keyboard.press('ArrowRight'); // inside `horizon`, where the error is
    assert.match(await hoverSaying(s, /Type 'number' is not assignable to type 'string'/), /Type 'number' is not assignable to type 'string'/);
    await page.keyboard.press('Escape');

    const jsCell = cellEditors.nth(1);
    await jsCell.locator('.view-line').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('il.behavioralClo');
    await page.keyboard.press('Control+Space');
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'behavioralCloning' }).first();
    await row.waitFor({ timeout: 30_000 });
    const icon = (await row.locator('.suggest-icon').getAttribute('class')) ?? '';
    assert.match(icon, /codicon-symbol-(function|method)/, `suggestion icon: ${icon}`);
    await s.screenshot('intellisense-completions');
    await page.keyboard.press('Escape');

    // Hover on il.gapVsHorizon: its documentation.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('il.gapVsHorizon');
    await page.keyboard.press('ArrowLeft');
    const gapDocs = /gapVsHorizon\(spec: GapVsHorizonSpec[\s\S]*Mean imitation gap of BC against the horizon H/;
    assert.match(await hoverSaying(s, gapDocs), gapDocs);
    await s.screenshot('intellisense-hover');
    await page.keyboard.press('Escape');

    // Typing a call shows its signature; a call with the wrong arguments is squiggled.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('il.imitationGap(');
    const signature = page.locator('.parameter-hints-widget').filter({ visible: true });
    await signature.waitFor({ timeout: 20_000 });
    assert.match(await signature.innerText(), /imitationGap\(mdp: MDP, expert: Policy, learner: Policy\)/);
    await page.keyboard.type('1)');
    await page.keyboard.press('Escape');
    await jsCell.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.match(await hoverSaying(s, /Expected 3 arguments, but got 1/), /Expected 3 arguments, but got 1/);
    await s.screenshot('intellisense-squiggle');

    // A right call clears it.
    await page.keyboard.press('Escape');
    await jsCell.locator('.view-line').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('il.imitationGap(env.mdp, env.expert, env.expert');
    await page.waitForFunction(
      () => document.querySelectorAll('.notebook-editor .cell-editor-container .monaco-editor')[1]?.querySelectorAll('.squiggly-error').length === 0,
      null,
      { timeout: 30_000 },
    );
  } catch (error) {
    await s.screenshot('intellisense-failure');
    throw error;
  } finally {
    await s.close();
  }
});
