/**
 * What a sweep of an .ilmdp file's expert runs on, for the panels and the CLI alike. A file with a
 * generator gives the environment its generator, so the core's sweeps on it (planGapVsHorizonOn,
 * planGapVsSamplesOn) take each point's MDP from the generator at that point's H and N, exactly as the
 * built-in sweeps on the same spec do; the expert is each instance's own when the file's expert is the
 * generator's (`builtin: true`), and the file's policy carried to each H otherwise.
 */
import { basename } from 'node:path';
import type { Environment } from '../core/envs';
import { CoreError } from '../core/errors';
import type { LoadedExperiment } from './load';

export function sweepEnvironment(experiment: LoadedExperiment, expertName: string): Environment {
  const expert = experiment.experts[expertName];
  if (!expert) throw new CoreError(`${experiment.file} has no expert "${expertName}"`, 'argument');
  const { generator } = experiment;
  const own = experiment.builtinExperts.includes(expertName);
  return {
    mdp: experiment.mdp,
    expert,
    description: experiment.description ?? basename(experiment.file),
    ...(generator ? { generator: { spec: generator, ...(own ? { expert } : {}) } } : {}),
  };
}
