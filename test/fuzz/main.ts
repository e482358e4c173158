// `npm run fuzz [-- [--runs N] [--seed S] [suite-name…]]`: every suite (or those whose name contains one
// of the words), 10 000 cases each by default, then the counts. The seed is printed so that a failure
// can be replayed with --seed.
import { formatStats, runSuite } from './runner';
import { SUITES } from './suites';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args.splice(i, 2)[1]);
  if (!Number.isSafeInteger(v)) {
    console.error(`${name} needs a whole number`);
    process.exit(2);
  }
  return v;
};
const numRuns = option('--runs', 10_000);
const seed = option('--seed', Date.now() % 2 ** 31);
const chosen = SUITES.filter((s) => args.length === 0 || args.some((a) => s.name.includes(a)));
if (chosen.length === 0) {
  console.error(`no suite matches ${args.join(' ')}; suites: ${SUITES.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
let failed = false;
console.log(`seed ${seed}, ${numRuns} cases per suite`);
for (const suite of chosen) {
  const stats = runSuite(suite, { numRuns, seed });
  console.log(formatStats(stats));
  failed ||= stats.failure !== undefined;
}
process.exit(failed ? 1 : 0);
