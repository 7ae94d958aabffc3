import { engineBench } from './engine.bench.js';
import { httpBench, httpClosedBench } from './http.bench.js';
import { importBench } from './import.bench.js';
import { inboxBench } from './inbox.bench.js';
import { petitionsBench } from './petitions.bench.js';
import { timersBench } from './timers.bench.js';
import { argList, argValue } from './support.js';

/**
 * `npm run bench -- <engine|timers|import|inbox|http|http-closed|petitions> [--n N]`; without a name, `engine` with a timer burst.
 * DATABASE_URL and REDIS_URL measure on PostgreSQL + Redis; otherwise the embedded database.
 */
const args = process.argv.slice(2);
const name = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'default';

const runs: Record<string, () => Promise<void>> = {
  default: () => engineBench(argValue(args, 'n', 300), true),
  engine: () => engineBench(argValue(args, 'n', 300), false),
  timers: () => timersBench(argValue(args, 'n', 100_000), argValue(args, 'nodes', 2)),
  import: () => importBench(argValue(args, 'n', 10_000)),
  inbox: () =>
    inboxBench(
      argValue(args, 'tasks', 1_000_000),
      argValue(args, 'problems', 10_000),
      argValue(args, 'requests', 200),
      argValue(args, 'open', 2),
    ),
  http: () =>
    httpBench(
      argList(args, 'rates', [25, 50, 100, 200]),
      argValue(args, 'seconds', 10),
      argList(args, 'workers', [1, 2]),
    ),
  'http-closed': () => httpClosedBench(argValue(args, 'clients', 50), argValue(args, 'n', 2_000)),
  petitions: () => petitionsBench(argValue(args, 'n', 3_000), argValue(args, 'report', 20_000)),
};

const run = runs[name];
if (!run) {
  console.error(
    `unknown benchmark "${name}"; choose one of ${Object.keys(runs)
      .filter((k) => k !== 'default')
      .join(', ')}`,
  );
  process.exit(2);
}
run().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
