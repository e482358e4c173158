/**
 * The Node kernel: a child process per notebook running kernel/kernelWorker.ts (the web build starts a
 * Web Worker instead, src/extension/webPlatform.ts). Apart from kernelClient.ts so that the client, which
 * both builds share, does not bring child_process into the web bundle.
 */
import { isKernelWorkerData, type KernelWorkerData } from '../shared/kernelProtocol';
import { childProcess } from '../workers/childProcess';
import type { WorkerFactory } from '../workers/port';
import { DEFAULT_MEMORY_LIMIT_MB, lateOutputReader, notebookFolderOnly, type KernelOptions } from './kernelClient';

/** Node flags the kernel wants, kept to those this runtime accepts (an Electron may lack one). */
function kernelExecArgv(memoryLimitMb: number): string[] {
  const flags = [
    `--max-old-space-size=${memoryLimitMb}`,
    // `await import('…')` in a cell: vm calls the kernel's loader only with this flag (Node 20).
    '--experimental-vm-modules',
    // …and that flag's warning would otherwise land in the first cell that imports.
    '--disable-warning=ExperimentalWarning',
  ];
  return flags.filter((flag) => process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]));
}

/**
 * A notebook kernel as a child process running `script` (the bundled kernelWorker.js) with this
 * runtime: plain Node in the CLI and in code-server's extension host; in desktop VS Code the host's
 * executable is Electron, which ELECTRON_RUN_AS_NODE turns into Node (plain Node ignores it).
 */
export function kernelProcess(script: string, options: Pick<KernelOptions, 'cwd' | 'memoryLimitMb' | 'residentLimitMb' | 'sweepWorkers' | 'datasetFiles' | 'onLateOutput'>): WorkerFactory {
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const data: KernelWorkerData = {
    cwd: options.cwd,
    residentLimitMb: options.residentLimitMb ?? memoryLimitMb,
    ...(options.sweepWorkers !== undefined ? { sweepWorkers: options.sweepWorkers } : {}),
    datasetFiles: options.datasetFiles ?? notebookFolderOnly(options.cwd),
  };
  if (!isKernelWorkerData(data)) throw new Error(`bad kernel settings: ${JSON.stringify(data)}`);
  return childProcess(script, [JSON.stringify(data)], {
    cwd: options.cwd,
    execPath: process.execPath,
    // Never the host's own flags (an inspector port, a loader such as tsx): the kernel is a plain Node.
    execArgv: kernelExecArgv(memoryLimitMb),
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    ...(options.onLateOutput ? { onOutput: lateOutputReader(options.onLateOutput) } : {}),
  });
}

