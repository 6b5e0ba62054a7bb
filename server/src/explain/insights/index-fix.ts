/**
 * Builds the one-line fix (an index or extended statistics) from the expression texts EXPLAIN prints.
 * The texts are parsed with PostgreSQL's own parser rather than pattern-matched, so quoted literals and
 * casts cannot produce a wrong column.
 */
import { parseSync } from 'libpg-query';
import type { ExistingIndex } from '../plan-model';

export interface FilterColumns {
  equality: string[];
  range: string[];
  /** An OR: one composite index cannot serve it, so no index is suggested. */
  hasOr?: boolean;
}

const EQUALITY_OPS = new Set(['=']);
const RANGE_OPS = new Set(['<', '>', '<=', '>=', '~~', '~~*']);

/** Columns compared with `=`/`IN`/`IS NULL` (index them first) and with ranges (one of them next). */
export function filterColumns(expression: string | undefined): FilterColumns {
  const result: FilterColumns = { equality: [], range: [] };
  if (!expression) return result;
  let ast: unknown;
  try {
    ast = parseSync(`SELECT 1 WHERE ${expression}`);
  } catch {
    return result;
  }
  collect(ast, result);
  result.range = result.range.filter((c) => !result.equality.includes(c));
  return result;
}

function columnName(node: unknown): string | undefined {
  let current = node as Record<string, any> | undefined;
  // Casts wrap the column in the printed expression: `(status)::text = 'x'`.
  while (current?.TypeCast) current = current.TypeCast.arg;
  const fields = current?.ColumnRef?.fields as Array<Record<string, any>> | undefined;
  const last = fields?.[fields.length - 1]?.String?.sval;
  return typeof last === 'string' ? last : undefined;
}

function add(list: string[], name: string | undefined): void {
  if (name && !list.includes(name)) list.push(name);
}

function collect(node: unknown, out: FilterColumns): void {
  if (Array.isArray(node)) return node.forEach((n) => collect(n, out));
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, any>;
  if (record.A_Expr) {
    const expr = record.A_Expr;
    const op = expr.name?.[0]?.String?.sval;
    const column = columnName(expr.lexpr) ?? columnName(expr.rexpr);
    if (expr.kind === 'AEXPR_IN' || (expr.kind === 'AEXPR_OP' && EQUALITY_OPS.has(op))) add(out.equality, column);
    else if (expr.kind === 'AEXPR_OP_ANY' && op === '=') add(out.equality, column);
    else if (expr.kind?.startsWith('AEXPR_BETWEEN') || RANGE_OPS.has(op)) add(out.range, column);
  }
  if (record.NullTest) add(out.equality, columnName(record.NullTest.arg));
  if (record.BoolExpr?.boolop === 'OR_EXPR') out.hasOr = true;
  for (const value of Object.values(record)) collect(value, out);
}

/** `p.created_at DESC` -> `created_at DESC`; expressions that are not plain columns are dropped. */
export function sortColumns(keys: unknown): string[] {
  if (!Array.isArray(keys)) return [];
  const out: string[] = [];
  for (const key of keys) {
    const match = /^(?:[A-Za-z_][\w$]*\.)*("?[A-Za-z_][\w$]*"?)(\s+DESC)?(\s+NULLS\s+(?:FIRST|LAST))?$/i.exec(String(key).trim());
    if (match) out.push(match[1] + (match[2] ? ' DESC' : '') + (match[3] ?? ''));
  }
  return out;
}

const bare = (column: string) => column.replace(/\s.*$/, '').replace(/"/g, '');

export function indexName(table: string, columns: string[]): string {
  const name = `${table}_${columns.map(bare).join('_')}_idx`;
  return name.length <= 63 ? name : `${name.slice(0, 59)}_idx`;
}

/**
 * A btree index on `table` whose leading key columns are `columns` (direction aside: a btree is read
 * backwards as well) and that has no WHERE, i.e. one that serves every lookup the new index would.
 * Database indexes are preferred over the workspace's, so an applied migration is not reported as pending.
 */
export function findExistingIndex(table: string, columns: string[], existing: readonly ExistingIndex[] = []): ExistingIndex | undefined {
  const wanted = columns.map(bare).map((c) => c.toLowerCase());
  const serves = (index: ExistingIndex) => index.table.toLowerCase() === table.toLowerCase()
    && index.method === 'btree'
    && !index.predicate
    && index.columns.length >= wanted.length
    && wanted.every((column, i) => bare(index.columns[i]).toLowerCase() === column);
  return existing.find((i) => i.source === 'database' && serves(i)) ?? existing.find((i) => i.source === 'workspace' && serves(i));
}

function alreadyThere(index: ExistingIndex, table: string): string {
  const what = `${index.name} on ${table} (${index.columns.join(', ')})`;
  if (index.source === 'workspace') {
    return `${what} is created by ${index.file ?? 'a workspace migration'} but not in this database: apply that migration.`;
  }
  if (!index.valid) {
    return `REINDEX INDEX CONCURRENTLY ${index.name}; -- ${what} exists but is INVALID (a failed CREATE INDEX CONCURRENTLY), so the planner ignores it`;
  }
  return `ANALYZE ${table}; -- ${what} already exists; the planner judged it slower, so refresh the statistics and compare with EXPLAIN ANALYZE`;
}

/**
 * `CREATE INDEX CONCURRENTLY payments_status_created_at_idx ON payments (status, created_at);`, or, when an
 * index with those leading columns already exists (in the database or a workspace migration), what to
 * do about that one instead: suggesting a duplicate index costs every write and fixes nothing.
 */
export function createIndexFix(table: string, columns: string[], existing?: readonly ExistingIndex[]): string | undefined {
  const unique = columns.filter((c, i) => columns.findIndex((d) => bare(d) === bare(c)) === i);
  if (!unique.length) return undefined;
  const found = findExistingIndex(table, unique, existing);
  if (found) return alreadyThere(found, table);
  return `CREATE INDEX CONCURRENTLY ${indexName(table, unique)} ON ${table} (${unique.join(', ')});`;
}

/** Index columns for a filter: equality columns, then the first range column, then sort keys. */
export function indexColumnsFor(expression: string | undefined, sortKeys: string[] = []): string[] {
  const { equality, range, hasOr } = filterColumns(expression);
  if (hasOr) return [];
  return [...equality, ...range.slice(0, 1), ...sortKeys];
}

/** Extended statistics for columns the planner assumes independent. */
export function createStatisticsFix(table: string, columns: string[]): string {
  const cols = columns.map(bare);
  return `CREATE STATISTICS ${table}_${cols.join('_')}_stats (dependencies, mcv) ON ${cols.join(', ')} FROM ${table}; ANALYZE ${table};`;
}
