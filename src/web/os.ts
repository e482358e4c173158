/**
 * `node:os` for the web build: what the host files ask of it (the cores, a home folder to fall back on),
 * from the browser (navigator.hardwareConcurrency) or neutral ('/').
 */
const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;

export const availableParallelism = (): number => Math.max(1, nav?.hardwareConcurrency ?? 1);
export const cpus = (): unknown[] => Array.from({ length: availableParallelism() }, () => ({}));
export const homedir = (): string => '/';
export const tmpdir = (): string => '/tmp';
export const EOL = '\n';
export default { availableParallelism, cpus, homedir, tmpdir, EOL };
