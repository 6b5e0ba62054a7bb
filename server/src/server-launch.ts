// The language server's first file (bundled to dist/server.js, kept tiny): runs the server bundle
// beside it (dist/server-main.js, from server/src/server.ts) and the TypeScript compiler bundle it
// shares with the CLI (dist/cli-typescript.js, minified) through the V8 code cache. Compiling the
// 11.6 MB single bundle was ~1.7 s of CPU before a big file's first diagnostics; an editor restart
// now reuses the code the previous session compiled. LEDGERLINT_CODE_CACHE=off disables it.
// The TypeScript compiler is loaded on first use (lsp/lazy-exports.ts): the first diagnostics of a
// SQL file opened with the editor no longer wait for it.
import Module from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { requireWithCodeCache } from './cli/code-cache';
import { lazyExports } from './lsp/lazy-exports';

// PostgreSQL's parser is WebAssembly. By default V8 compiles its hot functions a second time with
// its optimizing compiler on background threads: for the parser's huge grammar function that needs
// ~40 MB of compiler memory, which the C allocator keeps resident after it is freed (2,000 indexed
// migrations: RSS ~20 MB higher, V8's peak malloc 66 MB against 26). The baseline code is about as
// fast for the parser (parse + scan of 3,000 statements: ~0.8 s of CPU either way once warm) and
// costs half the CPU while warming up. Set before server-main.js loads the module, so it applies.
v8.setFlagsFromString('--liftoff-only');

const typescriptBundle = path.join(__dirname, 'cli-typescript.js');
// server-main.js requires './cli-typescript.js' as it starts: a module already in require's cache
// is returned as it is, so the bundle gets the stand-in.
const stand = new Module(typescriptBundle);
stand.filename = typescriptBundle;
stand.loaded = true;
stand.exports = lazyExports(() => requireWithCodeCache(typescriptBundle).exports as object);
require.cache[typescriptBundle] = stand;

requireWithCodeCache(path.join(__dirname, 'server-main.js'));
