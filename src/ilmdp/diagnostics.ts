/**
 * Problems found in a .ilmdp text, located by line and column (1-based) so the editor, the Problems
 * panel and the CLI (`file:line:col: severity: message`) all point at the same place.
 */
export type Severity = 'error' | 'warning';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly code: string;
  readonly start: Position;
  readonly end: Position;
  /** Dotted path of the YAML node concerned (e.g. `mdp.transitions.s2.left`), for the visual editor. */
  readonly path: string;
}

export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.start.line}:${d.start.column}: ${d.severity}: ${d.message}`;
}

/** Edit distance, for "did you mean" on unknown keys and names. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate within a third of the word's length (at least 1 and at most 3 edits). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
