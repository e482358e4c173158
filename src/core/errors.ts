/**
 * The core reports every failure through these types so that callers (the editor, the notebook
 * kernel, the CLI) can tell a user mistake from a bug: anything else thrown out of the core is a bug.
 */

/** A location inside a structured input, e.g. `["transitions", 0, "row", 7]`. */
export type ProblemPath = readonly (string | number)[];

export interface Problem {
  /** Where the offending entry is, from the root of the input. */
  readonly path: ProblemPath;
  /** What is wrong and what to do about it, in one sentence a user can act on. */
  readonly message: string;
  /** A stable machine-readable tag, e.g. `row-sum`, `negative-probability`. */
  readonly code: string;
}

export class CoreError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

/** Thrown when an input fails validation; carries every problem found, not only the first. */
export class ValidationError extends CoreError {
  constructor(
    readonly problems: readonly Problem[],
    what = 'input',
  ) {
    super(
      `invalid ${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems
          .slice(0, 20)
          .map((p) => `  ${formatPath(p.path)}: ${p.message}`)
          .join('\n') +
        (problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''),
      'validation',
    );
    this.name = 'ValidationError';
  }
}

export function formatPath(path: ProblemPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}

/** Throws a CoreError with code `argument` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CoreError(message, 'argument');
}
