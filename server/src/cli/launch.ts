// The `ledgerlint` command's first file (bundled to dist/cli.js, kept tiny): runs the CLI bundle
// beside it (dist/cli-main.js, from server/src/cli.ts) through the V8 code cache.
import * as path from 'node:path';
import { requireWithCodeCache } from './code-cache';
import { useBatchTiering } from './v8-tiering';
import { markLaunch } from './phases';

// Before the code cache is read: cached code is only accepted under the flags it was made with.
useBatchTiering();
markLaunch();

const { outcome } = requireWithCodeCache(path.join(__dirname, 'cli-main.js'), undefined, ['./cli-typescript.js']);
// For tests and for measuring: whether this run compiled the bundle or reused the cache.
if (process.env.LEDGERLINT_DEBUG_CODE_CACHE === '1') process.stderr.write(`ledgerlint: code cache ${outcome}\n`);
