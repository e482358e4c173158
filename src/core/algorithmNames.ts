/**
 * The names sweeps accept for their learner. Kept apart from ./algorithms (which imports the learners)
 * so that message guards in the extension host can check a name without bundling the core.
 */
export const ALGORITHM_NAMES = ['bc', 'dagger', 'tv-ail', 'gail', 'mimic-md', 'tv-ail-ogd', 'mce-irl'] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

export function isAlgorithmName(x: unknown): x is AlgorithmName {
  return typeof x === 'string' && (ALGORITHM_NAMES as readonly string[]).includes(x);
}

/** Display names (plot legends, the panel's form). */
export const ALGORITHM_LABELS: Readonly<Record<AlgorithmName, string>> = {
  bc: 'BC',
  dagger: 'DAgger',
  'tv-ail': 'TV-AIL',
  gail: 'GAIL (tabular)',
  'mimic-md': 'MIMIC-MD',
  'tv-ail-ogd': 'TV-AIL (first-order)',
  'mce-irl': 'MCE-IRL',
};
