/**
 * tsserver's diagnostics of a cell (the body of a `semanticDiagnosticsSync` response) as plain
 * problems: 0-based ranges, a severity, the message and the TS code. vscode-free, so that the
 * conversion is tested without an editor.
 */
import { isRecord } from '../core/guards';

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface CellProblem {
  /** 0-based line and character, end exclusive. */
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
  readonly message: string;
  readonly severity: ProblemSeverity;
  readonly code: number | undefined;
  /** Unused code (shown faded) or deprecated API (shown struck through). */
  readonly tags: readonly ('unnecessary' | 'deprecated')[];
}

interface Location {
  readonly line: number;
  readonly offset: number;
}

const isLocation = (x: unknown): x is Location => isRecord(x) && Number.isInteger(x.line) && Number.isInteger(x.offset) && (x.line as number) >= 1 && (x.offset as number) >= 1;

const SEVERITIES: Record<string, ProblemSeverity> = { error: 'error', warning: 'warning', suggestion: 'hint', message: 'information' };

/**
 * The problems of a `typescript.tsserverRequest` result: a response whose body is tsserver's diagnostics
 * (1-based line and offset). Anything else (no server yet, a cancelled or empty response) gives undefined,
 * which the caller takes as "ask again later", not as "no problems".
 */
export function cellProblems(result: unknown): CellProblem[] | undefined {
  if (!isRecord(result) || result.type !== 'response' || !Array.isArray(result.body)) return undefined;
  const problems: CellProblem[] = [];
  for (const d of result.body as unknown[]) {
    if (!isRecord(d) || !isLocation(d.start) || !isLocation(d.end) || typeof d.text !== 'string') continue;
    const tags: ('unnecessary' | 'deprecated')[] = [];
    if (d.reportsUnnecessary) tags.push('unnecessary');
    if (d.reportsDeprecated) tags.push('deprecated');
    problems.push({
      start: { line: d.start.line - 1, character: d.start.offset - 1 },
      end: { line: d.end.line - 1, character: d.end.offset - 1 },
      message: d.text,
      severity: SEVERITIES[typeof d.category === 'string' ? d.category : ''] ?? 'error',
      code: typeof d.code === 'number' ? d.code : undefined,
      tags,
    });
  }
  return problems;
}
