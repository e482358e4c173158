/**
 * The panel's parameter form as data: which fields a kind of panel has, their text, and the parameters
 * they make (or the first problem, in words). Kept apart from the DOM so it is tested in Node.
 */
import { ALGORITHM_LABELS, ALGORITHM_NAMES, type AlgorithmName } from '../../src/core/algorithmNames';
import { isPanelParams, MAX_PANEL_SWEEP_DATASETS, MAX_SWEEP_POINTS, PARAM_LIMITS, sweepDatasets, type PanelParams } from '../../src/shared/panelProtocol';
import { formatList, parseCount, parseIncreasingList, type Parsed } from '../../src/shared/paramText';

export type FieldValues = Readonly<Record<string, string>>;

export interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly type: 'select' | 'text' | 'checkbox';
  /** For selects: value and label of each option. */
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly title?: string;
  /** Greyed out (e.g. the dataset when the expert's own visitation is shown). */
  readonly disabled?: boolean;
}

const MODE_OPTIONS = [
  { value: 'per-step', label: 'per step (π_h)' },
  { value: 'pooled', label: 'pooled (stationary)' },
];

const names = (list: readonly string[]) => list.map((n) => ({ value: n, label: n }));

/** One checkbox per learner, keyed `learner:<name>`. */
const learnerFields: FieldSpec[] = ALGORITHM_NAMES.map((name) => ({
  key: `learner:${name}`,
  label: ALGORITHM_LABELS[name],
  type: 'checkbox',
  title: name === 'bc' ? 'Behavioral cloning' : `Compare with ${ALGORITHM_LABELS[name]} on the same datasets`,
}));

/** What both sweeps ask after their own axis. */
const sweepFields: FieldSpec[] = [
  { key: 'seeds', label: 'Seeds', type: 'text', title: 'Datasets per point' },
  { key: 'mode', label: 'BC', type: 'select', options: MODE_OPTIONS },
  { key: 'baseSeed', label: 'Base seed', type: 'text' },
  ...learnerFields,
];

function learnerValues(algorithms: readonly AlgorithmName[] | undefined): Record<string, string> {
  const chosen = algorithms ?? ['bc'];
  return Object.fromEntries(ALGORITHM_NAMES.map((name) => [`learner:${name}`, String(chosen.includes(name))]));
}

function learnersFrom(values: FieldValues): AlgorithmName[] {
  return ALGORITHM_NAMES.filter((name) => values[`learner:${name}`] === 'true');
}

export function fieldsOf(params: PanelParams, experts: readonly string[], datasets: readonly string[]): FieldSpec[] {
  const expert: FieldSpec = { key: 'expert', label: 'Expert', type: 'select', options: names(experts) };
  switch (params.kind) {
    case 'heatmap':
      return [
        {
          key: 'policy',
          label: 'Policy',
          type: 'select',
          options: [
            { value: 'expert', label: 'expert d^E' },
            { value: 'bc', label: 'BC d^BC' },
            { value: 'difference', label: 'difference d^E − d^BC' },
          ],
        },
        expert,
        { key: 'dataset', label: 'Dataset', type: 'select', options: names(datasets), disabled: params.policy === 'expert', title: 'The dataset BC is cloned from' },
        { key: 'stateAction', label: 'd(s, a)', type: 'checkbox', disabled: params.policy === 'difference', title: 'State-action visitation d_h(s, a) instead of d_h(s)' },
      ];
    case 'bc-table':
      return [
        { key: 'dataset', label: 'Dataset', type: 'select', options: names(datasets) },
        { key: 'mode', label: 'BC', type: 'select', options: MODE_OPTIONS },
        { ...expert, title: 'The expert behind the missing mass and its expectation' },
      ];
    case 'gap-vs-H':
      return [
        expert,
        { key: 'N', label: 'N', type: 'text', title: 'Expert trajectories per dataset' },
        { key: 'horizons', label: 'Horizons H', type: 'text', title: 'Increasing, separated by commas' },
        ...sweepFields,
      ];
    case 'gap-vs-N':
      return [
        expert,
        { key: 'sampleSizes', label: 'Sizes N', type: 'text', title: 'Increasing, separated by commas' },
        { key: 'H', label: 'H', type: 'text', title: "Horizon (empty: the file's own)" },
        ...sweepFields,
      ];
  }
}

/** The text each field shows for these parameters. */
export function valuesOf(params: PanelParams): FieldValues {
  const common = { expert: params.expert ?? '' };
  switch (params.kind) {
    case 'heatmap':
      return { ...common, policy: params.policy, dataset: params.dataset ?? '', stateAction: String(params.stateAction) };
    case 'bc-table':
      return { ...common, dataset: params.dataset ?? '', mode: params.mode };
    case 'gap-vs-H':
      return { ...common, N: String(params.N), horizons: formatList(params.horizons), seeds: String(params.seeds), mode: params.mode, baseSeed: params.baseSeed, ...learnerValues(params.algorithms) };
    case 'gap-vs-N':
      return { ...common, sampleSizes: formatList(params.sampleSizes), H: params.H === undefined ? '' : String(params.H), seeds: String(params.seeds), mode: params.mode, baseSeed: params.baseSeed, ...learnerValues(params.algorithms) };
  }
}

const optional = (v: string | undefined) => (v ? v : undefined);

function chain<T>(...steps: Parsed<T>[]): string | undefined {
  for (const s of steps) if ('error' in s) return s.error;
  return undefined;
}

/** The parameters the fields make, starting from the current ones; or the first problem. */
export function paramsFrom(current: PanelParams, values: FieldValues): Parsed<PanelParams> {
  const expert = optional(values.expert);
  let next: PanelParams;
  switch (current.kind) {
    case 'heatmap': {
      const policy = values.policy === 'bc' || values.policy === 'difference' ? values.policy : 'expert';
      next = { ...current, policy, stateAction: values.stateAction === 'true' && policy !== 'difference', expert, dataset: optional(values.dataset) };
      break;
    }
    case 'bc-table':
      next = { ...current, mode: values.mode === 'pooled' ? 'pooled' : 'per-step', expert, dataset: optional(values.dataset) };
      break;
    case 'gap-vs-H': {
      const N = parseCount(values.N ?? '', 'N', PARAM_LIMITS.N);
      const horizons = parseIncreasingList(values.horizons ?? '', 'H', PARAM_LIMITS.H, MAX_SWEEP_POINTS);
      const seeds = parseCount(values.seeds ?? '', 'seeds', PARAM_LIMITS.seeds);
      const problem = chain<unknown>(N, horizons, seeds);
      if (problem || !('value' in N) || !('value' in horizons) || !('value' in seeds)) return { error: problem! };
      const algorithms = learnersFrom(values);
      if (algorithms.length === 0) return { error: 'choose at least one learner' };
      if (sweepDatasets(horizons.value.length, seeds.value, algorithms) > MAX_PANEL_SWEEP_DATASETS) return { error: tooBig(horizons.value.length, seeds.value, algorithms.length) };
      next = { ...current, expert, N: N.value, horizons: horizons.value, seeds: seeds.value, mode: values.mode === 'pooled' ? 'pooled' : 'per-step', baseSeed: values.baseSeed ?? '', algorithms };
      break;
    }
    case 'gap-vs-N': {
      const sizes = parseIncreasingList(values.sampleSizes ?? '', 'N', PARAM_LIMITS.N, MAX_SWEEP_POINTS);
      const H = values.H?.trim() ? parseCount(values.H, 'H', PARAM_LIMITS.H) : ({ value: undefined } as Parsed<number | undefined>);
      const seeds = parseCount(values.seeds ?? '', 'seeds', PARAM_LIMITS.seeds);
      const problem = chain<unknown>(sizes, H, seeds);
      if (problem || !('value' in sizes) || !('value' in H) || !('value' in seeds)) return { error: problem! };
      const algorithms = learnersFrom(values);
      if (algorithms.length === 0) return { error: 'choose at least one learner' };
      if (sweepDatasets(sizes.value.length, seeds.value, algorithms) > MAX_PANEL_SWEEP_DATASETS) return { error: tooBig(sizes.value.length, seeds.value, algorithms.length) };
      const { H: _dropped, ...rest } = current;
      next = { ...rest, expert, sampleSizes: sizes.value, ...(H.value !== undefined ? { H: H.value } : {}), seeds: seeds.value, mode: values.mode === 'pooled' ? 'pooled' : 'per-step', baseSeed: values.baseSeed ?? '', algorithms };
      break;
    }
  }
  // Undefined optional names are dropped, so the parameters stay plain JSON for setState.
  const clean = JSON.parse(JSON.stringify(next)) as unknown;
  return isPanelParams(clean) ? { value: clean } : { error: 'these parameters are not valid' };
}

function tooBig(points: number, seeds: number, learners: number): string {
  return `${points} points × ${seeds} seeds${learners > 1 ? ` × ${learners} learners` : ''} is more than ${MAX_PANEL_SWEEP_DATASETS.toLocaleString('en-US')} datasets; use the CLI (il-notebooks sweep) for bigger sweeps`;
}
