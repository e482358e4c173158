/**
 * The Port of a Node child process over its IPC channel (V8 serialisation, so typed arrays arrive as
 * typed arrays): a host starts one with `childProcess(script)`, the child serves on `processPort()`.
 * A process shares no memory with its parent: calls are cancelled by message, and a process deaf to
 * it is stopped by terminating it.
 */
import { fork, type ForkOptions } from 'node:child_process';
import type { Port, WorkerExit, WorkerFactory, WorkerHandle } from './port';

export function childProcess(script: string, args: readonly string[] = [], options: Omit<ForkOptions, 'serialization'> = {}): WorkerFactory {
  return () => {
    const child = fork(script, [...args], { ...options, serialization: 'advanced' });
    let ended = false;
    let terminated = false;
    const listeners: ((exit: WorkerExit) => void)[] = [];
    const end = (exit: WorkerExit) => {
      if (ended || terminated) return;
      ended = true;
      for (const l of listeners) l(exit);
    };
    child.on('error', (error) => end({ reason: 'error', message: error.message }));
    child.on('exit', (code, signal) => end({ reason: 'exit', message: signal ? `the process was ended by ${signal}` : `the process exited with code ${code}`, ...(code !== null ? { code } : {}) }));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
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
    post: (message) => void process.send!(message as object),
    listen: (listener) => {
      process.on('message', listener);
      return () => void process.off('message', listener);
    },
  };
}
