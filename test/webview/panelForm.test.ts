import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultParams, PANEL_KINDS, type GapVsSamplesParams } from '../../src/shared/panelProtocol';
import { fieldsOf, paramsFrom, valuesOf } from '../../webview/panel/formModel';

test('every panel form shows its parameters and turns them back into the same parameters', () => {
  for (const kind of PANEL_KINDS) {
    const p = { ...defaultParams(kind), expert: 'e' };
    const values = valuesOf(p);
    for (const f of fieldsOf(p, ['e'], ['d'])) assert.ok(f.key in values, `${kind}: ${f.key}`);
    assert.deepEqual(paramsFrom(p, values), { value: p });
  }
});

test('the form refuses what the host would refuse, in words', () => {
  const p = defaultParams('gap-vs-H');
  const values = valuesOf(p);
  assert.match((paramsFrom(p, { ...values, horizons: '8, 4' }) as { error: string }).error, /must increase/);
  assert.match((paramsFrom(p, { ...values, N: 'many' }) as { error: string }).error, /N must be a whole number/);
  assert.match((paramsFrom(p, { ...values, horizons: '1,2,3,4,5,6,7,8,9,10,11', seeds: '100000' }) as { error: string }).error, /use the CLI/);
  assert.match((paramsFrom(p, { ...values, 'learner:bc': 'false' }) as { error: string }).error, /at least one learner/);
  const both = paramsFrom(p, { ...values, 'learner:mimic-md': 'true' });
  assert.ok('value' in both && both.value.kind === 'gap-vs-H' && both.value.algorithms?.join() === 'bc,mimic-md');
  const withMce = paramsFrom(p, { ...values, 'learner:mce-irl': 'true' });
  assert.ok('value' in withMce && withMce.value.kind === 'gap-vs-H' && withMce.value.algorithms?.join() === 'bc,mce-irl');
});

test('an empty H in gap vs N means the file’s own horizon; the dataset is off for the expert’s heatmap', () => {
  const p: GapVsSamplesParams = { ...(defaultParams('gap-vs-N') as GapVsSamplesParams), H: 12 };
  const r = paramsFrom(p, { ...valuesOf(p), H: '' });
  assert.ok('value' in r && r.value.kind === 'gap-vs-N' && r.value.H === undefined && !('H' in r.value));
  const heat = defaultParams('heatmap');
  assert.equal(fieldsOf(heat, [], []).find((f) => f.key === 'dataset')!.disabled, true);
  const diff = paramsFrom(heat, { ...valuesOf(heat), policy: 'difference', stateAction: 'true' });
  assert.ok('value' in diff && diff.value.kind === 'heatmap' && diff.value.stateAction === false, 'd(s, a) differences are not drawn');
});
