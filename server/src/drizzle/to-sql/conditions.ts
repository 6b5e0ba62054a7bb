// Drizzle's condition and ordering helpers (eq, and, inArray, desc, ...) -> the SQL text Drizzle
// renders for them, with every value as a `$n` parameter in order, the way drizzle-orm's pg dialect
// does it. Anything else is refused rather than guessed.
import ts from 'typescript';
import { importedName, unwrap, type Imports } from '../imports';
import { fail, quoteIdent, tableSql, type Param, type TableInfo } from './types';
import type { TableResolver } from './table-resolver';
import { isSqlTemplate, sqlFragment } from './sql-fragment';

export interface RenderContext {
  sf: ts.SourceFile;
  imports: Imports;
  tables: TableResolver;
  params: Param[];
  /** Callback parameters standing for a table (`(p, { eq }) => eq(p.status, ...)`). */
  aliases: Map<string, TableInfo>;
  /** Local names of operators passed into a callback (`{ eq, and }` or `ops` for `ops.eq`). */
  operators: Map<string, string>;
  operatorObjects: Set<string>;
  /** The relational API aliases its table (`from "billing"."invoices" "invoices"`): columns use the alias. */
  tableAlias?: (t: TableInfo) => string | undefined;
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', notLike: 'not like', ilike: 'ilike', notIlike: 'not ilike' };

/** The drizzle-orm helper a callee names, through imports or callback parameters. */
export function operatorName(callee: ts.Expression, ctx: RenderContext): string | undefined {
  const imported = importedName(callee, ctx.imports);
  if (imported) return imported;
  if (ts.isIdentifier(callee)) return ctx.operators.get(callee.text);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ctx.operatorObjects.has(callee.expression.text)) return callee.name.text;
  return undefined;
}

/** `payments.status` (or `p.status` in a callback) -> the table and the column's SQL name. */
export function columnRef(e: ts.Expression, ctx: RenderContext): { table: TableInfo; column: string } | undefined {
  const u = unwrap(e);
  if (!ts.isPropertyAccessExpression(u) || !ts.isIdentifier(u.expression)) return undefined;
  const owner = u.expression.text;
  const table = ctx.aliases.get(owner) ?? ctx.tables.byVar(owner);
  if (!table) return undefined;
  const column = table.columns.find((c) => c.key === u.name.text);
  if (!column) fail(`${u.name.text} is not a column of the pgTable ${owner}`, u, ctx.sf);
  return { table, column: column.dbName };
}

export function qualifiedColumn(ref: { table: TableInfo; column: string }, ctx: RenderContext): string {
  const alias = ctx.tableAlias?.(ref.table);
  return `${alias ? quoteIdent(alias) : tableSql(ref.table)}.${quoteIdent(ref.column)}`;
}

function literalOf(e: ts.Expression): Param['literal'] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  return undefined;
}

/** A value: a column, or a parameter (Drizzle binds every other value). */
export function value(e: ts.Expression, ctx: RenderContext): string {
  const u = unwrap(e);
  const col = columnRef(u, ctx);
  if (col) return qualifiedColumn(col, ctx);
  if (isSqlTemplate(u, ctx)) return sqlFragment(u, ctx);
  if (ts.isTaggedTemplateExpression(u) || (ts.isCallExpression(u) && (operatorName(u.expression, ctx) || fromDrizzle(u.expression, ctx)))) {
    fail('a sql`` template or helper as a value is not translated', u, ctx.sf);
  }
  return param(u, ctx);
}

/** `sql.raw(...)`, `sql.placeholder(...)`: built from a drizzle-orm import, so SQL rather than a value. */
export function fromDrizzle(callee: ts.Expression, ctx: RenderContext): boolean {
  let cur = unwrap(callee);
  while (ts.isPropertyAccessExpression(cur) || ts.isCallExpression(cur)) cur = unwrap(cur.expression);
  return ts.isIdentifier(cur) && (ctx.imports.named.has(cur.text) || ctx.imports.namespaces.has(cur.text));
}

export function param(e: ts.Expression, ctx: RenderContext): string {
  const u = unwrap(e);
  ctx.params.push({ source: u.getText(ctx.sf), literal: literalOf(u) });
  return `$${ctx.params.length}`;
}

/** A condition, or undefined for `undefined` / an empty `and()` (Drizzle drops those). */
export function condition(e: ts.Expression, ctx: RenderContext): string | undefined {
  const u = unwrap(e);
  if (ts.isIdentifier(u) && u.text === 'undefined') return undefined;
  if (isSqlTemplate(u, ctx)) return sqlFragment(u, ctx);
  if (!ts.isCallExpression(u)) fail('this condition is not a drizzle-orm operator call', u, ctx.sf);
  const op = operatorName(u.expression, ctx);
  const args = u.arguments;
  if (op && op in COMPARISONS && args.length === 2) {
    const left = columnRef(args[0], ctx);
    if (!left) fail(`the left side of ${op}() is not a column Ledgerlint can see`, args[0], ctx.sf);
    return `${qualifiedColumn(left, ctx)} ${COMPARISONS[op]} ${value(args[1], ctx)}`;
  }
  switch (op) {
    case 'and':
    case 'or': {
      const parts = args.map((a) => condition(a, ctx)).filter((p): p is string => p !== undefined);
      if (parts.length === 0) return undefined;
      return parts.length === 1 ? parts[0] : `(${parts.join(` ${op} `)})`;
    }
    case 'not': {
      const inner = args[0] && condition(args[0], ctx);
      if (!inner) fail('not() of nothing', u, ctx.sf);
      return `not ${inner}`;
    }
    case 'isNull':
    case 'isNotNull': {
      const col = args[0] && columnRef(args[0], ctx);
      if (!col) fail(`${op}() of something that is not a column`, u, ctx.sf);
      return `${qualifiedColumn(col, ctx)} ${op === 'isNull' ? 'is null' : 'is not null'}`;
    }
    case 'inArray':
    case 'notInArray': {
      const col = args[0] && columnRef(args[0], ctx);
      const list = args[1] && unwrap(args[1]);
      if (!col) fail(`${op}() of something that is not a column`, u, ctx.sf);
      if (!list || !ts.isArrayLiteralExpression(list) || list.elements.some(ts.isSpreadElement)) {
        fail(`${op}() with an array built at run time has one parameter per element, which is only known then`, u, ctx.sf);
      }
      if (list.elements.length === 0) return op === 'inArray' ? 'false' : 'true';
      return `${qualifiedColumn(col, ctx)} ${op === 'inArray' ? 'in' : 'not in'} (${list.elements.map((x) => value(x, ctx)).join(', ')})`;
    }
    case 'between':
    case 'notBetween': {
      const col = args[0] && columnRef(args[0], ctx);
      if (!col || args.length !== 3) fail(`${op}() needs a column and two bounds`, u, ctx.sf);
      return `${qualifiedColumn(col, ctx)} ${op === 'between' ? 'between' : 'not between'} ${value(args[1], ctx)} and ${value(args[2], ctx)}`;
    }
    default:
      return fail(op ? `the operator ${op}() is not translated yet` : 'this condition is not a drizzle-orm operator call', u, ctx.sf);
  }
}

/** An orderBy or groupBy key: a column, a plain sql`` template, or asc()/desc() of one. */
export function orderKey(e: ts.Expression, ctx: RenderContext): string {
  const u = unwrap(e);
  const col = columnRef(u, ctx);
  if (col) return qualifiedColumn(col, ctx);
  if (isSqlTemplate(u, ctx)) return sqlFragment(u, ctx);
  if (ts.isCallExpression(u)) {
    const op = operatorName(u.expression, ctx);
    const arg = u.arguments[0] && unwrap(u.arguments[0]);
    const inner = arg && columnRef(arg, ctx);
    if ((op === 'asc' || op === 'desc') && inner) return `${qualifiedColumn(inner, ctx)} ${op}`;
    if ((op === 'asc' || op === 'desc') && arg && isSqlTemplate(arg, ctx)) return `${sqlFragment(arg, ctx)} ${op}`;
  }
  return fail('this orderBy key is not a column, asc() or desc() of a column or a plain sql`` template', u, ctx.sf);
}
