import type { MDP } from '../mdp';
import type { DeterministicPolicy, Policy } from '../policy';

/** An MDP together with the expert the product imitates on it. */
export interface Environment {
  readonly mdp: MDP;
  readonly expert: DeterministicPolicy | Policy;
  /** One line for display, e.g. "Reset Cliff |S|=11 |A|=2 H=8 (uniform ρ)". */
  readonly description: string;
}
