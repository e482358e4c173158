import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { build } from 'esbuild';
import { childProcess } from '../../src/workers/childProcess';
import { RpcClient } from '../../src/workers/client';
import { CancelledError, RemoteError, WorkerDiedError } from '../../src/workers/errors';
import { nodeWorker } from '../../src/workers/nodeWorker';
import { isFromWorker } from '../../src/workers/protocol';
import { scopePort, webWorker, type WebWorkerLike } from '../../src/workers/webWorker';
import { serveTests, testProtocol } from './fixtures/testProtocol';

// The test servers run as the product's workers run: bundled by esbuild, in a real thread or process.
const dir = mkdtempSync(join(tmpdir(), 'il-rpc-'));
const threadScript = join(dir, 'thread.js');
const processScript = join(dir, 'process.js');
before(async () => {
  for (const [entry, out] of [['threadEntry.ts', threadScript], ['processEntry.ts', processScript]]) {
    await build({ entryPoints: [join(__dirname, 'fixtures', entry)], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  }
});

const threadClient = () => new RpcClient(nodeWorker(threadScript), testProtocol, { name: 'test worker' });
const processClient = () => new RpcClient(childProcess(processScript), testProtocol, { name: 'test process' });

/** A Web Worker stand-in: one end of a MessageChannel, served on the other end, with the browser's event API. */
function channelWorker(): WebWorkerLike {
  const { port1, port2 } = new MessageChannel();
  const host = port1 as unknown as WebWorkerLike & { start(): void };
  (port2 as unknown as { start(): void }).start();
  serveTests(scopePort(port2 as unknown as Parameters<typeof scopePort>[0]), 'web worker', () => port2.close());
  host.start();
  return Object.assign(host, { terminate: () => port1.close() });
}

test('calls answer with their results and report events first, over a thread and a process', async () => {
  for (const client of [threadClient(), processClient()]) {
    try {
      assert.equal(await client.call('add', { a: 2, b: 40 }), 42);
      const events: number[] = [];
      assert.equal(await client.call('count', { n: 6, every: 2 }, { onEvent: (e) => events.push(e.done) }), 6);
      assert.deepEqual(events, [2, 4, 6]);
      assert.deepEqual(await Promise.all([client.call('add', { a: 1, b: 1 }), client.call('add', { a: 2, b: 2 })]), [2, 4]);
      assert.equal(client.spawns, 1);
    } finally {
      client.dispose();
    }
  }
});

test('buffers move both ways when transferred', async () => {
  const client = threadClient();
  try {
    const bytes = Uint8Array.of(1, 2, 3);
    const reversed = await client.call('reverse', bytes, { transfer: [bytes.buffer] });
    assert.equal(bytes.byteLength, 0, 'the sent buffer moved to the worker');
    assert.deepEqual([...reversed], [3, 2, 1]);
  } finally {
    client.dispose();
  }
});

test('malformed parameters and malformed results both end as protocol errors, and the worker lives on', async () => {
  const client = threadClient();
  try {
    await assert.rejects(client.call('add', { a: 1, b: 'two' } as unknown as { a: number; b: number }), (e: unknown) => e instanceof RemoteError && e.code === 'protocol' && /bad parameters for add/.test(e.message));
    await assert.rejects(client.call('lie', null), (e: unknown) => e instanceof RemoteError && e.code === 'protocol' && /malformed result for lie/.test(e.message));
    assert.equal(await client.call('add', { a: 1, b: 2 }), 3);
    assert.equal(client.spawns, 1);
  } finally {
    client.dispose();
  }
});

test('a message that is not a call is answered, not a crash', async () => {
  const { port1, port2 } = new MessageChannel();
  serveTests(
    { post: (m) => port2.postMessage(m), listen: (l) => (port2.on('message', l), () => port2.off('message', l)) },
    'raw',
    () => undefined,
  );
  const answers: unknown[] = [];
  port1.on('message', (m) => answers.push(m));
  port1.postMessage({ rpc: 'call', id: 'x' });
  port1.postMessage({ id: 7, hello: true });
  port1.postMessage({ rpc: 'call', id: 8, method: 'toString', params: null, slot: -1 });
  await new Promise((r) => setTimeout(r, 50));
  port1.close();
  assert.ok(answers.every(isFromWorker));
  assert.deepEqual(
    answers.map((a) => [(a as { id: number }).id, (a as { error: { code: string } }).error.code]),
    [
      [0, 'protocol'],
      [7, 'protocol'],
      [8, 'protocol'],
    ],
  );
});

test('a synchronous loop stops on its cancel board entry; the other call in flight is untouched', async () => {
  const client = threadClient();
  try {
    assert.equal(await client.call('shared', null), true);
    const controller = new AbortController();
    let reports = 0;
    const cancelled = client.call('count', { n: 100_000, every: 5 }, { signal: controller.signal, onEvent: () => ++reports === 2 && controller.abort() });
    const queued = client.call('add', { a: 20, b: 22 });
    await assert.rejects(cancelled, CancelledError);
    assert.equal(await queued, 42);
    assert.equal(client.spawns, 1, 'no worker was replaced');
    // Board entries are reused: many calls later, each cancel still reaches only its own call.
    for (let i = 0; i < 70; i++) assert.equal(await client.call('add', { a: i, b: 0 }), i);
    const again = new AbortController();
    const second = client.call('count', { n: 100_000, every: 5 }, { signal: again.signal, onEvent: () => again.abort() });
    await assert.rejects(second, CancelledError);
  } finally {
    client.dispose();
  }
});

test('without shared memory (a process) an awaiting call is cancelled by message', async () => {
  const client = processClient();
  try {
    assert.equal(await client.call('shared', null), false);
    const controller = new AbortController();
    const waiting = client.call('wait', { ms: 20_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    assert.equal(await waiting, 'cancelled');
    const aborted = new AbortController();
    aborted.abort();
    assert.equal(await client.call('wait', { ms: 20_000 }, { signal: aborted.signal }), 'cancelled', 'a call cancelled before it was sent is cancelled on arrival');
  } finally {
    client.dispose();
  }
});

test('a worker that dies fails its pending calls with the reason, and the next call gets a fresh worker', async () => {
  for (const [factory, code] of [[nodeWorker(threadScript), 3], [childProcess(processScript), 4]] as const) {
    const exits: (number | undefined)[] = [];
    const client = new RpcClient(factory, testProtocol, { name: 'dying worker', onExit: (e) => exits.push(e.code) });
    try {
      const waiting = client.call('wait', { ms: 20_000 });
      await client.call('crash', null);
      await assert.rejects(waiting, (e: unknown) => e instanceof WorkerDiedError && e.exit.code === code && /dying worker stopped/.test(e.message));
      assert.deepEqual(exits, [code]);
      assert.equal(await client.call('add', { a: 1, b: 1 }), 2);
      assert.equal(client.spawns, 2);
    } finally {
      client.dispose();
    }
  }
});

test('terminate() rejects what is pending; restart() sends the uncancelled calls again to a fresh worker', async () => {
  const client = threadClient();
  try {
    const pending = assert.rejects(client.call('wait', { ms: 20_000 }), CancelledError);
    await client.terminate();
    await pending;
    assert.equal(await client.call('add', { a: 1, b: 2 }), 3);
    assert.equal(client.spawns, 2);

    // A worker stuck in a cancelled call is replaced; the other pending call runs again on the new one.
    const stuck = new AbortController();
    const deaf = assert.rejects(client.call('wait', { ms: 20_000 }, { signal: stuck.signal }), CancelledError);
    const innocent = client.call('wait', { ms: 100 });
    stuck.abort();
    await client.restart();
    await deaf;
    assert.equal(await innocent, 'timeout');
    assert.equal(client.spawns, 3);
  } finally {
    client.dispose();
  }
});

test('the Web Worker adapter: calls, events and cancellation by message on a browser-shaped port', async () => {
  const client = new RpcClient(webWorker(channelWorker, false), testProtocol, { name: 'web worker' });
  try {
    assert.equal(await client.call('add', { a: 5, b: 6 }), 11);
    assert.equal(await client.call('shared', null), false);
    const events: number[] = [];
    assert.equal(await client.call('count', { n: 4, every: 2 }, { onEvent: (e) => events.push(e.done) }), 4);
    assert.deepEqual(events, [2, 4]);
    const controller = new AbortController();
    const waiting = client.call('wait', { ms: 20_000 }, { signal: controller.signal });
    controller.abort();
    assert.equal(await waiting, 'cancelled');
  } finally {
    client.dispose();
  }
});
