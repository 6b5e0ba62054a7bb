// `--cache`: findings of unchanged files are read back instead of recomputed, like ESLint's
// cache. An entry is valid when the file's content hash and its dependency key both match.
// The dependency key covers what a file's findings can depend on besides its own text: the
// engine (version, rule set, the running bundle), the resolved configuration, and the
// workspace's inputs: every .sql file (the workspace schema is replayed from all of them, and
// migration order comes from their paths) and every checked TypeScript file (the Drizzle schemas'
// pgTable calls join the same schema; database handles are learned across modules). So in a
// workspace with TypeScript, editing any file re-checks them all; without, the key is the .sql
// files alone. Both also depend on the drizzle.config.* files above the checked TypeScript files
// (their `casing` names the Drizzle columns), which are not checked files, and on the workspace
// modules those import outside the checked set (an enums file, through tsconfig paths too).
//
// The file is one JSON document, `{"format":3,"rendered":[R...],"files":F,"head":H,"headLength":N}`.
// F holds each file's key and findings. Each R is a file's findings as the JSON report prints them,
// written as JSON itself (not as a string), so a warm run copies those bytes into the report. H
// (N bytes, found from the file's end) holds each file's key, counts per severity and where its R
// is, and where F is: a warm JSON run reads H and the R it prints, never F, and never holds the
// whole file in memory (on this kind of machine, memory first touched costs more than the reading).
// A file rewritten by anything else (F is no longer where H says) is read as a whole, F alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Severity } from '../engine/types';
import { drizzleConfigFiles } from '../drizzle/config-files';
import { typeScriptDependencies } from '../drizzle/dependencies';
import { SEVERITIES } from './report';
import { sqlRuleIds } from './rule-ids';

export const DEFAULT_CACHE_FILE = '.ledgerlintcache';
/** Bump when the file layout or the meaning of an entry changes (2: findings without `data`; 3: rendered findings). */
const FORMAT = 3;

interface Entry {
  /** sha1(content hash + dependency key). */
  key: string;
  findings: Finding[];
}

/** What a warm JSON run needs of an entry. `counts` (error, warning, info, hint) and the R range are missing for findings of unknown severity or outside the Finding contract. */
interface Summary {
  key: string;
  counts?: number[];
  /** Byte offset and length of R in the file. */
  at?: number;
  len?: number;
}

interface Head {
  format: number;
  /** Byte range of F. */
  files: [number, number];
  entries: Record<string, Summary>;
}

const HEAD_KEY = ',"head":';
const TAIL = /,"headLength":(\d+)\}\s*$/;

/** node:crypto (OpenSSL's start-up, ~12 million instructions) is loaded by runs with --cache only. */
function sha1(): import('node:crypto').Hash {
  return (require('node:crypto') as typeof import('node:crypto')).createHash('sha1');
}

export function hashOf(...parts: Array<string | Buffer>): string {
  const h = sha1();
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
export function engineFingerprint(version: string, ruleIds: Iterable<string>): string {
  if (engineHash === undefined) {
    // The launcher already knows the bundle's identity (code-cache.ts): no second read and hash of it.
    const known = (globalThis as Record<symbol, Map<string, string> | undefined>)[Symbol.for('ledgerlint.bundleIdentities')]?.get(__filename);
    let self = known ?? '';
    if (known === undefined) {
      try {
        self = hashOf(fs.readFileSync(__filename));
      } catch {
        // no readable source (unusual packaging): version and rule set still separate releases
      }
    }
    engineHash = self;
  }
  return hashOf(String(FORMAT), version, [...ruleIds].sort().join(','), engineHash);
}

/** The hash of a set of files (path and content), in a stable order. */
export function inputsHash(files: ReadonlyArray<{ path: string; hash: string }>): string {
  return hashOf(...[...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => `${f.path}\u0001${f.hash}`));
}

function countsOf(findings: readonly Finding[]): number[] | undefined {
  const counts = [0, 0, 0, 0];
  for (const f of findings) {
    const i = SEVERITIES.indexOf(f.severity);
    if (i < 0) return undefined;
    counts[i]++;
  }
  return counts;
}

function readAt(fd: number, at: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  for (let done = 0; done < len; ) {
    const n = fs.readSync(fd, buf, done, len - done, at + done);
    if (n === 0) throw new Error('cache file ended early');
    done += n;
  }
  return buf;
}

/**
 * Reads ranges of the cache file through one reused buffer: the R of a warm run are read in file
 * order, a few hundred kilobytes per read, instead of a buffer and a read per file.
 */
class RangeReader {
  private buf = Buffer.allocUnsafe(1 << 18);
  private from = 0;
  private to = 0;

  constructor(readonly fd: number) {}

  /** The bytes at [at, at + len): valid until the next read. */
  read(at: number, len: number): Uint8Array {
    if (at >= this.from && at + len <= this.to) return this.buf.subarray(at - this.from, at - this.from + len);
    if (len > this.buf.length) return readAt(this.fd, at, len);
    let n = 0;
    while (n < this.buf.length) {
      const k = fs.readSync(this.fd, this.buf, n, this.buf.length - n, at + n);
      if (k === 0) break;
      n += k;
    }
    this.from = at;
    this.to = at + n;
    if (len > n) throw new Error('cache file ended early');
    return this.buf.subarray(0, len);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done);
}

export class FindingsCache {
  /** F, parsed on first need: a warm JSON run never does. */
  private parsed?: Record<string, Entry>;
  /** H of the file read, when the file is laid out as this version writes it. */
  private head?: Head;
  /** The file read, open while its R and F may still be read. */
  private fd?: number;
  private ranges?: RangeReader;
  /** Entries set in this run: their R is kept as text until saved. */
  private added = new Map<string, { summary: Summary; json?: Uint8Array }>();
  /** Whether save() has anything new to write: a warm run over unchanged files writes nothing. */
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(readonly location: string) {}

  /** Loads the cache; a missing, unreadable or foreign file is an empty cache (never an error). */
  static load(location: string): FindingsCache {
    const cache = new FindingsCache(location);
    let fd: number;
    try {
      fd = fs.openSync(location, 'r');
    } catch {
      return cache; // first run
    }
    try {
      const size = fs.fstatSync(fd).size;
      const tailLen = Math.min(size, 64);
      const tail = TAIL.exec(readAt(fd, size - tailLen, tailLen).toString('latin1'));
      if (tail) {
        const headLen = Number(tail[1]);
        const headAt = size - (tailLen - tail.index) - headLen;
        const head = headAt > 0 ? (JSON.parse(readAt(fd, headAt, headLen).toString('utf8')) as Head) : undefined;
        // F ends right before H where this version wrote it; a rewrite by anything else moves it.
        if (head && head.format === FORMAT && head.entries && typeof head.entries === 'object' && Array.isArray(head.files) && head.files[1] + HEAD_KEY.length === headAt) {
          cache.head = head;
          cache.fd = fd;
          cache.ranges = new RangeReader(fd);
          return cache;
        }
      }
      const data = JSON.parse(readAt(fd, 0, size).toString('utf8')) as { format?: number; files?: Record<string, Entry> };
      if (data && data.format === FORMAT && data.files && typeof data.files === 'object') cache.parsed = data.files;
    } catch {
      // a corrupt cache: start over
    }
    fs.closeSync(fd);
    return cache;
  }

  private files(): Record<string, Entry> {
    if (!this.parsed) {
      this.parsed = {};
      if (this.head && this.fd !== undefined) {
        try {
          const [from, to] = this.head.files;
          const files = JSON.parse(readAt(this.fd, from, to - from).toString('utf8')) as Record<string, Entry>;
          if (files && typeof files === 'object') this.parsed = files;
        } catch {
          this.head = undefined; // F unreadable: nothing of this file can be trusted
        }
      }
    }
    return this.parsed;
  }

  private summary(file: string, key: string): Summary | undefined {
    const s = this.added.get(file)?.summary ?? this.head?.entries[file];
    return s && s.key === key ? s : undefined;
  }

  has(file: string, key: string): boolean {
    if (this.head && !this.added.has(file)) return this.summary(file, key) !== undefined;
    const e = this.files()[file];
    return !!e && e.key === key && Array.isArray(e.findings);
  }

  get(file: string, key: string): Finding[] | undefined {
    const e = this.has(file, key) ? this.files()[file] : undefined;
    if (e && Array.isArray(e.findings)) {
      this.hits++;
      return e.findings;
    }
    this.misses++;
    return undefined;
  }

  /** The counts per severity of an entry, and a reader of its findings as the JSON report prints them. */
  rendered(file: string, key: string): { json: () => Uint8Array; counts: Record<Severity, number> } | undefined {
    if (!this.has(file, key)) return undefined;
    const added = this.added.get(file);
    const s = this.summary(file, key);
    if (!s || !Array.isArray(s.counts) || s.counts.length !== 4) return undefined;
    const [error, warning, info, hint] = s.counts;
    const counts = { error, warning, info, hint };
    if (added) return added.json === undefined ? undefined : { json: () => added.json!, counts };
    const { at, len } = s;
    const ranges = this.ranges;
    if (typeof at !== 'number' || typeof len !== 'number' || !ranges) return undefined;
    return { json: () => ranges.read(at, len), counts };
  }

  /** Closes the file read (after the report was written: R and F are read from it until then). */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.ranges = undefined;
  }

  /** `json`: the findings as format-json's findingsJsonBytes writes them (undefined when it cannot); kept as given. */
  set(file: string, key: string, findings: Finding[], json?: Uint8Array): void {
    // `data` only feeds fixes and editor features, never the CLI's output: leaving it out keeps the
    // cache smaller and so faster to read back.
    this.files()[file] = { key, findings: findings.map(({ data: _data, ...f }) => f) };
    const counts = countsOf(findings);
    this.added.set(file, { summary: { key, counts }, json: counts ? json : undefined });
    this.dirty = true;
  }

  /**
   * Drops entries of files that no longer exist (`present`: files known to exist, not looked up),
   * then writes atomically (a killed run leaves the old cache). The file read stays open, for R
   * still to be printed (a rename over it leaves its content readable).
   */
  save(present: ReadonlySet<string> = new Set()): void {
    const names = this.head && !this.parsed ? Object.keys(this.head.entries) : Object.keys(this.files());
    for (const file of names) {
      if (present.has(file) || fs.existsSync(file)) continue;
      delete this.files()[file];
      this.added.delete(file);
      this.dirty = true;
    }
    if (!this.dirty) return;
    const files = this.files();
    fs.mkdirSync(path.dirname(this.location), { recursive: true });
    const tmp = `${this.location}.${process.pid}.tmp`;
    const out = fs.openSync(tmp, 'w');
    try {
      let pos = 0;
      const put = (bytes: Uint8Array) => {
        writeAll(out, bytes);
        pos += bytes.length;
      };
      put(Buffer.from(`{"format":${FORMAT},"rendered":[`));
      const entries: Record<string, Summary> = {};
      let first = true;
      for (const [file, e] of Object.entries(files)) {
        const s = this.summary(file, e.key);
        const added = this.added.get(file);
        let json: Uint8Array | undefined;
        if (added?.json !== undefined) json = added.json;
        else if (!added && s && typeof s.at === 'number' && typeof s.len === 'number' && this.ranges) json = this.ranges.read(s.at, s.len);
        const counts = s?.counts ?? (Array.isArray(e.findings) ? countsOf(e.findings) : undefined);
        if (!json || !counts) {
          entries[file] = { key: e.key, counts };
          continue;
        }
        if (!first) put(Buffer.from(','));
        first = false;
        entries[file] = { key: e.key, counts, at: pos, len: json.length };
        put(json);
      }
      put(Buffer.from('],"files":'));
      const filesAt = pos;
      put(Buffer.from(JSON.stringify(files)));
      const head = Buffer.from(JSON.stringify({ format: FORMAT, files: [filesAt, pos], entries } satisfies Head));
      put(Buffer.from(HEAD_KEY));
      put(head);
      put(Buffer.from(`,"headLength":${head.length}}`));
    } finally {
      fs.closeSync(out);
    }
    fs.renameSync(tmp, this.location);
  }
}

/** The cache as one group of files sees it (SQL or TypeScript): keys already bound to their dependencies. */
export interface FileCache {
  get(file: string): Finding[] | undefined;
  /** Whether get() would find an entry (without counting a hit or a miss). */
  has(file: string): boolean;
  /** See FindingsCache.rendered. */
  rendered(file: string): { json: () => Uint8Array; counts: Record<Severity, number> } | undefined;
  set(file: string, findings: Finding[], json?: Uint8Array): void;
}

export interface OpenedCache {
  sql: FileCache;
  ts: FileCache;
  save(): void;
  /** After the report is written. */
  close(): void;
  stats(): { hits: number; misses: number };
}

/** One buffer for hashing every file: reading a thousand files into buffers of their own cost more than the hashing. */
let scratch = Buffer.allocUnsafe(1 << 16);

function contentHash(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const h = sha1();
    for (;;) {
      const n = fs.readSync(fd, scratch, 0, scratch.length, null);
      h.update(scratch.subarray(0, n));
      // A regular file reads short only at its end: no read just to learn that.
      if (n < scratch.length) break;
    }
    // As hashOf(bytes): the content, then the separator.
    h.update('\u0000');
    return h.digest('hex');
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens the cache for one root. `location` may name a file or an existing directory. `files` are
 * the files checked: for a directory root, every .sql file below it (what the workspace model
 * replays) and the checked TypeScript files; for a single file, the file itself.
 */
export function openCache(location: string | undefined, root: string, project: { config: { key: string } }, files: ReadonlyArray<{ absolute: string }>): OpenedCache {
  let file = path.resolve(location ?? path.join(root, DEFAULT_CACHE_FILE));
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, DEFAULT_CACHE_FILE);
  } catch {
    // not there yet: a file path
  }
  const cache = FindingsCache.load(file);
  const hashes = new Map<string, string>();
  const present = new Set<string>();
  const hashOfFile = (f: string) => {
    let h = hashes.get(f);
    if (h === undefined) {
      const content = contentHash(f);
      if (content !== undefined) present.add(f);
      hashes.set(f, (h = content ?? 'unreadable'));
    }
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
  const base = hashOf(engineFingerprint(version, sqlRuleIds()), project.config.key);
  const groupKey = (inputs: string[]) => hashOf(base, inputsHash(inputs.map((p) => ({ path: p, hash: hashOfFile(p) }))));
  const bind = (dep: string): FileCache => ({
    get: (f) => cache.get(f, hashOf(hashOfFile(f), dep)),
    has: (f) => cache.has(f, hashOf(hashOfFile(f), dep)),
    rendered: (f) => cache.rendered(f, hashOf(hashOfFile(f), dep)),
    set: (f, findings, json) => cache.set(f, hashOf(hashOfFile(f), dep), findings, json),
  });
  return {
    sql: bind(groupKey(tsInputs.length ? [...new Set([...sqlInputs, ...tsInputs, ...configInputs])] : sqlInputs)),
    ts: bind(groupKey([...new Set([...sqlInputs, ...tsInputs, ...configInputs])])),
    save: () => {
      try {
        cache.save(present);
      } catch (err) {
        process.stderr.write(`ledgerlint: could not write the cache ${file}: ${(err as Error).message}\n`);
      }
    },
    close: () => cache.close(),
    stats: () => ({ hits: cache.hits, misses: cache.misses }),
  };
}
