/**
 * The editor's toolbar actions that open panels drawn elsewhere in the extension (BC table, visitation
 * heatmap, gap vs H): the editor only maps a webview request to a command id and a selection checked
 * against the document's own experts and datasets. vscode-free: the host passes executeCommand in.
 */
import type { MdpEditorViewModel, PanelRequest } from '../shared/mdpEditorProtocol';
import { PANEL_COMMANDS as COMMAND_OF } from '../shared/panelProtocol';

export const PANEL_COMMANDS: Readonly<Record<PanelRequest, string>> = {
  'bc-table': COMMAND_OF['bc-table'],
  visitation: COMMAND_OF.heatmap,
  'gap-vs-h': COMMAND_OF['gap-vs-H'],
};

const PANEL_TITLES: Readonly<Record<PanelRequest, string>> = {
  'bc-table': 'BC table',
  visitation: 'visitation heatmap',
  'gap-vs-h': 'gap vs H plot',
};

/** What the panel commands receive after the document's URI. */
export interface PanelSelection {
  readonly expert?: string;
  readonly dataset?: string;
}

export type PanelCall = { readonly ok: true; readonly command: string; readonly selection: PanelSelection } | { readonly ok: false; readonly message: string };

/**
 * Checks the names against the model and fills the expert of a generated dataset. BC needs a dataset;
 * the heatmap and the plot need an expert (the first one when none is named).
 */
export function panelCall(request: { panel: PanelRequest; expert?: string; dataset?: string }, model: Pick<MdpEditorViewModel, 'experts' | 'datasets'> | null): PanelCall {
  if (!model) return { ok: false, message: 'the file has errors; fix them before opening a panel' };
  const dataset = request.dataset === undefined ? undefined : model.datasets.find((d) => d.name === request.dataset);
  if (request.dataset !== undefined && !dataset) return { ok: false, message: `there is no dataset named "${request.dataset}" in this file` };
  if (request.expert !== undefined && !model.experts.some((e) => e.name === request.expert)) return { ok: false, message: `there is no expert named "${request.expert}" in this file` };
  const expert = request.expert ?? dataset?.from ?? (request.panel === 'bc-table' ? undefined : model.experts[0]?.name);
  if (request.panel === 'bc-table' && !dataset) return { ok: false, message: 'Run BC needs a dataset: use the button beside one' };
  if (request.panel !== 'bc-table' && !expert) return { ok: false, message: `the ${PANEL_TITLES[request.panel]} needs an expert; add one under experts:` };
  return { ok: true, command: PANEL_COMMANDS[request.panel], selection: { ...(expert ? { expert } : {}), ...(dataset ? { dataset: dataset.name } : {}) } };
}

/** Runs the panel command; a command that is not registered (the panels are optional) becomes a message, not a throw. */
export async function openPanel<U>(
  executeCommand: (command: string, ...args: unknown[]) => PromiseLike<unknown>,
  uri: U,
  request: { panel: PanelRequest; expert?: string; dataset?: string },
  model: Pick<MdpEditorViewModel, 'experts' | 'datasets'> | null,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const call = panelCall(request, model);
  if (!call.ok) return call;
  try {
    await executeCommand(call.command, uri, call.selection);
    return { ok: true };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/not found/i.test(text)) return { ok: false, message: `the ${PANEL_TITLES[request.panel]} is not available in this build (command ${call.command} is not registered)` };
    return { ok: false, message: `the ${PANEL_TITLES[request.panel]} failed: ${text}` };
  }
}

/**
 * Whether the webview may write `value` at `path`: numbers anywhere the text holds a scalar (the parser
 * then checks ranges and sums), names only as a deterministic expert's action, and only actions of this MDP.
 */
export function scalarEditAllowed(path: readonly string[], value: number | string, model: Pick<MdpEditorViewModel, 'experts' | 'actions'> | null): { ok: true } | { ok: false; message: string } {
  if (typeof value === 'number') return { ok: true };
  const [section, expert, table] = path;
  const isPolicyEntry = section === 'experts' && table === 'policy' && path.length === 4 && model?.experts.some((e) => e.name === expert && e.editPrefix?.[2] === 'policy');
  if (!isPolicyEntry) return { ok: false, message: `${path.join('.')} takes a number, not "${value}"` };
  if (!model?.actions.includes(value)) return { ok: false, message: `"${value}" is not an action of this MDP` };
  return { ok: true };
}
