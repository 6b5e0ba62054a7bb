// `relations(table, ({ one, many }) => ({ ... }))` declarations, for `with` in relational queries:
// which table each relation loads, and the columns joining the two.
import ts from 'typescript';
import { importedName, objectProps, propValue, unwrap, type Imports } from '../imports';

export interface RelationDecl {
  key: string;
  kind: 'one' | 'many';
  /** TypeScript name of the related table. */
  target: string;
  /** `fields` (this table) and `references` (the target), as `[tableVar, key]`; absent on a plain many(). */
  fields?: Array<[string, string]>;
  references?: Array<[string, string]>;
}

function refs(e: ts.Expression | undefined): Array<[string, string]> | undefined {
  const u = e && unwrap(e);
  if (!u || !ts.isArrayLiteralExpression(u)) return undefined;
  const out: Array<[string, string]> = [];
  for (const el of u.elements) {
    const x = unwrap(el as ts.Expression);
    if (!ts.isPropertyAccessExpression(x) || !ts.isIdentifier(x.expression)) return undefined;
    out.push([x.expression.text, x.name.text]);
  }
  return out;
}

/** Table variable -> its relations, for every `relations()` call in the file. */
export function extractRelations(sf: ts.SourceFile, imports: Imports): Map<string, RelationDecl[]> {
  const out = new Map<string, RelationDecl[]>();
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && importedName(node.expression, imports) === 'relations') {
      const table = node.arguments[0] && unwrap(node.arguments[0]);
      const fn = node.arguments[1] && unwrap(node.arguments[1]);
      if (table && ts.isIdentifier(table) && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !ts.isBlock(fn.body)) {
        const helpers = new Map<string, 'one' | 'many'>();
        const p = fn.parameters[0]?.name;
        if (p && ts.isObjectBindingPattern(p)) {
          for (const el of p.elements) {
            const name = (el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : '') as string;
            if ((name === 'one' || name === 'many') && ts.isIdentifier(el.name)) helpers.set(el.name.text, name);
          }
        }
        const helperParam = p && ts.isIdentifier(p) ? p.text : undefined;
        const body = unwrap(fn.body);
        const list: RelationDecl[] = [];
        if (ts.isObjectLiteralExpression(body)) {
          for (const [key, prop] of objectProps(body)) {
            if (!ts.isPropertyAssignment(prop)) continue;
            const call = unwrap(prop.initializer);
            if (!ts.isCallExpression(call)) continue;
            const callee = call.expression;
            const kind = ts.isIdentifier(callee) ? helpers.get(callee.text) : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === helperParam && (callee.name.text === 'one' || callee.name.text === 'many') ? (callee.name.text as 'one' | 'many') : undefined;
            const target = call.arguments[0] && unwrap(call.arguments[0]);
            if (!kind || !target || !ts.isIdentifier(target)) continue;
            const config = call.arguments[1];
            list.push({ key, kind, target: target.text, fields: refs(propValue(config, 'fields')), references: refs(propValue(config, 'references')) });
          }
        }
        out.set(table.text, [...(out.get(table.text) ?? []), ...list]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
