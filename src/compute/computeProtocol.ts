/**
 * What the extension host asks of its compute worker: a sweep, or a panel's view of an .ilmdp text.
 * Both report progress in datasets and answer with plain data (typed arrays included). The RPC layer
 * (src/workers) checks every message against these guards on arrival. No `vscode` here.
 */
import { isAlgorithmName } from '../core/algorithmNames';
import type { GapVsHorizonSpec, SweepResult } from '../core/experiments';
import { isPositiveInteger, isRecord } from '../core/guards';
import { isEnvironmentSpec } from '../core/envs/registry';
import { isPanelDatasetFiles, isPanelParams, type PanelParams, type PanelResult, type PanelSource } from '../shared/panelProtocol';
import { isProgress, method } from '../workers/protocol';

/** A panel's request: the .ilmdp as the editor holds it (maybe unsaved), and the panel's parameters. */
export interface PanelJob {
  readonly source: PanelSource;
  readonly params: PanelParams;
  /** Threads a big sweep may use (the setting ilNotebooks.sweeps.workers, read for each request; 1: no pool). Absent: one per core. */
  readonly workers?: number;
}

/** The demo's sweep, and the threads it may use (as a panel job's). */
export type GapVsHorizonJob = GapVsHorizonSpec & { readonly workers?: number };

const isWorkers = (x: unknown) => x === undefined || isPositiveInteger(x);

export function isGapVsHorizonSpec(spec: unknown): spec is GapVsHorizonSpec {
  if (!isRecord(spec) || !isEnvironmentSpec(spec.env)) return false;
  if (!isPositiveInteger(spec.N) || !isPositiveInteger(spec.seeds)) return false;
  if (!Array.isArray(spec.horizons) || spec.horizons.length === 0 || !spec.horizons.every(isPositiveInteger)) return false;
  if (spec.mode !== undefined && spec.mode !== 'per-step' && spec.mode !== 'pooled') return false;
  if (spec.algorithm !== undefined && !isAlgorithmName(spec.algorithm)) return false;
  if (spec.slopeRange !== undefined && !(Array.isArray(spec.slopeRange) && spec.slopeRange.length === 2 && spec.slopeRange.every((v) => typeof v === 'number'))) return false;
  if (spec.baseSeed !== undefined && typeof spec.baseSeed !== 'number' && typeof spec.baseSeed !== 'string') return false;
  return true;
}

export function isPanelJob(x: unknown): x is PanelJob {
  return (
    isRecord(x) &&
    isRecord(x.source) &&
    typeof x.source.file === 'string' &&
    typeof x.source.text === 'string' &&
    (x.source.datasetFiles === undefined || isPanelDatasetFiles(x.source.datasetFiles)) &&
    isPanelParams(x.params) &&
    isWorkers(x.workers)
  );
}

export function isGapVsHorizonJob(x: unknown): x is GapVsHorizonJob {
  return isGapVsHorizonSpec(x) && isWorkers((x as { workers?: unknown }).workers);
}

function isSweepResult(x: unknown): x is SweepResult {
  return isRecord(x) && (x.kind === 'gap-vs-H' || x.kind === 'gap-vs-N') && Array.isArray(x.rows);
}

function isPanelResult(x: unknown): x is PanelResult {
  return isRecord(x) && isRecord(x.view) && Array.isArray(x.experts) && Array.isArray(x.datasets) && isRecord(x.used);
}

export const computeProtocol = {
  'gap-vs-H': method({ params: isGapVsHorizonJob, result: isSweepResult, event: isProgress }),
  panel: method({ params: isPanelJob, result: isPanelResult, event: isProgress }),
};
