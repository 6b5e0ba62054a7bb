/**
 * Applies the workspace's migrations, in order, to the shadow database, statement by statement, so
 * a statement PostgreSQL rejects (unknown column, wrong type, missing table) is reported at that
 * statement with the server's own message. Everything runs in a database Ledgerlint created for
 * this purpose; it is dropped and rebuilt when an already-applied migration changes.
 */
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { splitSql } from '../../sql/splitter';

export interface MigrationSource {
  /** Workspace-relative or absolute path, for the diagnostic. */
  path: string;
  text: string;
}

export interface MigrationFailure {
  path: string;
  /** UTF-16 offsets of the failing statement in its file. */
  start: number;
  end: number;
  message: string;
  code?: string;
  /** Migrations after the failing one were not applied: their plans and errors are unknown. */
  skipped: number;
}

export interface ApplyResult {
  applied: number;
  statements: number;
  failure?: MigrationFailure;
  ms: number;
}

/** Changes when any migration's path, order or text changes. */
export function migrationsDigest(migrations: readonly MigrationSource[]): string {
  const h = createHash('sha256');
  for (const m of migrations) h.update(m.path).update('\0').update(m.text).update('\0');
  return h.digest('hex');
}

/** The first applied-prefix length two lists share: migrations after it must be (re)applied. */
export function commonPrefix(a: readonly MigrationSource[], b: readonly MigrationSource[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i].path === b[i].path && a[i].text === b[i].text) i++;
  return i;
}

/**
 * Runs each statement on its own (autocommit), as psql does, so `CREATE INDEX CONCURRENTLY` works;
 * stops at the first failure. Requires the SQL parser loaded (`initParser`).
 */
export async function applyMigrations(client: Client, migrations: readonly MigrationSource[]): Promise<ApplyResult> {
  const started = performance.now();
  let statements = 0;
  for (let i = 0; i < migrations.length; i++) {
    const m = migrations[i];
    for (const segment of splitSql(m.text)) {
      if (segment.kind !== 'statement') continue;
      try {
        // Simple protocol on purpose: migration statements have no parameters and some (COPY-free
        // DDL, DO blocks) are only accepted there. The text is the workspace's own migration.
        await client.query(segment.text);
        statements++;
      } catch (error) {
        const err = error as { message?: string; code?: string };
        return {
          applied: i,
          statements,
          ms: performance.now() - started,
          failure: { path: m.path, start: segment.start, end: segment.end, message: String(err.message ?? error).split('\n')[0], code: err.code, skipped: migrations.length - i - 1 },
        };
      }
    }
  }
  return { applied: migrations.length, statements, ms: performance.now() - started };
}

/** The diagnostic text for a failure: what PostgreSQL said, and why it matters. */
export function failureMessage(f: MigrationFailure): string {
  const later = f.skipped ? ` The ${f.skipped} later migration(s) were not applied to the shadow database.` : '';
  return `PostgreSQL rejects this statement when the migrations before it have been applied: ${f.message}${f.code ? ` (SQLSTATE ${f.code})` : ''}. Deploying would fail here and leave the migration half-applied.${later}`;
}
