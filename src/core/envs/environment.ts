import type { MDP } from '../mdp';
import type { DeterministicPolicy, Policy } from '../policy';
import type { GridMap } from './gridMap';
import type { EnvironmentSpec } from './spec';

/** An MDP together with the expert the product imitates on it. */
export interface Environment {
  readonly mdp: MDP;
  readonly expert: DeterministicPolicy | Policy;
  /** One line for display, e.g. "Reset Cliff |S|=11 |A|=2 H=8 (uniform ρ)". */
  readonly description: string;
  /**
   * When the MDP was generated (makeEnvironment sets it; an .ilmdp file's `generator:` gives it): the spec
   * it is the instance of and, when known, that instance's own expert. Sweeps on the environment
   * (planGapVsHorizonOn, planGapVsSamplesOn) then take each point's MDP from the spec at that point's H
   * (and N, where the instance depends on it), and, when `expert` is the generator's own
   * (`expert === generator.expert`, so replacing the expert of an environment leaves it no longer so),
   * that instance's own expert.
   */
  readonly generator?: { readonly spec: EnvironmentSpec; readonly expert?: Policy };
  /** Where the states lie on a map (gridworlds), so views can draw them there. */
  readonly grid?: GridMap;
}
