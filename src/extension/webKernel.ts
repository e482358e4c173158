/**
 * A notebook's kernel in the web build: a Web Worker (src/notebook/kernel/webKernelWorker.ts), to which
 * the host hands the .ilmdp texts a cell loads. The kernel has no file system, and `load()` is
 * synchronous in a cell, so the host reads them before the cell is sent: every `load("…")` whose path
 * is a string literal, resolved against the notebook's folder and read through vscode.workspace.fs.
 */
import * as vscode from 'vscode';
import { posix } from 'node:path';
import { openDatasetFile } from '../editor/mdpEditorProvider';
import type { KernelStarter } from '../notebook/controller';
import { kernelPath, literalLoads } from '../notebook/kernel/loadPaths';
import { DEFAULT_MEMORY_LIMIT_MB, notebookFolderOnly } from '../notebook/kernelClient';
import type { KernelWorkerData } from '../shared/kernelProtocol';
import type { Platform } from '../workers/platform';
import type { WorkerHandle } from '../workers/port';

/** The `file:` datasets an .ilmdp text names, as written (the parse service finds them; the host never parses). */
export type DatasetFilesOf = (text: string) => Promise<readonly string[]>;

async function readLoads(notebook: vscode.Uri, cwd: string, source: string, datasetFilesOf: DatasetFilesOf): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  await Promise.all(
    literalLoads(source).map(async (written) => {
      const path = kernelPath(cwd, written);
      const uri = notebook.with({ path });
      let text: string;
      try {
        text = decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        // Not sent: the kernel's load() says the file could not be read, at the cell's line.
        return;
      }
      files[path] = text;
      // Its dataset files, through the IL MDP editor's policy (its workspace folder, the allowFilesOutsideFolder setting).
      const datasets = await datasetFilesOf(text).catch(() => []);
      await Promise.all(
        datasets.map(async (data) => {
          const opened = await openDatasetFile(uri, data);
          if ('read' in opened) files[kernelPath(posix.dirname(path), data)] = decode(await opened.read());
        }),
      );
    }),
  );
  return files;
}

interface RunCall {
  readonly rpc: 'call';
  readonly method: 'run';
  readonly params: { readonly source: string };
}

function isRunCall(message: unknown): message is RunCall {
  const m = message as Partial<RunCall> | null;
  return typeof m === 'object' && m !== null && m.rpc === 'call' && m.method === 'run' && typeof m.params?.source === 'string';
}

/** A kernel worker whose run calls carry the files their cell loads; every message keeps its order. */
function withLoadedFiles(handle: WorkerHandle, notebook: vscode.Uri, cwd: string, datasetFilesOf: DatasetFilesOf): WorkerHandle {
  let chain: Promise<void> = Promise.resolve();
  return {
    ...handle,
    listen: (listener) => handle.listen(listener),
    onExit: (listener) => handle.onExit(listener),
    terminate: () => handle.terminate(),
    post: (message, transfer) => {
      chain = chain.then(async () => {
        if (!isRunCall(message)) return handle.post(message, transfer);
        const files = await readLoads(notebook, cwd, message.params.source, datasetFilesOf);
        handle.post({ ...message, params: { ...message.params, files } }, transfer);
      });
    },
  };
}

export function webKernelStarter(host: Platform, datasetFilesOf: DatasetFilesOf): KernelStarter {
  return (options, notebook) => {
    const data: KernelWorkerData = {
      cwd: options.cwd,
      // Unused by the web kernel (the browser caps a worker's memory itself), but part of the settings' shape.
      residentLimitMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB,
      ...(options.sweepWorkers !== undefined ? { sweepWorkers: options.sweepWorkers } : {}),
      datasetFiles: options.datasetFiles ?? notebookFolderOnly(options.cwd),
    };
    const factory = host.worker('kernelWorker', data);
    return () => withLoadedFiles(factory(), notebook, options.cwd, datasetFilesOf);
  };
}
