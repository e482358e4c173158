/**
 * Which loop runs a step of exact evaluation, chosen in one place for both directions: backward
 * (evaluateBackward) and forward (visitation) have the same four forms (backward.ts, forward.ts), and
 * the same conditions for the rows-of-four ones. ("Kernel" in the comments of this folder is the MDP's
 * transition kernel P_h; the functions are "loops".)
 */
import type { Transitions } from '../mdp';

/** The form of one step's loop: the policy's form, and whether every row has exactly four entries. */
export type StepLoop = 'deterministic' | 'stochastic' | 'deterministicFour' | 'stochasticFour';

/** Whether every row of a transition kernel has exactly four entries (row r starts at 4r). */
function allRowsOfFour(rs: Int32Array | Uint32Array): boolean {
  for (let r = 0; r < rs.length; r++) if (rs[r] !== 4 * r) return false;
  return true;
}

/**
 * The loop for each step of one evaluation. The rows-of-four check is O(|S||A|), so it runs once per
 * transition kernel the evaluation meets (a stationary MDP's one, or each of a per-step MDP's), not
 * once per step; it is not kept across evaluations, so an MDP edited in place between them is checked
 * afresh.
 */
export class StepLoops {
  private checked: Transitions | null = null;
  private four = false;

  /**
   * `deterministic`: the step's policy is an action table. The four-wide loops skip the steps that need
   * more: the last (no successor) and those that fill a per-(s, a) table (Q backward, d(s, a) forward).
   */
  forStep(t: Transitions, rs: Int32Array | Uint32Array, deterministic: boolean, last: boolean, table: boolean): StepLoop {
    if (t !== this.checked) {
      this.checked = t;
      this.four = allRowsOfFour(rs);
    }
    if (this.four && !last && !table) return deterministic ? 'deterministicFour' : 'stochasticFour';
    return deterministic ? 'deterministic' : 'stochastic';
  }
}
