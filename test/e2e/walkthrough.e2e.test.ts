/**
 * The Getting Started walkthrough in a real VS Code: opened from the command palette, its first step's
 * button opens three-states.ilmdp in the IL MDP editor (recognised as editor.e2e.test.ts does, by a
 * transition field of the webview) and the step is checked off; the second's opens the Reset Cliff
 * notebook, whose Run All checks that one off; screenshots in the default theme, Dark
 * Modern, Light Modern and high contrast.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from './harness';

const TITLE = 'Get Started with IL Notebooks';

/** Welcome: Open Walkthrough…, then ours from its list; until the extension registry has loaded the list lacks it, so it is asked again. */
async function openWalkthrough(s: Session): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await s.page.keyboard.press('F1');
    await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.type('Welcome: Open Walkthrough');
    await s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: 'Open Walkthrough' }).first().waitFor({ timeout: 15_000 });
    await s.page.keyboard.press('Enter');
    // workbench.action.openWalkthrough without an argument asks which one: ours is il-notebooks.il-notebooks#gettingStarted.
    const entry = s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: TITLE }).first();
    try {
      await entry.waitFor({ timeout: 10_000 });
    } catch (error) {
      if (attempt >= 5) throw error;
      await s.page.keyboard.press('Escape');
      await s.page.waitForTimeout(3_000);
      continue;
    }
    await entry.click();
    await s.page.locator('.gettingStartedContainer').getByText(TITLE).first().waitFor({ timeout: 30_000 });
    return;
  }
}

/** The colour theme picker (Ctrl+K Ctrl+T), as a user picks one: it applies at once. */
async function setTheme(s: Session, theme: string): Promise<void> {
  await s.page.keyboard.press('Control+K');
  await s.page.keyboard.press('Control+T');
  await s.page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
  await s.page.keyboard.type(theme);
  const entry = s.page.locator('.quick-input-widget .quick-input-list-entry', { hasText: theme }).first();
  await entry.waitFor({ timeout: 15_000 });
  await entry.click();
  await s.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

test("the walkthrough's first button opens an MDP in the visual editor and checks the step off, the second's run checks it off; it reads in dark, light and high contrast", async () => {
  const s = await Session.start('walkthrough');
  try {
    await openWalkthrough(s);
    const page = s.page.locator('.gettingStartedContainer');
    const steps = page.locator('.getting-started-step');
    assert.equal(await steps.count(), 5, 'five steps');
    await page.locator('.getting-started-media svg, .getting-started-media .getting-started-media-svg, .getting-started-media iframe, .getting-started-media webview').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    await s.page.waitForTimeout(1_500);
    await s.screenshot('walkthrough-default-theme');

    const checked = page.locator('.getting-started-step [role="checkbox"][aria-checked="true"]');
    assert.equal(await checked.count(), 0, 'no step is done before its button');
    const first = steps.first();
    await first.click();
    const button = first.getByRole('button', { name: 'Open an MDP' });
    await button.waitFor({ timeout: 15_000 });
    await button.click();
    const field = s.webview().locator('vscode-textfield[aria-label="P(middle | start, go)"] input');
    await field.waitFor({ timeout: 30_000 });
    assert.equal(await field.inputValue(), '0.9', 'three-states.ilmdp in the IL MDP editor');
    await s.screenshot('walkthrough-opened-editor');

    await s.page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
    await page.getByText(TITLE).first().waitFor({ timeout: 15_000 });
    // Each step's checkbox says whether it is done: the first now, none of the others yet.
    await checked.first().waitFor({ timeout: 15_000 });
    assert.equal(await checked.count(), 1);
    assert.match((await checked.first().getAttribute('aria-label')) ?? '', /Open an MDP in the visual editor/);

    // The second step's button opens the Reset Cliff notebook; the step is done once a cell has run.
    await steps.nth(1).click();
    await steps.nth(1).getByRole('button', { name: 'Open the Reset Cliff notebook' }).click();
    const toolbar = s.page.locator('.notebook-toolbar-container');
    await toolbar.getByRole('button', { name: /^Run All/ }).click();
    await s.page.waitForFunction(() => document.querySelectorAll('.notebook-editor .codicon-notebook-state-success').length >= 1, null, { timeout: 120_000 });
    await s.page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
    await s.page.waitForFunction(() => document.querySelectorAll('.getting-started-step [role="checkbox"][aria-checked="true"]').length === 2, null, { timeout: 15_000 });
    assert.match((await checked.nth(1).getAttribute('aria-label')) ?? '', /Run the Reset Cliff notebook/);

    // Its media follow the theme (colours from VS Code's variables): a light theme and high contrast.
    for (const [theme, name] of [
      ['Default Dark Modern', 'walkthrough-dark-modern'],
      ['Default Light Modern', 'walkthrough-light'],
      ['Default High Contrast', 'walkthrough-high-contrast'],
    ] as const) {
      await setTheme(s, theme);
      const kind = theme.includes('High Contrast') ? 'hc-black' : theme.includes('Dark') ? 'vs-dark' : 'vs';
      await s.page.locator(`.monaco-workbench.${kind}`).waitFor({ timeout: 15_000 });
      await s.page.waitForTimeout(2_000);
      await steps.nth(2).click();
      await s.page.waitForTimeout(1_000);
      await s.screenshot(name);
    }
  } catch (error) {
    await s.screenshot(`failed-walkthrough-${Date.now()}`);
    throw error;
  } finally {
    await s.close();
  }
});
