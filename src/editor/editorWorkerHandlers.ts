/**
 * The editor worker's handlers (see editorWorker.ts), shared by its Node entry (a worker thread) and its
 * web one (editorWorkerWeb.ts, a Web Worker).
 */
import type { Port } from '../workers/port';
import { serve, withTransfer } from '../workers/serve';
import { DatasetStore } from './datasetStore';
import { editorWorkerProtocol } from './editorWorkerProtocol';

export function serveEditorWorker(port: Port): void {
  const store = new DatasetStore();
  serve(
    port,
    editorWorkerProtocol,
    {
      analyse: ({ version, text, files }, { emit }) => store.analyse(version, text, files, (done, total) => emit({ done, total })),
      check: ({ text, files }) => [...store.check(text, files)],
      page: ({ version, dataset, start, count }) => store.page(version, dataset, start, count),
      export: ({ version, dataset, format }) => {
        const exported = store.export(version, dataset, format);
        return withTransfer(exported, [exported.bytes.buffer as ArrayBuffer]);
      },
    },
    { name: 'editor worker' },
  );
}
