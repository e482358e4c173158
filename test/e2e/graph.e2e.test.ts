/**
 * The graph view of an explicit MDP in the IL MDP editor, in a real VS Code: three-states.ilmdp draws
 * its 3 states and 8 transition entries; clicking an edge and typing a probability changes exactly that
 * number in the text (the row's sum checked as you type and shown wrong on the graph), undo restores
 * the file byte for byte; a shorthand edge (`stay: start`) is edited the same way and an edge is added
 * from a state, two undo steps back to the original; the keyboard reaches an edge and opens it; renaming a state changes every
 * reference in one undo step; the graph reads in the dark, light and high-contrast themes (screenshots).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { savedText, Session } from './harness';

const WEBVIEW = 'iframe.webview.ready';
const FILE = 'three-states.ilmdp';

test('the graph of three-states: edit an edge probability, undo, a shorthand edge and a new edge, keyboard, rename a state in one undo step, themes', async () => {
  const s = await Session.start('graph');
  const original = readFileSync(join(s.workspace, FILE), 'utf8');
  /** The file once the save is on disk is `expected`. */
  const assertOnDisk = async (expected: string, message: string) => assert.equal(await savedText(join(s.workspace, FILE), expected), expected, message);
  const save = async () => {
    await s.page.locator('.tabs-container .tab.active').click();
    await s.page.keyboard.press('Control+S');
    await s.page.waitForFunction(() => !document.querySelector('.tabs-container .tab.active.dirty'), null, { timeout: 15_000 });
  };
  try {
    await s.openFromExplorer(FILE, WEBVIEW);
    const frame = s.webview();
    const svg = frame.locator('svg.iln-graph-svg[role="group"]');
    await svg.waitFor({ timeout: 30_000 });
    assert.equal(await svg.locator('.iln-graph-node').count(), 3, 'one node per state');
    assert.equal(await svg.locator('.iln-graph-edge').count(), 8, 'one edge per written transition entry');
    assert.equal(await svg.locator('.iln-graph-node.initial').count(), 1, 'start is the initial state');
    const edge = svg.locator('.iln-graph-edge[aria-label="start → middle under go, probability 0.9"]');
    assert.equal(await edge.count(), 1);
    // Drawn, not only present: the edge has a length on screen.
    const box = await edge.boundingBox();
    assert.ok(box && box.width + box.height > 40, `edge box ${JSON.stringify(box)}`);
    await svg.scrollIntoViewIfNeeded();
    await s.screenshot('graph-default-theme');

    // Click the edge, type a probability: the row's sum is checked as you type, Enter sends one edit.
    await edge.locator(".label-bg").click();
    const field = frame.locator('input[aria-label="P(middle | start, go)"]');
    await field.waitFor({ timeout: 10_000 });
    assert.equal(await field.inputValue(), '0.9');
    await field.fill('0.85');
    await frame.getByText('row start/go: 0.85 + 0.1 = 0.95 (must be 1)').waitFor({ timeout: 5_000 });
    await field.press('Enter');
    await s.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: 15_000 });
    // The parser's wrong sum is on the graph: the row's edges in the error style, the row listed.
    await svg.locator('.iln-graph-edge.bad[aria-label^="start → middle under go, probability 0.85"]').waitFor({ timeout: 15_000 });
    await frame.getByText('start/go sums to 0.95', { exact: true }).waitFor({ timeout: 5_000 });
    await s.screenshot('graph-wrong-row');
    await save();
    await assertOnDisk(original.replace('go: {middle: 0.9, start: 0.1}', 'go: {middle: 0.85, start: 0.1}'), 'exactly that number changed');
    await frame.locator('body').press('Control+Z');
    await s.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: 15_000 });
    await svg.locator('.iln-graph-edge[aria-label="start → middle under go, probability 0.9"]').waitFor({ timeout: 15_000 });
    await save();
    await assertOnDisk(original, 'undo restores the file byte for byte');

    // A shorthand edge (`stay: start`, a sure move) is edited like any other: the name becomes the
    // map it stands for; an edge added from start under stay then fills the row up again.
    const sure = svg.locator('.iln-graph-edge[aria-label="start → start under stay, probability 1"]');
    await sure.evaluate((g) => g.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    const sureField = frame.locator('input[aria-label="P(start | start, stay)"]');
    await sureField.waitFor({ timeout: 10_000 });
    assert.equal(await sureField.inputValue(), '1');
    await sureField.fill('0.7');
    await frame.getByText('row start/stay: 0.7 = 0.7 (must be 1)').waitFor({ timeout: 5_000 });
    await sureField.press('Enter');
    await svg.locator('.iln-graph-edge.bad[aria-label^="start → start under stay, probability 0.7"]').waitFor({ timeout: 15_000 });
    await svg.locator('.iln-graph-node[aria-label^="state start"]').click();
    await frame.locator('select[aria-label="action of the new edge from start"]').selectOption('stay');
    await frame.locator('select[aria-label="next state of the new edge from start"]').selectOption('middle');
    await frame.locator('input[aria-label="probability of the new edge from start"]').fill('0.3');
    await frame.getByRole('button', { name: 'Add edge' }).click();
    await svg.locator('.iln-graph-edge:not(.bad)[aria-label="start → middle under stay, probability 0.3"]').waitFor({ timeout: 15_000 });
    assert.equal(await svg.locator('.iln-graph-edge').count(), 9, 'one more edge');
    await s.screenshot('graph-added-edge');
    await save();
    await assertOnDisk(original.replace('      stay: start\n', '      stay: {start: 0.7, middle: 0.3}\n'), 'that row, and nothing else, changed');
    await frame.locator('body').press('Control+Z');
    await svg.locator('.iln-graph-edge[aria-label^="start → start under stay, probability 0.7"]').waitFor({ timeout: 15_000 });
    await frame.locator('body').press('Control+Z');
    await sure.waitFor({ timeout: 15_000 });
    await save();
    await assertOnDisk(original, 'two undo steps restore the file byte for byte');

    // The keyboard: the first state is the tab stop; the arrow keys go through it and its edges; Enter opens one.
    await svg.locator('.iln-graph-node[aria-label^="state start"]').focus();
    const focused = () => frame.locator('body').evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    await s.page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'start → start under stay, probability 1');
    await s.page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'start → middle under go, probability 0.9');
    await s.page.keyboard.press('Enter');
    assert.equal(await focused(), 'P(middle | start, go)', 'Enter on an edge puts the focus in its probability');
    await s.page.keyboard.press('Escape');
    assert.equal(await focused(), 'start → middle under go, probability 0.9', 'Escape goes back to the edge');

    // Rename middle: every reference changes, in one undo step.
    await svg.locator('.iln-graph-node[aria-label^="state middle"]').click();
    const rename = frame.locator('input[aria-label="new name for state middle"]');
    await rename.waitFor({ timeout: 10_000 });
    await rename.fill('centre');
    await rename.press('Enter');
    await svg.locator('.iln-graph-node[aria-label^="state centre"]').waitFor({ timeout: 15_000 });
    await frame.getByText('Open as text').click();
    const text = s.page.locator('.monaco-editor .view-lines').filter({ hasText: 'transitions' }).last();
    await text.getByText('go: {centre: 0.9, start: 0.1}').waitFor({ timeout: 15_000 });
    // Two editors of one document now: save from the text editor.
    const saveText = async () => {
      await text.click();
      await s.page.keyboard.press('Control+S');
      await s.page.waitForFunction(() => !document.querySelector('.tabs-container .tab.dirty'), null, { timeout: 15_000 });
    };
    await saveText();
    await assertOnDisk(original.split('middle').join('centre'), 'every "middle" of the file is now "centre", nothing else changed');
    await text.click();
    await s.page.keyboard.press('Control+Z');
    await text.getByText('go: {middle: 0.9, start: 0.1}').waitFor({ timeout: 15_000 });
    await saveText();
    await assertOnDisk(original, 'one undo step restores every reference');
    await s.page.keyboard.press('Control+W');
    await s.page.waitForTimeout(1_000);
    assert.equal(await s.page.locator('.tabs-container .tab.dirty').count(), 0, 'nothing is left unsaved');

    // The same graph in the dark, light and high-contrast themes, each switched live as a user does.
    await s.openFromExplorer(FILE, WEBVIEW);
    const g = s.webview().locator('svg.iln-graph-svg[role="group"]');
    await g.waitFor({ timeout: 30_000 });
    for (const [theme, name] of [['Dark Modern', 'graph-dark'], ['Light Modern', 'graph-light'], ['Dark High Contrast', 'graph-high-contrast']] as const) {
      await s.setColorTheme(theme);
      await g.locator('.iln-graph-node[aria-label^="state start"]').click();
      await s.page.waitForTimeout(500);
      await s.screenshot(name);
    }
    assert.deepEqual(s.consoleErrors, [], 'no Content-Security-Policy refusals');
  } catch (error) {
    await s.screenshot('graph-failure');
    throw error;
  } finally {
    await s.close();
  }
});

/** 250 states in a ring (a moves on), every state's b back to s0: written out, too many to draw whole. */
function ring(nS: number): string {
  const names = Array.from({ length: nS }, (_, s) => `s${s}`);
  const rows = names.map((n, s) => `    ${n}: {a: ${names[(s + 1) % nS]}, b: {s0: 1}}`);
  return `mdp:\n  states: [${names.join(', ')}]\n  actions: [a, b]\n  horizon: 5\n  initial: {s0: 1}\n  transitions:\n${rows.join('\n')}\n`;
}

test('past 200 states: a summary and a search; the state found is drawn with its neighbours one step away', async () => {
  const s = await Session.start('graph-large', { files: { 'ring.ilmdp': ring(250) } });
  try {
    await s.openFromExplorer('ring.ilmdp', WEBVIEW);
    const frame = s.webview();
    await frame.getByText('More than 200 states: not drawn whole.', { exact: false }).waitFor({ timeout: 30_000 });
    // The summary, against the ring's construction: 500 edges, one self-loop (s0/b), s0 reached from all 249 others.
    const summary = await frame.locator('dl.graph-summary').innerText();
    assert.match(summary, /states \|S\|\s+250/);
    assert.match(summary, /edges \(s, a, s′\)\s+500/);
    assert.match(summary, /self-loops\s+1/);
    assert.match(summary, /predecessors per state\s+min 1, mean [\d.]+, max 249/);
    assert.equal(await frame.locator('svg.iln-graph-svg[role="group"]').count(), 0, 'no hairball');
    const search = frame.locator('input[aria-label="find a state"]');
    await search.fill('s17');
    await search.press('Enter');
    const svg = frame.locator('svg.iln-graph-svg[role="group"]');
    await svg.waitFor({ timeout: 10_000 });
    // s17: its predecessor s16 (under a), its successors s18 (a) and s0 (b).
    const nodes = (await svg.locator('.iln-graph-node').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label') ?? ''))).map((l) => l.split(',')[0]).sort();
    assert.deepEqual(nodes, ['state s0', 'state s16', 'state s17', 'state s18']);
    const edges = (await svg.locator('.iln-graph-edge').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label') ?? ''))).sort();
    assert.deepEqual(edges, ['s16 → s17 under a, probability 1', 's17 → s0 under b, probability 1', 's17 → s18 under a, probability 1']);
    assert.equal(await frame.locator('body').evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), (await svg.locator('.iln-graph-node.focal').getAttribute('aria-label')) ?? 'none', 'the state found has the focus');
    await s.screenshot('graph-large-neighbourhood');
    // An edge found here is edited as in the whole graph.
    await svg.locator('.iln-graph-edge[aria-label^="s17 → s0"] .label-bg').click();
    await frame.locator('input[aria-label="P(s0 | s17, b)"]').waitFor({ timeout: 10_000 });
    assert.deepEqual(s.consoleErrors, []);
  } catch (error) {
    await s.screenshot('graph-large-failure');
    throw error;
  } finally {
    await s.close();
  }
});
