// Fixes that add an index for a query, placed the way unindexed-foreign-key places its index:
// right after the table's DDL when the linted file created the table (it is empty: a plain CREATE
// INDEX is instant and runs in the migration's transaction), otherwise in a new CONCURRENTLY
// migration next to the linted one, or, for a query file, in the workspace's migration folder.
import type { FileContext } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import type { SchemaModel, TableModel } from '../../model/schema';
import { freshIndexName, indexStyle } from './schema-indexes';
import { insertAfterStatement, statementAt } from './schema-edits';
import { concurrentIndexMigrationFix, plannedMigrationForQueries } from './schema-migration';
import { qualifiedName } from './schema-workspace';

export interface IndexSpec {
  /** Words for the index name after the table (`['metadata']`, `['created_at', 'pending']`). */
  nameParts: string[];
  /** `USING gin ` or '' before the key list. */
  using: string;
  /** The key list as written inside the parentheses. */
  keys: string;
  /** Partial-index predicate, when any. */
  where?: string;
  /** Columns the index names: they must exist where the index is inserted. */
  columns: string[];
  slug: string;
  title: string;
  comment: string[];
}

export function queryIndexFix(context: FileContext, schema: SchemaModel, table: TableModel, spec: IndexSpec): { fix?: Fix[]; name: string } {
  const name = freshIndexName(schema, indexStyle(schema), table.name, spec.nameParts);
  const body = `${name} ON ${qualifiedName(table)} ${spec.using}(${spec.keys})${spec.where ? ` WHERE ${spec.where}` : ''};`;
  const path = context.file.path;
  if (table.created?.file === path) {
    // After the CREATE TABLE, or after the ALTER TABLE that added a column the index needs.
    let at = table.created.span;
    for (const c of spec.columns) {
      const src = table.columns.get(c)?.source;
      if (src?.file === path && src.span.start > at.start) at = src.span;
    }
    const stmt = statementAt(context, at);
    if (!stmt) return { name };
    const edit = insertAfterStatement(context, stmt, `CREATE INDEX ${body}`);
    return { name, fix: [{ title: `${spec.title} after its CREATE TABLE`, edits: [edit], preferred: true }] };
  }
  const fix = concurrentIndexMigrationFix(context, schema, spec.slug, spec.title, spec.comment, `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${body}`, plannedMigrationForQueries);
  return { name, fix };
}
