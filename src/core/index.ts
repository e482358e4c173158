/**
 * The embedded imitation-learning core: pure TypeScript, typed arrays, no VS Code. Importable from
 * plain Node as `il-notebooks/core`; the extension, the notebook kernel, the panels' workers and the
 * CLI all call it. See docs/core.md for every function's parameters, cost and an example.
 */
export * from './errors';
export * from './mdp';
export * from './validate';
export * from './policy';
export * from './evaluation';
export * from './planning';
export * from './random';
export * from './dataset';
export * from './sampling';
export * from './bc';
export * from './bounds';
export * from './regression';
export * from './envs';
export * from './experiments';
export * from './perStepBcGap';
export * from './dagger';
export * from './algorithms';
export * from './semiSupervised';
export * from './modelLearning';
export * from './lp';
export * from './adversarial';
