/**
 * Messages between the extension host and its compute worker (and, later, webviews): typed requests
 * with numeric ids, answered by progress reports and then a result or an error carrying the same id.
 * Cancellation terminates the worker (a sweep is synchronous, so a message could not interrupt it, and
 * the worker holds no state worth keeping). No `vscode` here, so
 * the host, workers and browser code share one definition. Every incoming message is checked with
 * the guards below before use.
 */
import { isAlgorithmName } from '../core/algorithmNames';
import type { GapVsHorizonSpec, SweepResult } from '../core';
import { isEnvironmentSpec } from '../core/envs/registry';
import { isPanelParams, type PanelParams, type PanelResult, type PanelSource } from './panelProtocol';

/** What the worker is asked to compute, and what each kind of request answers with. */
export type ComputeJob =
  | { readonly type: 'gap-vs-H'; readonly spec: GapVsHorizonSpec }
  /** A panel's view of an .ilmdp file (its text as the editor holds it). */
  | { readonly type: 'panel'; readonly source: PanelSource; readonly params: PanelParams };

export type ComputeResultOf<J extends ComputeJob> = J extends { type: 'panel' } ? PanelResult : SweepResult;

export type ComputeRequest = ComputeJob & { readonly id: number };

export type ComputeResponse =
  | { readonly id: number; readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly id: number; readonly type: 'result'; readonly result: SweepResult | PanelResult }
  /** `problems` (file:line:col lines) when the input is at fault rather than the program. */
  | { readonly id: number; readonly type: 'error'; readonly message: string; readonly code: string; readonly problems?: readonly string[] };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1;
}

export function isComputeRequest(x: unknown): x is ComputeRequest {
  if (!isRecord(x) || !isPositiveInteger(x.id)) return false;
  if (x.type === 'panel') {
    const source = x.source;
    return isRecord(source) && typeof source.file === 'string' && typeof source.text === 'string' && isPanelParams(x.params);
  }
  if (x.type !== 'gap-vs-H') return false;
  const spec = x.spec;
  if (!isRecord(spec) || !isEnvironmentSpec(spec.env)) return false;
  if (!isPositiveInteger(spec.N) || !isPositiveInteger(spec.seeds)) return false;
  if (!Array.isArray(spec.horizons) || spec.horizons.length === 0 || !spec.horizons.every(isPositiveInteger)) return false;
  if (spec.mode !== undefined && spec.mode !== 'per-step' && spec.mode !== 'pooled') return false;
  if (spec.algorithm !== undefined && !isAlgorithmName(spec.algorithm)) return false;
  if (
    spec.slopeRange !== undefined &&
    !(Array.isArray(spec.slopeRange) && spec.slopeRange.length === 2 && spec.slopeRange.every((v) => typeof v === 'number'))
  ) {
    return false;
  }
  if (spec.baseSeed !== undefined && typeof spec.baseSeed !== 'number' && typeof spec.baseSeed !== 'string') return false;
  return true;
}

export function isComputeResponse(x: unknown): x is ComputeResponse {
  // id 0 answers a request too malformed to carry its own id.
  if (!isRecord(x) || typeof x.id !== 'number' || !Number.isInteger(x.id) || x.id < 0) return false;
  switch (x.type) {
    case 'progress':
      return typeof x.done === 'number' && typeof x.total === 'number';
    case 'result':
      return isRecord(x.result) && (Array.isArray(x.result.rows) || isRecord(x.result.view));
    case 'error':
      return (
        typeof x.message === 'string' &&
        typeof x.code === 'string' &&
        (x.problems === undefined || (Array.isArray(x.problems) && x.problems.every((p) => typeof p === 'string')))
      );
    default:
      return false;
  }
}
