/**
 * The Port of a Node child process over its IPC channel (V8 serialisation, so typed arrays arrive as
 * typed arrays): a host starts one with `childProcess(script)`, the child serves on `processPort()`.
 * A process shares no memory with its parent: calls are cancelled by message, a process busy in
 * synchronous code can be asked to break with SIGINT (`interrupt()`, POSIX only), and a process deaf to
 * both is stopped by terminating it.
 *
 * The child's stdout and stderr are piped, never inherited: a process whose parent is a CLI must not
 * write into the CLI's output, and the end of stderr is how a native death (V8's "heap out of memory",
 * an abort's message) is told apart from an exit code, since it ends the process before any message.
 */
import { fork, type ForkOptions } from 'node:child_process';
import type { Port, WorkerExit, WorkerFactory, WorkerHandle } from './port';

export interface ChildProcessOptions extends Omit<ForkOptions, 'serialization' | 'stdio' | 'silent'> {
  /** The child's output that is not a message (its own writes, Node's warnings, V8's fatal errors). */
  readonly onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** How much of the end of stderr a WorkerExit keeps as its `detail`. */
const STDERR_TAIL_CHARS = 4096;
/** How long an exit waits for the rest of stderr: a grandchild holding the pipe must not delay the news. */
const STDERR_DRAIN_MS = 1000;

const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit|Allocation failed - process out of memory/;

export function childProcess(script: string, args: readonly string[] = [], options: ChildProcessOptions = {}): WorkerFactory {
  const { onOutput, ...forkOptions } = options;
  return () => {
    const child = fork(script, [...args], { ...forkOptions, serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let ended = false;
    let terminated = false;
    let stderrTail = '';
    const listeners: ((exit: WorkerExit) => void)[] = [];
    const end = (exit: WorkerExit) => {
      if (ended || terminated) return;
      ended = true;
      for (const l of listeners) l(exit);
    };
    child.stdout?.setEncoding('utf8').on('data', (text: string) => onOutput?.('stdout', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
      onOutput?.('stderr', text);
    });
    const stderrClosed = new Promise<void>((resolve) => {
      if (!child.stderr) resolve();
      else child.stderr.once('close', () => resolve());
    });
    child.on('error', (error) => end({ reason: 'error', message: error.message }));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      void Promise.race([stderrClosed, new Promise((r) => setTimeout(r, STDERR_DRAIN_MS).unref())]).then(() => {
        const detail = stderrTail.trim();
        const exit: WorkerExit = {
          reason: OUT_OF_MEMORY.test(detail) ? 'out-of-memory' : 'exit',
          message: signal ? `the process was ended by ${signal}` : `the process exited with code ${code}`,
          ...(code !== null ? { code } : {}),
          ...(signal ? { signal } : {}),
          ...(detail ? { detail } : {}),
        };
        end(exit);
      });
    });
    const handle: WorkerHandle = {
      sharesMemory: false,
      post: (message) => {
        if (child.connected) child.send(message as object);
      },
      listen: (listener) => {
        child.on('message', listener);
        return () => void child.off('message', listener);
      },
      onExit: (listener) => void listeners.push(listener),
      // Windows has no SIGINT for another process: Node's kill('SIGINT') there ends it outright.
      interrupt: () => process.platform !== 'win32' && child.exitCode === null && child.signalCode === null && child.kill('SIGINT'),
      terminate: async () => {
        terminated = true;
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      },
    };
    return handle;
  };
}

/** The child's side: its IPC channel to the parent. Throws in a process started without one. */
export function processPort(name: string): Port {
  if (!process.send) throw new Error(`${name} must run as a child process with an IPC channel`);
  return {
    post: (message) => {
      // After the parent is gone the channel is closed; a late answer has no one to go to.
      if (process.connected) process.send!(message as object);
    },
    listen: (listener) => {
      process.on('message', listener);
      return () => void process.off('message', listener);
    },
  };
}
