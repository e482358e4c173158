export * from './environment';
export * from './spec';
export * from './registry';
export * from './resetCliff';
export * from './resetCliffRecovery';
export * from './chain';
export * from './gridworld';
export * from './garnet';
