// One column of a `pgTable`: `key: builder('db_name', { options }).modifier()...`, resolved to a
// PostgreSQL type with the builder's options, customTypes, enums and helper functions.
import ts from 'typescript';
import { builderArgs, builderType, isBuiltinBuilder, retypeBuilder, sqlTypeRef } from './builders';
import { importedName, stringValue, unwrap } from './imports';
import type { DrizzleColumn } from './schema-types';
import { snakeCase, type Scope } from './scope';

export interface ChainLink {
  name: string;
  call: ts.CallExpression;
}

interface Base {
  call: ts.CallExpression;
  builder: string;
  kind: 'builtin' | 'custom' | 'enum' | 'helper';
  /** Text before the builder name: `p.`, `t.` or ''. */
  qualifier: string;
}

function spanOf(node: ts.Node, sf: ts.SourceFile) {
  return { start: node.getStart(sf), end: node.end };
}

/** The builder a call starts from, if the call is one. `param` is the columns callback's parameter. */
function baseOf(call: ts.CallExpression, scope: Scope, param: string | undefined, sf: ts.SourceFile): Base | undefined {
  const callee = call.expression;
  const imported = importedName(callee, scope.imports);
  if (imported && isBuiltinBuilder(imported)) {
    return { call, builder: imported, kind: 'builtin', qualifier: ts.isPropertyAccessExpression(callee) ? callee.expression.getText(sf) + '.' : '' };
  }
  if (ts.isPropertyAccessExpression(callee) && param && ts.isIdentifier(callee.expression) && callee.expression.text === param && isBuiltinBuilder(callee.name.text)) {
    return { call, builder: callee.name.text, kind: 'builtin', qualifier: param + '.' };
  }
  // `e.status('status')` with `import * as e from './enums'`: the imported enum is known as `e.status`.
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && scope.imports.localNamespaces.has(callee.expression.text)) {
    const n = `${callee.expression.text}.${callee.name.text}`;
    if (scope.enums.has(n)) return { call, builder: n, kind: 'enum', qualifier: '' };
  }
  if (ts.isIdentifier(callee)) {
    const n = callee.text;
    if (scope.customTypes.has(n)) return { call, builder: n, kind: 'custom', qualifier: '' };
    if (scope.enums.has(n)) return { call, builder: n, kind: 'enum', qualifier: '' };
    if (scope.helpers.has(n)) return { call, builder: n, kind: 'helper', qualifier: '' };
  }
  return undefined;
}

/** Splits `base(...).a().b(...)` into the base builder call and its modifier calls, in order. */
export function splitChain(expr: ts.Expression, scope: Scope, param: string | undefined, sf: ts.SourceFile): { base?: Base; links: ChainLink[] } {
  const links: ChainLink[] = [];
  let e = unwrap(expr);
  // Mid-edit, a chain may end in `.` or `.notN` (no call yet): skip that tail and keep the rest.
  while (ts.isPropertyAccessExpression(e)) e = unwrap(e.expression);
  while (ts.isCallExpression(e)) {
    const base = baseOf(e, scope, param, sf);
    if (base) return { base, links };
    if (!ts.isPropertyAccessExpression(e.expression)) break;
    links.unshift({ name: e.expression.name.text, call: e });
    e = unwrap(e.expression.expression);
  }
  return { links };
}

export interface ParsedColumn {
  column: DrizzleColumn;
  /** `.references(() => x.y, { onDelete })`, resolved once every table is known. */
  references?: ChainLink;
}

/** `src`: the tree the column's lazy `retype` reads, updated when a cached column is reused after an edit (table-cache.ts). */
export function parseColumn(prop: ts.PropertyAssignment, table: string, scope: Scope, param: string | undefined, sf: ts.SourceFile, src: { sf: ts.SourceFile } = { sf }): ParsedColumn | undefined {
  const key = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) ? prop.name.text : undefined;
  if (key === undefined) return undefined;
  let { base, links } = splitChain(prop.initializer, scope, param, sf);
  if (!base) return undefined;
  const typeSpan = spanOf(base.call, sf);
  let dbName = builderArgs(base.call).dbName;
  const helper = base.kind === 'helper' ? base : undefined;
  if (helper) {
    // One level: the helper's own chain supplies the builder and its modifiers come first.
    const inner = splitChain(scope.helpers.get(helper.builder)!, scope, undefined, sf);
    if (!inner.base || inner.base.kind === 'helper') return undefined;
    base = inner.base;
    links = [...inner.links, ...links];
    dbName = dbName ?? builderArgs(base.call).dbName;
  }
  const array = links.some((l) => l.name === 'array');
  const { options } = builderArgs(base.call);
  let type;
  let customJsNumber = false;
  if (base.kind === 'custom') {
    const ct = scope.customTypes.get(base.builder)!;
    type = sqlTypeRef(ct.dataType ?? base.builder, array);
    customJsNumber = ct.jsNumber;
  } else if (base.kind === 'enum') {
    const name = scope.enums.get(base.builder)!;
    type = { name, mods: [], array, written: name + (array ? '[]' : '') };
  } else {
    type = builderType(base.builder, options, array);
  }
  const finalName = dbName ?? (scope.casing === 'snake_case' ? snakeCase(key) : key);
  const column: DrizzleColumn = {
    table,
    key,
    dbName: finalName,
    type,
    builder: base.builder,
    ...modeSpans(options, sf),
    customJsNumber,
    nameSpan: spanOf(prop.name, sf),
    typeSpan,
    span: spanOf(prop, sf),
    notNull: false,
    primaryKey: false,
    unique: false,
    identity: false,
    generated: false,
    // A helper's own modifiers would be lost by replacing its call: no retype through helpers.
    retype: helper ? () => undefined : (sqlType) => retypeBuilder(sqlType, base!.qualifier, dbName, base!.kind === 'builtin' ? base!.call : undefined, src.sf),
  };
  let references: ChainLink | undefined;
  for (const l of links) {
    switch (l.name) {
      case 'notNull':
        column.notNull = true;
        break;
      case 'primaryKey':
        column.primaryKey = column.notNull = true;
        break;
      case 'unique':
        column.unique = true;
        break;
      case 'default':
      case '$default':
      case '$defaultFn':
        column.defaultExpr = l.call.arguments[0]?.getText(sf) ?? '';
        break;
      case 'defaultNow':
        column.defaultExpr = 'now()';
        break;
      case 'defaultRandom':
        column.defaultExpr = 'gen_random_uuid()';
        break;
      case 'generatedAlwaysAsIdentity':
      case 'generatedByDefaultAsIdentity':
        column.identity = column.notNull = true;
        break;
      case 'generatedAlwaysAs':
        column.generated = true;
        break;
      case '$type':
        column.tsType = l.call.typeArguments?.[0]?.getText(sf);
        break;
      case 'references':
        references = l;
        break;
    }
  }
  return { column, references };
}

function modeSpans(options: ts.Expression | undefined, sf: ts.SourceFile): Pick<DrizzleColumn, 'mode' | 'modeValueSpan' | 'modeRemoval'> {
  if (!options || !ts.isObjectLiteralExpression(options)) return {};
  const props = options.properties;
  const i = props.findIndex((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'mode');
  if (i < 0) return {};
  const prop = props[i] as ts.PropertyAssignment;
  const mode = stringValue(prop.initializer);
  const modeValueSpan = spanOf(prop.initializer, sf);
  // `{ mode: 'number' }` -> drop the whole object argument; otherwise the property and one comma.
  let modeRemoval;
  if (props.length === 1) {
    const call = options.parent as ts.CallExpression;
    const args = call.arguments;
    const k = args.indexOf(options);
    modeRemoval = k > 0 ? { start: args[k - 1].end, end: options.end } : spanOf(options, sf);
  } else if (i < props.length - 1) modeRemoval = { start: prop.getStart(sf), end: props[i + 1].getStart(sf) };
  else modeRemoval = { start: props[i - 1].end, end: prop.end };
  return { mode, modeValueSpan, modeRemoval };
}
