// `pgTable` calls (and pgSchema().table, pgTableCreator, pgTable.withRLS) -> DrizzleTable, with
// the extra config (indexes, foreign keys, keys, checks, policies) in its array or object form.
import ts from 'typescript';
import type { OnDeleteAction } from '../engine/decls';
import { parseColumn, type ChainLink } from './columns';
import { importedName, objectProps, propValue, stringValue, unwrap } from './imports';
import type { DrizzleForeignKey, DrizzleTable } from './schema-types';
import type { Scope } from './scope';
import { extraConfig, resolveColumnRef } from './extra-config';
import { tablePartsOf, type SourceRef, type TableParts } from './table-cache';
import { completeTable } from './table-completion';
import { directoryOf } from './file-rule-reuse';

const ACTIONS: Record<string, OnDeleteAction> = {
  cascade: 'cascade',
  restrict: 'restrict',
  'no action': 'no action',
  'set null': 'set null',
  'set default': 'set default',
};

const spanOf = (node: ts.Node, sf: ts.SourceFile) => ({ start: node.getStart(sf), end: node.end });

interface TableCall {
  call: ts.CallExpression;
  name: string;
  nameNode: ts.Expression;
  schema?: string;
  rls: boolean;
}

function tableCall(expr: ts.Expression, scope: Scope): TableCall | undefined {
  let e = unwrap(expr);
  let rls = false;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'enableRLS') {
    rls = true;
    e = unwrap(e.expression.expression);
  }
  if (!ts.isCallExpression(e)) return undefined;
  const callee = e.expression;
  const nameNode = e.arguments[0];
  const raw = stringValue(nameNode);
  if (raw === undefined) return undefined;
  if (importedName(callee, scope.imports) === 'pgTable') return { call: e, name: raw, nameNode, rls };
  if (ts.isPropertyAccessExpression(callee)) {
    const owner = callee.expression;
    if (callee.name.text === 'withRLS' && importedName(owner, scope.imports) === 'pgTable') return { call: e, name: raw, nameNode, rls: true };
    if (callee.name.text === 'table' && ts.isIdentifier(owner) && scope.schemas.has(owner.text)) {
      return { call: e, name: raw, nameNode, schema: scope.schemas.get(owner.text), rls };
    }
  }
  if (ts.isIdentifier(callee) && scope.creators.has(callee.text)) return { call: e, name: scope.creators.get(callee.text)!(raw), nameNode, rls };
  return undefined;
}

function callbackParts(arg: ts.Expression | undefined): { body?: ts.Expression; param?: string } {
  if (!arg) return {};
  const a = unwrap(arg);
  if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) {
    const p = a.parameters[0]?.name;
    const param = p && ts.isIdentifier(p) ? p.text : undefined;
    if (!ts.isBlock(a.body)) return { body: unwrap(a.body), param };
    for (const st of a.body.statements) if (ts.isReturnStatement(st) && st.expression) return { body: unwrap(st.expression), param };
    return { param };
  }
  return { body: a };
}

interface PendingRef {
  table: DrizzleTable;
  column: string;
  link: ChainLink;
  /** The syntax tree the foreign key's lazy edit reads. */
  src: SourceRef;
}

/** `calls`: the calls that may declare a table (every call named by a string, or enableRLS), in document order (file-nodes.ts). */
export function extractTables(sf: ts.SourceFile, scope: Scope, calls: readonly ts.CallExpression[]): DrizzleTable[] {
  const tables: DrizzleTable[] = [];
  const byVar = new Map<string, DrizzleTable>();
  const pending = new Map<DrizzleTable, PendingRef[]>();
  const extras = new Map<DrizzleTable, { arg: ts.Expression; src: SourceRef }>();
  // Tables are not nested in one another: the calls inside a table (its columns and config, and the
  // inner call of `pgTable(...).enableRLS()`) are skipped.
  let insideEnd = -1;
  for (const node of calls) {
    if (node.pos < insideEnd) continue;
    const tc = tableCall(node, scope);
    if (!tc) continue;
    insideEnd = node.end;
    // `pgTable(...).enableRLS()`: the table is the inner call, RLS comes from the outer one.
    const { table, refs, src } = tablePartsOf(node, sf, scope, (src) => readTable(tc, tc.call, scope, sf, src));
    if (refs.length) pending.set(table, refs.map((r) => ({ table, src, ...r })));
    const decl = node.parent && ts.isVariableDeclaration(node.parent) ? node.parent : node.parent?.parent && ts.isVariableDeclaration(node.parent.parent) ? node.parent.parent : undefined;
    if (decl && ts.isIdentifier(decl.name)) {
      table.varName = decl.name.text;
      byVar.set(table.varName, table);
    }
    tables.push(table);
    if (tc.call.arguments[2]) extras.set(table, { arg: tc.call.arguments[2], src });
  }
  // What each table names of the others: the same as last time, a table unchanged completes as it did.
  const directory = directoryOf(tables);
  for (const table of tables) {
    completeTable(table, directory, () => {
      for (const p of pending.get(table) ?? []) table.foreignKeys.push(referencesFk(p, byVar, sf));
      const extra = extras.get(table);
      if (extra) extraConfig(table, extra.arg, byVar, scope, sf, extra.src);
    });
  }
  return tables;
}

function readTable(tc: TableCall, node: ts.CallExpression, scope: Scope, sf: ts.SourceFile, src: SourceRef): TableParts {
  const table: DrizzleTable = {
    name: tc.name,
    schema: tc.schema,
    nameSpan: spanOf(tc.nameNode, sf),
    span: spanOf(node, sf),
    call: node,
    columns: [],
    foreignKeys: [],
    indexes: [],
    uniques: [],
    checks: [],
    policies: [],
    rlsEnabled: tc.rls,
  };
  const refs: TableParts['refs'] = [];
  const { body, param } = callbackParts(node.arguments[1]);
  if (body && ts.isObjectLiteralExpression(body)) {
    for (const prop of body.properties) {
      if (!ts.isPropertyAssignment(prop)) continue;
      const parsed = parseColumn(prop, tc.name, scope, param, sf, src);
      if (!parsed) continue;
      table.columns.push(parsed.column);
      if (parsed.references) refs.push({ column: parsed.column.dbName, link: parsed.references });
    }
  }
  return { table, refs };
}

/** `.references(() => accounts.id, { onDelete: 'cascade' })` on a column. */
function referencesFk(p: PendingRef, byVar: Map<string, DrizzleTable>, sf: ts.SourceFile): DrizzleForeignKey {
  const call = p.link.call;
  const target = call.arguments[0];
  const fn = target && unwrap(target);
  const body = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? callbackParts(fn).body : undefined;
  const ref = body ? resolveColumnRef(body, byVar, undefined, undefined) : undefined;
  const options = call.arguments[1];
  const onDeleteProp = objectProps(options).get('onDelete');
  const onDeleteValue = stringValue(propValue(options, 'onDelete'));
  const nameStart = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.getStart(sf) : call.getStart(sf);
  const insertAt = (call.arguments.at(-1) ?? call).end;
  return {
    table: p.table.name,
    columns: [p.column],
    refTable: ref?.table ?? '',
    refColumns: ref ? [ref.column] : [],
    onDelete: (onDeleteValue && ACTIONS[onDeleteValue]) || 'no action',
    onDeleteExplicit: !!onDeleteProp,
    span: { start: nameStart, end: call.end },
    onDeleteSpan: onDeleteProp ? spanOf(onDeleteProp, sf) : undefined,
    insertAt,
    // Made lazily, perhaps after keystrokes that moved the table (table-completion.ts): the nodes moved in place, `src` is the current tree.
    setOnDelete(action) {
      const text = `onDelete: '${action}'`;
      if (onDeleteProp) return { ...spanOf(onDeleteProp, p.src.sf), newText: text };
      if (options && ts.isObjectLiteralExpression(options)) {
        if (options.properties.length === 0) return { ...spanOf(options, p.src.sf), newText: `{ ${text} }` };
        const first = options.properties[0].getStart(p.src.sf);
        return { start: first, end: first, newText: `${text}, ` };
      }
      if (!target) return undefined;
      return { start: target.end, end: target.end, newText: `, { ${text} }` };
    },
  };
}

export { ACTIONS as ON_DELETE_ACTIONS };
