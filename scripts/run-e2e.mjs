// `npm run test:e2e`: packages the extension, sets up the local code-server (once; cached in .tools/),
// and runs the end-to-end scenarios in test/e2e one at a time (each starts its own VS Code).
// Arguments narrow the run: `npm run test:e2e -- notebook` runs files whose name contains "notebook".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run('bash', ['scripts/setup-code-server.sh']);
run('npm', ['run', '--silent', 'package']);
const filters = process.argv.slice(2);
const files = readdirSync(join(root, 'test/e2e'))
  .filter((f) => f.endsWith('.e2e.test.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
  .map((f) => join('test/e2e', f));
if (files.length === 0) {
  console.error(`no end-to-end scenarios match ${filters.join(' ')}`);
  process.exit(1);
}
run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files]);
