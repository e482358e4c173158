/** Validation of output payloads, kept apart from the drawing code so Node tests can load it. */
import { isView, MIME, VIEW_VERSION, type View } from '../../src/shared/viewModels';
import { isRecord } from '../../src/core/guards';

const KIND_OF_MIME: Readonly<Record<string, View['kind']>> = {
  [MIME.heatmap]: 'heatmap',
  [MIME.bcTable]: 'bc-table',
  [MIME.plot]: 'plot',
  [MIME.dataset]: 'dataset',
  [MIME.mdp]: 'mdp',
};

/** Why a payload cannot be drawn, in words a notebook reader can act on; null when it can. */
export function payloadProblem(mime: string, payload: unknown): string | null {
  const expected = KIND_OF_MIME[mime];
  if (!isRecord(payload)) return 'The output is not a JSON object.';
  const { version, kind } = payload;
  if (typeof version === 'number' && version > VIEW_VERSION) {
    return `This output was written by a newer IL Notebooks (view format ${version}); this version draws format ${VIEW_VERSION}. Update the extension or re-run the cell.`;
  }
  if (version !== VIEW_VERSION) return `Unknown view format version ${JSON.stringify(version)} (expected ${VIEW_VERSION}).`;
  if (!isView(payload)) return `The ${typeof kind === 'string' ? `"${kind}"` : 'view'} payload is incomplete or malformed; re-run the cell to rebuild it.`;
  if (expected !== undefined && payload.kind !== expected) return `The payload is a "${payload.kind}" view but the output type ${mime} expects "${expected}".`;
  return null;
}
