// One esbuild configuration for every bundle: the extension host, the compute worker, the core as a
// plain-Node library (the `il-notebooks/core` subpath), the CLI, and (with --bench) the benchmark.
// Browser bundles (webviews, notebook renderers) join the list as they are written:
//   { in: 'webview/<name>/main.ts', out: 'webview/<name>', platform: 'browser', format: 'esm' }
// Flags: --production (minified, no source maps), --watch, --bench.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const bench = args.has('--bench');

/** @type {{ in: string; out: string; platform: 'node' | 'browser'; format: 'cjs' | 'esm'; outdir?: string }[]} */
const entries = [
  { in: 'src/extension/extension.ts', out: 'extension', platform: 'node', format: 'cjs' },
  { in: 'src/extension/computeWorker.ts', out: 'computeWorker', platform: 'node', format: 'cjs' },
  { in: 'src/notebook/kernel/kernelWorker.ts', out: 'kernelWorker', platform: 'node', format: 'cjs' },
  { in: 'src/core/index.ts', out: 'core/index', platform: 'node', format: 'cjs' },
  { in: 'src/cli/demo.ts', out: 'cli/demo', platform: 'node', format: 'cjs' },
  { in: 'src/cli/main.ts', out: 'cli/main', platform: 'node', format: 'cjs' },
  { in: 'webview/mdpEditor/main.ts', out: 'webview/mdpEditor', platform: 'browser', format: 'esm' },
  { in: 'webview/notebookRenderer/main.ts', out: 'webview/notebookRenderer', platform: 'browser', format: 'esm' },
];
if (bench) entries.push({ in: 'bench/bench.ts', out: 'bench', platform: 'node', format: 'cjs', outdir: 'dist-bench' });

function options(entry) {
  return {
    absWorkingDir: root,
    entryPoints: [{ in: entry.in, out: entry.out }],
    outdir: entry.outdir ?? 'dist',
    bundle: true,
    platform: entry.platform,
    format: entry.format,
    target: entry.platform === 'node' ? 'node20' : 'es2022',
    external: ['vscode'],
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
  };
}

if (!watch) rmSync(join(root, 'dist'), { recursive: true, force: true });

if (watch) {
  const contexts = await Promise.all(entries.map((e) => esbuild.context(options(e))));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${entries.length} bundles…`);
} else {
  await Promise.all(entries.map((e) => esbuild.build(options(e))));
  // Type declarations for the core subpath (what `import … from 'il-notebooks/core'` sees).
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.types.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  console.log(`built ${entries.length} bundles${production ? ' (production)' : ''} and the core's type declarations`);
}
