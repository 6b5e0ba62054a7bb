// db.insert(t).values({...} | [{...}, ...]) with onConflictDoNothing / onConflictDoUpdate and
// returning(), rendered the way drizzle-orm's pg dialect does: every column of the table in
// declaration order, `default` where a row gives no value, rows as literal objects only (the
// number of rows and their keys decide the text).
import ts from 'typescript';
import { objectProps, propValue, unwrap } from '../imports';
import { columnRef, value, type RenderContext } from './conditions';
import { returning, tableArg, type Link } from './chain';
import { fail, quoteIdent, tableSql, type TableInfo } from './types';

function isUndefined(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isIdentifier(u) && u.text === 'undefined';
}

/** One `{ ... }` of values(): a value per table column, or `default`. */
function row(obj: ts.Expression, table: TableInfo, ctx: RenderContext): string {
  const o = unwrap(obj);
  if (!ts.isObjectLiteralExpression(o)) fail('values() with a row that is not an object literal: its columns are only known at run time', o, ctx.sf);
  if (o.properties.some((p) => !ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p))) fail('a values() row with spreads or methods: its columns are only known at run time', o, ctx.sf);
  const props = objectProps(o);
  const unknown = [...props.keys()].filter((k) => !table.columns.some((c) => c.key === k));
  if (unknown.length) fail(`values() names ${unknown.join(', ')}, which ${table.varName} does not declare`);
  return `(${table.columns
    .map((c) => {
      const p = props.get(c.key);
      const v = p && (ts.isShorthandPropertyAssignment(p) ? p.name : propValue(o, c.key));
      if (v && !isUndefined(v)) return value(v, ctx);
      if (c.insertDefault === 'runtime') fail(`${table.varName}.${c.key} has a $defaultFn: Drizzle sends the value it computes when the code runs`);
      return 'default';
    })
    .join(', ')})`;
}

function targetColumns(target: ts.Expression, table: TableInfo, ctx: RenderContext): string {
  const t = unwrap(target);
  const list = ts.isArrayLiteralExpression(t) ? [...t.elements] : [t];
  const names = list.map((x) => {
    const col = columnRef(x, ctx);
    if (!col || col.table.name !== table.name) fail('an onConflict target that is not a column of the inserted table', x, ctx.sf);
    return quoteIdent(col.column);
  });
  // drizzle-orm joins several target columns with a bare comma.
  return `(${names.join(',')})`;
}

function onConflict(s: Link, table: TableInfo, ctx: RenderContext): string {
  const opts = s.args[0] && unwrap(s.args[0]);
  if (opts && !ts.isObjectLiteralExpression(opts)) fail(`${s.name}() options that are not an object literal`, opts, ctx.sf);
  const props = objectProps(opts);
  const allowed = s.name === 'onConflictDoNothing' ? ['target'] : ['target', 'set'];
  for (const k of props.keys()) if (!allowed.includes(k)) fail(`the ${s.name}() option \`${k}\` is not translated yet`);
  const target = opts && propValue(opts, 'target');
  if (s.name === 'onConflictDoNothing') return ` on conflict ${target ? `${targetColumns(target, table, ctx)} ` : ''}do nothing`;
  const set = opts && propValue(opts, 'set');
  const setObj = set && unwrap(set);
  if (!target || !setObj || !ts.isObjectLiteralExpression(setObj)) fail('onConflictDoUpdate() needs a target and a set object literal', s.node, ctx.sf);
  if (setObj.properties.some((p) => !ts.isPropertyAssignment(p))) fail('an onConflictDoUpdate() set with spreads or shorthand: which columns change is only known at run time', setObj, ctx.sf);
  const setProps = objectProps(setObj);
  const unknown = [...setProps.keys()].filter((k) => !table.columns.some((c) => c.key === k));
  if (unknown.length) fail(`onConflictDoUpdate() sets ${unknown.join(', ')}, which ${table.varName} does not declare`);
  const targetSql = targetColumns(target, table, ctx);
  // As in update().set(): the table's column order, not the object's.
  const assignments = table.columns
    .filter((c) => setProps.has(c.key) && !isUndefined(propValue(setObj, c.key)!))
    .map((c) => `${quoteIdent(c.dbName)} = ${value(propValue(setObj, c.key)!, ctx)}`);
  return ` on conflict ${targetSql} do update set ${assignments.join(', ')}`;
}

export function insert(steps: Link[], ctx: RenderContext): string {
  const table = tableArg(steps[0].args[0], ctx);
  const unknownDefault = table.columns.find((c) => c.insertDefault === 'unknown');
  if (unknownDefault) fail(`${table.varName}.${unknownDefault.key} is an identity or generated column, which Drizzle may leave out of the insert`);
  const values = steps[1]?.name === 'values' && steps[1].args[0] ? unwrap(steps[1].args[0]) : undefined;
  if (!values) fail('an insert() without .values(...) right after it (select-based inserts are not translated)');
  const rows = ts.isArrayLiteralExpression(values) ? [...values.elements] : [values];
  if (rows.some(ts.isSpreadElement)) fail('values() with a spread array: the number of rows is only known at run time', values, ctx.sf);
  if (!rows.length) fail('values() with an empty array (Drizzle throws)', values, ctx.sf);
  const columns = table.columns.map((c) => quoteIdent(c.dbName)).join(', ');
  let sql = `insert into ${tableSql(table)} (${columns}) values ${rows.map((r) => row(r, table, ctx)).join(', ')}`;
  for (const s of steps.slice(2)) {
    if (s.name === 'onConflictDoNothing' || s.name === 'onConflictDoUpdate') sql += onConflict(s, table, ctx);
    else if (s.name === 'returning') sql += returning(s, table, ctx);
    else fail(`.${s.name}() on an insert is not translated yet`, s.node, ctx.sf);
  }
  return sql;
}

