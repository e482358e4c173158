/**
 * The host's side of the parse service (parseService.ts): one process for every open .ilmdp document.
 * `ParseClient` makes the calls; a parse whose caller gave up (its signal aborted) and that does not
 * end within the grace period costs the process, which is replaced, and the other pending calls are
 * sent to the fresh one (the parse is synchronous there: a cancel message cannot interrupt it).
 * `ParseScheduler` is what the Problems panel and the custom editors use: per document, it waits for
 * typing to pause (debounce), lets a newer version cancel an older parse (supersede), and hands back
 * an answer only while its version is still the document's (a stale answer is dropped).
 * vscode-free, so it is tested in plain Node against the real bundled service, and driven by the bench.
 */
import type { Diagnostic } from '../ilmdp/diagnostics';
import type { EditResult } from '../ilmdp/edits';
import type { NameEditResult } from '../ilmdp/nameEdits';
import { RpcClient, type CancelSignalLike } from '../workers/client';
import { restartOnCancel } from '../workers/restartOnCancel';
import { CancelledError, WorkerDiedError } from '../workers/errors';
import type { WorkerFactory } from '../workers/port';
import { parseProtocol, type EditRequest, type ParseAnswer } from './parseProtocol';

export interface ParseClientOptions {
  /** How long a superseded parse may run on before its process is replaced. */
  readonly cancelGraceMs?: number;
}

/**
 * A text that parses in well under this is a normal file; one still parsing this long after it was
 * superseded is pathological, and a fresh process (about one process start) is the cheaper way out.
 */
const DEFAULT_CANCEL_GRACE_MS = 500;

export class ParseClient {
  private readonly rpc: RpcClient<typeof parseProtocol>;
  private readonly graceMs: number;

  constructor(factory: WorkerFactory, options: ParseClientOptions = {}) {
    this.graceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    this.rpc = new RpcClient(factory, parseProtocol, { name: 'parse service' });
  }

  /** Diagnostics (and with `view`, the custom editor's view model) of a text. Rejects with CancelledError at once when `signal` aborts. */
  parse(text: string, view: boolean, signal?: CancelSignalLike): Promise<ParseAnswer> {
    const call = this.rpc.call('parse', { text, view }, signal ? { signal } : {});
    return restartOnCancel(call, signal, () => this.rpc.restart(), this.graceMs, 'the parse');
  }

  /** The minimal text edit of a visual-editor change, computed on `text` (the caller checks that the document is still that text). */
  edit(text: string, edit: EditRequest): Promise<EditResult | NameEditResult> {
    return this.rpc.call('edit', { text, edit });
  }

  /** How many processes have been started (a runaway superseded parse costs one). */
  get processesStarted(): number {
    return this.rpc.spawns;
  }

  dispose(): void {
    this.rpc.dispose();
  }
}

/** A parse that is still current when it is handed back. */
export interface Parsed {
  readonly version: number;
  /** The text that was parsed (the same string the service saw, for the worker calls that follow). */
  readonly text: string;
  readonly answer: ParseAnswer;
}

export interface ParseOrder {
  /** The document's text, read only when the debounce ends (a 10 MB getText per keystroke would itself stall the host). */
  readonly text: () => string;
  /** The document's version now: a parse of another version is dropped, whatever arrives first. */
  readonly current: () => number;
  readonly view: boolean;
  /** How long to wait for typing to pause; 0 parses at once. */
  readonly delayMs: number;
}

interface Slot {
  readonly version: number;
  /** Build the view model too: one consumer of this document is a custom editor. */
  view: boolean;
  /** Sent to the service (no longer waiting for the debounce). */
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When the debounce ends (performance.now()). */
  due: number;
  controller: AbortController | undefined;
  readonly waiters: ((parsed: Parsed | undefined) => void)[];
}

function failed(message: string): ParseAnswer {
  const diagnostic: Diagnostic = { severity: 'error', code: 'parse-service', message, path: '', start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
  return { diagnostics: [diagnostic], hasModel: false, files: [], view: { model: null, diagnostics: [{ severity: 'error', message, line: 1, column: 1, path: '' }] } };
}

/**
 * Keyed by document: the Problems panel and every custom editor of a document ask about the same
 * versions, so their requests for one version share one parse (a 10 MB text is sent once, not once
 * per consumer), and a newer version supersedes the older for all of them.
 */
export class ParseScheduler {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly client: ParseClient) {}

  /**
   * Parses version `version` of the document `key` once typing pauses. Resolves with the answer while
   * that version is still current, with undefined when it was superseded (a newer version of `key`,
   * forget(), or a change of `current()`), and never rejects: a parse service that died twice on the
   * text, or failed, becomes an answer with that one problem, so the Problems panel says so. A request
   * for the version already pending joins it (and waits no longer than it does).
   */
  request(key: string, version: number, order: ParseOrder): Promise<Parsed | undefined> {
    return new Promise((resolve) => {
      const pending = this.slots.get(key);
      if (pending?.version === version) {
        if (!pending.sent || pending.view || !order.view) {
          pending.view ||= order.view;
          pending.waiters.push(resolve);
          // The editor's shorter debounce is not held up by the Problems panel's longer one.
          if (!pending.sent && performance.now() + order.delayMs < pending.due) {
            clearTimeout(pending.timer);
            this.start(key, pending, order);
          }
          return;
        }
        // A parse without the view is on its way: one with it answers every waiter, so it replaces it.
        this.slots.delete(key);
        pending.controller?.abort();
        this.start(key, { version, view: true, sent: false, timer: undefined, due: 0, controller: undefined, waiters: [...pending.waiters, resolve] }, order);
        return;
      }
      this.forget(key);
      this.start(key, { version, view: order.view, sent: false, timer: undefined, due: 0, controller: undefined, waiters: [resolve] }, order);
    });
  }

  /** Drops the pending request of `key` (the document closed): its parse is cancelled, its answer never applied. */
  forget(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    clearTimeout(slot.timer);
    slot.controller?.abort();
    this.end(key, slot, undefined);
  }

  dispose(): void {
    for (const key of [...this.slots.keys()]) this.forget(key);
  }

  private start(key: string, slot: Slot, order: ParseOrder): void {
    this.slots.set(key, slot);
    slot.due = performance.now() + order.delayMs;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (order.current() !== slot.version) return this.end(key, slot, undefined);
      void this.run(key, slot, order);
    }, order.delayMs);
  }

  private async run(key: string, slot: Slot, order: ParseOrder): Promise<void> {
    slot.sent = true;
    const text = order.text();
    // One retry for a process that died under this parse: on the inputs seen to abort V8, a fresh process parses them.
    for (let attempt = 0; ; attempt++) {
      if (this.slots.get(key) !== slot) return;
      const controller = new AbortController();
      slot.controller = controller;
      try {
        const answer = await this.client.parse(text, slot.view, controller.signal);
        return this.end(key, slot, order.current() === slot.version ? { version: slot.version, text, answer } : undefined);
      } catch (error) {
        if (this.slots.get(key) !== slot) return;
        if (error instanceof CancelledError) return this.end(key, slot, undefined);
        if (error instanceof WorkerDiedError && attempt === 0) continue;
        const message = `IL Notebooks could not check this file: ${error instanceof Error ? error.message : String(error)}`;
        return this.end(key, slot, order.current() === slot.version ? { version: slot.version, text, answer: failed(message) } : undefined);
      }
    }
  }

  /** Hands `parsed` to the slot's waiters, unless another slot took their place (it answers them). */
  private end(key: string, slot: Slot, parsed: Parsed | undefined): void {
    if (this.slots.get(key) !== slot) return;
    this.slots.delete(key);
    for (const resolve of slot.waiters) resolve(parsed);
  }
}
