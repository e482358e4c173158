import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VariableSummary } from '../../src/shared/kernelProtocol';
import { displaySource, VARIABLE_CONTEXT, VARIABLE_WITH_VIEW_CONTEXT, variablesTree, type NotebookNode, type VariableNode } from '../../src/notebook/variablesModel';

const sweep: VariableSummary = { name: 'sweep', kind: 'sweep', type: 'sweep', detail: 'gap-vs-H, 7 rows, learner BC', hasView: true };
const n: VariableSummary = { name: 'n', kind: 'number', type: 'number', detail: '40', hasView: false };
const xs: VariableSummary = { name: 'xs', kind: 'typed-array', type: 'Float64Array', detail: '[9]', hasView: false };

test('one node per notebook (by file name), its names under it with their kind and the actions they allow', () => {
  const tree = variablesTree([
    { key: 'file:///w/b.ilnb', label: 'b.ilnb', result: { variables: [n], omitted: 0 } },
    { key: 'file:///w/a.ilnb', label: 'a.ilnb', result: { variables: [sweep, xs], omitted: 0 } },
  ]);
  assert.deepEqual(tree.map((t) => [t.label, t.description]), [['a.ilnb', '2 names'], ['b.ilnb', '1 name']]);
  const [s, x] = tree[0].children as VariableNode[];
  assert.equal(s.label, 'sweep');
  assert.equal(s.description, 'sweep · gap-vs-H, 7 rows, learner BC');
  assert.equal(s.contextValue, VARIABLE_WITH_VIEW_CONTEXT, 'a sweep can open in a panel');
  assert.equal(s.icon, 'graph-line');
  assert.equal(s.notebookKey, 'file:///w/a.ilnb');
  assert.equal(s.ariaLabel, 'sweep, sweep, gap-vs-H, 7 rows, learner BC');
  assert.equal(x.description, 'Float64Array · [9]');
  assert.equal(x.contextValue, VARIABLE_CONTEXT, 'a typed array has no panel view');
  const [num] = tree[1].children as VariableNode[];
  assert.equal(num.description, '40', 'a number is its value');
});

test('an empty kernel and a capped listing say so; no kernel at all is an empty tree (the welcome text shows)', () => {
  const [empty] = variablesTree([{ key: 'k', label: 'e.ilnb', result: { variables: [], omitted: 0 } }]);
  assert.deepEqual(empty.children.map((c) => [c.type, c.label]), [['note', 'no names defined yet']]);
  const [capped] = variablesTree([{ key: 'k', label: 'c.ilnb', result: { variables: [n], omitted: 12 } }]);
  assert.equal(capped.description, '13 names');
  assert.deepEqual(capped.children.map((c) => c.type), ['variable', 'note']);
  assert.equal(capped.children[1].label, '… 12 more names (not listed)');
  assert.deepEqual(variablesTree([]), []);
});

test('the display cell names the variable, or reaches it through globalThis when no identifier can', () => {
  assert.equal(displaySource('sweep'), 'display(sweep)');
  assert.equal(displaySource('$x_1'), 'display($x_1)');
  assert.equal(displaySource('π'), 'display(π)');
  assert.equal(displaySource('my var'), 'display(globalThis["my var"])');
  assert.equal(displaySource('class'), 'display(globalThis["class"])');
  assert.equal(displaySource('1st'), 'display(globalThis["1st"])');
});

test('package.json: the view sits in the Explorer while an IL notebook is open, with a welcome text and both actions inline and in the context menu', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
  const view = pkg.contributes.views.explorer.find((v: { id: string }) => v.id === 'ilNotebooks.variables');
  assert.equal(view.when, 'ilNotebooks.ilNotebookOpen');
  assert.ok(pkg.contributes.viewsWelcome.some((w: { view: string; contents: string }) => w.view === view.id && /No IL notebook kernel is running/.test(w.contents)));
  const items = pkg.contributes.menus['view/item/context'] as { command: string; when: string; group: string }[];
  for (const command of ['ilNotebooks.variables.display', 'ilNotebooks.variables.openInPanel']) {
    const groups = items.filter((i) => i.command === command).map((i) => i.group.split('@')[0]);
    assert.deepEqual(groups.sort(), ['1_show', 'inline'], command);
  }
  // Open in Panel only where the kernel said the value has a view.
  assert.ok(items.filter((i) => i.command === 'ilNotebooks.variables.openInPanel').every((i) => i.when.includes(`viewItem == ${VARIABLE_WITH_VIEW_CONTEXT}`)));
  const tree: NotebookNode[] = variablesTree([{ key: 'k', label: 'x', result: { variables: [sweep, n], omitted: 0 } }]);
  const contexts = tree[0].children.map((c) => (c as VariableNode).contextValue);
  const display = items.find((i) => i.command === 'ilNotebooks.variables.display')!.when;
  const pattern = new RegExp(/viewItem =~ \/(.*)\//.exec(display)![1]);
  assert.ok(contexts.every((c) => pattern.test(c)), 'every name can be displayed');
});
