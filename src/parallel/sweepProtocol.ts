/**
 * Messages between a sweep pool and its worker threads: the points of the current sweep (sent once per
 * sweep to each thread), then slices of seeds of one point, answered by their gaps. The points carry
 * whole MDPs and experts; the worker checks them with the core's own validators before it runs them.
 */
import { isAlgorithmName } from '../core/algorithmNames';
import { isCount, isPositiveInteger, isRecord } from '../core/guards';
import type { SweepPoint } from '../core/experiments';
import { validateMDP, validatePolicy } from '../core/validate';
import { method } from '../workers/protocol';

export interface SliceTask {
  /** Index of the point in the sweep's points. */
  readonly point: number;
  /** Seeds [from, to) of that point. */
  readonly from: number;
  readonly to: number;
}

function isSweepPoint(x: unknown): x is SweepPoint {
  if (!isRecord(x) || !isRecord(x.env)) return false;
  const { mdp, expert } = x.env;
  return (
    isPositiveInteger(x.x) &&
    isPositiveInteger(x.N) &&
    isCount(x.seeds) &&
    (x.mode === 'per-step' || x.mode === 'pooled') &&
    isAlgorithmName(x.algorithm) &&
    (typeof x.seedBase === 'number' || typeof x.seedBase === 'string') &&
    typeof x.seedTag === 'string' &&
    typeof x.env.description === 'string' &&
    validateMDP(mdp).length === 0 &&
    validatePolicy(expert, (mdp as { nS: number }).nS, (mdp as { nA: number }).nA, (mdp as { H: number }).H).length === 0
  );
}

const isPoints = (x: unknown): x is SweepPoint[] => Array.isArray(x) && x.every(isSweepPoint);
const isSliceTask = (x: unknown): x is SliceTask => isRecord(x) && isCount(x.point) && isCount(x.from) && isCount(x.to) && (x.from as number) <= (x.to as number);

export const sweepProtocol = {
  points: method({ params: isPoints, result: (x: unknown): x is null => x === null }),
  slice: method({ params: isSliceTask, result: (x: unknown): x is Float64Array => x instanceof Float64Array }),
};
