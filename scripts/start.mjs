// `npm start`: builds and packages the extension, installs it into a local VS Code (code-server, set up
// in .tools/ on first use), and serves the examples/ folder on loopback. Open the printed URL in a
// browser; Ctrl+C stops it. PORT=… picks the port (default 8080).
// `npm run start:web` (`--web`): the same, with the extension forced into the browser's web worker
// extension host (the web build, as on vscode.dev), through the user setting remote.extensionKind, in a
// user-data folder of its own so that plain `npm start` stays on the Node build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tools = join(root, '.tools');
const entry = join(tools, 'node_modules/code-server/out/node/entry.js');
const web = process.argv.includes('--web');
const userData = join(tools, web ? 'user-data-web' : 'user-data');
const extensions = join(tools, 'extensions');
const port = process.env.PORT ?? '8080';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('bash', ['scripts/setup-code-server.sh']);
run('npm', ['run', '--silent', 'package']);
mkdirSync(join(userData, 'User'), { recursive: true });
const settings = join(userData, 'User/settings.json');
const forceWeb = { 'remote.extensionKind': { 'il-notebooks.il-notebooks': ['web'] } };
if (!existsSync(settings)) writeFileSync(settings, JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', ...(web ? forceWeb : {}) }, null, 2));
run(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', join(root, 'dist-vsix/il-notebooks.vsix'), '--force']);

const folder = join(root, 'examples');
const server = spawn(
  process.execPath,
  [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', extensions, folder],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
console.log(`\nIL Notebooks${web ? ' (web build: in the browser\'s web worker extension host)' : ''} is running in VS Code (code-server) with the examples folder:\n\n  http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}\n\nOpen it in a browser. Ctrl+C stops it.\n`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
