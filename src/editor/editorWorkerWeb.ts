/** The editor worker as a Web Worker, for the web build: the same handlers as editorWorker.ts. */
import { scopePort } from '../workers/webWorker';
import { serveEditorWorker } from './editorWorkerHandlers';

serveEditorWorker(scopePort(globalThis as unknown as Parameters<typeof scopePort>[0]));
