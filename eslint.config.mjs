// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** Node's built-in modules under both names (`fs` and `node:fs`). */
const NODE_BUILTINS = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];

const noVscode = { name: 'vscode', message: 'only the extension host imports vscode (docs/architecture.md): keep this code testable in plain Node and runnable in workers' };
const noNode = (where) => NODE_BUILTINS.map((name) => ({ name, message: `${where} must not use Node built-ins (it runs in a browser or a web worker too)` }));

/**
 * The extension host's own files: the only ones that may import vscode. Everything else — the core,
 * the workers, the protocols, the parser, the CLI, the kernel — runs where there is no VS Code API.
 */
const HOST_FILES = [
  'src/extension/**',
  'src/panels/**',
  'src/editor/ilmdpDiagnostics.ts',
  'src/editor/mdpEditorProvider.ts',
  'src/editor/webviewHtml.ts',
  'src/notebook/cellDiagnostics.ts',
  'src/notebook/controller.ts',
  'src/notebook/editorCache.ts',
  'src/notebook/exportCommands.ts',
  'src/notebook/ilnbSerializer.ts',
  'src/notebook/notebookCommands.ts',
  'src/notebook/staleCells.ts',
  'src/notebook/variablesView.ts',
];

/**
 * The layers, lowest first, and what each folder may import from src/. An import that reaches a
 * folder not listed for it goes upward (or sideways into another feature) and is refused.
 */
const LAYERS = {
  core: ['core'],
  workers: ['core', 'workers'],
  shared: ['core', 'workers', 'shared'],
  ilmdp: ['core', 'ilmdp'],
  parallel: ['core', 'workers', 'parallel'],
  compute: ['core', 'workers', 'shared', 'ilmdp', 'parallel', 'compute'],
  editor: ['core', 'workers', 'shared', 'ilmdp', 'editor'],
  notebook: ['core', 'workers', 'shared', 'ilmdp', 'parallel', 'notebook'],
  panels: ['core', 'workers', 'shared', 'compute', 'editor', 'panels'],
  cli: ['core', 'workers', 'shared', 'ilmdp', 'parallel', 'notebook', 'cli'],
  extension: ['core', 'workers', 'shared', 'compute', 'editor', 'notebook', 'panels', 'extension'],
};

const zones = [
  ...Object.entries(LAYERS).map(([folder, allowed]) => ({
    target: `./src/${folder}`,
    from: './src',
    except: allowed.map((a) => `./${a}`),
    message: `src/${folder} may import only from src/{${allowed.join(',')}} (docs/architecture.md: no upward imports)`,
  })),
  { target: './src', from: './webview', message: 'the host never imports webview code' },
  {
    target: './webview',
    from: './src',
    except: ['./shared', './core/algorithmNames.ts', './core/guards.ts'],
    message: 'webviews import only view models and protocols (src/shared), never the IL core: they draw, they do not compute',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'dist-vsix/', 'node_modules/', '.tools/', 'test-results/', 'bench/tmp/', 'typescript-plugin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{mjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'] })],
      // Imported .ts files are parsed as TypeScript, so no-cycle follows the whole graph.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: HOST_FILES,
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...noNode('the core and src/shared')] }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...noNode('webview code')] }] },
  },
  {
    rules: {
      // Non-null assertions mark invariants the typed-array code establishes a few lines earlier
      // (a table allocated when an option is set); rewriting them as checks would cost the hot loops.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
