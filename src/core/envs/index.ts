import { CoreError } from '../errors';
import { chain, type ChainParams } from './chain';
import type { Environment } from './environment';
import { garnet, type GarnetParams } from './garnet';
import { gridworld, type GridworldParams } from './gridworld';
import { resetCliff, type ResetCliffParams } from './resetCliff';
import { resetCliffRecovery, type ResetCliffRecoveryParams } from './resetCliffRecovery';

export * from './environment';
export * from './resetCliff';
export * from './resetCliffRecovery';
export * from './chain';
export * from './gridworld';
export * from './garnet';

/** Plain data (structured-clone-able) naming an environment: the form sent to worker threads. */
export type EnvironmentSpec =
  | ({ readonly kind: 'reset-cliff' } & ResetCliffParams)
  | ({ readonly kind: 'reset-cliff-recovery' } & ResetCliffRecoveryParams)
  | ({ readonly kind: 'chain' } & ChainParams)
  | ({ readonly kind: 'gridworld' } & GridworldParams)
  | ({ readonly kind: 'garnet' } & GarnetParams);

export function makeEnvironment(spec: EnvironmentSpec): Environment {
  switch (spec.kind) {
    case 'reset-cliff':
      return resetCliff(spec);
    case 'reset-cliff-recovery':
      return resetCliffRecovery(spec);
    case 'chain':
      return chain(spec);
    case 'gridworld':
      return gridworld(spec);
    case 'garnet':
      return garnet(spec);
    default:
      throw new CoreError(`unknown environment kind ${String((spec as { kind?: unknown }).kind)}`, 'argument');
  }
}
