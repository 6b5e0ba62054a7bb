// Finds migration folders under a workspace root and puts their files in the order the
// migration tool would run them. Order matters to the rules: a table created by an earlier
// migration is an existing (possibly large) table; down files are rollbacks.
import * as fs from 'fs';
import * as path from 'path';
import {
  compareVersions,
  type Convention,
  DIESEL_DIR,
  FLYWAY_FILE,
  FLYWAY_REPEATABLE,
  GOLANG_FILE,
  isSqlMigrateText,
  type MigrationRole,
  naturalCompare,
  PRISMA_DIR,
  type Sections,
  sqlMigrateSections,
} from './conventions';
import { GitIgnore } from './gitignore';
import { joinPath } from './join-path';

export type { Convention, MigrationRole } from './conventions';

/** `migrations` in ledgerlint.json. */
export interface MigrationsConfig {
  /** Migration folders relative to the root; when set, only these are migration folders. */
  folders?: string[];
  /** Explicit run order (file paths relative to the root), or 'name' to sort plainly by path. */
  order?: string[] | 'name';
  /** The runner wraps each migration file in a transaction (overrides the convention's default). */
  runnerWrapsTransaction?: boolean;
}

export interface MigrationFile {
  /** Absolute path. */
  path: string;
  /** Position in run order across the workspace (0 = first). */
  order: number;
  role: MigrationRole;
  /** Absolute path of the migration folder. */
  folder: string;
  convention: Convention;
  /** sql-migrate only: the Up and Down sections of the file. */
  sections?: Sections;
}

export interface MigrationFolder {
  path: string;
  convention: Convention;
  /** Whether the tool runs each file inside a transaction (CONCURRENTLY cannot run there). */
  runnerWrapsTransaction: boolean;
  files: MigrationFile[];
}

export interface Discovery {
  root: string;
  folders: MigrationFolder[];
  files: MigrationFile[];
}

interface DirInfo {
  files: string[];
  subdirs: string[];
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Every directory under root that is not skipped or ignored, with its entries (names only). */
function scanTree(root: string): Map<string, DirInfo> {
  let ignore: GitIgnore | undefined;
  try {
    ignore = new GitIgnore(fs.readFileSync(path.join(root, '.gitignore'), 'utf8'));
  } catch {
    ignore = undefined;
  }
  const dirs = new Map<string, DirInfo>();
  const walk = (rel: string, depth: number): void => {
    if (depth > 30) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    const info: DirInfo = { files: [], subdirs: [] };
    dirs.set(rel, info);
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.isDirectory();
      if (isDir && SKIP_DIRS.has(e.name)) continue;
      if (ignore?.ignores(childRel, isDir)) continue;
      if (isDir) {
        info.subdirs.push(e.name);
        walk(childRel, depth + 1);
      } else if (e.isFile()) info.files.push(e.name);
    }
  };
  walk('', 0);
  return dirs;
}

/** How discovery reads a file's bytes: a caller that reads the files next anyway passes one that keeps them. */
export type ReadBytes = (file: string) => Buffer;

/** The file as UTF-8 (invalid bytes as U+FFFD, a BOM kept), '' when it cannot be read. */
function readText(file: string, read: ReadBytes): string {
  try {
    return read(file).toString('utf8');
  } catch {
    return '';
  }
}

/** The convention of a directory's migrations, or undefined when it does not hold migrations. */
function classify(root: string, rel: string, dirs: Map<string, DirInfo>, named: boolean, read: ReadBytes): Convention | undefined {
  const info = dirs.get(rel);
  if (!info) return undefined;
  const sub = (name: string) => dirs.get(rel ? `${rel}/${name}` : name)?.files ?? [];
  if (info.subdirs.some((d) => DIESEL_DIR.test(d) && sub(d).includes('up.sql'))) return 'diesel';
  if (info.subdirs.some((d) => PRISMA_DIR.test(d) && sub(d).includes('migration.sql'))) return 'prisma';
  const sql = info.files.filter((f) => f.toLowerCase().endsWith('.sql'));
  if (sql.length === 0) return named ? 'plain' : undefined;
  if (sql.some((f) => FLYWAY_FILE.test(f) || FLYWAY_REPEATABLE.test(f))) return 'flyway';
  if (sql.some((f) => GOLANG_FILE.test(f))) return 'golang-migrate';
  if (sql.some((f) => isSqlMigrateText(readText(joinPath(root, rel ? `${rel}/${f}` : f), read)))) return 'sql-migrate';
  const base = path.posix.basename(rel).toLowerCase();
  const hasJournal = sub('meta').includes('_journal.json');
  if (hasJournal || (sql.some((f) => /^\d{4}_.+\.sql$/.test(f)) && /drizzle|migrat/.test(base))) return 'drizzle-kit';
  if (named || /migrat/.test(base)) return 'plain';
  return undefined;
}

function folderCandidates(dirs: Map<string, DirInfo>): string[] {
  const out = new Set<string>();
  for (const [rel, info] of dirs) {
    if (info.files.some((f) => f.toLowerCase().endsWith('.sql'))) out.add(rel);
    if (info.subdirs.some((d) => DIESEL_DIR.test(d) || PRISMA_DIR.test(d))) out.add(rel);
  }
  return [...out];
}

interface Entry {
  rel: string;
  role: MigrationRole;
  key: string;
}

/** The folder's files in the tool's own order (before any configured override). */
function orderedEntries(root: string, rel: string, convention: Convention, dirs: Map<string, DirInfo>): Entry[] {
  const info = dirs.get(rel) ?? { files: [], subdirs: [] };
  const join = (...parts: string[]) => [rel, ...parts].filter(Boolean).join('/');
  const sql = info.files.filter((f) => f.toLowerCase().endsWith('.sql'));
  const byKey = (a: Entry, b: Entry) => naturalCompare(a.key, b.key);
  switch (convention) {
    case 'diesel':
    case 'prisma': {
      const pattern = convention === 'diesel' ? DIESEL_DIR : PRISMA_DIR;
      const out: Entry[] = [];
      for (const d of info.subdirs.filter((s) => pattern.test(s)).sort(naturalCompare)) {
        const files = dirs.get(join(d))?.files ?? [];
        if (convention === 'prisma') {
          if (files.includes('migration.sql')) out.push({ rel: join(d, 'migration.sql'), role: 'up', key: d });
          continue;
        }
        if (files.includes('up.sql')) out.push({ rel: join(d, 'up.sql'), role: 'up', key: d });
        if (files.includes('down.sql')) out.push({ rel: join(d, 'down.sql'), role: 'down', key: d });
      }
      return out;
    }
    case 'flyway': {
      const versioned: Array<Entry & { version: string; undo: boolean }> = [];
      const repeatable: Entry[] = [];
      for (const f of sql) {
        const m = FLYWAY_FILE.exec(f);
        if (m) versioned.push({ rel: join(f), role: m[1].toUpperCase() === 'U' ? 'down' : 'up', key: f, version: m[2], undo: m[1].toUpperCase() === 'U' });
        else if (FLYWAY_REPEATABLE.test(f)) repeatable.push({ rel: join(f), role: 'repeatable', key: f });
      }
      // Flyway applies repeatable migrations after all pending versioned ones; an undo sits beside its version.
      versioned.sort((a, b) => compareVersions(a.version, b.version) || Number(a.undo) - Number(b.undo));
      return [...versioned, ...repeatable.sort(byKey)];
    }
    case 'golang-migrate':
      return sql
        .map((f): Entry | undefined => {
          const m = GOLANG_FILE.exec(f);
          return m ? { rel: join(f), role: m[2].toLowerCase() === 'down' ? 'down' : 'up', key: `${m[1]}:${m[2] === 'down' ? 1 : 0}` } : undefined;
        })
        .filter((e): e is Entry => !!e)
        .sort(byKey);
    case 'drizzle-kit': {
      const all = sql.map((f): Entry => ({ rel: join(f), role: 'plain', key: f }));
      const journal = readJournal(path.join(root, rel, 'meta', '_journal.json'));
      if (!journal) return all.sort(byKey);
      const rank = new Map(journal.map((tag, i) => [`${tag}.sql`, i]));
      const inJournal = all.filter((e) => rank.has(e.key)).sort((a, b) => rank.get(a.key)! - rank.get(b.key)!);
      return [...inJournal, ...all.filter((e) => !rank.has(e.key)).sort(byKey)];
    }
    case 'sql-migrate':
      return sql.map((f): Entry => ({ rel: join(f), role: 'up', key: f })).sort(byKey);
    default:
      return sql.map((f): Entry => ({ rel: join(f), role: 'plain', key: f })).sort(byKey);
  }
}

/** Migration tags in drizzle-kit's journal order, or undefined when there is no usable journal. */
function readJournal(file: string): string[] | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const entries: Array<{ idx?: number; tag?: string }> = Array.isArray(json?.entries) ? json.entries : [];
    const tags = entries
      .filter((e) => typeof e?.tag === 'string')
      .sort((a, b) => (a.idx ?? 0) - (b.idx ?? 0))
      .map((e) => e.tag as string);
    return tags.length ? tags : undefined;
  } catch {
    return undefined;
  }
}

// drizzle-kit's migrate() runs all pending files in one transaction; Diesel, Flyway and
// sql-migrate wrap each file by default; golang-migrate and Prisma send the file as is.
const WRAPS: Record<Convention, boolean> = {
  'drizzle-kit': true,
  diesel: true,
  flyway: true,
  'sql-migrate': true,
  'golang-migrate': false,
  prisma: false,
  plain: false,
};

function toPosix(p: string): string {
  return p.split(path.sep).join('/').replace(/^\.\/?/, '').replace(/\/+$/, '');
}

export function discoverMigrations(root: string, config: MigrationsConfig = {}, read: ReadBytes = (file) => fs.readFileSync(file)): Discovery {
  const absRoot = path.resolve(root);
  const dirs = scanTree(absRoot);
  const named = config.folders?.map(toPosix);
  const candidates = named ?? folderCandidates(dirs);
  const folders: MigrationFolder[] = [];
  const entries: Array<{ folder: MigrationFolder; entry: Entry }> = [];
  for (const rel of [...new Set(candidates)].sort(naturalCompare)) {
    const convention = classify(absRoot, rel, dirs, !!named, read);
    if (!convention) continue;
    const folder: MigrationFolder = {
      path: path.join(absRoot, rel),
      convention,
      runnerWrapsTransaction: config.runnerWrapsTransaction ?? WRAPS[convention],
      files: [],
    };
    folders.push(folder);
    let list = orderedEntries(absRoot, rel, convention, dirs);
    if (config.order === 'name') list = [...list].sort((a, b) => naturalCompare(a.rel, b.rel));
    for (const entry of list) entries.push({ folder, entry });
  }
  if (Array.isArray(config.order)) {
    const rank = new Map(config.order.map((p, i) => [toPosix(p), i]));
    const pos = (e: Entry) => rank.get(e.rel) ?? Number.MAX_SAFE_INTEGER;
    entries.sort((a, b) => pos(a.entry) - pos(b.entry));
  }
  const files: MigrationFile[] = entries.map(({ folder, entry }, order) => {
    const file: MigrationFile = { path: joinPath(absRoot, entry.rel), order, role: entry.role, folder: folder.path, convention: folder.convention };
    if (folder.convention === 'sql-migrate') file.sections = sqlMigrateSections(readText(file.path, read));
    folder.files.push(file);
    return file;
  });
  return { root: absRoot, folders, files };
}
