// One esbuild configuration for every bundle: the extension host, the compute worker, the core as a
// plain-Node library (the `il-notebooks/core` subpath), the CLI, and (with --bench) the benchmark.
// Browser bundles (webviews, notebook renderers) join the list as they are written:
//   { in: 'webview/<name>/main.ts', out: 'webview/<name>', platform: 'browser', format: 'esm' }
// Flags: --production (minified, no source maps), --watch, --bench, --web-out DIR (only the web build,
// into DIR/web/: the web bundle's test builds it apart from dist/).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const bench = args.has('--bench');
const webOutIndex = process.argv.indexOf('--web-out');
const webOut = webOutIndex > 0 ? process.argv[webOutIndex + 1] : undefined;

/** @type {{ in: string; out: string; platform: 'node' | 'browser'; format: 'cjs' | 'esm' | 'iife'; outdir?: string; web?: boolean }[]} */
const entries = [
  { in: 'src/extension/extension.ts', out: 'extension', platform: 'node', format: 'cjs' },
  { in: 'src/compute/computeWorker.ts', out: 'computeWorker', platform: 'node', format: 'cjs' },
  { in: 'src/editor/editorWorker.ts', out: 'editorWorker', platform: 'node', format: 'cjs' },
  { in: 'src/editor/parseService.ts', out: 'parseService', platform: 'node', format: 'cjs' },
  { in: 'src/parallel/sweepWorker.ts', out: 'sweepWorker', platform: 'node', format: 'cjs' },
  { in: 'src/notebook/kernel/kernelWorker.ts', out: 'kernelWorker', platform: 'node', format: 'cjs' },
  { in: 'src/core/index.ts', out: 'core/index', platform: 'node', format: 'cjs' },
  { in: 'src/cli/demo.ts', out: 'cli/demo', platform: 'node', format: 'cjs' },
  { in: 'src/cli/main.ts', out: 'cli/main', platform: 'node', format: 'cjs' },
  // VS Code's TypeScript server loads contributed plugins from the extension's node_modules: the plugin is
  // a local package (typescript-plugin/, a `file:` dependency) so that the .vsix carries it there.
  { in: 'src/notebook/typescriptPlugin.ts', out: 'index', platform: 'node', format: 'cjs', outdir: 'typescript-plugin' },
  { in: 'webview/mdpEditor/main.ts', out: 'webview/mdpEditor', platform: 'browser', format: 'esm' },
  { in: 'webview/notebookRenderer/main.ts', out: 'webview/notebookRenderer', platform: 'browser', format: 'esm' },
  { in: 'webview/panel/main.ts', out: 'webview/panel', platform: 'browser', format: 'esm' },
  // The web build (package.json's `browser`: VS Code for the Web's web worker extension host): the host
  // as one CommonJS bundle, every worker a classic Web Worker script (webPlatform.ts starts them).
  { in: 'src/extension/webExtension.ts', out: 'web/extension', platform: 'browser', format: 'cjs', web: true },
  { in: 'src/editor/parseServiceWeb.ts', out: 'web/parseService', platform: 'browser', format: 'iife', web: true },
  { in: 'src/editor/editorWorkerWeb.ts', out: 'web/editorWorker', platform: 'browser', format: 'iife', web: true },
  { in: 'src/compute/computeWorkerWeb.ts', out: 'web/computeWorker', platform: 'browser', format: 'iife', web: true },
  { in: 'src/parallel/sweepWorkerWeb.ts', out: 'web/sweepWorker', platform: 'browser', format: 'iife', web: true },
  { in: 'src/notebook/kernel/webKernelWorker.ts', out: 'web/kernelWorker', platform: 'browser', format: 'iife', web: true },
];
/**
 * The Node built-ins that code shared with the Node build still names, for the web bundles: pure
 * stand-ins (POSIX paths, inspect, the cores), and a file system that says there is none (the web reads
 * files through vscode.workspace.fs on the host), and Web Crypto for HiGHS's loader. Anything else
 * from Node fails the build.
 */
const webAliases = {
  'node:path': './src/web/path.ts',
  'node:fs': './src/web/fs.ts',
  'node:fs/promises': './src/web/fs.ts',
  'node:util': './src/web/util.ts',
  'node:os': './src/web/os.ts',
  'node:child_process': './src/web/child_process.ts',
  'node:crypto': './src/web/crypto.ts',
};
if (bench) entries.push({ in: 'bench/bench.ts', out: 'bench', platform: 'node', format: 'cjs', outdir: 'dist-bench' });

/**
 * HiGHS's WebAssembly (src/core/highs.ts): one copy in dist/, which every Node bundle finds through the
 * IL_HIGHS_WASM path defined for it, relative to the bundle's own folder (dist/cli/main.js: ../highs.wasm).
 */
const highsWasm = createRequire(import.meta.url).resolve('highs/runtime');
function highsWasmFrom(entry) {
  const bundleDir = join(root, entry.outdir ?? 'dist', dirname(entry.out));
  return relative(bundleDir, join(root, 'dist/highs.wasm')).split('\\').join('/');
}

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
    ...(entry.platform === 'node' ? { define: { IL_HIGHS_WASM: JSON.stringify(highsWasmFrom(entry)) } } : {}),
    ...(entry.web ? { alias: webAliases, define: { IL_HIGHS_WASM: 'undefined' } } : {}),
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
  };
}

/**
 * The declarations the TypeScript plugin adds to notebook cells: the kernel API's types, copied beside
 * the plugin so that they resolve the same from the repository and from an installed .vsix.
 */
function writeTypescriptPluginTypes() {
  const dir = join(root, 'typescript-plugin');
  rmSync(join(dir, 'types'), { recursive: true, force: true });
  cpSync(join(root, 'dist/types'), join(dir, 'types'), { recursive: true });
  const api = './types/notebook/kernel/kernelApi';
  writeFileSync(
    join(dir, 'globals.d.ts'),
    [
      '// Globals of an IL notebook kernel, for IntelliSense in .ilnb cells (written by scripts/build.mjs).',
      '/** The IL core: MDPs, environments, rollouts, BC, evaluation, bounds, sweeps, DAgger, model learning, and il.views. */',
      `declare const il: import('${api}').KernelIl;`,
      '/** Shows a value below the cell: a view, an environment, a sweep, a dataset, a policy, or text. */',
      `declare const display: import('${api}').Display;`,
      '/** Reads an .ilmdp file relative to the notebook, with its datasets realised. */',
      `declare const load: import('${api}').Load;`,
      '',
    ].join('\n'),
  );
}

if (webOut) {
  // Each bundle's metafile beside the bundles: which imports esbuild left external is what test/package/webBundle.test.ts checks.
  const results = await Promise.all(entries.filter((e) => e.web).map((e) => esbuild.build({ ...options(e), outdir: webOut, metafile: true })));
  results.forEach((result, i) => writeFileSync(join(webOut, `${entries.filter((e) => e.web)[i].out.replace('/', '-')}.meta.json`), JSON.stringify(result.metafile)));
  console.log(`built the web bundles into ${webOut}`);
  process.exit(0);
}

if (!watch) rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });
cpSync(highsWasm, join(root, 'dist/highs.wasm'));

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
  writeTypescriptPluginTypes();
  console.log(`built ${entries.length} bundles${production ? ' (production)' : ''} and the core's type declarations`);
}
