// `with` in db.query findMany/findFirst: each relation becomes a `left join lateral` subquery that
// aggregates the related rows to JSON, the way drizzle-orm's relational query builder (v1) writes it;
// a relation's own `with` (one more level) joins inside that subquery.
import ts from 'typescript';
import { objectProps, propValue, unwrap } from '../imports';
import { condition, orderKey, param, type RenderContext } from './conditions';
import { fail, quoteIdent, tableSql, type TableInfo } from './types';

/** The `columns` option: any `true` selects exactly those in the object's order; only `false`s remove. */
export function selectedColumns(table: TableInfo, cols: ts.Expression | undefined, ctx: RenderContext): string[] {
  if (!cols) return table.columns.map((c) => c.dbName);
  const u = unwrap(cols);
  if (!ts.isObjectLiteralExpression(u)) fail('`columns` that is not an object literal', u, ctx.sf);
  const flags = u.properties.map((p) => {
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    const v = ts.isPropertyAssignment(p) ? unwrap(p.initializer) : undefined;
    if (!name || !v || (v.kind !== ts.SyntaxKind.TrueKeyword && v.kind !== ts.SyntaxKind.FalseKeyword)) fail('`columns` entries other than `key: true/false`', p, ctx.sf);
    return { name, on: v.kind === ts.SyntaxKind.TrueKeyword };
  });
  const dbName = (k: string) => table.columns.find((c) => c.key === k)?.dbName ?? fail(`${k} is not a column of ${table.varName}`);
  return flags.some((f) => f.on) ? flags.filter((f) => f.on).map((f) => dbName(f.name)) : table.columns.filter((c) => !flags.some((f) => f.name === c.key)).map((c) => c.dbName);
}

/** Identity of a table across TableInfo copies. */
export const tableKey = (t: TableInfo): string => `${t.schema ?? ''}.${t.name}`;

/** How many levels of `with` are translated (drizzle allows more; each level is another lateral join). */
const MAX_DEPTH = 2;

export type CallbackBody = (e: ts.Expression, table: TableInfo, ctx: RenderContext) => ts.Expression;

/**
 * One relation of `with`: the select-list entry and the lateral join. `aliases` maps tables to the
 * alias their columns are written with (parent and child).
 */
export function lateral(
  parent: { table: TableInfo; alias: string },
  key: string,
  options: ts.Expression,
  ctx: RenderContext,
  aliases: Map<string, string>,
  body: CallbackBody,
  depth = 1,
): { column: string; join: string; alias: string } {
  const rel = ctx.tables.relationsOf(parent.table.varName).find((r) => r.key === key);
  if (!rel) fail(`no relation \`${key}\` in the relations() of ${parent.table.varName}`);
  const target = ctx.tables.byVar(rel.target) ?? ctx.tables.byQueryKey(rel.target);
  if (!target) fail(`the table ${rel.target} of relation ${key} is not a pgTable Ledgerlint can find`);
  if (target.name === parent.table.name && target.schema === parent.table.schema) fail('a relation of a table to itself is not translated yet');
  // A many() without fields takes them from the one() on the other side that points back.
  let pairs: Array<[string, string]>;
  if (rel.fields && rel.references) {
    pairs = rel.fields.map((f, i) => [rel.references![i]?.[1] ?? '', f[1]]);
  } else {
    const back = ctx.tables.relationsOf(rel.target).find((r) => r.kind === 'one' && r.fields && r.references && (ctx.tables.byVar(r.target)?.name ?? r.target) === parent.table.name);
    if (!back) fail(`relation ${key}: no one() on ${rel.target} pointing back to ${parent.table.varName}`);
    pairs = back.fields!.map((f, i) => [f[1], back.references![i]?.[1] ?? '']);
  }
  const alias = `${parent.alias}_${key}`;
  // The same table can sit at two levels (payments -> account -> payments): its alias is scoped to
  // this relation's subquery and restored afterwards.
  const previousAlias = aliases.get(tableKey(target));
  aliases.set(tableKey(target), alias);
  const col = (t: TableInfo, k: string, a: string) => {
    const c = t.columns.find((x) => x.key === k);
    if (!c) fail(`${k} is not a column of ${t.varName}`);
    return `${quoteIdent(a)}.${quoteIdent(c.dbName)}`;
  };
  const join = pairs.map(([targetKey, parentKey]) => `${col(target, targetKey, alias)} = ${col(parent.table, parentKey, parent.alias)}`);
  const joinSql = join.length === 1 ? join[0] : `(${join.join(' and ')})`;
  const opts = unwrap(options);
  const props = ts.isObjectLiteralExpression(opts) ? objectProps(opts) : new Map();
  if (!ts.isObjectLiteralExpression(opts) && opts.kind !== ts.SyntaxKind.TrueKeyword) fail(`with.${key} that is neither true nor an object literal`, opts, ctx.sf);
  const allowed = ['columns', 'where', 'orderBy', 'limit', ...(depth < MAX_DEPTH ? ['with'] : [])];
  for (const k of props.keys()) if (!allowed.includes(k)) fail(`with.${key}.${k} is not translated yet${k === 'with' ? ` (\`with\` deeper than ${MAX_DEPTH} levels)` : ''}`);
  const opt = (k: string) => (ts.isObjectLiteralExpression(opts) ? propValue(opts, k) : undefined);
  const columns = selectedColumns(target, opt('columns'), ctx).map((c) => `${quoteIdent(alias)}.${quoteIdent(c)}`);
  const nestedWith = opt('with') && unwrap(opt('with')!);
  if (nestedWith && !ts.isObjectLiteralExpression(nestedWith)) fail('`with` that is not an object literal', nestedWith, ctx.sf);
  // Parameters are numbered in text order: a wrapped source (order or limit) comes before the nested
  // joins; an unwrapped one puts its where after them.
  const renderNested = () =>
    nestedWith
      ? [...objectProps(nestedWith)].map(([k, p]) => {
          if (!ts.isPropertyAssignment(p)) fail('`with` entries must be `relation: true` or `relation: { ... }`', p, ctx.sf);
          return lateral({ table: target, alias }, k, p.initializer, ctx, aliases, body, depth + 1);
        })
      : [];
  const whereExpr = opt('where');
  const orderExpr = rel.kind === 'many' ? opt('orderBy') : undefined;
  const wrapped = rel.kind === 'one' || !!orderExpr || !!opt('limit');
  let nested: Array<{ column: string; join: string; alias: string }> = wrapped ? [] : renderNested();
  const userWhere = whereExpr && rel.kind === 'many' ? condition(body(whereExpr, target, ctx), ctx) : undefined;
  const where = userWhere ? `(${joinSql} and ${userWhere})` : joinSql;
  let order = '';
  if (orderExpr) {
    const b = body(orderExpr, target, ctx);
    const keys = ts.isArrayLiteralExpression(b) ? [...b.elements] : [b];
    if (keys.length) order = ` order by ${keys.map((k) => orderKey(k, ctx)).join(', ')}`;
  }
  let limit = '';
  if (rel.kind === 'one') {
    ctx.params.push({ source: `1 (one ${key})`, literal: 1 });
    limit = ` limit $${ctx.params.length}`;
  } else if (opt('limit')) limit = ` limit ${param(opt('limit')!, ctx)}`;
  if (wrapped) nested = renderNested();
  if (previousAlias === undefined) aliases.delete(tableKey(target));
  else aliases.set(tableKey(target), previousAlias);
  const from = `${tableSql(target)} ${quoteIdent(alias)}`;
  const joins = nested.map((n) => n.join).join('');
  const source = wrapped ? `(select * from ${from} where ${where}${order}${limit}) ${quoteIdent(alias)}${joins}` : `${from}${joins} where ${where}`;
  const values = [...columns, ...nested.map((n) => `${quoteIdent(n.alias)}.${quoteIdent('data')}`)];
  const data = rel.kind === 'one' ? `json_build_array(${values.join(', ')})` : `coalesce(json_agg(json_build_array(${values.join(', ')})${order}), '[]'::json)`;
  return {
    alias,
    column: `${quoteIdent(alias)}.${quoteIdent('data')} as ${quoteIdent(key)}`,
    join: ` left join lateral (select ${data} as ${quoteIdent('data')} from ${source}) ${quoteIdent(alias)} on true`,
  };
}
