/**
 * Messages between the notebook kernel (a worker thread per notebook) and its client on the host.
 * Every message names the run it belongs to; both sides check what they receive.
 */

/** One item of a cell output: a MIME type and its data as text (JSON for the +json types). */
export interface OutputItemData {
  readonly mime: string;
  readonly data: string;
}

export interface RunRequest {
  readonly type: 'run';
  readonly id: number;
  readonly source: string;
  readonly language: 'javascript' | 'typescript';
  /** Name of the cell in stack traces, e.g. "cell 3". */
  readonly label: string;
}

/** Asks a cell that is awaiting to stop; a cell that never yields is stopped by terminating the kernel. */
export interface InterruptRequest {
  readonly type: 'interrupt';
  readonly id: number;
}

export type KernelRequest = RunRequest | InterruptRequest;

export type KernelResponse =
  | { readonly type: 'ready' }
  | { readonly type: 'stream'; readonly id: number; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'display'; readonly id: number; readonly items: readonly OutputItemData[] }
  | { readonly type: 'done'; readonly id: number; readonly result: readonly OutputItemData[] }
  | { readonly type: 'error'; readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly stack: string }; readonly interrupted?: boolean };

export interface KernelWorkerData {
  /** Directory `load()` resolves relative paths against (the notebook's folder). */
  readonly cwd: string;
  /** Int32Array over a SharedArrayBuffer: element 0 becomes 1 when the user interrupts. */
  readonly interruptFlag: SharedArrayBuffer;
}

function isItems(value: unknown): value is OutputItemData[] {
  return Array.isArray(value) && value.every((i) => typeof i?.mime === 'string' && typeof i?.data === 'string');
}

export function isKernelRequest(value: unknown): value is KernelRequest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (!Number.isInteger(m.id)) return false;
  if (m.type === 'interrupt') return true;
  return m.type === 'run' && typeof m.source === 'string' && (m.language === 'javascript' || m.language === 'typescript') && typeof m.label === 'string';
}

export function isKernelResponse(value: unknown): value is KernelResponse {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'ready') return true;
  if (!Number.isInteger(m.id)) return false;
  switch (m.type) {
    case 'stream':
      return (m.stream === 'stdout' || m.stream === 'stderr') && typeof m.text === 'string';
    case 'display':
      return isItems(m.items);
    case 'done':
      return isItems(m.result);
    case 'error': {
      const e = m.error as Record<string, unknown> | undefined;
      return typeof e?.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string';
    }
    default:
      return false;
  }
}
