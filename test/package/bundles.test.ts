import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellPath, positionAfter, TsServer } from '../notebook/helpers/tsserver';

const root = join(__dirname, '../..');

test('the build bundles the core for plain Node as il-notebooks/core, and keeps vscode external', () => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const script = `
    const core = require('il-notebooks/core');
    const { mdp, expert } = core.resetCliff({ nS: 11, nA: 2, H: 8 });
    const names = ['resetCliff', 'policyValue', 'gapVsHorizon', 'behavioralCloning', 'sampleTrajectories', 'validateMDP'];
    process.stdout.write(JSON.stringify({ missing: names.filter((n) => typeof core[n] !== 'function'), value: core.policyValue(mdp, expert) }));`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout) as { missing: string[]; value: number };
  assert.deepEqual(out.missing, []);
  assert.ok(Math.abs(out.value - 8) < 1e-12, `V(π^E) = ${out.value}, expected H = 8`);
  const host = readFileSync(`${root}/dist/extension.js`, 'utf8');
  assert.match(host, /require\("vscode"\)/);
  assert.doesNotMatch(host, /createOutputChannel\s*=\s*function/);
  const types = readFileSync(`${root}/dist/types/core/index.d.ts`, 'utf8');
  // The package's types are the explicit public API: the sweeps, never the fast paths behind them.
  assert.match(types, /\bgapVsHorizon\b[^;]*from '\.\/experiments'/);
  assert.doesNotMatch(types, /^export \*/m);
  assert.doesNotMatch(types, /\bmarkResetOnlyVisitsPair\b|\bPerStepBcGap\b|\baleaStatePair\b/);
});

test('HiGHS ships with the bundles: one dist/highs.wasm, listed for the .vsix, found by the core library and by the CLI in dist/cli/', () => {
  // Runs after the build above.
  assert.ok(existsSync(join(root, 'dist/highs.wasm')));
  assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), /^!dist\/highs\.wasm$/m);
  const script = `
    const core = require('il-notebooks/core');
    const { mdp, expert } = core.resetCliff({ nS: 6, nA: 2, H: 4 });
    const data = core.sampleTrajectories(mdp, expert, 8, 'ships');
    let before = '';
    try { core.tvAil(mdp, data); } catch (e) { before = e.code; }
    core.initLp().then(() => process.stdout.write(JSON.stringify({ before, rows: core.tvAilFit(mdp, data).lp.rows })));`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout) as { before: string; rows: number };
  assert.equal(out.before, 'lp-not-ready');
  assert.ok(out.rows > 0);
  const cli = spawnSync(
    process.execPath,
    ['dist/cli/main.js', 'sweep', 'gap-vs-h', 'examples/reset-cliff.ilmdp', '--expert', 'expert', '--n', '10', '--horizons', '2,4', '--seeds', '3', '--algorithm', 'mimic-md', '--workers', '1', '--json'],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal((JSON.parse(cli.stdout) as { algorithm: string }).algorithm, 'mimic-md');
});

test('the TypeScript plugin, in a real tsserver, gives notebook cells the kernel\'s globals: completions, hover, signatures, errors that match what the kernel runs', async () => {
  // Runs after the build above (tests in a file run in order): the plugin and its declarations as shipped,
  // found by tsserver the way VS Code points it at the extension (node_modules/il-notebooks-typescript-plugin).
  const server = new TsServer(root);
  const folder = mkdtempSync(join(tmpdir(), 'il-tsserver-'));
  const notebook = join(folder, 'lab.ilnb');
  try {
    const cell = (i: number) => cellPath(notebook, i);
    const first = 'const env = il.resetCliff({ nS: 11, nA: 2, H: 8 })\nconst sweep = 1\n';
    // What the kernel accepts: a name another cell declared, declared again; top-level await; Node's process.
    const second = 'const sweep = 2\nawait Promise.resolve(env.mdp.nS)\nprocess.stdout.write("x")\nil.\n';
    await server.open(cell(0), first, 'JS', folder);
    await server.open(cell(1), second, 'JS', folder);

    const completions = await server.request('completionInfo', { file: cell(1), ...positionAfter(second, 'il.'), triggerCharacter: '.' });
    const kinds = new Map(((completions.body as { entries?: { name: string; kind: string }[] })?.entries ?? []).map((e) => [e.name, e.kind]));
    assert.equal(kinds.get('behavioralCloning'), 'function', 'a core function completes as a function, not an alias');
    assert.equal(kinds.get('gapVsHorizon'), 'method');
    assert.equal(kinds.get('views'), 'property');
    assert.ok(kinds.has('dagger') && kinds.has('sampleTrajectories') && kinds.has('parallel'));

    const errors = async (file: string) => ((await server.request('semanticDiagnosticsSync', { file })).body as { code: number; text: string; start: { line: number } }[]).map((d) => ({ code: d.code, line: d.start.line, text: d.text }));
    assert.deepEqual(await errors(cell(0)), []);
    const accepted = second.replace('il.\n', '');
    await server.open(cell(1), accepted, 'JS', folder);
    assert.deepEqual(await errors(cell(1)), [], 'what the kernel runs is not an error');

    const wrong = 'il.imitationGap(1)\nil.resetCliff({ nS: "eleven", nA: 2, H: 8 })\nil.behavioralClo\n';
    await server.open(cell(2), wrong, 'JS', folder);
    const found = await errors(cell(2));
    assert.deepEqual(found.map((e) => [e.code, e.line]), [[2554, 1], [2322, 2], [2551, 3]], JSON.stringify(found));
    assert.match(found[0].text, /Expected 3 arguments, but got 1/);

    // What the checker says about untyped code that runs fine is not reported in JavaScript cells: a widened
    // literal, a union from an array of mixed values, a possibly-undefined field, an implicit any, a name
    // another open notebook declares with another type.
    const untyped = [
      'const instance = { env: { kind: "reset-cliff", nS: 6, nA: 2, H: 1 }, N: 10, horizons: [2, 4], baseSeed: "x" }',
      'const result = il.gapVsHorizon({ ...instance, seeds: 4 })',
      'for (const [name, pi] of [["expert", env.expert], ["uniform", env.expert]]) name.padEnd(4)',
      'result.slope.slope.toFixed(2)',
      'const twice = (x) => x * 2',
    ].join('\n');
    await server.open(cell(4), untyped, 'JS', folder);
    assert.deepEqual(await errors(cell(4)), []);
    await server.open(cellPath(join(folder, 'other.ilnb'), 0), 'const sweep = "a string in another notebook"\n', 'JS', folder);
    assert.deepEqual(await errors(cell(1)), [], 'another notebook\'s names do not squiggle this one');

    const typed = 'const horizon: string = env.mdp.H\n';
    await server.open(cell(3), typed, 'TS', folder);
    assert.deepEqual((await errors(cell(3))).map((e) => e.code), [2322], 'a TypeScript cell sees the names of the other cells, typed');

    const hover = await server.request('quickinfo', { file: cell(2), ...positionAfter(wrong, 'il.imitationG') });
    assert.match((hover.body as { documentation: string }).documentation, /Imitation gap V\(π\^E\) − V\(π\)/);
    const signature = await server.request('signatureHelp', { file: cell(2), ...positionAfter(wrong, 'il.imitationGap(') });
    const params = (signature.body as { items: { parameters: { name: string }[] }[] }).items[0].parameters.map((p) => p.name);
    assert.deepEqual(params, ['mdp', 'expert', 'learner']);

    // The examples' cells, each notebook opened as VS Code opens it: no squiggles on the product's own notebooks.
    const examples = join(root, 'examples');
    for (const name of readdirSync(examples).filter((f) => f.endsWith('.ilnb'))) {
      const content = JSON.parse(readFileSync(join(examples, name), 'utf8')) as { cells: { kind: string; language: string; source: string | string[] }[] };
      const opened: string[] = [];
      for (const [i, c] of content.cells.entries()) {
        if (c.kind !== 'code') continue;
        const file = cellPath(join(folder, 'examples', name), i);
        await server.open(file, Array.isArray(c.source) ? c.source.join('') : c.source, c.language === 'typescript' ? 'TS' : 'JS', folder);
        opened.push(file);
      }
      for (const file of opened) assert.deepEqual(await errors(file), [], `${name}: ${file}`);
    }

    // A loose script beside the notebook shares its inferred project, so it sees the declarations, but it keeps
    // JavaScript's unchecked defaults: only cells are checked.
    const script = join(folder, 'app.js');
    await server.open(script, 'Math.max("a", {})\n', 'JS', folder);
    assert.deepEqual(await errors(script), []);
    // A script of a project of its own (a jsconfig.json) is left alone.
    const app = mkdtempSync(join(tmpdir(), 'il-tsserver-app-'));
    writeFileSync(join(app, 'jsconfig.json'), '{}');
    const projectScript = join(app, 'main.js');
    const plain = 'il.resetCliff\n';
    writeFileSync(projectScript, plain);
    await server.open(projectScript, plain, 'JS', app);
    const names = ((await server.request('completionInfo', { file: projectScript, ...positionAfter(plain, 'il.'), triggerCharacter: '.' })).body as { entries?: { name: string }[] } | undefined)?.entries ?? [];
    assert.ok(!names.some((e) => e.name === 'behavioralCloning'), 'no il in a project of its own');
  } finally {
    server.close();
  }
});
