// Edits of a `pgTable` in Drizzle's own syntax, so rules written once against the front-end-neutral
// declarations can offer quick fixes on TypeScript: an index in the extra config (the array
// callback, the older object form, or a new extra config), a `check()` there, `.enableRLS()`, an
// identity `id` column. Each edit follows the layout already in the file (one item per line, or all on one).
import ts from 'typescript';
import type { TableEdits } from '../engine/decls';
import type { TextEdit } from '../engine/types';
import type { Imports } from './imports';
import { unwrap } from './imports';
import type { DrizzleTable } from './schema-types';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function indentOf(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * How the file names pg-core exports: '' when it imports them by name (a missing name is added to
 * that import by fix-imports), `p.` when it only has `import * as p from 'drizzle-orm/pg-core'`.
 */
export function pgCoreQualifier(imports: Imports): string {
  for (const v of imports.named.values()) if (v.module === 'drizzle-orm/pg-core') return '';
  for (const [local, module] of imports.namespaces) if (module === 'drizzle-orm/pg-core') return `${local}.`;
  return '';
}

type ListLiteral = ts.ArrayLiteralExpression | ts.ObjectLiteralExpression;

function itemsOf(list: ListLiteral): ts.NodeArray<ts.Node> {
  return ts.isArrayLiteralExpression(list) ? list.elements : list.properties;
}

/** Adds `item` after the last element of an array or object literal, in the literal's layout. */
function appendItem(list: ListLiteral, item: string, sf: ts.SourceFile): TextEdit {
  const text = sf.text;
  const items = itemsOf(list);
  const open = list.getStart(sf);
  const close = list.end - 1;
  if (items.length === 0) {
    const pad = ts.isObjectLiteralExpression(list) ? ' ' : '';
    return { start: open + 1, end: close, newText: `${pad}${item}${pad}` };
  }
  const last = items[items.length - 1];
  const multiline = text.slice(open, items[0].getStart(sf)).includes('\n');
  const indent = indentOf(text, last.getStart(sf));
  if (items.hasTrailingComma) {
    const at = text.indexOf(',', last.end) + 1;
    return { start: at, end: at, newText: multiline ? `\n${indent}${item},` : ` ${item},` };
  }
  return { start: last.end, end: last.end, newText: multiline ? `,\n${indent}${item}` : `, ${item}` };
}

/** Adds `item` before the first element of an object literal, in the literal's layout. */
function prependProperty(list: ts.ObjectLiteralExpression, item: string, sf: ts.SourceFile): TextEdit {
  const text = sf.text;
  const first = list.properties[0];
  if (!first) return { start: list.getStart(sf) + 1, end: list.end - 1, newText: ` ${item} ` };
  const start = first.getStart(sf);
  const multiline = text.slice(list.getStart(sf), start).includes('\n');
  return { start, end: start, newText: multiline ? `${item},\n${indentOf(text, start)}` : `${item}, ` };
}

function camelCase(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join('');
  return IDENTIFIER.test(joined) ? joined : `idx${joined}`;
}

/** The columns argument as an object literal, and the callback parameter when it is `(t) => ({...})`. */
function columnsObject(call: ts.CallExpression): { object?: ts.ObjectLiteralExpression; param?: string } {
  const arg = call.arguments[1] && unwrap(call.arguments[1]);
  if (!arg) return {};
  if (ts.isObjectLiteralExpression(arg)) return { object: arg };
  if ((ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && !ts.isBlock(arg.body)) {
    const body = unwrap(arg.body);
    const p = arg.parameters[0]?.name;
    if (ts.isObjectLiteralExpression(body)) return { object: body, param: p && ts.isIdentifier(p) ? p.text : undefined };
  }
  return {};
}

/** How the file names drizzle-orm's `sql` tag: its local name, `d.sql` through a namespace, or `sql` (fix-imports adds it). */
export function sqlTag(imports: Imports): string {
  for (const [local, v] of imports.named) if (v.module === 'drizzle-orm' && v.name === 'sql') return local;
  for (const [local, module] of imports.namespaces) if (module === 'drizzle-orm') return `${local}.sql`;
  return 'sql';
}

/** Characters that would end or interpolate a template literal, or be read as an escape in it. */
const escapeTemplate = (text: string) => text.replace(/[`\\]|\$\{/g, (m) => `\\${m}`);

/**
 * Adds an item to the table's extra config: appended to the array, or as a new property of the
 * older object form, or as a new `(t) => [item]` callback when the table has none.
 */
function addToExtraConfig(table: DrizzleTable, sf: ts.SourceFile, item: (param: string) => string, propName: string): TextEdit[] | undefined {
  const call = table.call;
  if (!call) return undefined;
  const extra = table.extra;
  if (extra) {
    if (!extra.param) return undefined;
    const list = extra.node;
    if (ts.isArrayLiteralExpression(list)) return [appendItem(list, item(extra.param), sf)];
    if (ts.isObjectLiteralExpression(list)) {
      const taken = new Set(list.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '')));
      let prop = camelCase(propName);
      for (let i = 2; taken.has(prop); i++) prop = `${camelCase(propName)}${i}`;
      return [appendItem(list, `${prop}: ${item(extra.param)}`, sf)];
    }
    return undefined;
  }
  // No extra config yet; a third argument we could not read (a function reference) is left alone.
  const columnsArg = call.arguments[1];
  if (!columnsArg || call.arguments.length > 2) return undefined;
  return [{ start: columnsArg.end, end: columnsArg.end, newText: `, (t) => [${item('t')}]` }];
}

export function drizzleTableEdits(table: DrizzleTable, sf: ts.SourceFile, imports: Imports): TableEdits {
  const q = pgCoreQualifier(imports);
  const call = table.call;
  const keyOf = (dbName: string) => table.columns.find((c) => c.dbName === dbName)?.key;
  const ref = (param: string, key: string) => (IDENTIFIER.test(key) ? `${param}.${key}` : `${param}[${JSON.stringify(key)}]`);
  const quoteName = (name: string) => `'${name.replace(/['\\]/g, '')}'`;
  return {
    addIndex(name, columns, unique) {
      const keys = columns.map(keyOf);
      if (keys.length === 0 || keys.some((k) => k === undefined)) return undefined;
      const builder = `${q}${unique ? 'uniqueIndex' : 'index'}(${quoteName(name)})`;
      return addToExtraConfig(table, sf, (param) => `${builder}.on(${keys.map((k) => ref(param, k!)).join(', ')})`, name);
    },
    addCheck(name, column, condition) {
      const key = keyOf(column);
      if (key === undefined) return undefined;
      // The column goes in as `${t.key}` so Drizzle writes its real (quoted, cased) name into the SQL.
      return addToExtraConfig(table, sf, (param) => `${q}check(${quoteName(name)}, ${sqlTag(imports)}\`\${${ref(param, key)}} ${escapeTemplate(condition)}\`)`, name);
    },
    enableRls() {
      return call ? [{ start: call.end, end: call.end, newText: '.enableRLS()' }] : undefined;
    },
    addIdentityKey() {
      if (!call || table.columns.some((c) => c.key === 'id' || c.dbName === 'id')) return undefined;
      const { object, param } = columnsObject(call);
      if (!object) return undefined;
      const builder = param ? `${param}.bigint` : `${q}bigint`;
      return [prependProperty(object, `id: ${builder}('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity()`, sf)];
    },
  };
}
