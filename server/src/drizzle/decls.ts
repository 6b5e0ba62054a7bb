// DrizzleTable -> the engine's front-end-neutral declarations, so column and foreign-key rules
// written once run on Drizzle schemas too.
import type ts from 'typescript';
import type { ColumnDecl, ForeignKeyDecl, TableDecl } from '../engine/decls';
import type { Imports } from './imports';
import type { DrizzleTable } from './schema-types';
import { drizzleTableEdits } from './table-edits';

export interface TsDecls {
  tables: TableDecl[];
  columns: ColumnDecl[];
  foreignKeys: ForeignKeyDecl[];
}

/**
 * `sf` and `imports` let rules' quick fixes edit the tables (without them, decls carry no edits);
 * `casing` is what the workspace says about `casing: 'snake_case'`.
 */
export function toDecls(tables: readonly DrizzleTable[], sf?: ts.SourceFile, imports?: Imports, casing?: ColumnDecl['workspaceCasing']): TsDecls {
  const out: TsDecls = { tables: [], columns: [], foreignKeys: [] };
  for (const t of tables) {
    out.tables.push({ name: t.name, nameSpan: t.nameSpan, span: t.span, language: 'typescript', edits: sf && imports ? drizzleTableEdits(t, sf, imports) : undefined });
    for (const c of t.columns) {
      out.columns.push({
        table: t.name,
        name: c.dbName,
        type: c.type,
        nameSpan: c.nameSpan,
        typeSpan: c.typeSpan,
        span: c.span,
        notNull: c.notNull,
        primaryKey: c.primaryKey,
        unique: c.unique,
        defaultExpr: c.defaultExpr ?? (c.identity ? 'identity' : undefined),
        via: 'create',
        language: 'typescript',
        retype: c.retype,
        // Modifiers chain anywhere after the builder: appending keeps the others as written.
        constrain: (k) => ({ start: c.span.end, end: c.span.end, newText: k === 'not null' ? '.notNull()' : '.primaryKey()' }),
        workspaceCasing: casing,
      });
    }
    for (const f of t.foreignKeys) out.foreignKeys.push({ ...f, language: 'typescript' });
  }
  return out;
}
