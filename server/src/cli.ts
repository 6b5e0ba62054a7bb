// Entry point of the `ledgerlint` command (bundled to dist/cli-main.js, which dist/cli.js starts).
import { run } from './cli/main';
import { useBatchTiering } from './cli/v8-tiering';
import { useDirectParserGlue } from './sql/parser';

// dist/cli.js (launch.ts) already did, before loading this bundle; run from out/, this is the entry.
useBatchTiering();
useDirectParserGlue();

// `ledgerlint check | head`: the reader went away, which is no crash; the exit code still says
// whether errors were found.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ledgerlint: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
