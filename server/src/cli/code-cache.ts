// Runs a CommonJS bundle with a V8 code cache, so that a `ledgerlint check` after the first one
// skips most of compiling the bundle (node 20 has no module.enableCompileCache). The cache file is
// keyed by the bundle's content, node's version and the architecture: a rebuilt bundle or another
// node never reads a stale cache (and V8 rejects data that does not fit, which rewrites it).
// Every cache problem (unwritable, foreign, corrupt) only costs the compile time it would have saved.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

export type CodeCacheOutcome = 'off' | 'miss' | 'hit' | 'rejected';

/**
 * Where code caches live: LEDGERLINT_CODE_CACHE names a directory (`off` or `0` disables the cache),
 * otherwise a per-user directory under os.tmpdir().
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.LEDGERLINT_CODE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return path.resolve(setting);
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `ledgerlint-code-cache-${user}`);
}

/**
 * A short non-cryptographic hash of `text` (FNV-1a over its UTF-16 code units, mixed at the end;
 * one 32-bit round, seeded apart, per 8 hex digits) for cache file names. Loading node:crypto
 * (OpenSSL's start-up) for them cost ~12 million instructions per run (callgrind): 1.6% of
 * checking one file, 0.8% of 100. Names only need to differ: what is read is guarded by
 * trustedDir, and V8 checks the data it is given.
 */
export function nameHash(text: string, hexDigits: number): string {
  let out = '';
  for (let round = 1; out.length < hexDigits; round++) {
    let h = (0x811c9dc5 ^ Math.imul(round, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    out += ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, hexDigits);
}

/** Written by scripts/build.mjs beside the bundles: each bundle's sha256, so no run has to hash a bundle. */
export const DIGESTS_FILE = 'bundle-digests.json';

/** Where requireWithCodeCache leaves each loaded bundle's identity, for the --cache key of the engine (cache.ts). */
export const BUNDLE_IDENTITIES = Symbol.for('ledgerlint.bundleIdentities');

/**
 * What a bundle is known by. `content`: the build's digest with the file's size, or without a
 * recorded digest a hash of the source (the same for every copy of a build: the --cache key).
 * `file`: also the modification time, so a bundle edited after the build, even to the same size,
 * never reads code cached for another text (V8 itself only compares the source's length).
 */
export function bundleIdentity(bundle: string, source: string): { content: string; file: string } {
  try {
    const digests = JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), DIGESTS_FILE), 'utf8')) as Record<string, unknown>;
    const digest = digests[path.basename(bundle)];
    if (typeof digest === 'string') {
      const st = fs.statSync(bundle);
      const content = `${digest}:${st.size}`;
      return { content, file: `${content}:${st.mtimeMs}` };
    }
  } catch {
    // no digests (a copied or hand-built bundle): hash the source
  }
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const content = createHash('sha256').update(source).digest('hex');
  return { content, file: content };
}

/**
 * `<bundle name>-<where>-<what>.v8cache`: one file per installed copy of a bundle (V8 keeps the
 * file name it compiled, which stack traces show), replaced when that copy's content changes.
 */
export function codeCacheFile(dir: string, bundle: string, identity: string): string {
  const where = nameHash(path.resolve(bundle), 8);
  const what = nameHash(`${identity}\0${process.version}\0${process.arch}`, 20);
  return path.join(dir, `${path.basename(bundle, '.js')}-${where}-${what}.v8cache`);
}

/**
 * Cached code is executable input: read it only from a directory this user owns and nobody else
 * can write to (os.tmpdir() is shared), so another account cannot plant code for us to run.
 */
function trustedDir(dir: string): boolean {
  try {
    const st = fs.statSync(dir);
    if (!st.isDirectory() || (st.mode & 0o022) !== 0) return false;
    return typeof process.getuid !== 'function' || st.uid === process.getuid();
  } catch {
    return false;
  }
}

function readCache(dir: string, file: string): Buffer | undefined {
  if (!trustedDir(dir)) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes atomically and removes caches of earlier builds of the same bundle; never throws. */
function writeCache(dir: string, file: string, data: Buffer): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!trustedDir(dir)) return;
    const prefix = file.slice(0, file.lastIndexOf('-') + 1);
    for (const name of fs.readdirSync(dir)) {
      const other = path.join(dir, name);
      if (other.startsWith(prefix) && other !== file && name.endsWith('.v8cache')) fs.rmSync(other, { force: true });
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // read-only or full disk, a file where the directory should be: run without a cache
  }
}

/**
 * Loads `bundle` like require() would, with its code cache when there is a usable one. When there
 * is none, the cache is written as the process exits, so it also holds the functions the run
 * compiled lazily (most of a bundle's functions are compiled on first call, not up front).
 */
export function requireWithCodeCache(bundle: string, dir = codeCacheDir(), cachedRequests: readonly string[] = []): { exports: unknown; outcome: CodeCacheOutcome } {
  const known = loaded.get(bundle);
  if (known) return known;
  const source = fs.readFileSync(bundle, 'utf8');
  const identity = bundleIdentity(bundle, source);
  const identities = ((globalThis as Record<symbol, Map<string, string> | undefined>)[BUNDLE_IDENTITIES] ??= new Map());
  identities.set(bundle, identity.content);
  const file = dir === undefined ? undefined : codeCacheFile(dir, bundle, identity.file);
  const cachedData = dir !== undefined && file !== undefined ? readCache(dir, file) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const outcome: CodeCacheOutcome = dir === undefined ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  if (dir !== undefined && file !== undefined && outcome !== 'hit') process.once('exit', () => writeCache(dir, file, script.createCachedData()));
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(bundle));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const plain = Module.createRequire(bundle);
  // Requests of other bundles beside this one (the TypeScript compiler) go through the cache too.
  const req = Object.assign((id: string) => (cachedRequests.includes(id) ? requireWithCodeCache(path.resolve(path.dirname(bundle), id), dir).exports : plain(id)), plain);
  const result = { exports: mod.exports as unknown, outcome };
  loaded.set(bundle, result);
  wrapper.call(mod.exports, mod.exports, req, mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  result.exports = mod.exports;
  return result;
}

/** Bundles already loaded in this process, as require.cache would keep them. */
const loaded = new Map<string, { exports: unknown; outcome: CodeCacheOutcome }>();
