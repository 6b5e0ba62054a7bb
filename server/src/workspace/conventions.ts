// Migration file naming conventions: how to recognise each tool's files, how they sort,
// and which files are rollbacks. Ordering compares versions numerically (V1.10 after V1.9).
import type { Span } from '../engine/types';

export type Convention = 'drizzle-kit' | 'diesel' | 'flyway' | 'golang-migrate' | 'sql-migrate' | 'prisma' | 'plain';
export type MigrationRole = 'up' | 'down' | 'repeatable' | 'plain';

export const DIESEL_DIR = /^(\d{4}-\d{2}-\d{2}-\d{6}|\d{14})_.+/;
export const PRISMA_DIR = /^\d{14}_.+/;
export const FLYWAY_FILE = /^([VU])(\d+(?:[._]\d+)*)__.+\.sql$/i;
export const FLYWAY_REPEATABLE = /^R__.+\.sql$/i;
export const GOLANG_FILE = /^(\d+)_.+\.(up|down)\.sql$/i;
export const NUMBERED_FILE = /^(\d+)[_-].*\.sql$/i;

/** Natural comparison: digit runs compare as numbers, so `2_x` < `10_x` and `V1.9` < `V1.10`. */
export function naturalCompare(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i];
    const y = rb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const tx = x.replace(/^0+/, '');
      const ty = y.replace(/^0+/, '');
      if (tx.length !== ty.length) return tx.length - ty.length;
      if (tx !== ty) return tx < ty ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length;
}

/** Compares Flyway versions part by part: `1.1` < `1.2` < `1.10` < `2`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[._]/);
  const pb = b.split(/[._]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const c = naturalCompare(pa[i] ?? '0', pb[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

const SQL_MIGRATE_MARKER = /^[ \t]*--[ \t]*\+migrate[ \t]+(Up|Down)\b.*$/gim;

export function isSqlMigrateText(text: string): boolean {
  // Runs on every keystroke of every SQL file: the multiline-anchored regex took ~20 ms per
  // keystroke on a 1 MB file in a profile; the substring search skips it for files without the marker.
  if (!text.includes('+migrate')) return false;
  SQL_MIGRATE_MARKER.lastIndex = 0;
  return SQL_MIGRATE_MARKER.test(text);
}

export interface Sections {
  up?: Span;
  down?: Span;
}

/**
 * The Up and Down sections of a sql-migrate file, each from the end of its marker line to the
 * next marker or the end of the file. Everything under `-- +migrate Down` is a rollback.
 */
export function sqlMigrateSections(text: string): Sections {
  const sections: Sections = {};
  const markers: Array<{ kind: 'up' | 'down'; start: number; bodyStart: number }> = [];
  SQL_MIGRATE_MARKER.lastIndex = 0;
  for (let m = SQL_MIGRATE_MARKER.exec(text); m; m = SQL_MIGRATE_MARKER.exec(text)) {
    markers.push({ kind: m[1].toLowerCase() as 'up' | 'down', start: m.index, bodyStart: m.index + m[0].length });
  }
  markers.forEach((m, i) => {
    const end = i + 1 < markers.length ? markers[i + 1].start : text.length;
    if (!sections[m.kind]) sections[m.kind] = { start: m.bodyStart, end };
  });
  return sections;
}
