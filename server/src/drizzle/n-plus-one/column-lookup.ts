// Which column `table.key` in a query names: the pgTable in this file when it declares the table
// (its keys and modifiers are what drizzle-orm sees), otherwise the workspace model by name.
import ts from 'typescript';
import type { ColumnModel, SchemaModel, TableModel } from '../../model/schema';
import type { TsAnalysis } from '../analysis';
import type { DrizzleColumn, DrizzleTable } from '../schema-types';
import { snakeCase } from '../scope';

export type ColumnLookup =
  | { from: 'file'; table: DrizzleTable; column: DrizzleColumn }
  | { from: 'model'; table: TableModel; column: ColumnModel };

export function lookUpColumn(a: TsAnalysis, table: ts.Expression, key: string, schema?: SchemaModel): ColumnLookup | undefined {
  const varName = ts.isIdentifier(table) ? table.text : ts.isPropertyAccessExpression(table) ? table.name.text : undefined;
  if (!varName) return undefined;
  const local = a.tables.find((t) => t.varName === varName);
  if (local) {
    const column = local.columns.find((x) => x.key === key);
    return column && { from: 'file', table: local, column };
  }
  const t = schema && (schema.table(varName) ?? schema.table(snakeCase(varName)));
  const column = t && (t.columns.get(key) ?? t.columns.get(snakeCase(key)));
  return t && column ? { from: 'model', table: t, column } : undefined;
}
