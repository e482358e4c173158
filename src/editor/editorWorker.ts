/**
 * The .ilmdp editor's worker thread: dataset statistics, trajectory pages and exports run here, so the
 * extension host never blocks on sampling or on a large dataset file. Every handler is synchronous, so
 * requests run one after another in the order they came; the host cancels an analysis superseded by
 * a newer document version by replacing this thread.
 */
import { parentPortOf } from '../workers/nodeWorker';
import { serveEditorWorker } from './editorWorkerHandlers';

serveEditorWorker(parentPortOf('editorWorker'));
