/**
 * `npm run bench`: the core's speed on the sizes the project tracks (docs/performance.md), printed as a table.
 * Each row reports the median of several repetitions after a warm-up; peak memory is measured in a
 * fresh child process (VmHWM from /proc), so the parent's own allocations do not count.
 *
 * When python3 with NumPy is present, the same inputs are exported and bench/numpy_peer.py computes the
 * same numbers, checks they agree, and times them; the table then shows both side by side.
 * Flags: --quick (fewer repetitions), --no-numpy, --keep-export (leave the exported inputs in place),
 * --only-lp (only the LP learners' rows, bench/lpBench.ts), --only-ogd (only TV-AIL's first-order solver's
 * rows, bench/ogdBench.ts), --only-mce (only MCE-IRL's, bench/mceIrlBench.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SweepPool } from '../src/parallel/sweepPool';
import { nodeWorker } from '../src/workers/nodeWorker';
import { editorRows, graphRows, keystrokeRow, paintRow, type BenchRow } from './editorBench';
import { lpMemoryChild, lpRows } from './lpBench';
import { ogdRows } from './ogdBench';
import { mceIrlRows } from './mceIrlBench';
import {
  behavioralCloning,
  evaluateBackward,
  garnet,
  gapVsHorizon,
  planGapVsHorizon,
  policyValue,
  resetCliff,
  sampleTrajectories,
  uniformPolicy,
  visitation,
  type MDP,
  type Policy,
} from '../src/core';

type Row = BenchRow;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median CPU time (user + system of this process) of `fn` over several runs after a warm-up. CPU time,
 * not wall time: the bench machine is shared, and waiting for a core would otherwise count as work. The
 * NumPy peer measures the same way (time.process_time). `wall` is kept for the pool's speed-up.
 */
function time(fn: () => void, repetitions: number): { cpu: number; faults: number } {
  return timeBoth(fn, repetitions);
}

/**
 * Warm-up runs before the timed ones, on both sides (bench/numpy_peer.py uses the same number): V8
 * compiles the hot loops over the first runs, and both allocators settle into reusing freed memory
 * (a process's first few 16 MB datasets each fault in fresh pages, later ones mostly reuse).
 */
const WARM_UPS = 3;

/**
 * Also the median number of minor page faults per run: first touches of fresh memory, each a trap into
 * the kernel for a 4 KiB page (what one costs varies with the machine and its load; docs/performance.md
 * gives the figures measured), so an operation that returns 16 MB of new arrays pays for 4096 of them.
 * NumPy asks the kernel for 2 MiB pages on large arrays (madvise), which Node cannot.
 */
function timeBoth(fn: () => void, repetitions: number, warmUps = WARM_UPS): { cpu: number; wall: number; faults: number } {
  for (let i = 0; i < warmUps; i++) fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  const faults: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const f0 = process.resourceUsage().minorPageFault;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
    faults.push(process.resourceUsage().minorPageFault - f0);
  }
  return { cpu: median(cpu), wall: median(wall), faults: median(faults) };
}

/** Transition entries an evaluation touches per step: the rows the policy can take. */
function touchedEntries(mdp: MDP, pi: Policy): number {
  const t = mdp.transitions[0];
  if (pi.kind === 'deterministic') {
    let n = 0;
    for (let s = 0; s < mdp.nS; s++) {
      const r = s * mdp.nA + pi.action[s];
      n += t.rowStart[r + 1] - t.rowStart[r];
    }
    return n;
  }
  return t.next.length;
}

function peakMemoryChild(kind: string): void {
  const nS = 1_000_000;
  const H = 100;
  const N = 1000;
  const env =
    kind === 'garnet'
      ? garnet({ nS, nA: 4, H, branching: 4, seed: 'memory' })
      : resetCliff({ nS, nA: 4, H });
  const data = sampleTrajectories(env.mdp, env.expert, N, 'memory');
  const bc = behavioralCloning(data);
  const t0 = performance.now();
  const gap = policyValue(env.mdp, env.expert) - policyValue(env.mdp, bc);
  const ms = performance.now() - t0;
  const status = readFileSync('/proc/self/status', 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
  console.log(JSON.stringify({ hwm, gap, ms, seen: bc.states.length }));
}

/** A typed array to hand to the NumPy peer: its bytes as written, and the dtype NumPy reads them with. */
type Exported = Int32Array | Uint32Array | Float64Array;

function dtypeOf(a: Exported): string {
  if (a instanceof Int32Array) return '<i4';
  if (a instanceof Uint32Array) return '<u4';
  return '<f8';
}

/**
 * Writes the inputs (and this project's results on them) to a temp dir as raw little-endian files and a
 * JSON manifest, so the NumPy peer computes on exactly the same MDPs, policies and dataset.
 */
function exportForPeer(dir: string, arrays: Record<string, Exported>, rest: Record<string, unknown>): string {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('the NumPy export assumes a little-endian machine');
  const manifest: Record<string, unknown> = { ...rest, arrays: {} };
  for (const [name, a] of Object.entries(arrays)) {
    const file = `${name}.bin`;
    writeFileSync(join(dir, file), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    (manifest.arrays as Record<string, unknown>)[name] = { file, dtype: dtypeOf(a), shape: [a.length] };
  }
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

interface PeerRow {
  id: string;
  ms: number;
  faults?: number;
  match: boolean;
  detail: string;
}

interface PeerResult {
  numpy: string;
  python: string;
  rows: PeerRow[];
}

function numpyAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const quick = process.argv.includes('--quick');
  if (process.argv.includes('--only-lp')) {
    printTable(await lpRows(quick, process.argv[1]), undefined);
    return;
  }
  if (process.argv.includes('--only-ogd')) {
    printTable(await ogdRows(quick), undefined);
    return;
  }
  if (process.argv.includes('--only-mce')) {
    printTable(mceIrlRows(quick), undefined);
    return;
  }
  const peer = !process.argv.includes('--no-numpy') && numpyAvailable();
  const exported: Record<string, Exported> = {};
  const results: Record<string, unknown> = {};

  // 1. Exact evaluation on a Garnet MDP.
  const g = garnet({ nS: 10_000, nA: 8, H: 100, branching: 4, seed: 'bench' });
  const uniform = uniformPolicy(g.mdp.nS, g.mdp.nA, g.mdp.H);
  const garnetSize = '|S|=10⁴ |A|=8 4 succ. H=100';
  const t = g.mdp.transitions[0];
  Object.assign(exported, {
    'garnet.rowStart': t.rowStart,
    'garnet.next': t.next,
    'garnet.prob': t.prob,
    'garnet.reward': g.mdp.reward,
    'garnet.rho': g.mdp.rho,
    'uniform.prob': uniform.prob,
  });
  if (g.expert.kind !== 'deterministic' || g.expert.stationary) throw new Error('the bench expects the Garnet expert to be deterministic and per step');
  exported['expert.action'] = g.expert.action;
  for (const [label, pi] of [
    ['stochastic', uniform],
    ['deterministic', g.expert],
  ] as const) {
    const perStep = pi.kind === 'deterministic' ? touchedEntriesNonStationary(g.mdp, pi) : touchedEntries(g.mdp, pi) * (g.mdp.H - 1);
    results[`V.${label}`] = evaluateBackward(g.mdp, pi).value;
    exported[`ts.visitation.${label}`] = visitation(g.mdp, pi).dS!;
    const back = time(() => evaluateBackward(g.mdp, pi), quick ? 3 : 9);
    const fwd = time(() => visitation(g.mdp, pi, { store: false }), quick ? 3 : 9);
    const piLabel = label === 'stochastic' ? 'uniform π' : 'deterministic π';
    rows.push({ id: `backward.${label}`, operation: `exact evaluation V(π), backward (${piLabel})`, size: garnetSize, ms: back.cpu, faults: back.faults, rate: `${(perStep / back.cpu / 1e3).toFixed(0)} M nonzero updates/s`, target: '≥ 350 M/s' });
    rows.push({ id: `forward.${label}`, operation: `exact visitation d^π_h, forward (${piLabel})`, size: garnetSize, ms: fwd.cpu, faults: fwd.faults, rate: `${(perStep / fwd.cpu / 1e3).toFixed(0)} M nonzero updates/s`, target: '≥ 350 M/s' });
  }

  // 2. Sampling 10^6 transitions, and 3. per-step BC counting on one such dataset.
  let seed = 0;
  const N = 10_000;
  const sampling = time(() => sampleTrajectories(g.mdp, g.expert, N, seed++), quick ? 3 : 9);
  rows.push({ id: 'sampling', operation: 'sampling N trajectories (deterministic expert)', size: 'Garnet above, N=10⁴ H=100 (10⁶ transitions)', ms: sampling.cpu, faults: sampling.faults, rate: `${(1e6 / sampling.cpu / 1e3).toFixed(1)} M transitions/s`, target: '≤ 30 ms' });
  // The same draws into one dataset's arrays, reused: sampling without first-touch page faults.
  const reused = sampleTrajectories(g.mdp, g.expert, N, 'reused');
  const samplingInto = time(() => sampleTrajectories(g.mdp, g.expert, N, seed++, { into: reused }), quick ? 3 : 9);
  rows.push({ id: 'sampling.into', operation: 'the same, into a reused dataset (sampleTrajectories … { into })', size: 'Garnet above, N=10⁴ H=100 (10⁶ transitions)', ms: samplingInto.cpu, faults: samplingInto.faults, rate: `${(1e6 / samplingInto.cpu / 1e3).toFixed(1)} M transitions/s`, target: '≤ 30 ms' });
  const data = sampleTrajectories(g.mdp, g.expert, N, 'bc');
  const bc = behavioralCloning(data);
  Object.assign(exported, { 'data.states': data.states, 'data.actions': data.actions, 'bc.blockStart': bc.blockStart, 'bc.states': bc.states, 'bc.entryStart': bc.entryStart, 'bc.entryAction': bc.entryAction, 'bc.entryCount': bc.entryCount });
  const counting = time(() => behavioralCloning(data), quick ? 3 : 9);
  rows.push({ id: 'bc', operation: 'per-step BC counting n_h(s, a)', size: 'that dataset (10⁶ (h, s, a) samples)', ms: counting.cpu, faults: counting.faults, rate: `${(1e6 / counting.cpu / 1e3).toFixed(1)} M samples/s`, target: '' });

  // 4. The Reset Cliff gap-vs-H sweep.
  const rcSpec = { env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons: [1, 2, 4, 8, 16, 32, 64, 128], seeds: 400 } as const;
  const rcResult = gapVsHorizon({ ...rcSpec, baseSeed: 'bench' });
  results.sweep = rcResult.rows.map((r) => ({ H: r.x, mean: r.mean, se: r.se, closedForm: r.closedForm }));
  const rc = resetCliff({ nS: 11, nA: 2, H: 1 });
  const rct = rc.mdp.transitions[0];
  if (rc.expert.kind !== 'deterministic') throw new Error('the Reset Cliff expert is deterministic');
  Object.assign(exported, {
    'rc.rowStart': rct.rowStart,
    'rc.next': rct.next,
    'rc.prob': rct.prob,
    'rc.reward': rc.mdp.reward,
    'rc.rho': rc.mdp.rho,
    'rc.resetMass': rct.reset!.mass,
    'rc.resetTo': rct.reset!.to,
    'rc.expert': rc.expert.action,
  });
  // Five warm-ups: V8 tiers the sweep's many small functions up over the first few sweeps of a process
  // (docs/performance.md has one machine's sequence).
  const sweepTimes = timeBoth(() => gapVsHorizon({ ...rcSpec, baseSeed: seed++ }), quick ? 3 : 7, 5);
  const sweep = sweepTimes.cpu;
  const sweepSize = '|S|=11 |A|=2 N=40, 8 horizons × 400 seeds';
  rows.push({ id: 'sweep', operation: 'Reset Cliff gap-vs-H sweep (per-step BC)', size: sweepSize, ms: sweep, faults: sweepTimes.faults, rate: `${((8 * 400) / sweep).toFixed(1)} datasets/ms`, target: '≤ 200 ms' });

  // 4b. The same sweep on a pool of worker threads that stays up between sweeps (start-up and compiling
  // paid once), timed after one warm-up sweep like the single-threaded row.
  const workers = availableParallelism();
  const pool = new SweepPool(nodeWorker(join(__dirname, '../dist/sweepWorker.js')), workers);
  const sweepPlan = () => planGapVsHorizon({ ...rcSpec, baseSeed: seed++ });
  // Twice the single thread's warm-ups: each worker sees only part of each sweep, so its code tiers up
  // after twice as many.
  for (let i = 0; i < 10; i++) await pool.run(sweepPlan());
  const pooled: number[] = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    const plan = sweepPlan();
    const t0 = performance.now();
    await pool.run(plan);
    pooled.push(performance.now() - t0);
  }
  await pool.dispose();
  const pooledMedian = median(pooled);
  rows.push({ id: 'pool', operation: `the same sweep, pool of ${workers} workers`, size: sweepSize, ms: pooledMedian, rate: `wall time; speed-up ×${(sweepTimes.wall / pooledMedian).toFixed(2)} over one thread's ${sweepTimes.wall.toFixed(0)} ms`, target: '≥ ×1.8 on 2 cores' });

  // 5. Peak memory of BC-policy evaluation at |S| = 10^6, each in a fresh process. The Garnet row
  // includes its optimal non-stationary expert (H|S| Int32 = 400 MB) and the planning that makes it.
  for (const [kind, size] of [
    ['reset-cliff', '|S|=10⁶ |A|=4 H=100'],
    ['garnet', '|S|=10⁶ |A|=4 4 succ. H=100'],
  ] as const) {
    const child = spawnSync(process.execPath, [process.argv[1], '--memory-child', kind], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
    const mem = JSON.parse(child.stdout) as { hwm: number; gap: number; ms: number; seen: number };
    rows.push({ id: `memory.${kind}`, operation: `BC-policy evaluation ×2, peak memory (${kind}, N=1000)`, size, ms: mem.ms, rate: `${(mem.hwm / 2 ** 20).toFixed(0)} MiB peak RSS`, target: '< 1 GB' });
  }

  // 5. The .ilmdp editor: worker pages, dataset files, and the host's stalls while typing (in a fresh process).
  rows.push(...(await editorRows(join(__dirname, '../dist/editorWorker.js'), quick)));
  rows.push(...graphRows(quick));
  const typing = spawnSync(process.execPath, [process.argv[1], '--keystroke-child', ...(quick ? ['--quick'] : [])], { encoding: 'utf8' });
  if (typing.status !== 0) throw new Error(`keystroke child failed: ${typing.stderr}`);
  rows.push(JSON.parse(typing.stdout) as BenchRow);
  rows.push(await paintRow(join(__dirname, '../dist/parseService.js'), quick));

  // 6. The LP learners through HiGHS (issue 19's targets) and HiGHS's own load and memory.
  rows.push(...(await lpRows(quick, process.argv[1])));
  // 7. TV-AIL's first-order solver on the same instances, for MDPs too big for any LP.
  rows.push(...(await ogdRows(quick)));
  // 8. MCE-IRL at the same sizes (no LP: soft value iteration and forward propagation per step).
  rows.push(...mceIrlRows(quick));

  let peerResult: PeerResult | undefined;
  if (peer) {
    const dir = mkdtempSync(join(tmpdir(), 'il-notebooks-bench-'));
    try {
      const manifest = exportForPeer(dir, exported, {
        garnet: { nS: g.mdp.nS, nA: g.mdp.nA, H: g.mdp.H },
        sampling: { N },
        resetCliff: { nS: 11, nA: 2, N: rcSpec.N, horizons: rcSpec.horizons, seeds: rcSpec.seeds },
        results,
      });
      const script = join(__dirname, '../bench/numpy_peer.py');
      const child = spawnSync('python3', [script, manifest, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (child.status !== 0) throw new Error(`bench/numpy_peer.py failed:\n${child.stderr}`);
      peerResult = JSON.parse(child.stdout) as PeerResult;
    } finally {
      if (process.argv.includes('--keep-export')) console.error(`bench: the exported inputs are in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(rows, peerResult);
  if (!peer) {
    console.log('\nNo NumPy peer: python3 with NumPy was not found. Install it (e.g. `sudo apt-get install python3-numpy`) and run `npm run bench` again to time bench/numpy_peer.py on the same inputs.');
  }
  if (peerResult && peerResult.rows.some((r) => !r.match)) process.exitCode = 1;
}

function printTable(rows: Row[], peerResult: PeerResult | undefined): void {
  const byId = new Map(peerResult?.rows.map((r) => [r.id, r]));
  const header = ['operation', 'size', 'this project', ...(peerResult ? ['NumPy', 'NumPy ÷ this', 'same numbers'] : []), 'page faults', 'rate (this project)', 'aim'];
  const body = rows.map((r) => {
    const p = byId.get(r.id);
    const peerCells = peerResult ? (p ? [`${p.ms.toFixed(1)} ms`, `×${(p.ms / r.ms).toFixed(1)}`, p.match ? 'yes' : 'NO'] : ['—', '—', '—']) : [];
    const faults = r.faults === undefined ? '—' : p?.faults !== undefined ? `${r.faults} / ${p.faults}` : String(r.faults);
    return [r.operation, r.size, `${r.ms.toFixed(1)} ms`, ...peerCells, faults, r.rate, r.target];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' │ ');
  const versions = peerResult ? `; NumPy ${peerResult.numpy} on Python ${peerResult.python}` : '';
  console.log('Times are medians of CPU time (user + system) after three warm-up runs (five for the sweep, ten for the pool) on both sides, except the pool row and the memory rows (wall time).');
  console.log('Page faults: median minor faults per run (this project / NumPy): first touches of fresh memory, each a trap into the kernel.');
  console.log(`IL Notebooks core benchmark — node ${process.version}, ${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}${versions}`);
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const b of body) console.log(line(b));
  if (peerResult) {
    console.log('\nHow the numbers were checked (bench/numpy_peer.py):');
    for (const p of peerResult.rows) console.log(`  ${p.id}: ${p.match ? 'ok' : 'MISMATCH'}, ${p.detail}`);
  }
}

function touchedEntriesNonStationary(mdp: MDP, pi: Policy): number {
  if (pi.kind !== 'deterministic' || pi.stationary) return touchedEntries(mdp, pi) * (mdp.H - 1);
  const t = mdp.transitions[0];
  let n = 0;
  for (let h = 0; h < mdp.H - 1; h++) {
    for (let s = 0; s < mdp.nS; s++) {
      const r = s * mdp.nA + pi.action[h * mdp.nS + s];
      n += t.rowStart[r + 1] - t.rowStart[r];
    }
  }
  return n;
}

const memoryChild = process.argv.indexOf('--memory-child');
if (memoryChild >= 0) peakMemoryChild(process.argv[memoryChild + 1]);
else if (process.argv.includes('--lp-memory-child')) void lpMemoryChild();
else if (process.argv.includes('--keystroke-child')) void keystrokeRow(join(__dirname, '../dist/parseService.js'), process.argv.includes('--quick')).then((row) => console.log(JSON.stringify(row)));
else void main();
