/**
 * The extension host's compute service: one worker (and, inside it, one sweep pool) that every panel
 * and command shares, so ten open panels cost one thread and one pool, not ten. Requests are
 * cancelled one by one: a cancelled request rejects at once with CancelledError while its sweep stops
 * at its next dataset; a computation that does not stop within the grace period (a synchronous view of
 * a huge MDP) costs a fresh worker, and the other requests in flight are sent to it again.
 * vscode-free, so it is tested in plain Node against the real bundled worker.
 */
import type { GapVsHorizonSpec, SweepResult } from '../core/experiments';
import type { PanelParams, PanelResult, PanelSource } from '../shared/panelProtocol';
import { RpcClient, type CancelSignalLike } from '../workers/client';
import { restartOnCancel } from '../workers/restartOnCancel';
import type { WorkerFactory } from '../workers/port';
import type { ParamsOf, Progress, ResultOf } from '../workers/protocol';
import { computeProtocol } from './computeProtocol';

/** The worker refused the input; `problems` say where (file:line:col) and what to do. */
export class ComputeProblems extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ComputeProblems';
  }
}

export interface RequestOptions {
  readonly onProgress?: (done: number, total: number) => void;
  /** Cancels this request only (an AbortController's signal, e.g. aborted from a progress notification's token). */
  readonly signal?: CancelSignalLike;
}

export interface ComputeClientOptions {
  /** How long a cancelled computation may run on before the worker is replaced. */
  readonly cancelGraceMs?: number;
  /** Threads a big sweep may use, asked at each request (the host reads its setting there); absent: one per core. */
  readonly sweepWorkers?: () => number;
}

const DEFAULT_CANCEL_GRACE_MS = 1000;

type Protocol = typeof computeProtocol;

export class ComputeClient {
  private readonly rpc: RpcClient<Protocol>;
  private readonly graceMs: number;
  private readonly sweepWorkers: () => { workers?: number };

  constructor(factory: WorkerFactory, options: ComputeClientOptions = {}) {
    this.graceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    this.sweepWorkers = () => (options.sweepWorkers ? { workers: options.sweepWorkers() } : {});
    this.rpc = new RpcClient(factory, computeProtocol, {
      name: 'compute worker',
      decodeError: (e) => (e.code === 'problems' && Array.isArray(e.data) ? new ComputeProblems(e.message, e.data.map(String)) : e),
    });
  }

  /** A panel's view of an .ilmdp text (and the file's experts and datasets). */
  panel(source: PanelSource, params: PanelParams, options: RequestOptions = {}): Promise<PanelResult> {
    return this.request('panel', { source, params, ...this.sweepWorkers() }, options);
  }

  gapVsHorizon(spec: GapVsHorizonSpec, options: RequestOptions = {}): Promise<SweepResult> {
    return this.request('gap-vs-H', { ...spec, ...this.sweepWorkers() }, options);
  }

  /** How many workers have been started (a stuck cancelled computation costs one). */
  get workersStarted(): number {
    return this.rpc.spawns;
  }

  dispose(): void {
    this.rpc.dispose();
  }

  private request<M extends keyof Protocol>(method: M, params: ParamsOf<Protocol[M]>, options: RequestOptions): Promise<ResultOf<Protocol[M]>> {
    const signal = options.signal;
    const onEvent = options.onProgress ? (p: Progress) => options.onProgress!(p.done, p.total) : undefined;
    const call = this.rpc.call(method, params, { ...(onEvent ? { onEvent } : {}), ...(signal ? { signal } : {}) });
    return restartOnCancel(call, signal, () => this.rpc.restart(), this.graceMs, 'the computation');
  }
}
