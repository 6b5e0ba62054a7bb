/**
 * The CREATE INDEX statement a code action inserts, read with PostgreSQL's own parser: only a text
 * that is exactly one CREATE INDEX reaches `hypopg_create_index`, and its table, key columns and
 * partial predicate give the lookup to estimate when the fix is not attached to a query.
 */
import { parseSync } from 'libpg-query';

export interface IndexStatement {
  /** The statement as given, without its `;`. */
  sql: string;
  table: string;
  schema?: string;
  /** Plain key columns (expressions are left out). */
  columns: string[];
  /** The partial index predicate as written, e.g. `status = 'pending'`. */
  where?: string;
}

const CREATE_INDEX = /CREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*;?/gi;

/** Every CREATE INDEX statement in a text (a migration file, an inserted line). Requires the parser loaded. */
export function indexStatementsIn(text: string): IndexStatement[] {
  const out: IndexStatement[] = [];
  for (const m of text.matchAll(CREATE_INDEX)) {
    const parsed = parseIndexStatement(m[0]);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Exactly one CREATE INDEX, or undefined. */
export function parseIndexStatement(text: string): IndexStatement | undefined {
  const sql = text.trim().replace(/;\s*$/, '');
  let ast: { stmts?: Array<{ stmt?: Record<string, any> }> };
  try {
    ast = parseSync(sql);
  } catch {
    return undefined;
  }
  if (ast.stmts?.length !== 1) return undefined;
  const index = ast.stmts[0].stmt?.IndexStmt;
  if (!index?.relation?.relname) return undefined;
  const columns = ((index.indexParams ?? []) as Array<Record<string, any>>)
    .map((p) => p.IndexElem?.name as string | undefined)
    .filter((n): n is string => typeof n === 'string');
  let where: string | undefined;
  if (index.whereClause) {
    const at = /\bWHERE\b/i.exec(sql.slice(lastParenEnd(sql)));
    if (at) where = sql.slice(lastParenEnd(sql) + at.index + 5).trim();
  }
  return { sql, table: index.relation.relname, schema: index.relation.schemaname || undefined, columns, where };
}

/** The end of the column list: WHERE comes after it (a WHERE inside an expression column is parenthesised). */
function lastParenEnd(sql: string): number {
  const open = sql.indexOf('(');
  if (open < 0) return 0;
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return i + 1;
  }
  return sql.length;
}

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/**
 * The lookup an index exists for when no query is at hand (a foreign key's index serves the
 * `WHERE child.fk = $1` search every parent DELETE runs): equality on each key column, plus the
 * partial predicate.
 */
export function lookupFor(index: IndexStatement): string | undefined {
  if (!index.columns.length) return undefined;
  const table = index.schema ? `${quoteIdent(index.schema)}.${quoteIdent(index.table)}` : quoteIdent(index.table);
  const conditions = index.columns.map((c, i) => `${quoteIdent(c)} = $${i + 1}`);
  if (index.where) conditions.push(`(${index.where})`);
  return `SELECT 1 FROM ${table} WHERE ${conditions.join(' AND ')}`;
}
