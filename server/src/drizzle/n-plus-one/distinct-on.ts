// "The first row per item" batched with DISTINCT ON: `select ... orderBy(o).limit(1)` and a
// relational `findFirst({ orderBy })` on a non-unique key become
// `selectDistinctOn([t.key]).from(t).where(inArray(...)).orderBy(t.key, o)`. Only when the
// ordering ends on a unique column: with ties, each form may pick a different row.
import ts from 'typescript';
import type { SchemaModel } from '../../model/schema';
import type { TsAnalysis } from '../analysis';
import { importedName, numberValue, objectProps, propValue, unwrap } from '../imports';
import { chainCall, type DbQuery } from './queries';
import { columnFacts, type KeyedCondition } from './keyed';

export interface DistinctOnPlan {
  /** The batched query, given the where condition with `inArray` already in it. */
  build(whereText: string): string;
}

/** The ordering ends on a unique column of the table, so "the first row" is one row. */
function endsOnUnique(terms: readonly ts.Expression[], cond: KeyedCondition, a: TsAnalysis, schema?: SchemaModel): string | undefined {
  const last = terms.length ? unwrap(terms[terms.length - 1]) : undefined;
  if (!last) return 'it has no ordering, so which row comes first is up to PostgreSQL';
  let col = last;
  if (ts.isCallExpression(last) && /^(?:asc|desc)$/.test(importedName(last.expression, a.imports) ?? '')) col = unwrap(last.arguments[0]);
  const table = cond.table.getText(a.sf);
  if (!col || !ts.isPropertyAccessExpression(col) || col.expression.getText(a.sf) !== table) return `its ordering does not end on a column of ${table}`;
  if (!columnFacts(a, cond.table, col.name.text, schema)?.unique) return `its ordering ends on ${col.getText(a.sf)}, which is not unique, so rows that tie may be picked differently; end the ordering on the primary key`;
  return undefined;
}

/** `select().from(t).where(..).orderBy(..).limit(1)` per item. */
export function selectFirstPlan(q: DbQuery, cond: KeyedCondition, a: TsAnalysis, schema?: SchemaModel): DistinctOnPlan | string {
  const { sf } = a;
  const orderBy = chainCall(q.head, 'orderBy');
  const limit = chainCall(q.head, 'limit');
  if (q.chain.join() !== 'from,where,orderBy,limit' || !orderBy || !limit || numberValue(limit.arguments[0]) !== 1) return 'its .limit() applies per item, which one inArray query cannot express';
  const why = endsOnUnique(orderBy.arguments, cond, a, schema);
  if (why) return why;
  const from = chainCall(q.head, 'from')!;
  const column = cond.column.getText(sf);
  const order = orderBy.arguments.map((x) => x.getText(sf)).join(', ');
  return {
    build: (where) => `${q.handle.text}.selectDistinctOn([${column}]).from(${from.arguments[0].getText(sf)}).where(${where}).orderBy(${column}, ${order})`,
  };
}

/** `db.query.t.findFirst({ where, orderBy })` per item on a non-unique key. */
export function findFirstPlan(q: DbQuery, options: ts.ObjectLiteralExpression, cond: KeyedCondition, a: TsAnalysis, schema?: SchemaModel): DistinctOnPlan | string {
  const { sf } = a;
  const extra = [...objectProps(options).keys()].find((k) => k !== 'where' && k !== 'orderBy');
  if (extra) return `its \`${extra}\` option has no select() equivalent for a DISTINCT ON rewrite`;
  const orderExpr = propValue(options, 'orderBy');
  const o = orderExpr && unwrap(orderExpr);
  if (o && (ts.isArrowFunction(o) || ts.isFunctionExpression(o))) return 'its orderBy is a callback';
  const terms = !o ? [] : ts.isArrayLiteralExpression(o) ? [...o.elements] : [o];
  const why = endsOnUnique(terms, cond, a, schema);
  if (why) return `${cond.column.getText(sf)} is not unique and ${why}`;
  const column = cond.column.getText(sf);
  const order = terms.map((x) => x.getText(sf)).join(', ');
  return {
    build: (where) => `${q.handle.text}.selectDistinctOn([${column}]).from(${cond.table.getText(sf)}).where(${where}).orderBy(${column}, ${order})`,
  };
}
