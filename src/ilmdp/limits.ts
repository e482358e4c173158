/**
 * The sizes an .ilmdp file may ask for (docs/ilmdp.md, "Limits"), and the pre-scan that enforces the
 * text's own limits before the YAML library sees it.
 *
 * Every limit is checked before the memory it bounds is allocated: a file that asks for too much gets one
 * positioned error instead of an exhausted heap or a process that stops answering. The sizes are those
 * the core is benched at (docs/performance.md: |S| = 10⁶, |A| = 4, H = 100 evaluates in under 1 GB)
 * with headroom, and short of what would exhaust a 4 GB machine.
 */

export const LIMITS = {
  /** Characters of text (UTF-16 units, so never more than the file's bytes). */
  fileChars: 8 * 1024 * 1024,
  /**
   * YAML values (scalars and collections), counted by the pre-scan. The `yaml` library keeps several
   * hundred bytes per value (its tokens, concrete and abstract trees), so this, not the byte count, is
   * what bounds the parser's memory: 500 000 values stay within a few hundred MB.
   */
  yamlValues: 500_000,
  /** Nesting of collections; the format itself nests at most 6 deep (experts.x.steps[h].s.a). */
  depth: 64,
  states: 1_000_000,
  actions: 10_000,
  horizon: 100_000,
  /** |S|·|A|: the rows of the transition kernel and of the rewards. */
  stateActions: 10_000_000,
  /** H·|S|·|A|: a per-step policy or reward table; 4·10⁸ is the benched 10⁶ × 4 × 100. */
  stepStateActions: 400_000_000,
  /** Transition entries (next state, probability): 12 bytes each in CSR, 600 MB at the limit. */
  transitionEntries: 50_000_000,
  /** N of a generated dataset. */
  trajectories: 10_000_000,
  /** N·H (trajectory, step) pairs of a sampled dataset: 16 bytes each, 800 MB at the limit. */
  trajectorySteps: 50_000_000,
  /** Diagnostics of one (severity, code) shown one by one before "… and N more like this". */
  diagnosticsPerCode: 10,
  /** Diagnostics shown one by one in all. */
  diagnostics: 100,
  /** "… and N more like this" lines; beyond them one last line counts the rest. */
  summaries: 10,
} as const;

/**
 * The limits of the generators' numeric parameters, by spec field (schemas/ilmdp.schema.json has them
 * as the maxima of the keys a file writes).
 */
export const GENERATOR_FIELD_LIMITS: Readonly<Record<string, { max: number; unit: string }>> = {
  nS: { max: LIMITS.states, unit: 'states' },
  nA: { max: LIMITS.actions, unit: 'actions' },
  H: { max: LIMITS.horizon, unit: 'steps' },
  // The lower-bound ρ's N is a dataset size.
  N: { max: LIMITS.trajectories, unit: 'trajectories' },
  branching: { max: LIMITS.states, unit: 'successors' },
};

/**
 * Where a dataset file may be, in words for a diagnostic (datasetAccess.ts enforces it): the parser
 * does not know whether the editor or the CLI reads the file, so it names both rules.
 */
export const DATASET_FILE_PLACE =
  "relative to this file's folder and inside the workspace folder (for il-notebooks: this file's folder or the current directory) unless the setting ilNotebooks.datasets.allowFilesOutsideFolder or the flag --allow-outside-files allows elsewhere";

/** The most diagnostics a parse returns: those shown, their summaries, and one line for the rest. */
export const MAX_DIAGNOSTICS = LIMITS.diagnostics + LIMITS.summaries + 1;

/** 1 000 000 → "1,000,000": limits are read by people, and digit groups make the orders of magnitude plain. */
export function formatCount(n: number): string {
  return Number.isSafeInteger(n) ? n.toLocaleString('en-US') : n.toPrecision(3);
}

export interface ScanProblem {
  readonly offset: number;
  readonly code: 'limit-file-size' | 'limit-depth' | 'limit-values';
  readonly message: string;
}

const SPACE = 32;
const TAB = 9;
const NL = 10;
const CR = 13;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === NL || c === CR || Number.isNaN(c);
}

/**
 * One pass over the text, without building anything, that finds the first place where the file goes
 * over the size, nesting or value-count limit. It follows YAML's lexical structure only as far as it
 * needs to (quotes, comments, block scalars, flow brackets, indentation, `- ` and `? ` indicators) and
 * errs on the side of counting: a bracket inside a multi-line plain scalar may count as one more level,
 * which only matters 64 levels deep, far from any valid file.
 */
export function prescan(text: string): ScanProblem | undefined {
  const n = text.length;
  if (n > LIMITS.fileChars) {
    return {
      offset: LIMITS.fileChars,
      code: 'limit-file-size',
      message: `the file has ${formatCount(n)} characters, over the limit of ${formatCount(LIMITS.fileChars)} (8 MiB); keep large datasets in .csv or .jsonl files beside it (datasets: name: {file: …}) and large MDPs as a generator`,
    };
  }
  const indents: number[] = [];
  let flow = 0;
  let values = 0;
  let i = 0;
  // The indentation of the line that opened a block scalar (`|`, `>`): deeper lines are its text.
  let blockScalarParent = -1;
  // Inside a quoted scalar, which may span lines: the quote character, else 0.
  let quote = 0;

  const tooDeep = (offset: number, depth: number): ScanProblem | undefined =>
    depth > LIMITS.depth
      ? { offset, code: 'limit-depth', message: `the nesting here is more than ${LIMITS.depth} levels deep, over the limit of ${LIMITS.depth}; an .ilmdp file nests at most 6 levels (experts: name: steps: - state: action), so close the brackets or flatten the structure` }
      : undefined;
  const oneMore = (offset: number): ScanProblem | undefined =>
    ++values > LIMITS.yamlValues
      ? { offset, code: 'limit-values', message: `the file holds more than ${formatCount(LIMITS.yamlValues)} YAML values, over the limit of ${formatCount(LIMITS.yamlValues)}; keep large datasets in .csv or .jsonl files beside it (datasets: name: {file: …}) and large MDPs as a generator` }
      : undefined;

  while (i < n) {
    // Start of a line.
    let indent = 0;
    while (i + indent < n && text.charCodeAt(i + indent) === SPACE) indent++;
    let j = i + indent;
    const lineEnd = (() => {
      const k = text.indexOf('\n', j);
      return k < 0 ? n : k;
    })();
    const c0 = text.charCodeAt(j);
    if (blockScalarParent >= 0) {
      if (j >= lineEnd || c0 === CR || indent > blockScalarParent) {
        i = lineEnd + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    let blockDepth = indents.length;
    // A value may start here: after indentation, `- `, `? `, `: `, or inside flow brackets.
    let valueStart = true;
    if (quote === 0 && flow === 0 && j < lineEnd && c0 !== CR && c0 !== 35 /* # */) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      blockDepth = indents.length;
      // `- - x` and `? x` open one level each on the same line.
      for (;;) {
        const c = text.charCodeAt(j);
        if ((c === 45 /* - */ || c === 63 /* ? */) && isBlank(text.charCodeAt(j + 1))) {
          blockDepth++;
          const p = tooDeep(j, blockDepth) ?? oneMore(j);
          if (p) return p;
          j++;
          while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
        } else break;
      }
      const p = tooDeep(j, blockDepth);
      if (p) return p;
    }
    while (j < lineEnd) {
      const c = text.charCodeAt(j);
      if (quote !== 0) {
        if (quote === 34 && c === 92 /* \ */) j += 2;
        else if (c === quote) {
          if (quote === 39 && text.charCodeAt(j + 1) === 39) j += 2;
          else {
            quote = 0;
            j++;
            valueStart = false;
          }
        } else j++;
        continue;
      }
      if (c === SPACE || c === TAB || c === CR) {
        j++;
        continue;
      }
      if (c === 35 /* # */ && (j === i || isBlank(text.charCodeAt(j - 1)))) break;
      if (c === 91 /* [ */ || c === 123 /* { */) {
        if (flow > 0 || valueStart) {
          flow++;
          const p = tooDeep(j, blockDepth + flow) ?? oneMore(j);
          if (p) return p;
          valueStart = true;
          j++;
          continue;
        }
      }
      if (flow > 0 && (c === 93 /* ] */ || c === 125 /* } */)) {
        flow--;
        valueStart = false;
        j++;
        continue;
      }
      if (flow > 0 && c === 44 /* , */) {
        valueStart = true;
        j++;
        continue;
      }
      if (c === 58 /* : */ && (isBlank(text.charCodeAt(j + 1)) || j + 1 >= n || (flow > 0 && ',[]{}'.includes(text[j + 1])))) {
        valueStart = true;
        j++;
        continue;
      }
      if (valueStart && flow === 0 && (c === 124 /* | */ || c === 62 /* > */)) {
        blockScalarParent = indent;
        const p = oneMore(j);
        if (p) return p;
        break;
      }
      if (valueStart && (c === 38 /* & */ || c === 33 /* ! */)) {
        // An anchor or a tag: the value itself comes after it.
        while (j < lineEnd && !isBlank(text.charCodeAt(j))) j++;
        continue;
      }
      if (valueStart && (c === 34 || c === 39)) {
        quote = c;
        const p = oneMore(j);
        if (p) return p;
        j++;
        continue;
      }
      // A plain scalar: in flow it ends at an indicator, in a block at `: `, ` #` or the line's end.
      const p = oneMore(j);
      if (p) return p;
      valueStart = false;
      j++;
      while (j < lineEnd) {
        const d = text.charCodeAt(j);
        if (flow > 0 && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125)) break;
        if (d === 58 && (isBlank(text.charCodeAt(j + 1)) || (flow > 0 && ',[]{}'.includes(text[j + 1] ?? '')))) break;
        if (d === 35 && isBlank(text.charCodeAt(j - 1))) break;
        j++;
      }
    }
    i = lineEnd + 1;
  }
  return undefined;
}
