/**
 * A real tsserver, started the way VS Code starts it for the extension (`--globalPlugins` with the
 * extension's folder as the probe location), spoken to over its stdio protocol. Cells are opened under
 * the in-memory names VS Code gives them, so they land in an inferred project as they do in the editor.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface TsResponse {
  readonly success: boolean;
  readonly body?: unknown;
  readonly message?: string;
}

export class TsServer {
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, (r: TsResponse) => void>();
  private readonly child: ChildProcess;

  constructor(root: string, pluginProbeLocation = root) {
    const tsserver = join(root, 'node_modules/typescript/lib/tsserver.js');
    this.child = spawn(
      process.execPath,
      [tsserver, '--useInferredProjectPerProjectRoot', '--disableAutomaticTypingAcquisition', '--globalPlugins', 'il-notebooks-typescript-plugin', '--pluginProbeLocations', pluginProbeLocation, '--locale', 'en'],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    this.child.stdout!.on('data', (chunk: Buffer) => this.read(chunk));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = this.buffer.indexOf('\r\n\r\n');
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, header).toString())?.[1]);
      if (this.buffer.length < header + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(header + 4, header + 4 + length).toString()) as { type: string; request_seq?: number } & TsResponse;
      this.buffer = this.buffer.subarray(header + 4 + length);
      if (message.type === 'response' && message.request_seq !== undefined) {
        this.pending.get(message.request_seq)?.(message);
        this.pending.delete(message.request_seq);
      }
    }
  }

  /** Sends a request and resolves with its response (commands that answer nothing resolve at once). */
  request(command: string, args: unknown, expectsResponse = true): Promise<TsResponse> {
    const seq = ++this.seq;
    this.child.stdin!.write(JSON.stringify({ seq, type: 'request', command, arguments: args }) + '\n');
    if (!expectsResponse) return Promise.resolve({ success: true });
    return new Promise((resolve) => this.pending.set(seq, resolve));
  }

  /** Opens a file with the given text, as VS Code does for an editor (or a notebook cell) it shows. */
  open(file: string, fileContent: string, scriptKindName: 'JS' | 'TS', projectRootPath: string): Promise<TsResponse> {
    return this.request('updateOpen', { openFiles: [{ file, fileContent, scriptKindName, projectRootPath }] });
  }

  close(): void {
    this.child.kill();
  }
}

/** A cell's name as VS Code gives it to tsserver: the notebook's path, then the cell's fragment. */
export function cellPath(notebook: string, index: number): string {
  return `^/vscode-notebook-cell/ts-nul-authority${notebook}#W${index}sZmlsZQ==`;
}

/** 1-based line and offset of the end of `text`'s `occurrence` of `needle`, as tsserver counts them. */
export function positionAfter(text: string, needle: string): { line: number; offset: number } {
  const at = text.indexOf(needle) + needle.length;
  const before = text.slice(0, at).split('\n');
  return { line: before.length, offset: before[before.length - 1].length + 1 };
}
