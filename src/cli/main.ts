#!/usr/bin/env node
/**
 * The headless runner's entry point (`il-notebooks`): check .ilmdp files, run notebooks, print the demo.
 */
import { checkFiles } from './check';
import { runDemo } from './resetCliffDemo';
import { defaultWorkerScript, runNotebookFiles } from './runNotebooks';

const USAGE = `usage: il-notebooks <command> [arguments]

commands:
  check FILE.ilmdp…   print every problem as file:line:col: severity: message; exit 1 on errors
  run FILE.ilnb…      run notebooks top to bottom and print their outputs; exit 1 if a cell fails
                      --write  save the fresh outputs into the files
                      --check  exit 1 if the saved outputs differ from a fresh run
  demo                the Reset Cliff compounding-error table
  help                this text`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      if (rest.length === 0 || rest.includes('--help')) {
        console.log('usage: il-notebooks check FILE.ilmdp…');
        return rest.length === 0 ? 2 : 0;
      }
      return checkFiles(rest, (line) => console.log(line));
    case 'run': {
      const files = rest.filter((a) => !a.startsWith('--'));
      const unknown = rest.filter((a) => a.startsWith('--') && a !== '--write' && a !== '--check');
      if (files.length === 0 || unknown.length > 0) {
        console.error(`${unknown.length > 0 ? `il-notebooks run: unknown option ${unknown[0]}\n` : ''}usage: il-notebooks run FILE.ilnb… [--write] [--check]`);
        return 2;
      }
      return runNotebookFiles(files, { write: rest.includes('--write'), check: rest.includes('--check'), workerScript: defaultWorkerScript() }, (t) => process.stdout.write(t));
    }
    case 'demo':
      runDemo();
      return 0;
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

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
