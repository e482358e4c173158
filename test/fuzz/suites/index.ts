// Every fuzz suite, in the order `npm run fuzz` runs them; add a suite here (one file per suite).
import type { FuzzSuite } from '../runner';
import { ilmdpSuite } from './ilmdp';

export const SUITES: readonly FuzzSuite<never>[] = [ilmdpSuite as FuzzSuite<never>];
