/**
 * The plain-data names of the environments: each kind's parameters and the spec union. Kept apart from
 * the constructors and the registry so that `Environment` (which records the spec it was made from) and
 * the constructors (which return an `Environment`) import types without importing each other.
 */

export type ResetCliffRho = 'uniform' | 'lower-bound' | Float64Array | readonly number[];

export interface ResetCliffParams {
  /** |S| including the bad state (≥ 2). */
  readonly nS: number;
  /** |A| (≥ 2). */
  readonly nA: number;
  readonly H: number;
  /**
   * 'uniform' over the good states (default); 'lower-bound' puts 1/(N+1) on each of the first |S|−2
   * good states and the rest on the last (§5; needs N); or explicit weights over the |S|−1 good states
   * (or over all |S| states with 0 on the bad one).
   */
  readonly rho?: ResetCliffRho;
  /** Dataset size, needed by the lower-bound ρ. */
  readonly N?: number;
}

export interface ResetCliffRecoveryParams {
  /** |S| including the recovery state (≥ 2). */
  readonly nS: number;
  /** |A| (≥ 2). */
  readonly nA: number;
  readonly H: number;
  /** ρ over the |S| − 1 good states, exactly as for the Reset Cliff ('lower-bound' needs N). */
  readonly rho?: ResetCliffRho;
  readonly N?: number;
}

export interface ChainParams {
  /** Number of states (≥ 2); the episode starts in state 0 and reward is earned in the last. */
  readonly nS: number;
  /** Action 0 moves right; every other action moves left. */
  readonly nA: number;
  readonly H: number;
  /** Probability that a move goes the other way (default 0). */
  readonly slip?: number;
}

export interface GridworldParams {
  readonly map: string | readonly string[];
  readonly H: number;
  readonly slip?: number;
}

export interface GarnetParams {
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  readonly branching: number;
  readonly seed: number | string;
}

/** Plain data (structured-clone-able) naming an environment: the form sent to worker threads. */
export type EnvironmentSpec =
  | ({ readonly kind: 'reset-cliff' } & ResetCliffParams)
  | ({ readonly kind: 'reset-cliff-recovery' } & ResetCliffRecoveryParams)
  | ({ readonly kind: 'chain' } & ChainParams)
  | ({ readonly kind: 'gridworld' } & GridworldParams)
  | ({ readonly kind: 'garnet' } & GarnetParams);

export type EnvironmentKind = EnvironmentSpec['kind'];

export type SpecOf<K extends EnvironmentKind> = Extract<EnvironmentSpec, { readonly kind: K }>;
