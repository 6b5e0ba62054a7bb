// Which identifiers of a TypeScript file come from drizzle-orm or pg: names are resolved through
// the file's imports, so `import { integer as int }` and `import * as p from 'drizzle-orm/pg-core'`
// are recognised, and a local function that happens to be called `pgTable` is not.
import ts from 'typescript';

export interface Imports {
  /** Local name -> the exported name it refers to, for named imports from drizzle-orm / pg. */
  named: Map<string, { name: string; module: string }>;
  /** Local names of `import * as x` / default imports from drizzle-orm or pg. */
  namespaces: Map<string, string>;
  /** Local names imported from other (relative) modules: candidates for db handles and tables. */
  local: Map<string, { name: string; module: string }>;
  /** `import * as e from './enums'`: the namespace, its module and the members the file uses (`e.status` -> status). */
  localNamespaces: Map<string, { module: string; members: string[] }>;
}

const escapeRegExp = (s: string) => s.replace(/[$]/g, '\\$&');

/** The members a file reads from a namespace (`ns.member`), found in its text. */
function namespaceMembers(text: string, ns: string): string[] {
  const re = new RegExp(`(?<![\\w$.])${escapeRegExp(ns)}\\s*\\.\\s*([A-Za-z_$][\\w$]*)`, 'g');
  return [...new Set([...text.matchAll(re)].map((m) => m[1]))];
}

export function isDrizzleModule(m: string): boolean {
  return m === 'drizzle-orm' || m.startsWith('drizzle-orm/');
}

export function isPgModule(m: string): boolean {
  return m === 'pg' || m === 'pg-pool';
}

export { mentionsDrizzleOrPg } from './mentions';

export function collectImports(sf: ts.SourceFile): Imports {
  const out: Imports = { named: new Map(), namespaces: new Map(), local: new Map(), localNamespaces: new Map() };
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const module = st.moduleSpecifier.text;
    const known = isDrizzleModule(module) || isPgModule(module);
    const clause = st.importClause;
    if (!clause) continue;
    if (clause.name) {
      if (known) out.namespaces.set(clause.name.text, module);
      else out.local.set(clause.name.text, { name: 'default', module });
    }
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) {
      if (known) out.namespaces.set(nb.name.text, module);
      else if (!clause.isTypeOnly) out.localNamespaces.set(nb.name.text, { module, members: namespaceMembers(sf.text, nb.name.text) });
    } else if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        const entry = { name: (el.propertyName ?? el.name).text, module };
        (known ? out.named : out.local).set(el.name.text, entry);
      }
    }
  }
  return out;
}

export function importsDrizzleOrPg(imports: Imports): boolean {
  for (const v of imports.named.values()) if (isDrizzleModule(v.module) || isPgModule(v.module)) return true;
  return imports.namespaces.size > 0;
}

/**
 * The drizzle/pg export an expression names: `pgTable`, `p.pgTable` (namespace import) -> 'pgTable';
 * undefined for anything not imported from those packages.
 */
export function importedName(expr: ts.Expression, imports: Imports): string | undefined {
  if (ts.isIdentifier(expr)) return imports.named.get(expr.text)?.name;
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && imports.namespaces.has(expr.expression.text)) {
    return expr.name.text;
  }
  return undefined;
}

/** Whether importedName can name `name` in this file: a named import of it, or any namespace import. */
export function mayImport(imports: Imports, name: string): boolean {
  if (imports.namespaces.size) return true;
  for (const v of imports.named.values()) if (v.name === name) return true;
  return false;
}

export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

export function numberValue(node: ts.Node | undefined): number | undefined {
  if (node && ts.isNumericLiteral(node)) return Number(node.text);
  return undefined;
}

/** The properties of an object literal by name (ignoring spreads and computed keys). */
export function objectProps(node: ts.Node | undefined): Map<string, ts.PropertyAssignment | ts.ShorthandPropertyAssignment | ts.MethodDeclaration> {
  const out = new Map<string, ts.PropertyAssignment | ts.ShorthandPropertyAssignment | ts.MethodDeclaration>();
  if (!node || !ts.isObjectLiteralExpression(node)) return out;
  for (const p of node.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name) {
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
      if (key !== undefined) out.set(key, p);
    }
  }
  return out;
}

export function propValue(node: ts.Node | undefined, key: string): ts.Expression | undefined {
  const p = objectProps(node).get(key);
  return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
}

/** Strips parentheses, `as`, `satisfies` and `!` around an expression. */
export function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else if (ts.isAwaitExpression(e)) e = e.expression;
    else return e;
  }
}
