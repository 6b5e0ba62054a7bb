// What a batched write needs to know about a column to write it through SQL text: its database
// name, NOT NULL, and the type to cast a VALUES list's parameters to (a VALUES list has no target
// column, so PostgreSQL would otherwise type every parameter as text).
import ts from 'typescript';
import type { SchemaModel, TypeRef } from '../../model/schema';
import type { TsAnalysis } from '../analysis';
import { lookUpColumn } from './column-lookup';

export interface ColumnSql {
  dbName: string;
  notNull: boolean;
  /** `int4`, `text`, `"entry_kind"`; undefined when the type is not one a cast is known to keep. */
  cast?: string;
  type: TypeRef;
}

// Casts without type modifiers: assigning `'x'::varchar` to varchar(3) still raises "value too long"
// (as the loop's own parameter would), where `::varchar(3)` would truncate silently.
const CASTS: Record<string, string> = {
  int2: 'int2',
  int4: 'int4',
  int8: 'int8',
  serial2: 'int2',
  serial4: 'int4',
  serial8: 'int8',
  smallserial: 'int2',
  serial: 'int4',
  bigserial: 'int8',
  numeric: 'numeric',
  text: 'text',
  varchar: 'varchar',
  bpchar: 'bpchar',
  bool: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
  uuid: 'uuid',
};

function castOf(type: TypeRef, enums: Iterable<string>): string | undefined {
  if (type.array) return undefined;
  if (CASTS[type.name]) return CASTS[type.name];
  for (const e of enums) if (e === type.name) return `"${e.replace(/"/g, '""')}"`;
  return undefined;
}

/** The column `key` of `table` (the TS property), from this file's pgTable first, then the workspace model. */
export function columnSql(a: TsAnalysis, table: ts.Expression, key: string, schema?: SchemaModel): ColumnSql | undefined {
  const found = lookUpColumn(a, table, key, schema);
  if (!found) return undefined;
  if (found.from === 'model') {
    const c = found.column;
    return { dbName: c.name, notNull: c.notNull, cast: castOf(c.type, []), type: c.type };
  }
  const { table: local, column: c } = found;
  const notNull = c.notNull || c.primaryKey || (!!local.primaryKey && local.primaryKey.columns.includes(c.dbName));
  return { dbName: c.dbName, notNull, cast: castOf(c.type, a.scope.enums.values()), type: c.type };
}
