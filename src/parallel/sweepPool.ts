/**
 * Runs sweep plans on a pool of worker threads (one per core by default). Work is cut into slices of
 * seeds; every seed keeps the seed it has in the single-threaded run, so the result is identical, only
 * sooner. Slices also make shards: `sliceRange(seeds, i, n)` is the i-th of n parts, which another machine
 * can run alone and `mergeShards` puts back together.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CoreError } from '../core/errors';
import { runSweepPlan, type SweepControl, type SweepPlan, type SweepPoint, type SweepResult } from '../core/experiments';

export interface PoolTask {
  readonly type: 'task';
  readonly id: number;
  readonly point: number;
  readonly from: number;
  readonly to: number;
}

export type PoolMessage = { readonly type: 'points'; readonly points: readonly SweepPoint[] } | PoolTask;

export type PoolReply = { readonly task: number; readonly gaps: Float64Array } | { readonly task: number; readonly error: string };

export interface RunOptions extends SweepControl {
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
  return slices.map(({ point, from, to }, id) => ({ type: 'task', id, point, from, to }));
}

/**
 * Worker threads that stay up between sweeps (start-up and compilation are paid once). One sweep runs
 * at a time; `dispose()` ends the threads.
 */
export class SweepPool {
  private threads: Worker[] = [];
  private busy = false;
  /** Ends the running sweep at once (set while one runs). */
  private stopRunning: ((error: Error) => void) | undefined;
  readonly size: number;

  constructor(
    private readonly workerScript: string,
    workers = availableParallelism(),
  ) {
    this.size = Math.max(1, Math.floor(workers));
  }

  /** The whole sweep: the same SweepResult as runSweepPlan, bit for bit. */
  async run(plan: SweepPlan, options: RunOptions = {}): Promise<SweepResult> {
    return plan.assemble(await this.gaps(plan, options));
  }

  /** Per-point gaps of a plan, or of one shard of it. */
  async gaps(plan: SweepPlan, options: RunOptions = {}): Promise<Float64Array[]> {
    if (this.busy) throw new CoreError('this pool is already running a sweep', 'busy');
    this.busy = true;
    const ranges = plan.points.map((p) => (options.shard ? sliceRange(p.seeds, options.shard.index, options.shard.count) : ([0, p.seeds] as [number, number])));
    const total = ranges.reduce((n, [from, to]) => n + (to - from), 0);
    const out = ranges.map(([from, to]) => new Float64Array(to - from));
    const tasks = sliceTasks(plan, ranges, this.size);
    try {
      if (tasks.length === 0) return out;
      while (this.threads.length < Math.min(this.size, tasks.length)) this.threads.push(new Worker(this.workerScript));
      const threads = this.threads.slice(0, Math.min(this.size, tasks.length));
      for (const thread of threads) thread.postMessage({ type: 'points', points: plan.points } satisfies PoolMessage);
      let done = 0;
      let next = 0;
      let finished = 0;
      await new Promise<void>((resolve, reject) => {
        const fail = (error: Error) => {
          threads.forEach((t) => t.removeAllListeners('message').removeAllListeners('error'));
          // A cancelled or failed sweep leaves threads mid-task: they are replaced next time.
          void this.dispose();
          reject(error);
        };
        this.stopRunning = fail;
        const feed = (thread: Worker) => {
          if (options.signal?.aborted) return fail(new CoreError('the sweep was cancelled', 'cancelled'));
          const task = tasks[next++];
          if (task) thread.postMessage(task);
        };
        for (const thread of threads) {
          thread.on('message', (reply: PoolReply) => {
            if ('error' in reply) return fail(new CoreError(reply.error, 'sweep-worker'));
            const task = tasks[reply.task];
            out[task.point].set(reply.gaps, task.from - ranges[task.point][0]);
            done += task.to - task.from;
            options.onProgress?.(done, total);
            if (++finished === tasks.length) {
              threads.forEach((t) => t.removeAllListeners('message').removeAllListeners('error'));
              resolve();
            } else feed(thread);
          });
          thread.on('error', fail);
          // Two slices in flight per thread: the next one is already queued when a slice ends, so no
          // thread idles for a message's round trip (the costliest-first order keeps the tail short).
          feed(thread);
          feed(thread);
        }
      });
      return out;
    } finally {
      this.busy = false;
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

  async dispose(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** One sweep on a pool made for it (the CLI's case); one worker runs on this thread instead. */
export async function runSweepPlanInPool(plan: SweepPlan, options: RunOptions & { readonly workerScript: string; readonly workers?: number }): Promise<SweepResult> {
  if ((options.workers ?? availableParallelism()) <= 1 && !options.shard) return runSweepPlan(plan, options);
  const pool = new SweepPool(options.workerScript, options.workers);
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
