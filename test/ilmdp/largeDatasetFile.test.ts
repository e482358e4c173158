/**
 * A 50 MB dataset file: the bad row is reported with its row number, the statistics come from the editor
 * worker in bounded memory (the worker's heap is capped), and the calling thread keeps running meanwhile.
 * Time and memory are printed as test diagnostics (speed figures belong in the bench, not in asserts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeWorker } from '../../src/workers/nodeWorker';
import { EditorWorkerClient } from '../../src/editor/editorWorkerClient';

const dir = mkdtempSync(join(tmpdir(), 'il-50mb-'));
const workerScript = join(dir, 'editorWorker.js');
const csvPath = join(dir, 'big.csv');
const EPISODES = 400_000;
const H = 8;
const BAD_EPISODE = 123_456;
const BAD_STEP = 3;
// Header on line 1, then H lines per episode.
const BAD_LINE = 1 + BAD_EPISODE * H + BAD_STEP + 1;

before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/editor/editorWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  const fd = openSync(csvPath, 'w');
  writeSync(fd, 'episode,step,state,action\n');
  let chunk: string[] = [];
  for (let e = 0; e < EPISODES; e++) {
    for (let h = 0; h < H; h++) {
      const state = e === BAD_EPISODE && h === BAD_STEP ? 'c9' : `c${(e + h) % 5}`;
      chunk.push(`${e},${h},${state},${(e + h) % 2 === 0 ? 'right' : 'left1'}`);
    }
    if (chunk.length >= 80_000) {
      writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  closeSync(fd);
});

after(() => rmSync(dir, { recursive: true, force: true }));

const ilmdp = `mdp:
  generator: chain
  states: 5
  actions: 2
  horizon: ${H}
datasets:
  big:
    file: big.csv
`;

test('a 50 MB CSV: the bad row is named by its row number, statistics are exact, and the caller never blocks', async (t) => {
  const size = statSync(csvPath).size;
  assert.ok(size >= 50 * 1024 * 1024, `the file is ${size} bytes`);
  // Far below what a parse holding an object per row needed (about ten times the file's size).
  const client = new EditorWorkerClient(nodeWorker(workerScript, { resourceLimits: { maxOldGenerationSizeMb: 384 } }));
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  try {
    const started = process.hrtime.bigint();
    const result = await client.analyse(1, ilmdp, [{ path: 'big.csv', stamp: String(size), read: async () => readFileSync(csvPath) }]);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const entry = result.datasets[0];
    assert.deepEqual(entry.problems, [`big.csv row ${BAD_LINE}: unknown state "c9"`]);
    const stats = entry.stats!;
    assert.equal(stats.N, EPISODES);
    assert.equal(stats.observedSteps, EPISODES * H - 1);
    assert.deepEqual(stats.coverage, new Array(H).fill(5));
    // n_h(s)/N: state (e + h) mod 5 for each episode, so 1/5 everywhere, minus the one bad row.
    const at = (h: number, s: number) => stats.heatmap.values[h * 5 + s];
    assert.equal(at(0, 0), 0.2);
    assert.equal(at(BAD_STEP, (BAD_EPISODE + BAD_STEP) % 5), (EPISODES / 5 - 1) / EPISODES);
    assert.ok(ticks > 0, 'the calling thread ran while the worker parsed');
    // A page from the middle of the file comes from the worker too.
    const page = await client.page(1, 'big', 200_000, 2);
    assert.deepEqual(page.states.slice(0, H), Array.from({ length: H }, (_, h) => (200_000 + h) % 5));
    t.diagnostic(`50 MB parse + statistics in the worker: ${ms.toFixed(0)} ms (${(size / 1024 / 1024).toFixed(1)} MB, ${EPISODES * H} rows); host event loop ticked ${ticks} times meanwhile`);
  } finally {
    clearInterval(ticker);
    client.dispose();
  }
});
