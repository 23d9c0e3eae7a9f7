/** The `brainweave` executable (bin/brainweave.cjs loads the built copy of this file). */
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`brainweave: internal error: ${(e as Error)?.stack ?? e}\n`); process.exitCode = 1; },
);
