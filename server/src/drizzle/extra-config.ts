// The third argument of `pgTable`: `(t) => [index().on(t.a), foreignKey({...}), ...]`, or the older
// object form `(t) => ({ byA: index().on(t.a) })`.
import ts from 'typescript';
import { importedName, propValue, stringValue, unwrap } from './imports';
import type { DrizzleTable } from './schema-types';
import type { Scope } from './scope';
import { ON_DELETE_ACTIONS } from './tables';
import type { SourceRef } from './table-cache';

const spanOf = (node: ts.Node, sf: ts.SourceFile) => ({ start: node.getStart(sf), end: node.end });
const ORDER_CALLS = new Set(['asc', 'desc', 'nullsFirst', 'nullsLast', 'op']);

/** `t.accountId` / `accounts.id` (optionally `.asc()`) -> DB table and column names. */
export function resolveColumnRef(expr: ts.Expression, byVar: Map<string, DrizzleTable>, self: DrizzleTable | undefined, param: string | undefined): { table: string; column: string } | undefined {
  let e = unwrap(expr);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ORDER_CALLS.has(e.expression.name.text)) e = unwrap(e.expression.expression);
  if (!ts.isPropertyAccessExpression(e) || !ts.isIdentifier(e.expression)) return undefined;
  const owner = e.expression.text;
  const key = e.name.text;
  const table = owner === param ? self : byVar.get(owner);
  if (!table) return { table: owner, column: key };
  const col = table.columns.find((c) => c.key === key);
  return { table: table.name, column: col?.dbName ?? key };
}

function callbackResult(arg: ts.Expression): { body?: ts.Expression; param?: string } {
  const a = unwrap(arg);
  if (!ts.isArrowFunction(a) && !ts.isFunctionExpression(a)) return {};
  const p = a.parameters[0]?.name;
  const param = p && ts.isIdentifier(p) ? p.text : undefined;
  if (!ts.isBlock(a.body)) return { body: unwrap(a.body), param };
  for (const st of a.body.statements) if (ts.isReturnStatement(st) && st.expression) return { body: unwrap(st.expression), param };
  return { param };
}

/** `src`: the syntax tree the foreign keys' lazy edits read (kept current by table-cache.ts). */
export function extraConfig(table: DrizzleTable, arg: ts.Expression, byVar: Map<string, DrizzleTable>, scope: Scope, sf: ts.SourceFile, src: SourceRef): void {
  const { body, param } = callbackResult(arg);
  if (!body) return;
  let elements: ts.Expression[] = [];
  if (ts.isArrayLiteralExpression(body)) {
    table.extra = { form: 'array', node: body, param };
    elements = [...body.elements];
  } else if (ts.isObjectLiteralExpression(body)) {
    table.extra = { form: 'object', node: body, param };
    elements = body.properties.filter(ts.isPropertyAssignment).map((p) => p.initializer);
  }
  const col = (e: ts.Expression) => resolveColumnRef(e, byVar, table, param);
  const cols = (list: readonly ts.Expression[]) => list.map(col).filter((c) => c !== undefined).map((c) => c!.column);
  for (const el of elements) {
    // Split `base(...).on(...).where(...)` into the base call and its chain.
    const links: Array<{ name: string; call: ts.CallExpression }> = [];
    let e = unwrap(el);
    let base: { name: string; call: ts.CallExpression } | undefined;
    while (ts.isCallExpression(e)) {
      const name = importedName(e.expression, scope.imports);
      if (name) {
        base = { name, call: e };
        break;
      }
      if (!ts.isPropertyAccessExpression(e.expression)) break;
      links.unshift({ name: e.expression.name.text, call: e });
      e = unwrap(e.expression.expression);
    }
    if (!base) continue;
    const span = spanOf(el, sf);
    const first = base.call.arguments[0];
    const link = (n: string) => links.find((l) => l.name === n);
    switch (base.name) {
      case 'index':
      case 'uniqueIndex': {
        const on = link('on') ?? link('onOnly');
        const using = link('using');
        const method = stringValue(using?.call.arguments[0]) ?? 'btree';
        const keys = using ? using.call.arguments.slice(1) : on?.call.arguments ?? [];
        const where = link('where')?.call.arguments[0];
        table.indexes.push({
          name: stringValue(first),
          columns: cols(keys),
          unique: base.name === 'uniqueIndex',
          method,
          where: where?.getText(sf),
          concurrently: !!link('concurrently'),
          span,
        });
        break;
      }
      case 'primaryKey': {
        const columnsProp = propValue(first, 'columns');
        const list = columnsProp && ts.isArrayLiteralExpression(columnsProp) ? [...columnsProp.elements] : [...base.call.arguments];
        table.primaryKey = { columns: cols(list), span };
        break;
      }
      case 'unique': {
        const on = link('on');
        table.uniques.push({ name: stringValue(first), columns: cols(on?.call.arguments ?? []), span });
        break;
      }
      case 'check':
        table.checks.push({ name: stringValue(first), expr: base.call.arguments[1]?.getText(sf) ?? '', span });
        break;
      case 'pgPolicy': {
        const opts = base.call.arguments[1];
        const forValue = stringValue(propValue(opts, 'for')) ?? 'all';
        const command = (['all', 'select', 'insert', 'update', 'delete'].includes(forValue) ? forValue : 'all') as DrizzleTable['policies'][number]['command'];
        table.policies.push({ name: stringValue(first) ?? '', command, using: propValue(opts, 'using')?.getText(sf), withCheck: propValue(opts, 'withCheck')?.getText(sf), span });
        // drizzle-kit enables RLS on a table that has a policy.
        table.rlsEnabled = true;
        break;
      }
      case 'foreignKey':
        tableForeignKey(table, base.call, links, cols, col, sf, span, src);
        break;
    }
  }
}

function tableForeignKey(
  table: DrizzleTable,
  call: ts.CallExpression,
  links: Array<{ name: string; call: ts.CallExpression }>,
  cols: (l: readonly ts.Expression[]) => string[],
  col: (e: ts.Expression) => { table: string; column: string } | undefined,
  sf: ts.SourceFile,
  span: { start: number; end: number },
  src: SourceRef,
): void {
  const config = call.arguments[0];
  const arr = (k: string) => {
    const v = propValue(config, k);
    return v && ts.isArrayLiteralExpression(v) ? [...v.elements] : [];
  };
  const foreign = arr('foreignColumns');
  const onDeleteLink = links.find((l) => l.name === 'onDelete');
  const action = stringValue(onDeleteLink?.call.arguments[0]);
  const onDeleteSpan = onDeleteLink && ts.isPropertyAccessExpression(onDeleteLink.call.expression) ? { start: onDeleteLink.call.expression.name.getStart(sf), end: onDeleteLink.call.end } : undefined;
  table.foreignKeys.push({
    table: table.name,
    columns: cols(arr('columns')),
    refTable: foreign[0] ? col(foreign[0])?.table ?? '' : '',
    refColumns: cols(foreign),
    onDelete: (action && ON_DELETE_ACTIONS[action]) || 'no action',
    onDeleteExplicit: !!onDeleteLink,
    span,
    onDeleteSpan,
    insertAt: call.end,
    // Read from the nodes when asked: the table may have moved since (table-completion.ts).
    setOnDelete(a) {
      const name = onDeleteLink && ts.isPropertyAccessExpression(onDeleteLink.call.expression) ? onDeleteLink.call.expression.name : undefined;
      if (onDeleteLink && name) return { start: name.getStart(src.sf), end: onDeleteLink.call.end, newText: `onDelete('${a}')` };
      return { start: call.end, end: call.end, newText: `.onDelete('${a}')` };
    },
  });
}
