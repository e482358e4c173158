import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  assert.match(types, /export \* from '\.\/experiments'/);
});
