// The files of a new migration that builds one index CONCURRENTLY, laid out the way the folder's
// tool needs them: Diesel and golang-migrate want a down file next to the up file, Diesel and
// sql-migrate have their own switch to run outside a transaction, drizzle-kit has none.
import * as path from 'path';
import type { MigrationFolder } from './discover';
import { nextMigrationFileName } from './naming';

export interface IndexMigrationInput {
  folder: MigrationFolder;
  slug: string;
  /** Comment lines (without `-- `) that say why the index is there. */
  comment: string[];
  /** `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS name ON table (...)`. */
  statement: string;
  /** The configuration says the runner wraps every migration in a transaction, whatever the tool. */
  configuredWraps?: boolean;
  now?: Date;
}

export interface PlannedFile {
  /** In the folder's path form (absolute when the folder path is). */
  path: string;
  text: string;
}

/** The DROP INDEX that undoes `statement`, qualified with the table's schema, or undefined when the name cannot be read. */
export function dropIndexFor(statement: string): string | undefined {
  const m = /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|[\w$]+)\s+ON\s+(?:ONLY\s+)?((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)/i.exec(statement);
  if (!m) return undefined;
  const table = m[2].split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const schema = table.length > 1 ? `${table[0]}.` : '';
  return `DROP INDEX CONCURRENTLY IF EXISTS ${schema}${m[1]};`;
}

const ALONE =
  '-- Keep this the only statement of the file: a script of several statements is sent as one query, which runs in an implicit transaction where CREATE INDEX CONCURRENTLY fails.';

/** What each tool needs to run the file outside a transaction. */
function runnerLines(folder: MigrationFolder, configuredWraps: boolean): string[] {
  if (configuredWraps && folder.convention !== 'diesel' && folder.convention !== 'sql-migrate') {
    return [
      '-- CREATE INDEX CONCURRENTLY fails inside a transaction block, and this migration runner wraps migrations in one:',
      "-- run this file outside it (e.g. `psql -f` in the deploy step, or the tool's no-transaction option).",
    ];
  }
  switch (folder.convention) {
    case 'drizzle-kit':
      return [
        '-- drizzle-kit only runs files listed in meta/_journal.json, and `drizzle-kit migrate` applies every pending migration in one',
        '-- transaction, where CREATE INDEX CONCURRENTLY fails: run this file with `psql -f` in the deploy step instead of adding it to the journal.',
      ];
    case 'flyway':
      return ['-- Flyway runs a migration whose only statement is a CREATE INDEX CONCURRENTLY outside a transaction: keep it alone in this file.'];
    case 'diesel':
      return ['-- metadata.toml next to this file sets run_in_transaction = false: Diesel would otherwise wrap it in a transaction, where CREATE INDEX CONCURRENTLY fails.'];
    case 'sql-migrate':
      return ['-- `notransaction` on the markers: sql-migrate would otherwise wrap each section in a transaction, where CREATE INDEX CONCURRENTLY fails.'];
    case 'golang-migrate':
    case 'prisma':
      return [ALONE];
    default:
      return folder.runnerWrapsTransaction
        ? [
            '-- CREATE INDEX CONCURRENTLY fails inside a transaction block, and this migration runner wraps migrations in one:',
            "-- run this file outside it (e.g. `psql -f` in the deploy step, or the tool's no-transaction option).",
          ]
        : [];
  }
}

/** The new migration's files; the first holds the CREATE INDEX. */
export function indexMigrationFiles(input: IndexMigrationInput): PlannedFile[] {
  const { folder, statement } = input;
  const planned = nextMigrationFileName(folder, input.slug, input.now);
  const [upPath, downPath] = planned.files;
  if (!upPath) return [];
  const header = [
    ...input.comment.map((l) => `-- ${l}`),
    '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
    ...runnerLines(folder, !!input.configuredWraps),
  ];
  const drop = dropIndexFor(statement) ?? '-- DROP INDEX CONCURRENTLY IF EXISTS <the index above>;';
  switch (folder.convention) {
    case 'sql-migrate':
      return [{ path: upPath, text: ['-- +migrate Up notransaction', ...header, statement, '', '-- +migrate Down notransaction', drop, ''].join('\n') }];
    case 'diesel':
      return [
        { path: upPath, text: [...header, statement, ''].join('\n') },
        { path: downPath ?? path.join(path.dirname(upPath), 'down.sql'), text: `${drop}\n` },
        { path: path.join(path.dirname(upPath), 'metadata.toml'), text: 'run_in_transaction = false\n' },
      ];
    case 'golang-migrate':
      return [
        { path: upPath, text: [...header, statement, ''].join('\n') },
        ...(downPath ? [{ path: downPath, text: [ALONE, drop, ''].join('\n') }] : []),
      ];
    default:
      return [{ path: upPath, text: [...header, statement, ''].join('\n') }];
  }
}
