/**
 * The web build (package.json's `browser`, scripts/build.mjs's web entries), built apart from dist/
 * (`--web-out`): no Node module in any bundle, and its workers run in a thread dressed as a browser's
 * worker scope with Node's globals removed (test/web/browserLikeWorker.ts), giving what the Node build
 * gives: a sweep run there (the web compute worker; the web kernel's il.parallel on a pool of web
 * sweep workers) equals the same sweep run by the core in Node, bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { inspect as nodeInspect } from 'node:util';
import { computeProtocol } from '../../src/compute/computeProtocol';
import { gapVsHorizon, type GapVsHorizonSpec } from '../../src/core/experiments';
import { initLp } from '../../src/core/highs';
import { policyValue, resetCliff, sampleTrajectories, tvAil } from '../../src/core';
import { KernelClient } from '../../src/notebook/kernelClient';
import { kernelPath, literalLoads } from '../../src/notebook/kernel/loadPaths';
import { kernelProtocol, type KernelWorkerData } from '../../src/shared/kernelProtocol';
import * as webPath from '../../src/web/path';
import { inspect as webInspect } from '../../src/web/util';
import { RpcClient } from '../../src/workers/client';
import { webWorker } from '../../src/workers/webWorker';
import { browserLikeWorker } from '../web/browserLikeWorker';

const root = join(__dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'il-web-build-'));
const web = (bundle: string) => join(out, 'web', `${bundle}.js`);
const BUNDLES = ['extension', 'parseService', 'editorWorker', 'computeWorker', 'sweepWorker', 'kernelWorker'];

const kernelData: KernelWorkerData = {
  cwd: '/notebooks',
  residentLimitMb: 4096,
  datasetFiles: { roots: ['/notebooks'], allowOutside: false, rootsLabel: "the notebook's folder", howToAllow: 'move it there' },
};

/** A web kernel in a browser-like worker, with a sweep pool of browser-like web sweep workers. */
function webKernel(startup: KernelWorkerData = kernelData) {
  return webWorker(() => browserLikeWorker(web('kernelWorker'), { startup, sweepWorkerUrl: web('sweepWorker'), hardwareConcurrency: 2 }), false);
}

// A sweep with several horizons and seeds: enough random draws that any difference in the sampling shows.
const spec: GapVsHorizonSpec = { env: { kind: 'reset-cliff', nS: 7, nA: 2, H: 1 }, N: 12, horizons: [1, 2, 4, 8], seeds: 24, slopeRange: [1, 8], baseSeed: 'web-vs-node' };

test('the web bundles build, and none of them names a Node module: the host requires only vscode', () => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--web-out', out], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  assert.deepEqual(readdirSync(join(out, 'web')).filter((f) => f.endsWith('.js')).sort(), BUNDLES.map((b) => `${b}.js`).sort());
  for (const bundle of BUNDLES) {
    const text = readFileSync(web(bundle), 'utf8');
    assert.doesNotMatch(text, /require\(["'`]node:/, `${bundle}: no require("node:…")`);
    assert.doesNotMatch(text, /require\(["'`](child_process|worker_threads|fs|os|path|vm|module|async_hooks|stream|crypto)["'`]\)/, `${bundle}: no Node built-in`);
    assert.doesNotMatch(text, /\bfrom ["'`]node:/, `${bundle}: no import of node:…`);
  }
  // What esbuild left external, from its metafile (a regular expression over the text would also find the
  // `require("…")` that sucrase, bundled for TypeScript cells' dependencies, writes into code it emits).
  const meta = JSON.parse(readFileSync(join(out, 'web-extension.meta.json'), 'utf8')) as { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
  const externals = new Set(Object.values(meta.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path)));
  assert.deepEqual([...externals], ['vscode']);
  const host = readFileSync(web('extension'), 'utf8');
  assert.doesNotMatch(host, /\b__dirname\b|\bsetImmediate\(/);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { browser?: string; main?: string };
  assert.equal(manifest.browser, './dist/web/extension.js');
  assert.equal(manifest.main, './dist/extension.js');
  assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), /^!dist\/web\/\*\.js$/m);
});

test('the web compute worker gives the sweep the core gives in Node, bit for bit', async () => {
  const compute = new RpcClient(
    webWorker(() => browserLikeWorker(web('computeWorker'), { sweepWorkerUrl: web('sweepWorker'), hardwareConcurrency: 2 }), false),
    computeProtocol,
    { name: 'web compute worker' },
  );
  try {
    const fromWeb = await compute.call('gap-vs-H', spec);
    assert.deepEqual(fromWeb, gapVsHorizon(spec));
    assert.equal(fromWeb.rows.length, 4);
  } finally {
    await compute.terminate();
  }
});

test('the web kernel: cells keep state, il.parallel on web sweep workers equals the sweep in Node bit for bit, a runaway cell costs the state and the next runs', async () => {
  const kernel = new KernelClient(webKernel(), { cwd: kernelData.cwd, interruptGraceMs: 200 });
  try {
    assert.deepEqual(await kernel.run('const x = 6 * 7', 'javascript', 'cell 1'), { status: 'ok', result: [] });
    assert.deepEqual(await kernel.run('x + ", " + typeof process + ", " + typeof require', 'javascript', 'cell 2'), { status: 'ok', result: [{ mime: 'text/plain', data: '42, undefined, function' }] });
    const pooled = await kernel.run(`JSON.stringify(await il.parallel.gapVsHorizon(${JSON.stringify(spec)}, { workers: 2 }))`, 'javascript', 'cell 3');
    assert.equal(pooled.status, 'ok');
    assert.deepEqual(JSON.parse((pooled as { readonly result: readonly { readonly data: string }[] }).result[0].data), JSON.parse(JSON.stringify(gapVsHorizon(spec))));

    const runaway = kernel.run('while (true) {}', 'javascript', 'cell 4');
    // Interrupted only once it runs (an interrupt before would stop it before it starts, with the state kept).
    await new Promise((r) => setTimeout(r, 300));
    kernel.interrupt();
    assert.deepEqual(await runaway, { status: 'interrupted', stateLost: true });
    assert.deepEqual(await kernel.run('typeof x', 'javascript', 'cell 5'), { status: 'ok', result: [{ mime: 'text/plain', data: 'undefined' }] });
    assert.equal(kernel.generation, 2, 'a fresh worker ran the cell after the runaway one');
  } finally {
    kernel.dispose();
  }
});

test("the web kernel's load() reads the texts the host sent with the cell (dataset files too), and says which file it was not sent", async () => {
  const rpc = new RpcClient(webKernel(), kernelProtocol, { name: 'web kernel' });
  try {
    const text = readFileSync(join(root, 'examples/three-states.ilmdp'), 'utf8');
    const files = { '/notebooks/three-states.ilmdp': text };
    const loaded = await rpc.call('run', { source: 'const e = load("three-states.ilmdp");\n[e.mdp.nS, e.mdp.nA, e.mdp.H].join(" ")', language: 'javascript', label: 'cell 1', files });
    assert.deepEqual(loaded, { status: 'ok', result: [{ mime: 'text/plain', data: '3 2 6' }] });
    // A file: dataset comes with its .ilmdp (the host read it through the editor's policy).
    const csv = readFileSync(join(root, 'examples/external-dataset.csv'), 'utf8');
    const episodes = new Set(csv.trim().split('\n').slice(1).map((line) => line.split(',')[0])).size;
    const withData = { '/notebooks/external-dataset.ilmdp': readFileSync(join(root, 'examples/external-dataset.ilmdp'), 'utf8'), '/notebooks/external-dataset.csv': csv };
    const recorded = await rpc.call('run', { source: 'load("external-dataset.ilmdp").datasets.recorded.N', language: 'javascript', label: 'cell 3', files: withData });
    assert.deepEqual(recorded, { status: 'ok', result: [{ mime: 'text/plain', data: String(episodes) }] });
    const notSent = await rpc.call('run', { source: 'load("external-dataset.ilmdp")', language: 'javascript', label: 'cell 4', files: { '/notebooks/external-dataset.ilmdp': withData['/notebooks/external-dataset.ilmdp'] } });
    assert.equal(notSent.status, 'error');
    assert.match((notSent as { error: { message: string } }).error.message, /external-dataset\.ilmdp:14:\d+: error: dataset recorded: external-dataset\.csv was not read/);
    const missing = await rpc.call('run', { source: 'load("elsewhere.ilmdp")', language: 'javascript', label: 'cell 2' });
    assert.equal(missing.status, 'error');
    assert.match((missing as { error: { message: string } }).error.message, /\/notebooks\/elsewhere\.ilmdp/);
  } finally {
    await rpc.terminate();
  }
});

test('the web build’s node:path is POSIX path, as Node computes it', () => {
  const paths = ['', '.', '/', 'a', '/a/b/', 'a//b/../c', '../x/./y', '/a/b/c.ilmdp', 'x.tar.gz', '.hidden', '/..', 'a/..'];
  for (const p of paths) {
    if (p !== '') assert.equal(webPath.normalize(p), posix.normalize(p), `normalize ${p}`);
    assert.equal(webPath.dirname(p), posix.dirname(p), `dirname ${p}`);
    assert.equal(webPath.basename(p), posix.basename(p), `basename ${p}`);
    assert.equal(webPath.extname(p), posix.extname(p), `extname ${p}`);
    assert.equal(webPath.isAbsolute(p), posix.isAbsolute(p), `isAbsolute ${p}`);
  }
  assert.equal(webPath.join('/w/nb', '../data', 'x.csv'), posix.join('/w/nb', '../data', 'x.csv'));
  assert.equal(webPath.resolve('/w/nb', 'three-states.ilmdp'), posix.resolve('/w/nb', 'three-states.ilmdp'));
  assert.equal(webPath.resolve('/w/nb', '/abs/f'), posix.resolve('/w/nb', '/abs/f'));
  assert.equal(webPath.relative('/w/a/b', '/w/c'), posix.relative('/w/a/b', '/w/c'));
  assert.equal(webPath.relative('/w', '/w/c/d'), posix.relative('/w', '/w/c/d'));
  assert.equal(webPath.basename('/a/b.csv', '.csv'), posix.basename('/a/b.csv', '.csv'));
});

// Node groups arrays of more than six numbers into aligned columns; the web's inspect does not (yet).
test("the web kernel's text of plain values is Node's for short values, and cuts long arrays as Node does", () => {
  const values: unknown[] = [42, -0, 'text', [1, 2, 3], { a: 1, b: 'two', c: [true, null] }, new Float64Array([0.5, 1.5]), new Map([['k', 1]]), new Set([1, 2]), [], {}];
  for (const v of values) assert.equal(webInspect(v, { depth: 4, maxArrayLength: 50, breakLength: 100 }), nodeInspect(v, { depth: 4, maxArrayLength: 50, breakLength: 100 }), `inspect ${String(v)}`);
  const long = Array.from({ length: 60 }, (_, i) => i);
  const text = webInspect(long, { maxArrayLength: 50, breakLength: 100 });
  assert.match(nodeInspect(long, { maxArrayLength: 50, breakLength: 100 }), /\.\.\. 10 more items/);
  assert.match(text, /\.\.\. 10 more items/);
  assert.equal(text.match(/\d+/g)?.length, 51, '50 items and the count of the rest');
});

test('the files a cell sends the web kernel: each string-literal load(), by its path against the notebook folder', () => {
  const source = 'const a = load("three-states.ilmdp")\nconst b = load(\'../shared/x.ilmdp\', { datasets: [] })\nload(`t.ilmdp`); load("three-states.ilmdp")\nload(name); load(`${dir}/y.ilmdp`)';
  assert.deepEqual(literalLoads(source), ['three-states.ilmdp', '../shared/x.ilmdp', 't.ilmdp']);
  assert.equal(kernelPath('/w/notebooks', 'three-states.ilmdp'), '/w/notebooks/three-states.ilmdp');
  assert.equal(kernelPath('/w/notebooks', '../shared/./x.ilmdp'), posix.resolve('/w/notebooks', '../shared/./x.ilmdp'));
  assert.equal(kernelPath('/w/notebooks', '/abs/z.ilmdp'), '/abs/z.ilmdp');
});

test("HiGHS in the web build: the web kernel's TV-AIL and a pooled TV-AIL sweep, on the WebAssembly the host hands over, give the Node build's", async () => {
  await initLp();
  const { mdp, expert } = resetCliff({ nS: 6, nA: 2, H: 4 });
  const data = sampleTrajectories(mdp, expert, 8, 'web-lp');
  const inNode = policyValue(mdp, tvAil(mdp, data));
  // As webPlatform.ts hands it over: a script that sets the WebAssembly's bytes in base64.
  const highsScriptUrl = join(out, 'highs-wasm.js');
  writeFileSync(highsScriptUrl, `self.IL_HIGHS_WASM = "${readFileSync(join(root, 'node_modules/highs/build/highs.wasm')).toString('base64')}";\n`);
  const kernel = new KernelClient(
    webWorker(() => browserLikeWorker(web('kernelWorker'), { startup: kernelData, sweepWorkerUrl: web('sweepWorker'), highsScriptUrl, hardwareConcurrency: 2 }), false),
    { cwd: kernelData.cwd },
  );
  try {
    const cell = `const { mdp, expert } = il.resetCliff({ nS: 6, nA: 2, H: 4 });\nString(il.policyValue(mdp, il.tvAil(mdp, il.sampleTrajectories(mdp, expert, 8, 'web-lp'))))`;
    assert.deepEqual(await kernel.run(cell, 'javascript', 'cell 1'), { status: 'ok', result: [{ mime: 'text/plain', data: String(inNode) }] });
    // The pool's web sweep workers load HiGHS themselves, on their first slice of an LP learner.
    const lpSpec = { ...spec, horizons: [2, 4], seeds: 4, algorithm: 'tv-ail' as const };
    const pooled = await kernel.run(`JSON.stringify(await il.parallel.gapVsHorizon(${JSON.stringify(lpSpec)}, { workers: 2 }))`, 'javascript', 'cell 2');
    assert.equal(pooled.status, 'ok', JSON.stringify(pooled));
    assert.deepEqual(JSON.parse((pooled as { readonly result: readonly { readonly data: string }[] }).result[0].data), JSON.parse(JSON.stringify(gapVsHorizon(lpSpec))));
  } finally {
    kernel.dispose();
  }
});
