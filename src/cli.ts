import 'reflect-metadata';
import { runCli } from './cli/commands.js';

/** Operator commands: `npm run cli -- help`. */
runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`error: ${(e as Error)?.stack ?? e}`);
    process.exit(1);
  },
);
