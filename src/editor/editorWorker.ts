/**
 * The .ilmdp editor's worker thread: dataset statistics, trajectory pages and exports run here, so the
 * extension host never blocks on sampling or on a large dataset file. Every handler is synchronous, so
 * requests run one after another in the order they came; the host cancels an analysis superseded by
 * a newer document version by replacing this thread.
 */
import { parentPortOf } from '../workers/nodeWorker';
import { serve, withTransfer } from '../workers/serve';
import { DatasetStore } from './datasetStore';
import { editorWorkerProtocol } from './editorWorkerProtocol';

const store = new DatasetStore();

serve(
  parentPortOf('editorWorker'),
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
