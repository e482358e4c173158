import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPanel, PANEL_COMMANDS, panelCall, scalarEditAllowed } from '../../src/editor/editorActions';
import { buildMdpEditorViewModel } from '../../src/editor/mdpViewModel';

const { model } = buildMdpEditorViewModel(readFileSync(join(__dirname, '../../examples/three-states.ilmdp'), 'utf8'));
const uri = { path: '/w/three-states.ilmdp' };

function fakeExecute(registered: readonly string[]) {
  const calls: unknown[][] = [];
  const execute = async (command: string, ...args: unknown[]) => {
    calls.push([command, ...args]);
    if (!registered.includes(command)) throw new Error(`command '${command}' not found`);
    return undefined;
  };
  return { calls, execute };
}

test('each toolbar request maps to its panel command with the document URI and a checked selection', async () => {
  assert.deepEqual(PANEL_COMMANDS, { 'bc-table': 'ilNotebooks.showBcTable', visitation: 'ilNotebooks.showVisitationHeatmap', 'gap-vs-h': 'ilNotebooks.plotGapVsHorizon' });
  const { calls, execute } = fakeExecute(Object.values(PANEL_COMMANDS));
  assert.deepEqual(await openPanel(execute, uri, { panel: 'bc-table', dataset: 'demo' }, model), { ok: true });
  assert.deepEqual(await openPanel(execute, uri, { panel: 'bc-table', dataset: 'by-hand' }, model), { ok: true });
  assert.deepEqual(await openPanel(execute, uri, { panel: 'visitation', expert: 'hesitant' }, model), { ok: true });
  assert.deepEqual(await openPanel(execute, uri, { panel: 'gap-vs-h' }, model), { ok: true });
  assert.deepEqual(calls, [
    // A generated dataset brings its expert along (for the missing mass beside the table).
    ['ilNotebooks.showBcTable', uri, { expert: 'walker', dataset: 'demo' }],
    ['ilNotebooks.showBcTable', uri, { dataset: 'by-hand' }],
    ['ilNotebooks.showVisitationHeatmap', uri, { expert: 'hesitant' }],
    // No expert named: the first one.
    ['ilNotebooks.plotGapVsHorizon', uri, { expert: 'walker' }],
  ]);
});

test('names not in the file, or a missing dataset for BC, are refused before any command runs', () => {
  assert.equal(panelCall({ panel: 'bc-table', dataset: 'nope' }, model).ok, false);
  assert.equal(panelCall({ panel: 'visitation', expert: 'nobody' }, model).ok, false);
  assert.equal(panelCall({ panel: 'bc-table' }, model).ok, false);
  assert.equal(panelCall({ panel: 'gap-vs-h' }, null).ok, false);
});

test('a panel command that is not registered becomes a message, not an exception', async () => {
  const { calls, execute } = fakeExecute([]);
  const result = await openPanel(execute, uri, { panel: 'visitation', expert: 'walker' }, model);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.message, /not available in this build \(command ilNotebooks\.showVisitationHeatmap/);
  assert.equal(calls.length, 1);
});

test('the webview may write a name only as a deterministic expert action of this MDP', () => {
  assert.deepEqual(scalarEditAllowed(['experts', 'walker', 'policy', 'middle'], 'stay', model), { ok: true });
  assert.deepEqual(scalarEditAllowed(['mdp', 'rewards', 'goal'], 0.5, model), { ok: true });
  for (const [path, value] of [
    [['experts', 'walker', 'policy', 'middle'], 'jump'],
    [['experts', 'hesitant', 'stochastic', 'start'], 'go'],
    [['mdp', 'horizon'], 'x'],
    [['experts', 'walker', 'policy', 'middle', 'extra'], 'go'],
  ] as const) {
    assert.equal(scalarEditAllowed(path, value, model).ok, false, path.join('.'));
  }
});
