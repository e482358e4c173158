/**
 * `node:fs` (and `node:fs/promises`) for the web build: there is no disk. scripts/build.mjs aliases
 * the modules here so that code written for Node (src/ilmdp/datasetAccess.ts) still bundles; on the
 * web every file comes through `vscode.workspace.fs` on the host instead, and whatever still reaches
 * here fails with an error that says so, which the callers turn into their usual positioned problem.
 */
function unavailable(name: string): never {
  throw Object.assign(new Error(`${name}: the web build has no file system of its own; files come through the editor (vscode.workspace.fs)`), { code: 'ENOSYS' });
}

export const constants = { O_RDONLY: 0, O_NONBLOCK: 0 };
export const openSync = () => unavailable('open');
export const closeSync = () => unavailable('close');
export const fstatSync = () => unavailable('fstat');
export const readSync = () => unavailable('read');
export const realpathSync = () => unavailable('realpath');
export const statSync = () => unavailable('stat');
export const existsSync = () => false;
export const readFileSync = () => unavailable('readFile');
export const open = async () => unavailable('open');
export const realpath = async () => unavailable('realpath');
export const stat = async () => unavailable('stat');
// The CLI's results cache (src/notebook/cellKeys.ts) hashes the files a cell loads; the web build has no cache.
export const readFile = async () => unavailable('readFile');
export default { constants, openSync, closeSync, fstatSync, readSync, realpathSync, statSync, existsSync, readFileSync };
