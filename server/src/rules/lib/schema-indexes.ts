// Which keys serve a lookup, and how this workspace names its indexes.
import type { SchemaModel, TableModel } from '../../model/schema';
import { takenIndexNames, type IndexStyle } from '../../model/index-naming';

export { indexStyle, takenIndexNames, type IndexStyle } from '../../model/index-naming';

/** Whether `keys` start with exactly the columns of `cols` (in any order). */
function leadsWith(keys: readonly string[], cols: readonly string[]): boolean {
  if (cols.length === 0 || keys.length < cols.length) return false;
  const want = new Set(cols);
  return keys.slice(0, cols.length).every((k) => want.has(k)) && new Set(keys.slice(0, cols.length)).size === cols.length;
}

/**
 * A B-tree that can find the rows by `cols`: a primary key, a non-partial UNIQUE constraint, or a
 * non-partial btree index whose leading columns are `cols`. Partial indexes only serve queries
 * that repeat their predicate, which an FK check or ON DELETE lookup never does.
 */
export function servingKey(table: TableModel, cols: readonly string[]): string | undefined {
  if (table.primaryKey && leadsWith(table.primaryKey.columns, cols)) return table.primaryKey.name ?? 'primary key';
  for (const u of table.uniques) if (!u.where && leadsWith(u.columns, cols)) return u.name ?? 'unique constraint';
  for (const i of table.indexes) if (!i.where && i.method === 'btree' && leadsWith(i.columns, cols)) return i.name ?? 'index';
  return undefined;
}

/** Truncates to PostgreSQL's 63-byte identifier limit, cutting whole characters. */
function fit(name: string): string {
  let out = name;
  while (Buffer.byteLength(out, 'utf8') > 63) out = out.slice(0, -1);
  return out.replace(/_+$/, '');
}

export function indexName(style: IndexStyle, table: string, parts: readonly string[]): string {
  const body = [table, ...parts].join('_').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_');
  if (style === 'prefix') return fit(`idx_${body}`);
  // Keep the `_idx` suffix when the name is too long: it is how the team recognises indexes.
  return `${fit(body.slice(0, 59))}_idx`;
}

/** An index name not used by any table of the schema (indexes share the schema's namespace). */
export function freshIndexName(schema: SchemaModel, style: IndexStyle, table: string, parts: readonly string[]): string {
  const taken = takenIndexNames(schema);
  const base = indexName(style, table, parts);
  if (!taken.has(base)) return base;
  for (let n = 1; ; n++) {
    const candidate = indexName(style, table, [...parts, String(n)]);
    if (!taken.has(candidate)) return candidate;
  }
}

