// Runs every test/**/*.test.ts with Node's built-in test runner (TypeScript through tsx's loader), so
// CI reads node:test's own summary. Arguments narrow the run: `npm test -- core/bc` runs files whose
// path contains "core/bc".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'test');

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      // End-to-end scenarios need a VS Code; they have their own command (npm run test:e2e).
      if (name === 'e2e' || name === 'fixtures') continue;
      out.push(...findTests(full));
    } else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = findTests(testDir).filter(
  (f) => filters.length === 0 || filters.some((flt) => relative(testDir, f).includes(flt)),
);
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
