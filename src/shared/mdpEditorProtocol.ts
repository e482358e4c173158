/**
 * What the .ilmdp custom editor's webview is shown (a view model built on the host from the parsed
 * text) and what it may ask for. The webview never computes IL: it renders and sends edit requests,
 * each a path of map keys plus a new scalar, which the host turns into a minimal text edit.
 */

export interface DiagnosticView {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** Dotted YAML path, so a field can show the problems that concern it. */
  readonly path: string;
}

export interface TransitionEntryView {
  readonly next: string;
  readonly prob: number;
  /** Key path of this probability in the text, or undefined when it is not a single editable number. */
  readonly editPath?: readonly string[];
}

export interface TransitionRowView {
  readonly state: string;
  readonly action: string;
  readonly entries: readonly TransitionEntryView[];
  readonly sum: number;
}

export interface ExpertView {
  readonly name: string;
  readonly kind: 'deterministic' | 'stochastic' | 'counts';
  /** π(a|s) per state (stationary experts; step 1 otherwise), actions in order. */
  readonly rows: readonly { readonly state: string; readonly probs: readonly number[] }[];
}

export interface DatasetStatsView {
  readonly N: number;
  readonly H: number;
  /** Distinct states seen at each step. */
  readonly coverage: readonly number[];
  /** M(D) with respect to the expert that generated the data (generated datasets only). */
  readonly missingMass?: number;
  /** E[M(D)] = Σ_h Σ_s d_h(s)(1 − d_h(s))^N and the bound 4|S|H/(9N), beside the measured value. */
  readonly expectedMissingMass?: number;
  readonly missingMassBound?: number;
  /** The first trajectories as (state, action) names, for a quick look. */
  readonly preview: readonly (readonly (readonly [string, string])[])[];
}

export interface DatasetView {
  readonly name: string;
  readonly source: 'generated' | 'inline' | 'file';
  readonly detail: string;
  /** Absent when the dataset is too large to summarise on the host (or its file is unavailable). */
  readonly stats?: DatasetStatsView;
}

/** A number written directly under `mdp:` (horizon, generator parameters) that the editor may change. */
export interface ParameterView {
  readonly key: string;
  readonly value: number;
  /** 'integer' ≥ 1, or 'probability' in [0, 1]; anything else is edited in the text. */
  readonly kind: 'integer' | 'probability';
  readonly path: readonly string[];
}

export interface MdpEditorViewModel {
  readonly description?: string;
  /** 'explicit' or the generator's name. */
  readonly kind: string;
  readonly states: readonly string[];
  readonly actions: readonly string[];
  readonly horizon?: number;
  readonly parameters: readonly ParameterView[];
  readonly rho: readonly number[];
  /** Shown only for MDPs small enough to read (|S||A| ≤ 400). */
  readonly transitions: readonly TransitionRowView[];
  readonly transitionsTruncated: boolean;
  readonly experts: readonly ExpertView[];
  readonly datasets: readonly DatasetView[];
  readonly diagnostics: readonly DiagnosticView[];
}

/** The transition table as written, sent when the MDP cannot be built so its rows can still be fixed. */
export interface TransitionDraftView {
  readonly states: readonly string[];
  readonly actions: readonly string[];
  readonly transitions: readonly TransitionRowView[];
}

export type HostToEditorMessage = {
  readonly type: 'model';
  readonly model: MdpEditorViewModel | null;
  readonly diagnostics: readonly DiagnosticView[];
  readonly draft?: TransitionDraftView;
};

export type EditorToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'set-scalar'; readonly path: readonly string[]; readonly value: number }
  | { readonly type: 'open-text' }
  | { readonly type: 'open-notebook' };

export function isEditorToHostMessage(x: unknown): x is EditorToHostMessage {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'open-text':
    case 'open-notebook':
      return true;
    case 'set-scalar':
      return (
        Array.isArray(m.path) &&
        m.path.length > 0 &&
        m.path.length <= 16 &&
        m.path.every((p) => typeof p === 'string' && p.length > 0 && p.length < 256) &&
        typeof m.value === 'number' &&
        Number.isFinite(m.value)
      );
    default:
      return false;
  }
}
