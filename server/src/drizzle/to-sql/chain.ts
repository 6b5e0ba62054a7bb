// A Drizzle query-builder chain -> the SQL drizzle-orm's pg dialect sends, derived from the syntax
// tree and the pgTable definitions only (user code never runs). Covered: select / selectDistinct
// with from, inner/left/right/full joins, where, orderBy, limit, offset, for; update().set().where();
// delete().where(); returning(); groupBy / having; plain sql`` templates (sql-fragment.ts);
// insert().values() with onConflict and returning (insert.ts); db.query.<table>.findMany / findFirst
// with `with` two levels deep.
import ts from 'typescript';
import { objectProps, propValue, unwrap, type Imports } from '../imports';
import type { TableResolver } from './table-resolver';
import { columnRef, condition, orderKey, param, value, type RenderContext } from './conditions';
import { fail, NotTranslatable, quoteIdent, tableSql, type TableInfo, type Translation } from './types';
import { lateral, selectedColumns, tableKey } from './with';
import { insert } from './insert';
import { isSqlTemplate, sqlFragment } from './sql-fragment';

export interface Link {
  name: string;
  args: readonly ts.Expression[];
  node: ts.Expression;
}

/** `db.select().from(t).where(x)` -> root `db` and links select, from, where. */
export function chainLinks(outer: ts.Expression): { root: ts.Expression; links: Link[] } {
  const links: Link[] = [];
  let cur = unwrap(outer);
  for (;;) {
    if (ts.isCallExpression(cur) && ts.isPropertyAccessExpression(cur.expression)) {
      links.unshift({ name: cur.expression.name.text, args: cur.arguments, node: cur });
      cur = unwrap(cur.expression.expression);
    } else if (ts.isPropertyAccessExpression(cur)) {
      // `db.query.payments` in the relational API: property steps without a call.
      links.unshift({ name: cur.name.text, args: [], node: cur });
      cur = unwrap(cur.expression);
    } else {
      return { root: cur, links };
    }
  }
}

/** Steps that do not change the SQL. */
const NEUTRAL = new Set(['$dynamic', 'execute', 'prepare', 'then', 'catch', 'finally', 'toSQL', 'getSQL']);

export function translateChain(outer: ts.Expression, sf: ts.SourceFile, imports: Imports, tables: TableResolver): Translation {
  const ctx: RenderContext = { sf, imports, tables, params: [], aliases: new Map(), operators: new Map(), operatorObjects: new Set() };
  try {
    const { links } = chainLinks(outer);
    const steps = links.filter((l) => !NEUTRAL.has(l.name));
    const first = steps[0]?.name;
    let sql: string;
    let kind: 'select' | 'insert' | 'update' | 'delete';
    if (first === 'select' || first === 'selectDistinct') [sql, kind] = [select(steps, ctx), 'select'];
    else if (first === 'insert') [sql, kind] = [insert(steps, ctx), 'insert'];
    else if (first === 'update') [sql, kind] = [update(steps, ctx), 'update'];
    else if (first === 'delete') [sql, kind] = [del(steps, ctx), 'delete'];
    else if (first === 'query') [sql, kind] = [relational(steps, ctx), 'select'];
    else return { ok: false, reason: first ? `${first}() queries are not translated yet` : 'this is not a Drizzle query chain' };
    return { ok: true, sql, params: ctx.params, kind };
  } catch (error) {
    if (error instanceof NotTranslatable) return { ok: false, reason: error.message };
    // A half-typed chain the walk did not foresee: say so rather than take the hover down.
    return { ok: false, reason: `Ledgerlint could not read this chain (${(error as Error)?.message ?? String(error)})` };
  }
}

export function tableArg(e: ts.Expression | undefined, ctx: RenderContext): TableInfo {
  const u = e && unwrap(e);
  const t = u && ts.isIdentifier(u) ? ctx.tables.byVar(u.text) : undefined;
  if (!t) fail('the table is not a pgTable Ledgerlint can find in this file or its relative imports', u, ctx.sf);
  return t;
}

export function columnsOf(t: TableInfo, qualify: boolean): string[] {
  return t.columns.map((c) => (qualify ? `${tableSql(t)}.${quoteIdent(c.dbName)}` : quoteIdent(c.dbName)));
}

/** `select({ id: t.id, nested: { s: t.status }, whole: t2 })` -> its columns, in order. */
export function fieldList(fields: ts.Expression, ctx: RenderContext, qualify: boolean): string[] {
  const obj = unwrap(fields);
  if (!ts.isObjectLiteralExpression(obj)) fail('select() fields that are not an object literal', obj, ctx.sf);
  const out: string[] = [];
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p)) fail('select() fields with spreads or shorthand are not translated', p, ctx.sf);
    const v = unwrap(p.initializer);
    const col = columnRef(v, ctx);
    if (col) out.push(qualify ? `${tableSql(col.table)}.${quoteIdent(col.column)}` : quoteIdent(col.column));
    else if (ts.isObjectLiteralExpression(v)) out.push(...fieldList(v, ctx, qualify));
    else if (ts.isIdentifier(v) && ctx.tables.byVar(v.text)) out.push(...columnsOf(ctx.tables.byVar(v.text)!, qualify));
    else if (isSqlTemplate(v, ctx)) out.push(sqlFragment(v, ctx, qualify));
    else fail('a select() field that is not a column or a plain sql`` template (a helper such as count() or an expression) is not translated', v, ctx.sf);
  }
  return out;
}

const JOINS: Record<string, string> = { innerJoin: 'inner join', leftJoin: 'left join', rightJoin: 'right join', fullJoin: 'full join' };
const LOCKS: Record<string, string> = { update: 'for update', 'no key update': 'for no key update', share: 'for share', 'key share': 'for key share' };

function select(steps: Link[], ctx: RenderContext): string {
  const head = steps[0];
  const from = steps[1];
  if (from?.name !== 'from') fail('a select() without .from() right after it');
  const table = tableArg(from.args[0], ctx);
  const joins: Array<{ kind: string; table: TableInfo; on: ts.Expression | undefined }> = [];
  let where: ts.Expression | undefined;
  let groupBy: readonly ts.Expression[] = [];
  let having: ts.Expression | undefined;
  let order: readonly ts.Expression[] = [];
  let limit: ts.Expression | undefined;
  let offset: ts.Expression | undefined;
  let lock: string | undefined;
  for (const s of steps.slice(2)) {
    if (s.name in JOINS) joins.push({ kind: JOINS[s.name], table: tableArg(s.args[0], ctx), on: s.args[1] });
    else if (s.name === 'where') where = s.args[0];
    else if (s.name === 'orderBy') order = s.args;
    else if (s.name === 'groupBy') groupBy = s.args;
    else if (s.name === 'having') having = s.args[0];
    else if (s.name === 'limit') limit = s.args[0];
    else if (s.name === 'offset') offset = s.args[0];
    else if (s.name === 'for') {
      const strength = s.args[0] && ts.isStringLiteral(unwrap(s.args[0])) ? (unwrap(s.args[0]) as ts.StringLiteral).text : undefined;
      if (!strength || !LOCKS[strength] || s.args[1]) fail('.for() with options or a non-literal strength', s.node, ctx.sf);
      lock = LOCKS[strength];
    } else fail(`.${s.name}() is not translated yet`, s.node, ctx.sf);
  }
  const qualify = joins.length > 0;
  const columns = head.args[0] ? fieldList(head.args[0], ctx, qualify) : [table, ...joins.map((j) => j.table)].flatMap((t) => columnsOf(t, qualify));
  let sql = `select ${head.name === 'selectDistinct' ? 'distinct ' : ''}${columns.join(', ')} from ${tableSql(table)}`;
  for (const j of joins) {
    const on = j.on && condition(j.on, ctx);
    sql += ` ${j.kind} ${tableSql(j.table)}${on ? ` on ${on}` : ''}`;
  }
  const w = where && condition(where, ctx);
  if (w) sql += ` where ${w}`;
  // Drizzle qualifies group by columns even when the select list does not.
  if (groupBy.length) sql += ` group by ${groupBy.map((g) => orderKey(g, ctx)).join(', ')}`;
  const h = having && condition(having, ctx);
  if (h) sql += ` having ${h}`;
  if (order.length) sql += ` order by ${order.map((o) => orderKey(o, ctx)).join(', ')}`;
  if (limit) sql += ` limit ${param(limit, ctx)}`;
  if (offset) sql += ` offset ${param(offset, ctx)}`;
  if (lock) sql += ` ${lock}`;
  return sql;
}

export function returning(s: Link, table: TableInfo, ctx: RenderContext): string {
  return ` returning ${(s.args[0] ? fieldList(s.args[0], ctx, false) : columnsOf(table, false)).join(', ')}`;
}

function update(steps: Link[], ctx: RenderContext): string {
  const table = tableArg(steps[0].args[0], ctx);
  const set = steps[1]?.name === 'set' && steps[1].args[0] ? unwrap(steps[1].args[0]) : undefined;
  if (!set || !ts.isObjectLiteralExpression(set)) fail('an update() without .set({ ... }) of an object literal');
  const props = objectProps(set);
  if (set.properties.some((p) => !ts.isPropertyAssignment(p))) fail('.set() with spreads or shorthand properties: which columns change is only known at run time', set, ctx.sf);
  // Drizzle writes the SET list in the table's column order, not the object's.
  const assignments = table.columns
    .filter((c) => props.has(c.key))
    .map((c) => {
      const v = propValue(set, c.key)!;
      if (ts.isIdentifier(unwrap(v)) && (unwrap(v) as ts.Identifier).text === 'undefined') return undefined;
      return `${quoteIdent(c.dbName)} = ${value(v, ctx)}`;
    })
    .filter((a): a is string => !!a);
  const unknown = [...props.keys()].filter((k) => !table.columns.some((c) => c.key === k));
  if (unknown.length) fail(`.set() names ${unknown.join(', ')}, which ${table.varName} does not declare`);
  let sql = `update ${tableSql(table)} set ${assignments.join(', ')}`;
  for (const s of steps.slice(2)) {
    if (s.name === 'where') {
      const w = s.args[0] && condition(s.args[0], ctx);
      if (w) sql += ` where ${w}`;
    } else if (s.name === 'returning') sql += returning(s, table, ctx);
    else fail(`.${s.name}() on an update is not translated yet`, s.node, ctx.sf);
  }
  return sql;
}

function del(steps: Link[], ctx: RenderContext): string {
  const table = tableArg(steps[0].args[0], ctx);
  let sql = `delete from ${tableSql(table)}`;
  for (const s of steps.slice(1)) {
    if (s.name === 'where') {
      const w = s.args[0] && condition(s.args[0], ctx);
      if (w) sql += ` where ${w}`;
    } else if (s.name === 'returning') sql += returning(s, table, ctx);
    else fail(`.${s.name}() on a delete is not translated yet`, s.node, ctx.sf);
  }
  return sql;
}

/** A relational-query option that may be a callback `(table, operators) => ...`. */
function callbackBody(e: ts.Expression, table: TableInfo, ctx: RenderContext): ts.Expression {
  const u = unwrap(e);
  if (!ts.isArrowFunction(u) && !ts.isFunctionExpression(u)) return u;
  const [tableParam, opsParam] = u.parameters;
  if (tableParam && ts.isIdentifier(tableParam.name)) ctx.aliases.set(tableParam.name.text, table);
  if (opsParam && ts.isIdentifier(opsParam.name)) ctx.operatorObjects.add(opsParam.name.text);
  else if (opsParam && ts.isObjectBindingPattern(opsParam.name)) {
    for (const el of opsParam.name.elements) {
      if (ts.isIdentifier(el.name)) ctx.operators.set(el.name.text, el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text);
    }
  }
  if (!ts.isBlock(u.body)) return unwrap(u.body);
  const ret = u.body.statements.length === 1 && ts.isReturnStatement(u.body.statements[0]) ? u.body.statements[0].expression : undefined;
  if (!ret) fail('a callback with more than a return statement', u, ctx.sf);
  return unwrap(ret);
}

function relational(steps: Link[], ctx: RenderContext): string {
  const key = steps[1]?.name;
  const method = steps[2];
  if (!key || !method || (method.name !== 'findMany' && method.name !== 'findFirst')) fail('only db.query.<table>.findMany() and findFirst() are translated');
  const table = ctx.tables.byQueryKey(key);
  if (!table) fail(`db.query.${key}: no pgTable named ${key} in this file or its relative imports`);
  const options = method.args[0] && unwrap(method.args[0]);
  if (options && !ts.isObjectLiteralExpression(options)) fail('findMany() options that are not an object literal', options, ctx.sf);
  const props = objectProps(options);
  for (const k of props.keys()) if (!['where', 'orderBy', 'limit', 'offset', 'columns', 'with'].includes(k)) fail(`the findMany() option \`${k}\` is not translated yet`);
  const opt = (k: string) => (options ? propValue(options, k) : undefined);
  // The relational API aliases the table by its schema key (`db.query.<key>`), not its SQL name.
  const aliases = new Map<string, string>([[tableKey(table), key]]);
  ctx.tableAlias = (t) => aliases.get(tableKey(t));
  const withs = opt('with') && unwrap(opt('with')!);
  if (withs && !ts.isObjectLiteralExpression(withs)) fail('`with` that is not an object literal', withs, ctx.sf);
  const related = withs ? [...objectProps(withs)].map(([k, p]) => {
    if (!ts.isPropertyAssignment(p)) fail('`with` entries must be `relation: true` or `relation: { ... }`', p, ctx.sf);
    return lateral({ table, alias: key }, k, p.initializer, ctx, aliases, callbackBody);
  }) : [];
  const names = selectedColumns(table, opt('columns'), ctx);
  // With relations, Drizzle qualifies the table's own columns too.
  const columns = names.map((c) => (related.length ? `${quoteIdent(key)}.${quoteIdent(c)}` : quoteIdent(c)));
  let sql = `select ${[...columns, ...related.map((r) => r.column)].join(', ')} from ${tableSql(table)} ${quoteIdent(key)}${related.map((r) => r.join).join('')}`;
  const where = opt('where');
  const w = where && condition(callbackBody(where, table, ctx), ctx);
  if (w) sql += ` where ${w}`;
  const orderBy = opt('orderBy');
  if (orderBy) {
    const body = callbackBody(orderBy, table, ctx);
    const keys = ts.isArrayLiteralExpression(body) ? [...body.elements] : [body];
    if (keys.length) sql += ` order by ${keys.map((k) => orderKey(k, ctx)).join(', ')}`;
  }
  const limit = opt('limit');
  if (method.name === 'findFirst') {
    ctx.params.push({ source: '1 (findFirst)', literal: 1 });
    sql += ` limit $${ctx.params.length}`;
  } else if (limit) sql += ` limit ${param(limit, ctx)}`;
  const offset = opt('offset');
  if (offset) sql += ` offset ${param(offset, ctx)}`;
  return sql;
}

export { columnRef };
