#!/usr/bin/env node
/**
 * The headless runner's entry point (`il-notebooks`). Commands arrive with the issues that need them;
 * today: `check` and `demo`.
 */
import { checkFiles } from './check';
import { runDemo } from './resetCliffDemo';

const USAGE = `usage: il-notebooks <command> [arguments]

commands:
  check FILE.ilmdp…   print every problem as file:line:col: severity: message; exit 1 on errors
  demo                the Reset Cliff compounding-error table
  help                this text`;

function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      if (rest.length === 0 || rest.includes('--help')) {
        console.log('usage: il-notebooks check FILE.ilmdp…');
        return rest.length === 0 ? 2 : 0;
      }
      return checkFiles(rest, (line) => console.log(line));
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

process.exitCode = main(process.argv.slice(2));
