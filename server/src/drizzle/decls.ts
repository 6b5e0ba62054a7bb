// DrizzleTable -> the engine's front-end-neutral declarations, so column and foreign-key rules
// written once run on Drizzle schemas too.
import type { ColumnDecl, ForeignKeyDecl, TableDecl } from '../engine/decls';
import type { DrizzleTable } from './schema-types';

export interface TsDecls {
  tables: TableDecl[];
  columns: ColumnDecl[];
  foreignKeys: ForeignKeyDecl[];
}

export function toDecls(tables: readonly DrizzleTable[]): TsDecls {
  const out: TsDecls = { tables: [], columns: [], foreignKeys: [] };
  for (const t of tables) {
    out.tables.push({ name: t.name, nameSpan: t.nameSpan, span: t.span, language: 'typescript' });
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
      });
    }
    for (const f of t.foreignKeys) out.foreignKeys.push({ ...f, language: 'typescript' });
  }
  return out;
}
