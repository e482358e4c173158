#!/usr/bin/env node
/**
 * The headless runner's entry point (`il-notebooks`): check .ilmdp files, run notebooks, print the demo.
 */
import { CHECK_USAGE, checkFiles } from './check';
import { EVAL_USAGE, evalCommand, MERGE_USAGE, mergeCommand, parseFlags, runExperimentCommand, SWEEP_USAGE, sweepCommand, UsageError } from './experimentCommands';
import { runDemo } from './resetCliffDemo';
import { defaultWorkerScript, runNotebookFiles, type RunCommandOptions } from './runNotebooks';

const RUN_USAGE = `usage: il-notebooks run FILE.ilnb… [options]

Runs every cell with the kernel the extension uses and writes the outputs into the notebook.
  --out FILE          write the notebook with its outputs to FILE instead (one notebook)
  --report FILE.html  also write a self-contained HTML report (one notebook)
  --timeout S         stop a cell that runs longer than S seconds (the run fails)
  --check             write nothing; exit 1 if the saved outputs differ from a fresh run
  --no-write          do not write outputs back`;

type RunArguments = { files: string[]; options: Omit<RunCommandOptions, 'workerScript'>; help: boolean } | { error: string };

function parseRunArguments(args: readonly string[]): RunArguments {
  const files: string[] = [];
  const options: { out?: string; report?: string; timeoutSeconds?: number; check?: boolean; noWrite?: boolean } = {};
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '--help' || arg === '-h') help = true;
      else if (arg === '--out') options.out = value();
      else if (arg === '--report') options.report = value();
      else if (arg === '--timeout') {
        const seconds = Number(value());
        if (!(seconds > 0)) return { error: '--timeout takes a number of seconds > 0' };
        options.timeoutSeconds = seconds;
      } else if (arg === '--check') options.check = true;
      else if (arg === '--no-write') options.noWrite = true;
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
