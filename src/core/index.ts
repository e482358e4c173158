/**
 * The public API of the embedded imitation-learning core: pure TypeScript, typed arrays, no VS Code.
 * Importable from plain Node as `il-notebooks/core`, and what a notebook cell sees under `il`.
 * docs/core.md documents every name below (parameters, cost, an example); test/core/publicApi.test.ts
 * holds this list and that page to each other.
 *
 * Listed by name, never `export *`: the core's own fast paths (paired seeding, the reset-only
 * visit markers, the per-step BC gap engine, the sweep shards, scratch buffers, the evaluation kernels)
 * stay free to change without breaking a notebook.
 */
export { CoreError, ValidationError, formatPath, type Problem, type ProblemPath } from './errors';
export {
  createMDP,
  isStationary,
  rewardOffset,
  stateName,
  actionName,
  transitionRow,
  transitionsAt,
  transitionsFromDense,
  transitionsFromRows,
  withHorizon,
  type MDP,
  type ResetPart,
  type Transitions,
} from './mdp';
export { validateMDP, validatePolicy } from './validate';
export {
  actionDistribution,
  countRow,
  countRowIndex,
  countRowTotal,
  deterministicPolicy,
  isDeterministic,
  stochasticPolicy,
  toStochastic,
  uniformPolicy,
  type CountPolicy,
  type DeterministicPolicy,
  type Policy,
  type StochasticPolicy,
} from './policy';
export {
  evaluateBackward,
  expandCountBlock,
  imitationGap,
  policyValue,
  visitation,
  type ValueOptions,
  type ValueResult,
  type VisitationOptions,
  type VisitationResult,
} from './evaluation';
export { optimalPolicy } from './planning';
export { aleaNext, aleaState, aliasTable, createRng, deriveSeed, sampleAlias, type AliasTable, type Rng } from './random';
export {
  checkDataset,
  concatDatasets,
  coverage,
  datasetFromTrajectories,
  expectedMissingMass,
  firstTrajectories,
  missingMass,
  stepCounts,
  type Dataset,
  type MissingMass,
  type StepCounts,
} from './dataset';
export { monteCarloValue, sampleTrajectories, sampleVisitedStates, type SampleOptions } from './sampling';
export { bcTable, behavioralCloning, logLikelihood, type BcMode, type BcOptions, type BcTableRow } from './bc';
export {
  bcExplicitBound,
  bcInstanceBound,
  bcUpperBound,
  missingMassBound,
  missingMassTightBound,
  offlineLowerBound,
  type Bound,
} from './bounds';
export { fitLine, logLogSlope, meanAndStandardError, type LineFit } from './regression';
export {
  chain,
  dependsOnN,
  ENVIRONMENT_KINDS,
  ENVIRONMENTS,
  environmentEntry,
  garnet,
  gridworld,
  isEnvironmentSpec,
  isResetCliffExpert,
  makeEnvironment,
  RESET_CLIFF_EXPERT_ACTION,
  RESET_CLIFF_GAP_FORMULA,
  RESET_CLIFF_RECOVERY_GAP_FORMULA,
  resetCliff,
  resetCliffExpectedGap,
  resetCliffRecovery,
  resetCliffRecoveryExpectedGap,
  resetCliffRho,
  resetCliffUnseenMass,
  specAt,
  withDefaults,
  type ChainParams,
  type ClosedForm,
  type Environment,
  type EnvironmentEntry,
  type EnvironmentKind,
  type EnvironmentParameter,
  type EnvironmentSpec,
  type GarnetParams,
  type GridworldParams,
  type ParameterType,
  type ResetCliffParams,
  type ResetCliffRecoveryParams,
  type ResetCliffRho,
  type SpecOf,
} from './envs';
export {
  gapVsHorizon,
  gapVsHorizonOn,
  gapVsSamples,
  gapVsSamplesOn,
  planGapVsHorizon,
  planGapVsHorizonOn,
  planGapVsSamples,
  planGapVsSamplesOn,
  policyWithHorizon,
  prepareSweep,
  runSweepPlan,
  sweepPointGaps,
  type GapVsHorizonSpec,
  type GapVsSamplesSpec,
  type PointSpec,
  type SeedList,
  type SweepControl,
  type SweepOptions,
  type SweepPlan,
  type SweepPoint,
  type SweepResult,
  type SweepRow,
} from './experiments';
export { dagger, labelWithExpert, type DaggerOptions, type DaggerResult, type DaggerRound } from './dagger';
export {
  ALGORITHM_NAMES,
  daggerSchedule,
  IMITATION_ALGORITHMS,
  isAlgorithmName,
  learnerOf,
  prepareLearners,
  type AlgorithmName,
  type ImitationAlgorithm,
  type ImitationLearner,
  type LearnerControl,
} from './algorithms';
export {
  bcExpertOnly,
  bcUnion,
  bcWeighted,
  discriminatorWeights,
  sampleMixedDataset,
  SEMI_SUPERVISED_LEARNERS,
  type DiscriminatorWeights,
  type MixedDataset,
  type SemiSupervisedLearner,
  type SemiSupervisedOptions,
} from './semiSupervised';
export { estimateModel, modelGap, type ModelGap, type ModelOptions } from './modelLearning';
export {
  LP_MAX_NONZEROS,
  solveLP,
  solveSparseLP,
  type LinearProgram,
  type LpOptions,
  type LpRow,
  type LpSense,
  type LpSolution,
  type SparseLinearProgram,
} from './lp';
export { initLp, lpReady, type LpInitOptions } from './highs';
export {
  empiricalOccupancy,
  gailRegretBound,
  gailTabular,
  gailTabularFit,
  mimicMd,
  mimicMdFit,
  occupancyDistance,
  tvAil,
  tvAilFit,
  type AdversarialOptions,
  type GailFit,
  type GailOptions,
  type LpOccupancyOptions,
  type LpSize,
  type MimicMdFit,
  type OccupancyFit,
} from './adversarial';
export { tvAilOgd, tvAilOgdFit, tvAilOgdRegretBound, type OgdStep, type TvAilOgdFit, type TvAilOgdOptions } from './firstOrderAil';
export {
  mceIrl,
  mceIrlFit,
  softValueIteration,
  type FeatureMatrix,
  type MceFeatures,
  type MceIrlFit,
  type MceIrlOptions,
  type SoftValues,
} from './mceIrl';
