// Every fuzz suite, in the order `npm run fuzz` runs them; add a suite here (one file per suite).
import type { FuzzSuite } from '../runner';
import { datasetFileSuite } from './datasetFile';
import { ilmdpSuite } from './ilmdp';
import { notebookFormatSuite } from './notebookFormat';

export const SUITES: readonly FuzzSuite<never>[] = [ilmdpSuite as FuzzSuite<never>, datasetFileSuite as FuzzSuite<never>, notebookFormatSuite as FuzzSuite<never>];
