/**
 * The .ilmdp editor's worker thread: dataset statistics, trajectory pages and exports run here, so the
 * extension host never blocks on sampling or on a large dataset file. Requests run in order; the host
 * cancels an analysis superseded by a newer document version by terminating this thread.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetStore, StoreError } from './datasetStore';
import { isEditorWorkerRequest, type EditorWorkerResponse } from './editorWorkerProtocol';

const port = parentPort;
if (!port) throw new Error('editorWorker must run in a worker thread');
const store = new DatasetStore();

function send(message: EditorWorkerResponse, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on('message', (message: unknown) => {
  if (!isEditorWorkerRequest(message)) {
    const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : 0;
    send({ id, type: 'error', message: 'malformed request to the editor worker', code: 'protocol' });
    return;
  }
  const { id } = message;
  try {
    switch (message.type) {
      case 'analyse': {
        const result = store.analyse(message.version, message.text, message.files, (done, total) => send({ id, type: 'progress', done, total }));
        send({ id, type: 'analysed', result });
        return;
      }
      case 'check':
        send({ id, type: 'checked', files: store.check(message.text, message.files) });
        return;
      case 'page':
        send({ id, type: 'page', page: store.page(message.version, message.dataset, message.start, message.count) });
        return;
      case 'export': {
        const { bytes, rows } = store.export(message.version, message.dataset, message.format);
        send({ id, type: 'exported', bytes, rows }, [bytes.buffer as ArrayBuffer]);
        return;
      }
    }
  } catch (error) {
    const code = error instanceof StoreError ? error.code : 'internal';
    send({ id, type: 'error', message: error instanceof Error ? error.message : String(error), code });
  }
});
