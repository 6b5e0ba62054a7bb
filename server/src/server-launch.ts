// The language server's first file (bundled to dist/server.js, kept tiny): runs the server bundle
// beside it (dist/server-main.js, from server/src/server.ts) and the TypeScript compiler bundle it
// shares with the CLI (dist/cli-typescript.js, minified) through the V8 code cache. Compiling the
// 11.6 MB single bundle was ~1.7 s of CPU before a big file's first diagnostics; an editor restart
// now reuses the code the previous session compiled. LEDGERLINT_CODE_CACHE=off disables it.
// The TypeScript compiler is loaded on first use (lsp/lazy-exports.ts): the first diagnostics of a
// SQL file opened with the editor no longer wait for it.
import Module from 'node:module';
import * as path from 'node:path';
import { requireWithCodeCache } from './cli/code-cache';
import { lazyExports } from './lsp/lazy-exports';

const typescriptBundle = path.join(__dirname, 'cli-typescript.js');
// server-main.js requires './cli-typescript.js' as it starts: a module already in require's cache
// is returned as it is, so the bundle gets the stand-in.
const stand = new Module(typescriptBundle);
stand.filename = typescriptBundle;
stand.loaded = true;
stand.exports = lazyExports(() => requireWithCodeCache(typescriptBundle).exports as object);
require.cache[typescriptBundle] = stand;

requireWithCodeCache(path.join(__dirname, 'server-main.js'));
