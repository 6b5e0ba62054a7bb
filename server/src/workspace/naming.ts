// Names a new migration the way the folder's own tool would, so a code action that adds a
// migration (e.g. a CREATE INDEX CONCURRENTLY) produces a file the tool will actually run.
import * as path from 'path';
import { FLYWAY_FILE, GOLANG_FILE, naturalCompare } from './conventions';
import type { MigrationFolder } from './discover';

export interface NewMigration {
  /** Absolute paths of the files to create; the first one holds the forward migration. */
  files: string[];
  /** What the tool needs besides the file, when a file alone is not enough. */
  note?: string;
}

export function slugify(slug: string): string {
  return slug.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'migration';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** UTC timestamp `YYYYMMDDHHMMSS`, or with Diesel's dashes `YYYY-MM-DD-HHMMSS`. */
export function timestamp(now: Date, diesel = false): string {
  const d = [now.getUTCFullYear(), pad(now.getUTCMonth() + 1), pad(now.getUTCDate())];
  const t = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return diesel ? `${d.join('-')}-${t}` : `${d.join('')}${t}`;
}

/** Next number after the largest leading number among `names`, keeping their zero padding. */
function nextNumber(names: string[], pattern: RegExp): { value: string; timestamped: boolean } | undefined {
  const nums = names.map((n) => pattern.exec(n)?.[1]).filter((n): n is string => !!n).sort(naturalCompare);
  const last = nums[nums.length - 1];
  if (!last) return undefined;
  // 14-digit versions are timestamps; the next one is "now", not last + 1.
  if (last.length >= 14) return { value: '', timestamped: true };
  const next = (BigInt(last) + 1n).toString();
  return { value: next.padStart(last.length, '0'), timestamped: false };
}

export function nextMigrationFileName(folder: MigrationFolder, slug: string, now: Date = new Date()): NewMigration {
  const name = slugify(slug);
  const dir = folder.path;
  const names = folder.files.map((f) => path.basename(f.path));
  switch (folder.convention) {
    case 'diesel': {
      const d = path.join(dir, `${timestamp(now, true)}_${name}`);
      return { files: [path.join(d, 'up.sql'), path.join(d, 'down.sql')] };
    }
    case 'prisma':
      return { files: [path.join(dir, `${timestamp(now)}_${name}`, 'migration.sql')] };
    case 'flyway': {
      const majors = names.map((n) => FLYWAY_FILE.exec(n)?.[2]).filter((v): v is string => !!v).map((v) => BigInt(v.split(/[._]/)[0]));
      const next = majors.length ? majors.reduce((a, b) => (a > b ? a : b)) + 1n : 1n;
      return { files: [path.join(dir, `V${next}__${name}.sql`)] };
    }
    case 'golang-migrate': {
      const n = nextNumber(names, GOLANG_FILE);
      const version = !n ? '000001' : n.timestamped ? timestamp(now) : n.value;
      return { files: [path.join(dir, `${version}_${name}.up.sql`), path.join(dir, `${version}_${name}.down.sql`)] };
    }
    case 'drizzle-kit': {
      const n = nextNumber(names, /^(\d+)_/);
      return {
        files: [path.join(dir, `${n?.value || '0000'}_${name}.sql`)],
        note: 'drizzle-kit only runs files listed in meta/_journal.json: create it with `drizzle-kit generate --custom` or add a journal entry',
      };
    }
    default: {
      // sql-migrate and plain folders: follow the existing prefix style (`0003_`, `20240101120000-`).
      const sep = names.some((n) => /^\d+-/.test(n)) ? '-' : '_';
      const n = nextNumber(names, /^(\d+)[_-]/);
      const prefix = !n ? '0001' : n.timestamped ? timestamp(now) : n.value;
      const body = folder.convention === 'sql-migrate' ? '-- +migrate Up\n\n-- +migrate Down\n' : undefined;
      return { files: [path.join(dir, `${prefix}${sep}${name}.sql`)], ...(body ? { note: `start the file with:\n${body}` } : {}) };
    }
  }
}
