import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { defaultParams, PANEL_COMMANDS, isHostToPanel, isPanelParams, isPanelState, isPanelToHost, MAX_PANEL_SWEEP_DATASETS, PANEL_KINDS } from '../../src/shared/panelProtocol';
import { isPanelJob } from '../../src/compute/computeProtocol';
import { formatList, parseCount, parseIncreasingList } from '../../src/shared/paramText';

const plot = { version: 1, kind: 'plot', title: 't', xLabel: 'H', yLabel: 'gap', logX: true, logY: true, series: [], notes: [] };

test('the default parameters of every panel kind are valid and survive JSON (setState) unchanged', () => {
  for (const kind of PANEL_KINDS) {
    const p = defaultParams(kind);
    assert.ok(isPanelParams(p), kind);
    assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
  }
});

test('parameters out of range, of the wrong type, or too big a sweep are refused', () => {
  const h = defaultParams('gap-vs-H');
  assert.equal(isPanelParams({ ...h, N: 0 }), false);
  assert.equal(isPanelParams({ ...h, N: 2.5 }), false);
  assert.equal(isPanelParams({ ...h, horizons: [4, 2] }), false, 'horizons must increase');
  assert.equal(isPanelParams({ ...h, horizons: [] }), false);
  assert.equal(isPanelParams({ ...h, seeds: '10' }), false);
  assert.equal(isPanelParams({ ...h, horizons: [1, 2], seeds: MAX_PANEL_SWEEP_DATASETS / 2 + 1 }), false);
  assert.equal(isPanelParams({ ...h, kind: 'surprise' }), false);
  assert.ok(isPanelParams({ ...h, algorithms: ['bc', 'mimic-md'] }));
  assert.ok(isPanelParams({ ...h, algorithms: ['mce-irl'] }));
  assert.equal(isPanelParams({ ...h, algorithms: [] }), false, 'at least one learner');
  assert.equal(isPanelParams({ ...h, algorithms: ['bc', 'bc'] }), false, 'each learner once');
  assert.equal(isPanelParams({ ...h, algorithms: ['ppo'] }), false);
  assert.equal(isPanelParams({ ...h, horizons: [1, 2], seeds: MAX_PANEL_SWEEP_DATASETS / 4 + 1, algorithms: ['bc', 'dagger'] }), false, 'the limit counts every learner');
  assert.equal(isPanelParams({ ...defaultParams('heatmap'), policy: 'learner' }), false);
  assert.equal(isPanelParams({ ...defaultParams('heatmap'), expert: '' }), false);
  assert.equal(isPanelParams({ ...defaultParams('bc-table'), dataset: 42 }), false);
});

test('messages from the webview are validated: anything malformed is refused, never thrown on', () => {
  assert.ok(isPanelToHost({ type: 'ready' }));
  assert.ok(isPanelToHost({ type: 'set-params', params: defaultParams('bc-table') }));
  assert.ok(isPanelToHost({ type: 'export', format: 'csv' }));
  assert.ok(isPanelToHost({ type: 'export', format: 'png', dataUrl: 'data:image/png;base64,AAAA' }));
  assert.equal(isPanelToHost({ type: 'export', format: 'png' }), false);
  assert.equal(isPanelToHost({ type: 'export', format: 'png', dataUrl: 'data:text/html;base64,AAAA' }), false);
  assert.equal(isPanelToHost({ type: 'export', format: 'exe' }), false);
  assert.equal(isPanelToHost({ type: 'set-params', params: { kind: 'heatmap' } }), false);
  fc.assert(
    fc.property(fc.anything(), (x) => {
      isPanelToHost(x);
      isHostToPanel(x);
      isPanelState(x);
      isPanelParams(x);
    }),
  );
});

test('messages to the webview and saved panel state are checked too', () => {
  assert.ok(isHostToPanel({ type: 'show', view: plot, source: 'a.ilmdp' }));
  assert.ok(isHostToPanel({ type: 'show', view: plot, source: 'a.ilmdp', live: { uri: 'file:///a.ilmdp', params: defaultParams('gap-vs-H'), experts: ['e'], datasets: [] } }));
  assert.equal(isHostToPanel({ type: 'show', view: { ...plot, kind: 'pie' }, source: 'a' }), false);
  assert.ok(isHostToPanel({ type: 'problems', source: 'a', uri: 'file:///a', params: defaultParams('heatmap'), problems: ['a:1:1: error: x'] }));
  assert.ok(isPanelState({ uri: 'file:///a.ilmdp', params: defaultParams('heatmap') }));
  assert.ok(isPanelState({ snapshot: plot }));
  assert.equal(isPanelState({ params: defaultParams('heatmap') }), false, 'a live panel needs its file');
  assert.equal(isPanelState(undefined), false);
});

test('the compute worker accepts a panel job only with a source text and valid parameters', () => {
  const job = { source: { file: '/a.ilmdp', text: 'mdp: {}' }, params: defaultParams('heatmap') };
  assert.ok(isPanelJob(job));
  assert.equal(isPanelJob({ ...job, source: { file: '/a.ilmdp' } }), false);
  assert.equal(isPanelJob({ ...job, params: { kind: 'heatmap' } }), false);
});

test('typed parameter lists: commas or spaces, increasing, within limits, with errors in words', () => {
  assert.deepEqual(parseIncreasingList('1, 2 4,8', 'H', 100, 10), { value: [1, 2, 4, 8] });
  assert.match((parseIncreasingList('1, 4, 2', 'H', 100, 10) as { error: string }).error, /must increase \(4 then 2\)/);
  assert.match((parseIncreasingList('', 'H', 100, 10) as { error: string }).error, /at least one/);
  assert.match((parseIncreasingList('1, x', 'H', 100, 10) as { error: string }).error, /"x"/);
  assert.match((parseIncreasingList('1 2 3', 'H', 100, 2) as { error: string }).error, /at most 2/);
  assert.match((parseCount('0', 'N', 10) as { error: string }).error, /between 1 and 10/);
  assert.match((parseCount('3.5', 'N', 10) as { error: string }).error, /whole number/);
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }), (xs) => {
      const sorted = [...xs].sort((a, b) => a - b);
      assert.deepEqual(parseIncreasingList(formatList(sorted), 'H', 10_000, 64), { value: sorted });
    }),
  );
});

test('every panel command is declared in the manifest, in the palette and in the .ilmdp title-bar menu', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    activationEvents: string[];
    contributes: { commands: { command: string }[]; menus: Record<string, { command?: string }[]> };
  };
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  const inMenu = new Set(manifest.contributes.menus['ilNotebooks.views'].map((m) => m.command));
  for (const kind of PANEL_KINDS) {
    assert.ok(declared.has(PANEL_COMMANDS[kind]), PANEL_COMMANDS[kind]);
    assert.ok(inMenu.has(PANEL_COMMANDS[kind]), PANEL_COMMANDS[kind]);
  }
  assert.ok(manifest.activationEvents.includes('onWebviewPanel:ilNotebooks.viewPanel'), 'panels are restored after a reload');
});
