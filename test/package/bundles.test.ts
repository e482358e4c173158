import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import ts from 'typescript';
import { join } from 'node:path';

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

test('the TypeScript plugin gives notebook cells typed globals: completions for il., errors for wrong calls, nothing for other projects', () => {
  // Runs after the build above (tests in a file run in order).
  // Loaded the way tsserver loads it: by package name from node_modules.
  const pluginDir = realpathSync(join(root, 'node_modules/il-notebooks-typescript-plugin'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const init = require(pluginDir) as () => { getExternalFiles(project: { getRootFiles(): string[] }): string[] };
  const plugin = init();
  const globals = join(pluginDir, 'globals.d.ts');
  assert.ok(existsSync(globals));
  assert.deepEqual(plugin.getExternalFiles({ getRootFiles: () => ['^/vscode-notebook-cell/ts-nul-authority/w/lab.ilnb#W0sZmlsZQ=='] }), [globals]);
  assert.deepEqual(plugin.getExternalFiles({ getRootFiles: () => ['/w/src/app.ts', '/w/notes.md'] }), []);

  const cell = '/virtual/lab.ilnb#cell.ts';
  let source = '';
  const host: import('typescript').LanguageServiceHost = {
    getScriptFileNames: () => [cell, globals],
    getScriptVersion: () => source,
    getScriptSnapshot: (f) => ts.ScriptSnapshot.fromString(f === cell ? source : (ts.sys.readFile(f) ?? '')),
    getCurrentDirectory: () => root,
    getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], strict: true, types: [], noEmit: true }),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f === cell || ts.sys.fileExists(f),
    readFile: (f) => (f === cell ? source : ts.sys.readFile(f)),
  };
  const service = ts.createLanguageService(host);
  const errors = () => service.getSemanticDiagnostics(cell).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));

  source = 'const env = il.resetCliff({ nS: 11, nA: 2, H: 8 })\nconst data = il.sampleTrajectories(env.mdp, env.expert, 40, 1)\nconst gap: number = il.imitationGap(env.mdp, env.expert, il.behavioralCloning(data))\ndisplay(il.views.bcTable(il.behavioralCloning(data)))\ndisplay.markdown(`gap ${gap}`)\nconst e = load("x.ilmdp")\ne.mdp.nS\nil.';
  const completions = service.getCompletionsAtPosition(cell, source.length, {})?.entries.map((e) => e.name) ?? [];
  for (const name of ['behavioralCloning', 'gapVsHorizon', 'views', 'resetCliff', 'dagger']) assert.ok(completions.includes(name), `il.${name} completes`);
  source = source.slice(0, -'\nil.'.length);
  assert.deepEqual(errors(), []);
  source = 'il.resetCliff({ nS: "eleven", nA: 2, H: 8 })';
  assert.ok(errors().some((m) => /string.*number|number.*string/.test(m)), errors().join('\n'));
});
