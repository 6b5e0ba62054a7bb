// `--cache`: findings of unchanged files are read back instead of recomputed, like ESLint's
// cache. An entry is valid when the file's content hash and its dependency key both match.
// The dependency key covers what a file's findings can depend on besides its own text: the
// engine (version, rule set, the running bundle), the resolved configuration, and the workspace
// inputs of its language: every .sql file (the workspace schema is replayed from all of them, and
// migration order comes from their paths) for SQL; for TypeScript, the same .sql files (TypeScript
// is checked against the migrations' schema) and every checked TypeScript file (database handles
// and pgTable calls are learned across modules). So editing a TypeScript file leaves the SQL files
// cached, while editing a migration re-checks both. TypeScript also depends on the drizzle.config.*
// files above the checked files (their `casing` decides identifier-hygiene), which are not checked files,
// and on the workspace modules they import outside the checked set (an enums file, through tsconfig paths too).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../engine/types';
import { RULE_IDS } from '../rules';
import { drizzleConfigFiles } from '../drizzle/config-files';
import { typeScriptDependencies } from '../drizzle/dependencies';

const RULE_IDS_SORTED = () => [...RULE_IDS].sort();

export const DEFAULT_CACHE_FILE = '.ledgerlintcache';
/** Bump when the file layout or the meaning of an entry changes (2: findings without `data`). */
const FORMAT = 2;

interface Entry {
  /** sha1(content hash + dependency key). */
  key: string;
  findings: Finding[];
}

interface CacheFile {
  format: number;
  files: Record<string, Entry>;
}

export function hashOf(...parts: Array<string | Buffer>): string {
  const h = createHash('sha1');
  for (const p of parts) {
    h.update(p);
    h.update('\u0000');
  }
  return h.digest('hex');
}

let engineHash: string | undefined;

/**
 * Identifies the code that produced the findings. The bundle hashes itself, so a rebuilt CLI
 * with the same version number never reuses findings of the old one.
 */
export function engineFingerprint(version: string, ruleIds: readonly string[]): string {
  if (engineHash === undefined) {
    let self = '';
    try {
      self = hashOf(fs.readFileSync(__filename));
    } catch {
      // no readable source (unusual packaging): version and rule set still separate releases
    }
    engineHash = self;
  }
  return hashOf(String(FORMAT), version, [...ruleIds].sort().join(','), engineHash);
}

/** The hash of a set of files (path and content), in a stable order. */
export function inputsHash(files: ReadonlyArray<{ path: string; hash: string }>): string {
  return hashOf(...[...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => `${f.path}\u0001${f.hash}`));
}

export class FindingsCache {
  private files: Record<string, Entry> = {};
  /** Whether save() has anything new to write: a warm run over unchanged files writes nothing. */
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(readonly location: string) {}

  /** Loads the cache; a missing, unreadable or foreign file is an empty cache (never an error). */
  static load(location: string): FindingsCache {
    const cache = new FindingsCache(location);
    try {
      const data = JSON.parse(fs.readFileSync(location, 'utf8')) as CacheFile;
      if (data && data.format === FORMAT && data.files && typeof data.files === 'object') cache.files = data.files;
    } catch {
      // first run, or a corrupt cache: start over
    }
    return cache;
  }

  get(file: string, key: string): Finding[] | undefined {
    const e = this.files[file];
    if (e && e.key === key && Array.isArray(e.findings)) {
      this.hits++;
      return e.findings;
    }
    this.misses++;
    return undefined;
  }

  has(file: string, key: string): boolean {
    const e = this.files[file];
    return !!e && e.key === key && Array.isArray(e.findings);
  }

  set(file: string, key: string, findings: Finding[]): void {
    // `data` only feeds fixes and editor features, never the CLI's output: leaving it out keeps the
    // cache smaller and so faster to read back.
    this.files[file] = { key, findings: findings.map(({ data: _data, ...f }) => f) };
    this.dirty = true;
  }

  /** Drops entries of files that no longer exist, then writes atomically (a killed run leaves the old cache). */
  save(): void {
    for (const file of Object.keys(this.files)) {
      if (fs.existsSync(file)) continue;
      delete this.files[file];
      this.dirty = true;
    }
    if (!this.dirty) return;
    fs.mkdirSync(path.dirname(this.location), { recursive: true });
    const tmp = `${this.location}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, files: this.files } satisfies CacheFile));
    fs.renameSync(tmp, this.location);
  }
}

/** The cache as one group of files sees it (SQL or TypeScript): keys already bound to their dependencies. */
export interface FileCache {
  get(file: string): Finding[] | undefined;
  /** Whether get() would find an entry (without counting a hit or a miss). */
  has(file: string): boolean;
  set(file: string, findings: Finding[]): void;
}

function contentHash(file: string): string {
  try {
    return hashOf(fs.readFileSync(file));
  } catch {
    return 'unreadable';
  }
}

/**
 * Opens the cache for one root. `location` may name a file or an existing directory. `files` are
 * the files checked: for a directory root, every .sql file below it (what the workspace model
 * replays) and the checked TypeScript files; for a single file, the file itself.
 */
export function openCache(
  location: string | undefined,
  root: string,
  project: { config: { key: string } },
  files: ReadonlyArray<{ absolute: string }>,
): { sql: FileCache; ts: FileCache; save(): void; stats(): { hits: number; misses: number } } {
  let file = path.resolve(location ?? path.join(root, DEFAULT_CACHE_FILE));
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, DEFAULT_CACHE_FILE);
  } catch {
    // not there yet: a file path
  }
  const cache = FindingsCache.load(file);
  const hashes = new Map<string, string>();
  const hashOfFile = (f: string) => {
    let h = hashes.get(f);
    if (h === undefined) hashes.set(f, (h = contentHash(f)));
    return h;
  };
  const isTs = (f: string) => /\.(?:[mc]?ts|tsx)$/.test(f);
  // For a directory, `files` came from the same walk (findCheckableFiles keeps every .sql file), so
  // it already lists every .sql file the workspace model replays: no second walk.
  const sqlInputs = files.map((f) => f.absolute).filter((f) => !isTs(f));
  const tsInputs = files.map((f) => f.absolute).filter(isTs);
  // Found as WorkspaceCasing.findConfigs finds them; a config added or deleted changes the list, so the key.
  const configInputs = tsInputs.length ? [...drizzleConfigFiles(new Set(tsInputs.map((f) => path.dirname(f)))), ...typeScriptDependencies(tsInputs)] : [];
  const { version } = require('../../../package.json') as { version: string };
  const base = hashOf(engineFingerprint(version, RULE_IDS_SORTED()), project.config.key);
  const groupKey = (inputs: string[]) => hashOf(base, inputsHash(inputs.map((p) => ({ path: p, hash: hashOfFile(p) }))));
  const bind = (dep: string): FileCache => ({
    get: (f) => cache.get(f, hashOf(hashOfFile(f), dep)),
    has: (f) => cache.has(f, hashOf(hashOfFile(f), dep)),
    set: (f, findings) => cache.set(f, hashOf(hashOfFile(f), dep), findings),
  });
  return {
    sql: bind(groupKey(sqlInputs)),
    ts: bind(groupKey([...new Set([...sqlInputs, ...tsInputs, ...configInputs])])),
    save: () => {
      try {
        cache.save();
      } catch (err) {
        process.stderr.write(`ledgerlint: could not write the cache ${file}: ${(err as Error).message}\n`);
      }
    },
    stats: () => ({ hits: cache.hits, misses: cache.misses }),
  };
}
