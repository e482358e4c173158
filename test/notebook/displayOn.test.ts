/**
 * display(x, { on }) in a notebook: a gridworld's policy or dataset is drawn on its map, whether the
 * gridworld came from load() or il.gridworld; an explicit MDP's display carries its graph; a wrong
 * `on` is a clear error. The last test runs the real kernel (bundled, a child process), as cells do.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { behavioralCloning } from '../../src/core/bc';
import { gridworld } from '../../src/core/envs';
import { sampleTrajectories } from '../../src/core/sampling';
import { loadIlmdp } from '../../src/ilmdp/load';
import { toOutputItems } from '../../src/notebook/kernel/display';
import { KernelClient } from '../../src/notebook/kernelClient';
import { kernelProcess } from '../../src/notebook/kernelProcess';
import type { OutputItemData } from '../../src/shared/kernelProtocol';
import { MIME, type BcTableView, type DatasetView, type MdpView } from '../../src/shared/viewModels';

const examples = join(__dirname, '../../examples');
const lab = loadIlmdp(join(examples, 'gridworld.ilmdp'));

function rich<T>(items: readonly OutputItemData[], mime: string): T {
  const item = items.find((i) => i.mime === mime);
  assert.ok(item, `a ${mime} item among ${items.map((i) => i.mime).join(', ')}`);
  assert.ok(items.some((i) => i.mime === 'text/plain' && i.data.length > 0), 'with a text fallback');
  return JSON.parse(item.data) as T;
}

test("load()'s result carries its map, and display(policy, { on }) draws the policy on it under its name in the file", () => {
  assert.equal(lab.grid?.rows, 4);
  const expert = rich<BcTableView>(toOutputItems(lab.expert, { on: lab }), MIME.bcTable);
  assert.equal(expert.grid?.overlay?.expert, 'expert', "the file's name for it");
  assert.equal(expert.grid?.cells, 'S...#.##.#....G#...#');
  const bc = rich<BcTableView>(toOutputItems(behavioralCloning(lab.datasets.small), { on: lab }), MIME.bcTable);
  assert.equal(bc.grid?.overlay?.expert, 'π^BC');
  // Without `on`, the policy is the table alone, as before.
  assert.equal(rich<BcTableView>(toOutputItems(lab.expert), MIME.bcTable).grid, undefined);
});

test('display(dataset, { on }) draws its coverage on the map, named as in the file, with BC against the expert', () => {
  const view = rich<DatasetView>(toOutputItems(lab.datasets.small, { on: lab }), MIME.dataset);
  assert.equal(view.grid?.name, 'small');
  assert.equal(view.grid?.coverage.expert, 'expert');
  assert.equal(view.grid?.coverage.counts[0], 10, 'the 10 trajectories start at S');
  assert.equal(view.title, 'Dataset small: 10 trajectories');
  assert.ok(view.missingMass, 'with the MDP and expert, the missing mass too');
});

test('an il.gridworld environment works as `on` too; a non-grid environment gives names without a map', () => {
  const env = gridworld({ map: 'S..\n.#G', H: 4 });
  const data = sampleTrajectories(env.mdp, env.expert, 5, 's');
  assert.equal(rich<BcTableView>(toOutputItems(env.expert, { on: env }), MIME.bcTable).grid?.overlay?.expert, 'expert');
  assert.equal(rich<DatasetView>(toOutputItems(data, { on: env }), MIME.dataset).grid?.name, 'the dataset');
  const three = loadIlmdp(join(examples, 'three-states.ilmdp'));
  const table = rich<BcTableView>(toOutputItems(three.experts.hesitant, { on: three }), MIME.bcTable);
  assert.equal(table.grid, undefined);
  assert.equal(table.title, 'hesitant: π_h(a|s)');
  assert.deepEqual(table.steps[0].rows.map((r) => r.name), ['start', 'middle', 'goal'], "the states' names from the MDP");
});

test('a wrong `on`, or a value that is neither a policy nor a dataset, is a clear error', () => {
  assert.throws(() => toOutputItems(lab.expert, { on: 42 }), /on is what x belongs to, an environment, what load\(\) returns, or an MDP; got 42/);
  assert.throws(() => toOutputItems(lab.mdp, { on: lab }), /shows a policy or a dataset/);
  const three = loadIlmdp(join(examples, 'three-states.ilmdp'));
  assert.throws(() => toOutputItems(three.expert, { on: lab }), /the policy \(\|S\|=3, \|A\|=2, H=6\) is not of on's MDP \(\|S\|=14, \|A\|=4, H=12\)/);
});

test("display(load('three-states.ilmdp')) carries the graph beside the tables; a gridworld's loaded display stays its map", () => {
  const view = rich<MdpView>(toOutputItems(loadIlmdp(join(examples, 'three-states.ilmdp'))), MIME.mdp);
  assert.deepEqual(view.graph?.states, ['start', 'middle', 'goal']);
  assert.equal(view.graph?.summary.edges, 8);
  assert.ok(view.graph?.layout);
  assert.ok(view.rho.length === 3 && view.steps.length === 1, 'the tables are still there');
});

// The real kernel: display's second argument reaches it from a cell.
const dir = mkdtempSync(join(tmpdir(), 'il-display-on-'));
const workerScript = join(dir, 'kernelWorker.js');
let kernel: KernelClient | undefined;
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/notebook/kernel/kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});
after(() => kernel?.dispose());

test('in the kernel: display(policy, { on: load(…) }) and display(dataset, { on }) from a cell draw on the map', async () => {
  kernel = new KernelClient(kernelProcess(workerScript, { cwd: examples }), { cwd: examples });
  const shown: OutputItemData[][] = [];
  const outcome = await kernel.run(
    ['const lab = load("gridworld.ilmdp")', 'display(il.behavioralCloning(lab.datasets.small), { on: lab })', 'display(lab.datasets.small, { on: lab })', 'display(load("three-states.ilmdp"))'].join('\n'),
    'javascript',
    'cell 1',
    { onDisplay: (items) => shown.push([...items]) },
  );
  assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
  assert.deepEqual(shown.map((items) => items[0].mime), [MIME.bcTable, MIME.dataset, MIME.mdp]);
  assert.equal(rich<BcTableView>(shown[0], MIME.bcTable).grid?.overlay?.steps.length, 12);
  assert.equal(rich<DatasetView>(shown[1], MIME.dataset).grid?.name, 'small');
  assert.equal(rich<MdpView>(shown[2], MIME.mdp).graph?.summary.states, 3);
  const failed = await kernel.run('display(lab.expert, { on: 1 })', 'javascript', 'cell 2');
  assert.equal(failed.status, 'error');
  if (failed.status === 'error') assert.match(failed.error.message, /on is what x belongs to/);
});
