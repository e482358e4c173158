/**
 * Runs sweep plans on a pool of worker threads (as many as the caller gives: one per core, usually). Work is cut into slices of
 * seeds; every seed keeps the seed it has in the single-threaded run, so the result is identical, only
 * sooner. Slices also make shards: `sliceRange(seeds, i, n)` is the i-th of n parts, which another machine
 * can run alone and `mergeShards` puts back together.
 */
import { CoreError } from '../core/errors';
import { prepareSweep, runSweepPlan, type SweepControl, type SweepPlan, type SweepPoint, type SweepResult } from '../core/experiments';
import { RpcClient } from '../workers/client';
import { CancelledError, RemoteError } from '../workers/errors';
import type { WorkerFactory } from '../workers/port';
import { sweepProtocol, type SliceTask } from './sweepProtocol';

interface PoolTask extends SliceTask {
  readonly id: number;
}

export interface RunOptions extends SweepControl {
  /**
   * Checked between slices, as by every sweep; a signal that can also call back (a worker call's
   * CancelSignal) stops the sweep at once, without waiting for the slices being computed.
   */
  readonly signal?: { readonly aborted: boolean; onAbort?(listener: () => void): () => void };
  /** Run only part i of n of every point (a shard); the gaps then hold only those seeds. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Below this many sampled transitions a sweep finishes before a pool's threads would have started. */
export const POOL_THRESHOLD_TRANSITIONS = 1e7;

/** Transitions a sweep samples: what decides whether a pool pays for its start-up. */
export function sampledTransitions(plan: SweepPlan): number {
  return plan.points.reduce((n, p) => n + p.seeds * p.N * p.env.mdp.H, 0);
}

/** Seeds [from, to) of part `index` (0-based) of `count` equal parts of `seeds`. */
export function sliceRange(seeds: number, index: number, count: number): [number, number] {
  return [Math.floor((seeds * index) / count), Math.floor((seeds * (index + 1)) / count)];
}

/** What one seed of a point costs, in units of one sampled transition or one transition entry read. */
function seedCost(point: SweepPoint): number {
  const { mdp } = point.env;
  const entries = mdp.transitions.reduce((n, t) => n + t.next.length, 0) / mdp.transitions.length;
  return point.N * mdp.H + mdp.H * (entries + mdp.nS * mdp.nA);
}

/**
 * The slices of a sweep, costliest first. Slices are cut to about 1/(8·workers) of the whole sweep's
 * cost, so a point of H = 128 gets many and a point of H = 1 one; handing out the big ones first
 * (longest-processing-time order) leaves only small ones to even out the workers at the end, with far
 * fewer messages than equal slices of every point.
 */
function sliceTasks(plan: SweepPlan, ranges: readonly [number, number][], workers: number): PoolTask[] {
  const costs = plan.points.map(seedCost);
  const total = ranges.reduce((n, [from, to], p) => n + (to - from) * costs[p], 0);
  const target = total / (8 * workers);
  const slices: { point: number; from: number; to: number; cost: number }[] = [];
  ranges.forEach(([from, to], point) => {
    const count = Math.min(to - from, Math.max(1, Math.round(((to - from) * costs[point]) / target)));
    for (let i = 0; i < count; i++) {
      const [a, b] = sliceRange(to - from, i, count);
      slices.push({ point, from: from + a, to: from + b, cost: (b - a) * costs[point] });
    }
  });
  slices.sort((x, y) => y.cost - x.cost);
  return slices.map(({ point, from, to }, id) => ({ id, point, from, to }));
}

type SweepThread = RpcClient<typeof sweepProtocol>;

/**
 * Worker threads that stay up between sweeps (start-up and compilation are paid once). Sweeps run one
 * at a time, in the order asked; `dispose()` ends the threads.
 */
export class SweepPool {
  private threads: SweepThread[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Ends the running sweep at once (set while one runs). */
  private stopRunning: ((error: Error) => void) | undefined;
  readonly size: number;

  constructor(
    private readonly factory: WorkerFactory,
    workers: number,
  ) {
    this.size = Math.max(1, Math.floor(workers));
  }

  /** The whole sweep: the same SweepResult as runSweepPlan, bit for bit. */
  async run(plan: SweepPlan, options: RunOptions = {}): Promise<SweepResult> {
    return plan.assemble(await this.gaps(plan, options));
  }

  /** Per-point gaps of a plan, or of one shard of it, after the sweeps asked for before it. */
  gaps(plan: SweepPlan, options: RunOptions = {}): Promise<Float64Array[]> {
    const result = this.queue.then(() => this.gapsNow(plan, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async gapsNow(plan: SweepPlan, options: RunOptions): Promise<Float64Array[]> {
    const cancelled = () => new CoreError('the sweep was cancelled', 'cancelled');
    if (options.signal?.aborted) throw cancelled();
    const ranges = plan.points.map((p) => (options.shard ? sliceRange(p.seeds, options.shard.index, options.shard.count) : ([0, p.seeds] as [number, number])));
    const total = ranges.reduce((n, [from, to]) => n + (to - from), 0);
    const out = ranges.map(([from, to]) => new Float64Array(to - from));
    const tasks = sliceTasks(plan, ranges, this.size);
    if (tasks.length === 0) return out;
    while (this.threads.length < Math.min(this.size, tasks.length)) this.threads.push(new RpcClient(this.factory, sweepProtocol, { name: 'sweep worker' }));
    const threads = this.threads.slice(0, Math.min(this.size, tasks.length));
    let stopListening: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let failed = false;
        let done = 0;
        let next = 0;
        let finished = 0;
        const fail = (error: unknown) => {
          if (failed) return;
          failed = true;
          // A cancelled or failed sweep leaves threads mid-slice: they are replaced next time.
          void this.dispose();
          reject(error instanceof CoreError ? error : error instanceof RemoteError ? new CoreError(error.message, error.code) : error instanceof CancelledError ? cancelled() : new CoreError(error instanceof Error ? error.message : String(error), 'sweep-worker'));
        };
        this.stopRunning = fail;
        stopListening = options.signal?.onAbort?.(() => fail(cancelled()));
        const feed = (thread: SweepThread) => {
          if (failed) return;
          if (options.signal?.aborted) return fail(cancelled());
          const task = tasks[next++];
          if (!task) return;
          thread.call('slice', { point: task.point, from: task.from, to: task.to }).then((gaps) => {
            if (failed) return;
            out[task.point].set(gaps, task.from - ranges[task.point][0]);
            done += task.to - task.from;
            options.onProgress?.(done, total);
            if (++finished === tasks.length) resolve();
            else feed(thread);
          }, fail);
        };
        for (const thread of threads) {
          thread.call('points', plan.points as SweepPoint[]).catch(fail);
          // Two slices in flight per thread: the next one is already queued when a slice ends, so no
          // thread idles for a message's round trip (the costliest-first order keeps the tail short).
          feed(thread);
          feed(thread);
        }
      });
      return out;
    } finally {
      stopListening?.();
      this.stopRunning = undefined;
    }
  }

  /**
   * Stops the running sweep now rather than at the next slice (whose end the signal waits for): it
   * rejects with a CoreError of code 'cancelled' and its threads are replaced on the next run.
   */
  cancel(): void {
    this.stopRunning?.(new CoreError('the sweep was cancelled', 'cancelled'));
  }

  /** Ends the threads once the sweeps already asked of this pool are done (a pool of another size takes over the new ones). */
  disposeWhenIdle(): Promise<void> {
    return this.queue.then(() => this.dispose());
  }

  async dispose(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** One sweep on a pool made for it (the CLI's case); with one worker it runs on this thread instead. */
export async function runSweepPlanInPool(plan: SweepPlan, options: RunOptions & { readonly factory: WorkerFactory; readonly workers: number }): Promise<SweepResult> {
  if (options.workers <= 1 && !options.shard) {
    await prepareSweep(plan);
    return runSweepPlan(plan, options);
  }
  const pool = new SweepPool(options.factory, options.workers);
  try {
    return await pool.run(plan, options);
  } finally {
    await pool.dispose();
  }
}

/** Puts the shards' gaps (shard i of n, for i = 0…n−1, in order) back into whole points. */
export function mergeShards(plan: SweepPlan, shards: readonly (readonly Float64Array[])[]): SweepResult {
  const gaps = plan.points.map((point, p) => {
    const merged = new Float64Array(point.seeds);
    shards.forEach((shard, i) => {
      const [from, to] = sliceRange(point.seeds, i, shards.length);
      if (shard[p].length !== to - from) throw new CoreError(`shard ${i + 1} of ${shards.length} holds ${shard[p].length} gaps for point ${point.x}, expected ${to - from}`, 'shard');
      merged.set(shard[p], from);
    });
    return merged;
  });
  return plan.assemble(gaps);
}
