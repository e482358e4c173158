/**
 * Bench rows for the .ilmdp editor: a page of trajectories from the editor worker (the round trip the
 * virtualised table waits for while scrolling 10^5 trajectories), reading a 50 MB CSV dataset file, and
 * the host's longest stall while typing into a 10 MiB .ilmdp whose parse takes seconds.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { childProcess } from '../src/workers/childProcess';
import { nodeWorker } from '../src/workers/nodeWorker';
import { ParseClient, ParseScheduler } from '../src/editor/parseClient';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EditorWorkerClient } from '../src/editor/editorWorkerClient';
import { parseDatasetFile } from '../src/ilmdp/datasetFile';
import { parseIlmdp } from '../src/ilmdp/parse';
import { garnet } from '../src/core';
import { buildMdpEditorViewModel } from '../src/editor/mdpViewModel';
import { computeLayout } from '../src/shared/graphLayout';

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

/**
 * 10 MiB of .ilmdp: a first line nesting 500 000 flow sequences (the YAML parser recurses for seconds
 * before it reports it), then comment lines that parse quickly, then a valid MDP.
 */
export function pathologicalIlmdp(): string {
  const lines = [`description: ${'['.repeat(500_000)}`];
  let size = lines[0].length;
  for (let i = 0; size < 10 * 2 ** 20; i++) {
    const line = `# padding line ${i}: the rest of a large file, which parses quickly`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push('mdp:\n  generator: chain\n  states: 5\n  actions: 2\n  horizon: 8\n');
  return lines.join('\n');
}

/** What the host does at a keystroke: schedule the Problems panel's check and the open editor's view, as ilmdpDiagnostics.ts and mdpEditorProvider.ts do. */
export type Keystroke = (version: number, text: () => string, current: () => number) => void;

/** The same delays as the host's (ilmdpDiagnostics.ts DEBOUNCE_MS, mdpEditorProvider.ts REFRESH_MS). */
export const PROBLEMS_DEBOUNCE_MS = 250;
export const EDITOR_DEBOUNCE_MS = 120;

/**
 * CPU time of the calling thread in ms: Linux's schedstat counts the time this thread ran, in ns
 * (the host's thread alone: not the GC's helper threads, not the time it waited for a core).
 * Elsewhere the process's CPU time, which counts those threads too.
 */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
}

/**
 * Types `edits` characters into `text`, one every `everyMs` (longer than the debounces, so each pause
 * starts a parse the next keystroke supersedes), waits for `settle`, and returns the event loop's
 * longest stall meanwhile (ms, wall time), its 99th percentile, and the longest stall counted in the
 * CPU time the host's thread ran during it: on a shared machine a wall-time stall also holds the time
 * the thread waited for a core, which is not the host's work. The document's text is `text` plus what
 * was typed, built when read, as getText() builds it.
 */
export async function typingStall(text: string, keystroke: Keystroke, settle: () => Promise<void>, edits: number, everyMs: number): Promise<{ max: number; p99: number; busy: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let version = 0;
  let typed = '';
  let busy = 0;
  let wall = performance.now();
  let cpu = threadCpuMs();
  const ticker = setInterval(() => {
    const now = performance.now();
    const ran = threadCpuMs();
    busy = Math.max(busy, Math.min(now - wall, ran - cpu));
    wall = now;
    cpu = ran;
  }, 1);
  delay.enable();
  for (let i = 0; i < edits; i++) {
    version++;
    typed += String.fromCharCode(97 + (i % 26));
    const snapshot = typed;
    keystroke(version, () => `${text}\n# ${snapshot}`, () => version);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  await settle();
  delay.disable();
  clearInterval(ticker);
  return { max: delay.max / 1e6, p99: delay.percentile(99) / 1e6, busy };
}

/**
 * The host's longest stall while typing into the pathological file, with the scheduler and client the
 * host uses. Run in a fresh process (bench.ts --keystroke-child): the bench's own heap of earlier rows
 * (hundreds of MB) would add its collections' pauses to the keystrokes'.
 */
export async function keystrokeRow(serviceScript: string, quick: boolean): Promise<BenchRow> {
  const text = pathologicalIlmdp();
  const client = new ParseClient(childProcess(serviceScript, [], { execArgv: [] }));
  const scheduler = new ParseScheduler(client);
  try {
    await client.parse('mdp: {}', false); // the process's start is not a keystroke's
    let last: Promise<unknown>[] = [];
    let problems = 0;
    const keystroke: Keystroke = (version, getText, current) => {
      last = [
        scheduler.request('doc', version, { text: getText, current, view: false, delayMs: PROBLEMS_DEBOUNCE_MS }).then((p) => (problems = p?.answer.diagnostics.length ?? problems)),
        scheduler.request('doc', version, { text: getText, current, view: true, delayMs: EDITOR_DEBOUNCE_MS }),
      ];
    };
    const edits = quick ? 10 : 30;
    const { max, p99, busy } = await typingStall(text, keystroke, async () => void (await Promise.all(last)), edits, 400);
    if (problems === 0) throw new Error('the pathological file was reported without problems');
    return { id: 'editor.keystroke', operation: 'editor: the host\'s longest stall while typing (parse service)', size: `${(text.length / 2 ** 20).toFixed(0)} MiB .ilmdp, 5·10⁵ nested [, ${edits} keystrokes`, ms: busy, rate: `CPU-bounded; wall max ${max.toFixed(0)} ms, p99 ${p99.toFixed(1)} ms; ${client.processesStarted - 1} runaway parses replaced`, target: '≤ 50 ms' };
  } finally {
    scheduler.dispose();
    client.dispose();
  }
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

/** A Garnet written out as an explicit .ilmdp (every row's next states and probabilities in the text). */
export function writtenGarnet(nS: number, nA: number, branching: number): string {
  const { mdp } = garnet({ nS, nA, H: 10, branching, seed: 'graph' });
  const t = mdp.transitions[0];
  const lines = ['mdp:', `  states: [${Array.from({ length: nS }, (_, s) => `s${s}`).join(', ')}]`, `  actions: [${Array.from({ length: nA }, (_, a) => `a${a}`).join(', ')}]`, '  horizon: 10', '  transitions:'];
  for (let s = 0; s < nS; s++) {
    lines.push(`    s${s}:`);
    for (let a = 0; a < nA; a++) {
      const row = s * nA + a;
      const entries: string[] = [];
      for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) entries.push(`s${t.next[k]}: ${t.prob[k]}`);
      lines.push(`      a${a}: {${entries.join(', ')}}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The graph view's layout of a 200-state explicit MDP (the issue's "under a second, off the host
 * thread": it runs in the parse service), and what an edit of a probability then costs the parse
 * service (parse, view model, graph; the layout comes from its cache).
 */
export function graphRows(quick: boolean): BenchRow[] {
  const text = writtenGarnet(200, 4, 4);
  const first = buildMdpEditorViewModel(text);
  const graph = first.model?.graph;
  if (!graph?.layout) throw new Error(`the written-out Garnet has no graph: ${JSON.stringify(first.diagnostics.slice(0, 3))}`);
  const nS = graph.states.length;
  const pairs = new Set<number>();
  for (let e = 0; e < graph.from.length; e++) if (graph.from[e] !== graph.to[e]) pairs.add(graph.from[e] * nS + graph.to[e]);
  const links = [...pairs].map((p) => [Math.floor(p / nS), p % nS] as const);
  const depth = new Array<number>(nS).fill(0);
  const cpu = (fn: () => void, n: number) => {
    fn();
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      fn();
      const c = process.cpuUsage(c0);
      times.push((c.user + c.system) / 1e3);
    }
    return median(times);
  };
  const layoutMs = cpu(() => computeLayout(nS, links, depth), quick ? 3 : 7);
  const editMs = cpu(() => buildMdpEditorViewModel(text.replace('horizon: 10', 'horizon: 11')), quick ? 3 : 7);
  const size = `Garnet written out, |S|=200 |A|=4 4 succ. (${graph.from.length} edges, ${links.length} linked pairs)`;
  return [
    { id: 'editor.graphLayout', operation: 'editor: graph layout (d3-force, in the parse service)', size, ms: layoutMs, rate: '300 ticks of the force simulation', target: '< 1 s, off the host' },
    { id: 'editor.graphEdit', operation: 'editor: view model after an edit (parse, graph; layout cached)', size, ms: editMs, rate: `${(text.length / 1024).toFixed(0)} KiB of text`, target: 'off the host' },
  ];
}

/**
 * A stroke of 50 cells across a 50 × 50 gridworld (H = 100), as the map view sends it: the edit from the
 * parse service, then the new view (parse, MDP, optimal expert, V_h(s) and the overlay), which is what the
 * grid waits for before it shows the painted map as built. The stroke itself is drawn in the webview at
 * once; this is the time until the arrows and values follow.
 */
export async function paintRow(parseScript: string, quick: boolean): Promise<BenchRow> {
  const rows = Array.from({ length: 50 }, (_, r) => (r === 0 ? `S${'.'.repeat(49)}` : r === 49 ? `${'.'.repeat(49)}G` : '.'.repeat(50)));
  let text = `mdp:\n  generator: gridworld\n  horizon: 100\n  slip: 0.1\n  map: |\n${rows.map((r) => `    ${r}`).join('\n')}\nexperts:\n  expert: {builtin: true}\n`;
  const client = new ParseClient(childProcess(parseScript, [], { execArgv: [] }));
  try {
    await client.parse(text, true);
    const times: number[] = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      const row = 1 + (i % 48);
      const t = performance.now();
      const edit = await client.edit(text, { kind: 'paint-map', cells: Array.from({ length: 50 }, (_, col) => ({ row, col, kind: i % 2 === 0 ? 'wall' : 'free' })) });
      if (!edit.ok) throw new Error(edit.message);
      if (!('edit' in edit)) throw new Error('a paint is one edit');
      text = text.slice(0, edit.edit.offset) + edit.edit.newText + text.slice(edit.edit.offset + edit.edit.length);
      const answer = await client.parse(text, true);
      if (!answer.view?.model?.grid?.overlay) throw new Error('no grid overlay');
      times.push(performance.now() - t);
    }
    return { id: 'editor.paint', operation: 'editor: a 50-cell stroke on the map, to its redrawn overlay (parse service)', size: '50×50 gridworld, H=100', ms: median(times), rate: 'edit, parse, plan, V_h(s), view', target: 'the stroke itself draws at once in the webview' };
  } finally {
    client.dispose();
  }
}
