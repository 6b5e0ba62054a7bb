// The language server's first file (bundled to dist/server.js, kept tiny): runs the server bundle
// beside it (dist/server-main.js, from server/src/server.ts) and the TypeScript compiler bundle it
// shares with the CLI (dist/cli-typescript.js, minified) through the V8 code cache. Compiling the
// 11.6 MB single bundle was ~1.7 s of CPU before a big file's first diagnostics; an editor restart
// now reuses the code the previous session compiled. LEDGERLINT_CODE_CACHE=off disables it.
import * as path from 'node:path';
import { requireWithCodeCache } from './cli/code-cache';

requireWithCodeCache(path.join(__dirname, 'server-main.js'), undefined, ['./cli-typescript.js']);
