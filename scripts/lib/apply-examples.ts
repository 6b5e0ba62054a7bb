/**
 * Builds the examples/ workspace's database on a real PostgreSQL: the objects it assumes exist
 * outside its migrations, then the migrations in name order, the way a statement-by-statement runner
 * would apply them. Shared by `npm run demo` and test/grammar/examples-workspace.test.ts, so the demo
 * explains queries against exactly the schema the test proves applies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';

const pgQuery = require('libpg-query') as {
  loadModule(): Promise<void>;
  parseSync(sql: string): { stmts: { stmt: object; stmt_location?: number; stmt_len?: number }[] };
};

/** The repository root: the first folder above `from` holding examples/ledgerlint.json (works from out/ too). */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'examples', 'ledgerlint.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no examples/ledgerlint.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const examplesDbDir = (): string => path.join(repoRoot(), 'examples', 'db');

/** The .sql files of examples/db/<folder> in name order (the order a migration runner uses). */
export function exampleSqlFiles(folder: 'migrations' | 'functions' | 'queries'): string[] {
  const dir = path.join(examplesDbDir(), folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Statement texts by the parser's byte locations (what a statement-by-statement runner sends). Call `loadParser()` first. */
export function splitStatements(text: string): string[] {
  return statementsWithLeadingText(text).map((s) => s.sql);
}

/**
 * Each statement with the text between the previous statement and it, where annotations such as
 * `-- name:` live (the parser's locations start after comments).
 */
function statementsWithLeadingText(text: string): { sql: string; leading: string }[] {
  const bytes = Buffer.from(text, 'utf8');
  let previousEnd = 0;
  return pgQuery.parseSync(text).stmts.map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    const leading = bytes.subarray(previousEnd, start).toString('utf8');
    previousEnd = end;
    return { sql: bytes.subarray(start, end).toString('utf8').trim(), leading };
  });
}

export function loadParser(): Promise<void> {
  return pgQuery.loadModule();
}

/** Objects the workspace assumes exist outside its migrations (a reporting role, a staging schema). */
export async function createExamplesPrerequisites(client: Client): Promise<void> {
  await client.query('CREATE ROLE reporting; CREATE SCHEMA staging;');
}

/**
 * Applies every migration in name order: one transaction per file, except files with CONCURRENTLY,
 * which cannot run in a transaction block and go statement by statement. A failure rolls back its file
 * and rethrows with the file name, so the caller can tell which migration broke.
 */
export async function applyExampleMigrations(client: Client, onFile?: (file: string) => void): Promise<string[]> {
  await loadParser();
  const files = exampleSqlFiles('migrations');
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    try {
      if (/\bCONCURRENTLY\b/i.test(text)) for (const s of splitStatements(text)) await client.query(s);
      else await client.query(`BEGIN;\n${text}\nCOMMIT;`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`${path.basename(file)}: ${(error as Error).message}`);
    }
    onFile?.(file);
  }
  return files;
}

export interface NamedQuery {
  /** The `-- name: X :kind` annotation's X (sqlc style). */
  name: string;
  file: string;
  /** The statement without the comments in front of it. */
  sql: string;
}

/** A query of examples/db/queries by its `-- name:` annotation; undefined when no file has it. */
export async function exampleQuery(name: string): Promise<NamedQuery | undefined> {
  await loadParser();
  const annotation = new RegExp(`^\\s*--\\s*name:\\s*${name.replace(/[^\w]/g, '')}\\b`, 'm');
  for (const file of exampleSqlFiles('queries')) {
    for (const statement of statementsWithLeadingText(fs.readFileSync(file, 'utf8'))) {
      if (annotation.test(statement.leading)) return { name, file, sql: statement.sql.replace(/;$/, '') };
    }
  }
  return undefined;
}
