/**
 * The Reset Cliff's closed form E[gap] (il-theory.md §5) for sweeps on an .ilmdp file that generates a
 * Reset Cliff. The core's sweeps on a given MDP cannot tell that the MDP is one; the file says so, and
 * the built-in sweeps show the same column.
 */
import type { SweepPlan } from '../core/experiments';
import { RESET_CLIFF_EXPERT_ACTION, RESET_CLIFF_GAP_FORMULA, resetCliffExpectedGap } from '../core/envs/resetCliff';
import type { EnvironmentSpec } from '../core/envs';
import type { Policy } from '../core/policy';

/**
 * True when π plays the expert action on every good state at every step. The closed form is derived
 * for that expert only: a file may define other experts on the same MDP.
 */
export function isResetCliffExpert(pi: Policy): boolean {
  if (pi.kind !== 'deterministic') return false;
  const bad = pi.nS - 1;
  const steps = pi.stationary ? 1 : pi.H;
  for (let h = 0; h < steps; h++) {
    for (let s = 0; s < bad; s++) if (pi.action[h * pi.nS + s] !== RESET_CLIFF_EXPERT_ACTION) return false;
  }
  return true;
}

/**
 * The plan with the closed form added to every row when it applies (a Reset Cliff generator, its
 * expert, per-step BC); otherwise the plan itself. Each point's own N, H and ρ give its row's value.
 */
export function withResetCliffClosedForm(plan: SweepPlan, generator: EnvironmentSpec | undefined, expert: Policy): SweepPlan {
  // The closed form is per-step BC's: another learner on the same datasets has its own expectation.
  if (generator?.kind !== 'reset-cliff' || !isResetCliffExpert(expert) || plan.points.some((p) => p.mode !== 'per-step' || (p.algorithm ?? 'bc') !== 'bc')) return plan;
  return {
    points: plan.points,
    assemble(gaps) {
      const result = plan.assemble(gaps);
      const rows = result.rows.map((row, i) => {
        const { N, env } = plan.points[i];
        return { ...row, closedForm: resetCliffExpectedGap(env.mdp.nA, env.mdp.rho, N, env.mdp.H) };
      });
      return { ...result, rows, closedFormFormula: RESET_CLIFF_GAP_FORMULA };
    },
  };
}
