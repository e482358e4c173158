import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildMdpEditorViewModel } from '../../src/editor/mdpViewModel';
import { ParseClient, ParseScheduler, type ParseOrder } from '../../src/editor/parseClient';
import { MAX_DIAGNOSTICS } from '../../src/editor/parseProtocol';
import { paintMap, resizeMap } from '../../src/ilmdp/mapEdits';
import { deleteState, renameName } from '../../src/ilmdp/nameEdits';
import { setScalar } from '../../src/ilmdp/edits';
import { parseIlmdp } from '../../src/ilmdp/parse';
import { childProcess } from '../../src/workers/childProcess';
import type { WorkerExit, WorkerFactory, WorkerHandle } from '../../src/workers/port';

// The service runs as the extension runs it: bundled by esbuild, in a real child process.
const serviceScript = join(mkdtempSync(join(tmpdir(), 'il-parse-service-')), 'parseService.js');
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/editor/parseService.ts')], outfile: serviceScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});
const examples = join(__dirname, '../../examples');
const threeStates = readFileSync(join(examples, 'three-states.ilmdp'), 'utf8');
const external = readFileSync(join(examples, 'external-dataset.ilmdp'), 'utf8');
/** A flow collection nested 10^6 deep: the YAML parser recurses for seconds before it gives up. */
const runaway = `description: ${'['.repeat(1_000_000)}\n`;

/** The real service, with a count of the calls it was sent and word of each one. */
function counted(): { factory: WorkerFactory; calls: () => number; nextCall: () => Promise<void> } {
  const real = childProcess(serviceScript, [], { execArgv: [] });
  let calls = 0;
  let waiting: (() => void)[] = [];
  const factory: WorkerFactory = () => {
    const handle = real();
    return {
      ...handle,
      post: (message, transfer) => {
        handle.post(message, transfer);
        if ((message as { rpc?: string }).rpc !== 'call') return;
        calls++;
        const w = waiting;
        waiting = [];
        for (const resolve of w) resolve();
      },
    };
  };
  return { factory, calls: () => calls, nextCall: () => new Promise((resolve) => waiting.push(resolve)) };
}

function order(text: string, current: () => number, delayMs = 0, view = false): ParseOrder {
  return { text: () => text, current, view, delayMs };
}

test('the service answers what the parser and the view builder answer in-process, and computes edits', async () => {
  const client = new ParseClient(childProcess(serviceScript, [], { execArgv: [] }));
  try {
    const answer = await client.parse(threeStates, true);
    assert.deepEqual(answer.diagnostics, parseIlmdp(threeStates).diagnostics);
    assert.equal(answer.hasModel, true);
    assert.deepEqual(answer.view, JSON.parse(JSON.stringify(buildMdpEditorViewModel(threeStates))));
    // The line that names the dataset file, found independently of the service.
    const files = (await client.parse(external, false)).files;
    const line = external.split('\n').findIndex((l) => l.includes('external-dataset.csv')) + 1;
    const column = external.split('\n')[line - 1].indexOf('external-dataset.csv') + 1;
    assert.deepEqual(files, [{ name: 'recorded', path: 'external-dataset.csv', line, column, endLine: line, endColumn: column + 'external-dataset.csv'.length }]);
    const path = ['mdp', 'transitions', 'start', 'go', 'middle'];
    assert.deepEqual(await client.edit(threeStates, { kind: 'set-scalar', path, value: 0.8 }), setScalar(threeStates, path, 0.8));
    // A shorthand row (`stay: start`): the service writes it out as a map; setScalar alone refuses it.
    const sure = ['mdp', 'transitions', 'start', 'stay', 'start'];
    assert.equal(setScalar(threeStates, sure, 0.7).ok, false);
    const written = await client.edit(threeStates, { kind: 'set-scalar', path: sure, value: 0.7 });
    assert.ok(written.ok && 'edit' in written);
    assert.equal(threeStates.slice(written.edit.offset, written.edit.offset + written.edit.length), 'start');
    assert.equal(written.edit.newText, '{start: 0.7}');
    const grid = readFileSync(join(examples, 'gridworld.ilmdp'), 'utf8');
    assert.deepEqual(await client.edit(grid, { kind: 'paint-map', cells: [{ row: 1, col: 0, kind: 'cliff' }] }), paintMap(grid, [{ row: 1, col: 0, kind: 'cliff' }]));
    assert.deepEqual(await client.edit(grid, { kind: 'resize-map', rows: 5, cols: 6 }), resizeMap(grid, 5, 6));
    assert.deepEqual(await client.edit(threeStates, { kind: 'name-edit', op: 'rename', what: 'state', name: 'middle', to: 'centre' }), renameName(threeStates, 'state', 'middle', 'centre'));
    assert.deepEqual(await client.edit(threeStates, { kind: 'name-edit', op: 'delete', what: 'state', name: 'goal' }), deleteState(threeStates, 'goal'));
    const broken = await client.parse('mdp: [', true);
    assert.equal(broken.hasModel, false);
    assert.equal(broken.view!.model, null);
    assert.ok(broken.diagnostics.length > 0);
  } finally {
    client.dispose();
  }
});

test('a text with a thousand problems reaches the host capped: the parser keeps ten of a kind and counts the rest', async () => {
  // The parser's own cap (docs/ilmdp.md) comes first; MAX_DIAGNOSTICS is the service's backstop above it.
  const client = new ParseClient(childProcess(serviceScript, [], { execArgv: [] }));
  const extra = 2 * MAX_DIAGNOSTICS;
  const text = `${threeStates}${Array.from({ length: extra }, (_, i) => `unknown_${i}: 1`).join('\n')}\n`;
  try {
    const { diagnostics, view } = await client.parse(text, true);
    assert.deepEqual(diagnostics, parseIlmdp(text).diagnostics);
    assert.ok(diagnostics.length <= MAX_DIAGNOSTICS);
    assert.ok(view!.diagnostics.length <= MAX_DIAGNOSTICS);
    assert.match(diagnostics[0].message, /unknown_0/);
    assert.ok(diagnostics.some((d) => new RegExp(`and ${(extra - 10).toLocaleString('en-US')} more like this`).test(d.message)), diagnostics.map((d) => d.message).join('\n'));
  } finally {
    client.dispose();
  }
});

test('requests of one document while typing goes on are debounced into one parse of the last version', async () => {
  const { factory, calls } = counted();
  const client = new ParseClient(factory);
  const scheduler = new ParseScheduler(client);
  try {
    let version = 1;
    const first = scheduler.request('doc', 1, order('mdp: [', () => version, 100));
    version = 2;
    const second = scheduler.request('doc', 2, order('mdp: [', () => version, 100));
    version = 3;
    const third = scheduler.request('doc', 3, order(threeStates, () => version, 100));
    assert.equal(await first, undefined);
    assert.equal(await second, undefined);
    const parsed = await third;
    assert.equal(parsed?.version, 3);
    assert.equal(parsed?.text, threeStates);
    assert.equal(parsed?.answer.hasModel, true);
    assert.equal(calls(), 1);
  } finally {
    scheduler.dispose();
    client.dispose();
  }
});

test('a newer version supersedes a runaway parse: its process is replaced and the other documents are answered', async () => {
  const { factory, nextCall } = counted();
  const client = new ParseClient(factory, { cancelGraceMs: 50 });
  const scheduler = new ParseScheduler(client);
  try {
    let version = 1;
    const posted = nextCall();
    const older = scheduler.request('doc', 1, order(runaway, () => version));
    await posted;
    // Another document's check waits behind the runaway parse in the same process.
    const other = scheduler.request('other', 7, order(external, () => 7));
    version = 2;
    const newer = scheduler.request('doc', 2, order(threeStates, () => version, 0, true));
    assert.equal(await older, undefined);
    const parsed = await newer;
    assert.equal(parsed?.version, 2);
    assert.equal(parsed?.answer.view?.model?.states.length, 3);
    assert.equal((await other)?.answer.files[0]?.path, 'external-dataset.csv');
    assert.equal(client.processesStarted, 2, 'the process stuck in the superseded parse was replaced');
  } finally {
    scheduler.dispose();
    client.dispose();
  }
});

test('an answer for a version the document has left is dropped, and a version left before its debounce is not parsed', async () => {
  const { factory, calls, nextCall } = counted();
  const client = new ParseClient(factory);
  const scheduler = new ParseScheduler(client);
  try {
    let version = 1;
    const posted = nextCall();
    const stale = scheduler.request('doc', 1, order(threeStates, () => version));
    await posted;
    version = 2; // The document changed; its change event (and request) have not come yet.
    assert.equal(await stale, undefined);
    assert.equal(calls(), 1);
    const skipped = scheduler.request('doc', 2, order(threeStates, () => version, 50));
    version = 3;
    assert.equal(await skipped, undefined);
    assert.equal(calls(), 1, 'the debounce ended on another version: nothing was sent');
    const closed = scheduler.request('doc', 3, order(threeStates, () => version, 50));
    scheduler.forget('doc');
    assert.equal(await closed, undefined);
    assert.equal(calls(), 1);
  } finally {
    scheduler.dispose();
    client.dispose();
  }
});

/** The real service, but each of the first `deaths` processes dies as soon as it is sent a parse. */
function dying(deaths: number): WorkerFactory {
  const real = childProcess(serviceScript, [], { execArgv: [] });
  let left = deaths;
  return () => {
    const handle = real();
    const dies = left-- > 0;
    const listeners: ((exit: WorkerExit) => void)[] = [];
    const wrapped: WorkerHandle = {
      ...handle,
      onExit: (listener) => (listeners.push(listener), handle.onExit(listener)),
      post: (message, transfer) => {
        handle.post(message, transfer);
        if (!dies || (message as { rpc?: string }).rpc !== 'call') return;
        // As V8 aborting the process mid-parse looks to the client: an exit it did not ask for.
        void handle.terminate().then(() => {
          for (const l of listeners) l({ reason: 'exit', message: 'the process was ended by SIGABRT' });
        });
      },
    };
    return wrapped;
  };
}

test('a process that dies under a parse is replaced and the parse retried once; a second death becomes the problem shown', async () => {
  const once = new ParseClient(dying(1));
  const scheduler = new ParseScheduler(once);
  try {
    const parsed = await scheduler.request('doc', 1, order(threeStates, () => 1));
    assert.equal(parsed?.answer.hasModel, true);
    assert.equal(once.processesStarted, 2);
  } finally {
    scheduler.dispose();
    once.dispose();
  }
  const always = new ParseClient(dying(Infinity));
  const failing = new ParseScheduler(always);
  try {
    const parsed = await failing.request('doc', 1, order(threeStates, () => 1, 0, true));
    assert.equal(parsed?.answer.hasModel, false);
    assert.equal(parsed?.answer.diagnostics.length, 1);
    assert.match(parsed!.answer.diagnostics[0].message, /could not check this file: the parse service stopped: the process was ended by SIGABRT/);
    assert.deepEqual(parsed!.answer.diagnostics[0].start, { line: 1, column: 1 });
    assert.equal(parsed?.answer.view?.model, null);
    assert.equal(always.processesStarted, 2, 'one retry, not a loop');
  } finally {
    failing.dispose();
    always.dispose();
  }
});

// The timeout only stops a hang: without the shorter debounce the parse would wait for 2^31 − 1 ms.
test('the Problems panel and an editor of one document share one parse per version, sent after the shorter debounce', { timeout: 60_000 }, async () => {
  const { factory, calls } = counted();
  const client = new ParseClient(factory);
  const scheduler = new ParseScheduler(client);
  try {
    const current = () => 1;
    // The Problems panel's long debounce first; the editor's short one must not wait for it.
    const problems = scheduler.request('doc', 1, order(threeStates, current, 2 ** 31 - 1));
    const editor = scheduler.request('doc', 1, order(threeStates, current, 0, true));
    const [p, e] = await Promise.all([problems, editor]);
    assert.equal(p, e, 'one answer for both');
    assert.equal(e?.answer.view?.model?.states.length, 3);
    assert.equal(calls(), 1);
    // A view asked for while a parse without it is on its way replaces that parse and answers both.
    const plain = scheduler.request('doc', 2, order(threeStates, () => 2));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const withView = scheduler.request('doc', 2, order(threeStates, () => 2, 0, true));
    const [a, b] = await Promise.all([plain, withView]);
    assert.equal(a, b);
    assert.ok(a?.answer.view);
  } finally {
    scheduler.dispose();
    client.dispose();
  }
});
