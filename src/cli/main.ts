#!/usr/bin/env node
/**
 * The headless runner's entry point (`il-notebooks`): check .ilmdp files, run notebooks, print the demo.
 */
import { CHECK_USAGE, checkFiles } from './check';
import { EVAL_USAGE, evalCommand, MERGE_USAGE, mergeCommand, parseFlags, runExperimentCommand, SWEEP_USAGE, sweepCommand, UsageError } from './experimentCommands';
import { runDemo } from './resetCliffDemo';
import { DEFAULT_MAX_OUTPUT_BYTES_PER_CELL, DEFAULT_MAX_OUTPUT_BYTES_PER_NOTEBOOK } from '../notebook/outputLimits';
import { MAX_CELL_TIMEOUT_MS } from '../notebook/runNotebook';
import { DEFAULT_CACHE_MAX_BYTES } from '../notebook/resultsCache';
import { DEFAULT_CACHE_FOLDER, DEFAULT_TIMEOUT_SECONDS, defaultWorkerScript, runNotebookFiles, type RunCommandOptions } from './runNotebooks';

/** Node's longest timer, in whole seconds (a longer one would fire at once). */
const MAX_TIMEOUT_SECONDS = Math.floor(MAX_CELL_TIMEOUT_MS / 1000);
/** Output caps are whole bytes up to 1 GiB: more would not be kept in memory, let alone saved. */
const MAX_OUTPUT_BYTES = 2 ** 30;

const RUN_USAGE = `usage: il-notebooks run FILE.ilnb… [options]

Runs every cell with the kernel the extension uses and writes the outputs into the notebook.
Cells after a failing cell, and cells in other languages than JavaScript and TypeScript, are not run
and keep their saved outputs (the report names them stale or skipped).
  --out FILE              write the notebook with its outputs to FILE instead (one notebook)
  --report FILE.html      also write a self-contained HTML report (one notebook)
  --json-results FILE.json  also write every cell's outcome and outputs as JSON (one notebook;
                          the same file as the editor's "Export as JSON Results")
  --timeout S             stop a cell that runs longer than S seconds (the run fails); default
                          ${DEFAULT_TIMEOUT_SECONDS}, 0 for no limit, at most ${MAX_TIMEOUT_SECONDS}
  --max-output BYTES      output kept per cell, beyond it a "… output truncated" line (default
                          ${DEFAULT_MAX_OUTPUT_BYTES_PER_CELL})
  --max-output-total BYTES  output kept in the whole notebook (default ${DEFAULT_MAX_OUTPUT_BYTES_PER_NOTEBOOK})
  --json                  print a machine-readable report on stdout (each code cell's outcome and
                          "source": "ran" or "cache"); the usual text goes to stderr
  --no-cache              run every cell (by default a cell whose code, dependencies and loaded
                          files are unchanged is restored from the results cache)
  --cache-dir DIR         keep the results cache in DIR (default ${DEFAULT_CACHE_FOLDER}/ beside the notebook)
  --cache-max-mb MB       the cache's size limit; the entries used longest ago go first (default
                          ${DEFAULT_CACHE_MAX_BYTES / 2 ** 20})
  --check                 write nothing; exit 1 if the saved outputs differ from a fresh run
                          (always a fresh computation: the cache is not used)
  --no-write              do not write outputs back
  --allow-outside-files   let load() read dataset files outside the notebook's folder and the
                          current directory
Exit code: 0 ok, 1 a cell failed or a notebook is unreadable as .ilnb, 2 a bad option or path.`;

type RunArguments = { files: string[]; options: Omit<RunCommandOptions, 'workerScript'>; help: boolean } | { error: string };

function parseRunArguments(args: readonly string[]): RunArguments {
  const files: string[] = [];
  const options: {
    out?: string;
    report?: string;
    jsonResults?: string;
    timeoutSeconds?: number;
    maxOutputBytes?: number;
    maxOutputBytesTotal?: number;
    check?: boolean;
    noWrite?: boolean;
    allowOutsideFiles?: boolean;
    json?: boolean;
    cache?: boolean;
    cacheDir?: string;
    cacheMaxBytes?: number;
  } = { cache: true };
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    const bytes = () => {
      const text = value();
      const n = Number(text);
      if (!/^\d+$/.test(text) || !(n >= 1024 && n <= MAX_OUTPUT_BYTES)) throw new Error(`${arg} takes a whole number of bytes from 1024 to ${MAX_OUTPUT_BYTES}; got ${text}`);
      return n;
    };
    try {
      if (arg === '--help' || arg === '-h') help = true;
      else if (arg === '--out') options.out = value();
      else if (arg === '--report') options.report = value();
      else if (arg === '--json-results') options.jsonResults = value();
      else if (arg === '--timeout') {
        const text = value();
        const seconds = Number(text);
        if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
          return { error: `--timeout takes seconds from 0 (no limit) to ${MAX_TIMEOUT_SECONDS} (about 24.8 days, the longest timer Node.js has); got ${text}` };
        }
        options.timeoutSeconds = seconds;
      } else if (arg === '--max-output') options.maxOutputBytes = bytes();
      else if (arg === '--max-output-total') options.maxOutputBytesTotal = bytes();
      else if (arg === '--check') options.check = true;
      else if (arg === '--json') options.json = true;
      else if (arg === '--no-cache') options.cache = false;
      else if (arg === '--cache-dir') options.cacheDir = value();
      else if (arg === '--cache-max-mb') {
        const text = value();
        const mb = Number(text);
        if (!/^\d+$/.test(text) || !(mb >= 1 && mb <= 2 ** 20)) return { error: `--cache-max-mb takes a whole number of megabytes from 1 to ${2 ** 20}; got ${text}` };
        options.cacheMaxBytes = mb * 2 ** 20;
      }
      else if (arg === '--no-write') options.noWrite = true;
      else if (arg === '--allow-outside-files') options.allowOutsideFiles = true;
      else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
      else files.push(arg);
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  if (!help && files.length === 0) return { error: 'no notebook given' };
  return { files, options, help };
}

const DEMO_USAGE = `usage: il-notebooks demo
  the Reset Cliff compounding-error table (per-step BC, |S| = 11, |A| = 2, N = 40, H = 1 … 128)`;

const USAGE = `usage: il-notebooks <command> [arguments]    (il-notebooks <command> --help for its options)

commands:
  check FILE.ilmdp…   print every problem as file:line:col: severity: message; exit 1 on errors
  run FILE.ilnb…      run notebooks top to bottom, print and save their outputs; exit 1 if a cell fails
                      (il-notebooks run --help for its options)
  eval FILE.ilmdp     V(π) of a policy by exact evaluation (--visitation for d^π_h(s), --json)
  sweep gap-vs-h|gap-vs-n FILE.ilmdp
                      BC's imitation gap against H or N, with bounds and the log-log slope (--json);
                      on a pool of threads, or one shard of the seeds (--shard I/N)
  merge SHARD.json…   the sweep from its shards, exactly as if it had run in one place
  demo                the Reset Cliff compounding-error table
  help                this text`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runExperimentCommand(
        (args, write) => {
          const flags = parseFlags(args, [], ['--allow-outside-files']);
          if (flags.positional.length === 0) throw new UsageError('give one or more .ilmdp files');
          return checkFiles(flags.positional, (line) => write(`${line}\n`), { allowOutsideFiles: flags.switches.has('--allow-outside-files') });
        },
        CHECK_USAGE,
        rest,
      );
    case 'run': {
      const parsed = parseRunArguments(rest);
      if ('error' in parsed) {
        console.error(`il-notebooks run: ${parsed.error}\n${RUN_USAGE}`);
        return 2;
      }
      if (parsed.help) {
        console.log(RUN_USAGE);
        return 0;
      }
      return runNotebookFiles(parsed.files, { ...parsed.options, workerScript: defaultWorkerScript() }, (t) => process.stdout.write(t));
    }
    case 'eval':
      return runExperimentCommand(evalCommand, EVAL_USAGE, rest);
    case 'sweep':
      return runExperimentCommand((args, write) => sweepCommand(args, write), SWEEP_USAGE, rest);
    case 'merge':
      return runExperimentCommand(mergeCommand, MERGE_USAGE, rest);
    case 'demo':
      return runExperimentCommand(
        (args) => {
          const flags = parseFlags(args, [], []);
          if (flags.positional.length > 0) throw new UsageError(`demo takes no arguments, got ${flags.positional.join(' ')}`);
          runDemo();
          return 0;
        },
        DEMO_USAGE,
        rest,
      );
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`il-notebooks: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

/** A system error about a path the user gave (EISDIR, EACCES…): a message, not a stack trace. */
function isPathError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).path === 'string';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (!isPathError(error)) throw error;
    const why = error.code === 'EISDIR' ? 'is a directory; give a file' : error.code === 'ENOENT' ? 'not found' : `cannot be used (${error.code})`;
    console.error(`il-notebooks: ${error.path} ${why}`);
    process.exitCode = 2;
  },
);
