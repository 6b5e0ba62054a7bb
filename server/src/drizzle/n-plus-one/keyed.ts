// The per-element condition a batch replaces: `eq(table.column, <element key>)`, alone or as one
// argument of `and(...)`, and what the workspace model says about that column (unique? a type
// whose JS values compare equal exactly when PostgreSQL's do?).
import ts from 'typescript';
import type { SchemaModel } from '../../model/schema';
import type { TsAnalysis } from '../analysis';
import { importedName, unwrap } from '../imports';
import { lookUpColumn } from './column-lookup';
import { readNames } from './names';

export interface KeyedCondition {
  /** The `eq(...)` call to replace with `inArray(...)`. */
  eqCall: ts.CallExpression;
  /** `payments.invoiceId` */
  column: ts.PropertyAccessExpression;
  table: ts.Expression;
  key: ts.Expression;
}

const touches = (e: ts.Node, names: Set<string>) => [...readNames(e)].some((x) => names.has(x));

/** `eq(t.col, key)` / `and(..., eq(t.col, key), ...)` with only `key` reading the element; else why not. */
export function keyedCondition(where: ts.Expression | undefined, names: Set<string>, a: TsAnalysis): KeyedCondition | string {
  if (!where) return 'it has no where condition on the element';
  const w = unwrap(where);
  if (!ts.isCallExpression(w)) return 'its condition is not an eq(column, key) call';
  const fn = importedName(w.expression, a.imports);
  let eqCall: ts.CallExpression | undefined;
  if (fn === 'eq') eqCall = w;
  else if (fn === 'and') {
    const dependent = w.arguments.filter((x) => touches(x, names));
    if (dependent.length !== 1) return 'its condition reads the element in more than one place';
    const d = unwrap(dependent[0]);
    if (ts.isCallExpression(d) && importedName(d.expression, a.imports) === 'eq') eqCall = d;
  }
  if (!eqCall) return 'its condition on the element is not eq(column, key)';
  const [col, key] = eqCall.arguments.map(unwrap);
  if (!col || !key || !ts.isPropertyAccessExpression(col) || touches(col, names)) return 'the eq() does not compare a table column with the element';
  return { eqCall, column: col, table: col.expression, key };
}

export interface ColumnFacts {
  unique: boolean;
  /** JS Map keys match exactly when PostgreSQL's `=` does (integers, text, uuid, boolean). */
  comparable: boolean;
  sqlType: string;
}

const COMPARABLE = /^(?:int[248]|serial[248]?|smallserial|bigserial|text|varchar|uuid|bool)$/;

/** Facts about `table.key`: from this file's pgTable first, then the workspace model by name. */
export function columnFacts(a: TsAnalysis, table: ts.Expression, key: string, schema?: SchemaModel): ColumnFacts | undefined {
  const found = lookUpColumn(a, table, key, schema);
  if (!found) return undefined;
  if (found.from === 'file') {
    const { table: local, column: c } = found;
    const single = (cols: string[]) => cols.length === 1 && (cols[0] === c.dbName || cols[0] === c.key);
    const unique =
      c.primaryKey ||
      c.unique ||
      (!!local.primaryKey && single(local.primaryKey.columns)) ||
      local.uniques.some((u) => single(u.columns)) ||
      local.indexes.some((i) => i.unique && !i.where && single(i.columns));
    return { unique, comparable: COMPARABLE.test(c.type.name) && !c.type.array && c.mode !== 'date', sqlType: c.type.name };
  }
  const { table: t, column: c } = found;
  const single = (cols: string[]) => cols.length === 1 && cols[0] === c.name;
  const unique = (!!t.primaryKey && single(t.primaryKey.columns)) || t.uniques.some((u) => !u.where && single(u.columns)) || t.indexes.some((i) => i.unique && !i.where && single(i.columns));
  return { unique, comparable: COMPARABLE.test(c.type.name) && !c.type.array, sqlType: c.type.name };
}
