/**
 * Bench rows for the .ilmdp editor: a page of trajectories from the editor worker (the round trip the
 * virtualised table waits for while scrolling 10^5 trajectories), and reading a 50 MB CSV dataset file.
 */
import { nodeWorker } from '../src/workers/nodeWorker';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EditorWorkerClient } from '../src/editor/editorWorkerClient';
import { parseDatasetFile } from '../src/ilmdp/datasetFile';
import { parseIlmdp } from '../src/ilmdp/parse';

export interface BenchRow {
  /** Key of a matching NumPy peer row (none for the editor's rows). */
  id: string;
  operation: string;
  size: string;
  /** Median time in ms. */
  ms: number;
  /** Median minor page faults per run, where measured. */
  faults?: number;
  rate: string;
  target: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function editorRows(workerScript: string, quick: boolean): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const text = 'mdp:\n  generator: reset-cliff\n  states: 11\n  actions: 2\n  horizon: 16\nexperts:\n  expert:\n    builtin: true\ndatasets:\n  big:\n    from: expert\n    trajectories: 100000\n    seed: 1\n';
  const client = new EditorWorkerClient(nodeWorker(workerScript));
  try {
    const t0 = performance.now();
    await client.analyse(1, text, []);
    const analysis = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < (quick ? 50 : 300); i++) {
      const start = (i * 7919) % 99_900;
      const t = performance.now();
      await client.page(1, 'big', start, 100);
      times.push(performance.now() - t);
    }
    rows.push({ id: 'editor.stats', operation: 'editor: statistics of a generated dataset (worker, once)', size: 'N=10⁵ H=16 Reset Cliff', ms: analysis, rate: 'sampling, coverage, heatmap, missing mass', target: 'off the host' });
    rows.push({ id: 'editor.page', operation: 'editor: one page of trajectories (worker round trip)', size: '100 of 10⁵ trajectories, H=16', ms: median(times), rate: `p95 ${[...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)].toFixed(2)} ms`, target: '≤ 16 ms (a frame)' });
  } finally {
    client.dispose();
  }

  // 50 MB CSV: 400 000 episodes of 8 steps on the chain (states c0…c4).
  const dir = mkdtempSync(join(tmpdir(), 'il-bench-csv-'));
  try {
    const lines = ['episode,step,state,action'];
    for (let e = 0; e < 400_000; e++) for (let h = 0; h < 8; h++) lines.push(`${e},${h},c${(e + h) % 5},${(e + h) % 2 === 0 ? 'right' : 'left1'}`);
    const csv = `${lines.join('\n')}\n`;
    writeFileSync(join(dir, 'big.csv'), csv);
    const mdp = parseIlmdp('mdp:\n  generator: chain\n  states: 5\n  actions: 2\n  horizon: 8\n').model!.mdp;
    const samples: number[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const t = performance.now();
      parseDatasetFile(csv, 'csv', mdp, 'big.csv');
      samples.push(performance.now() - t);
    }
    const ms = median(samples);
    rows.push({ id: 'editor.csv', operation: 'dataset file: read a CSV', size: `${(csv.length / 2 ** 20).toFixed(0)} MiB, 3.2·10⁶ rows`, ms, rate: `${(csv.length / 2 ** 20 / (ms / 1000)).toFixed(0)} MiB/s`, target: '≤ 3 s' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
