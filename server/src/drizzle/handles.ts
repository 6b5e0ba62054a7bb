// Which identifiers are database handles, learned from where they come from: `drizzle(...)`,
// `new Pool()` / `new Client()` of pg, `await pool.connect()`, the parameter of a
// `db.transaction(cb)` callback, and imports of those from the project's other modules.
import ts from 'typescript';
import { importedName, isDrizzleModule, isPgModule, unwrap, type Imports } from './imports';
import type { ImportedEnum } from './module-exports';
import type { FileNodes, NodeFilter } from './file-nodes';

export type HandleKind = 'drizzle' | 'pg';

export interface Handles {
  kinds: Map<string, HandleKind>;
  kindOf(expr: ts.Expression): HandleKind | undefined;
}

/**
 * Exports known to be handles, by module specifier as imported (`./db` -> { db: 'drizzle' }); with
 * `importedEnums`, also the pgEnums the importer's relative imports name (module-exports.ts).
 */
export type KnownExports = ((module: string, name: string) => HandleKind | undefined) & {
  importedEnums?: (imports: Imports) => Map<string, ImportedEnum>;
};

const DRIZZLE_METHODS = new Set(['select', 'selectDistinct', 'insert', 'update', 'delete', 'transaction', 'execute', 'query', 'with', '$count']);

function originKind(init: ts.Expression, imports: Imports, kinds: Map<string, HandleKind>): HandleKind | undefined {
  const e = unwrap(init);
  if (ts.isCallExpression(e)) {
    if (importedName(e.expression, imports) === 'drizzle') return 'drizzle';
    // `await pool.connect()` -> a pg client.
    if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'connect' && rootKind(e.expression.expression, kinds) === 'pg') return 'pg';
  }
  if (ts.isNewExpression(e)) {
    const n = importedName(e.expression, imports);
    if (n === 'Pool' || n === 'Client') return 'pg';
  }
  return undefined;
}

/** `db: NodePgDatabase<typeof schema>`, `tx: PgTransaction<...>`, `client: PoolClient`: typed with the libraries' own types. */
function annotatedKind(type: ts.TypeNode, imports: Imports): HandleKind | undefined {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const imported = imports.named.get(type.typeName.text);
  if (!imported) return undefined;
  if (isPgModule(imported.module)) return /^(?:Pool|PoolClient|Client)$/.test(imported.name) ? 'pg' : undefined;
  return isDrizzleModule(imported.module) && /(?:Database|Transaction)$/.test(imported.name) ? 'drizzle' : undefined;
}

function rootKind(e: ts.Expression, kinds: Map<string, HandleKind>): HandleKind | undefined {
  const u = unwrap(e);
  return ts.isIdentifier(u) ? kinds.get(u.text) : undefined;
}

/**
 * The nodes `take` below may learn from: a typed parameter or variable, a variable with an
 * initializer, a method call on a name. A schema file's column chains are none of these.
 */
const mayRevealHandle: NodeFilter = (node) => {
  if (ts.isParameter(node)) return !!node.type && ts.isIdentifier(node.name);
  if (ts.isVariableDeclaration(node)) return ts.isIdentifier(node.name) && (!!node.type || !!node.initializer);
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(unwrap(node.expression.expression));
};

export function findHandles(nodes: FileNodes, imports: Imports, known?: KnownExports): Handles {
  const kinds = new Map<string, HandleKind>();
  for (const [local, { name, module }] of imports.local) {
    const k = known?.(module, name);
    if (k) kinds.set(local, k);
  }
  // Imports nobody told us about: a binding from a project module that the file uses like a
  // Drizzle database (`x.select(`, `x.transaction(`) or a pg pool (`x.connect()`, `x.query(`).
  const unknownImports = new Set([...imports.local.keys()].filter((k) => !kinds.has(k)));
  let found = 0;
  const learn = (name: string, kind: HandleKind) => {
    if (kinds.get(name) !== kind) found++;
    kinds.set(name, kind);
  };
  const take = (node: ts.Node) => {
    if ((ts.isParameter(node) || ts.isVariableDeclaration(node)) && ts.isIdentifier(node.name) && node.type) {
      const k = annotatedKind(node.type, imports);
      if (k) learn(node.name.text, k);
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const k = originKind(node.initializer, imports, kinds);
      if (k) learn(node.name.text, k);
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const owner = unwrap(node.expression.expression);
      if (ts.isIdentifier(owner) && unknownImports.has(owner.text) && !kinds.has(owner.text)) {
        if (method === 'connect' || (method === 'query' && !ts.isPropertyAccessExpression(node.parent))) learn(owner.text, 'pg');
        else if (DRIZZLE_METHODS.has(method)) learn(owner.text, 'drizzle');
      }
      if (method === 'transaction' && rootKind(owner, kinds) === 'drizzle') {
        const cb = node.arguments[0] && unwrap(node.arguments[0]);
        const p = cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ? cb.parameters[0]?.name : undefined;
        if (p && ts.isIdentifier(p)) learn(p.text, 'drizzle');
      }
    }
  };
  // Twice: `const client = await pool.connect()` may come before the use that reveals `pool`; a
  // first pass that learnt nothing would learn nothing the second time either (a pure schema file).
  const sites = nodes.select(mayRevealHandle);
  for (const node of sites) take(node);
  if (found) for (const node of sites) take(node);
  return { kinds, kindOf: (e) => rootKind(e, kinds) };
}

/** The identifier a method chain starts from: `db.update(t).set(x).where(y)` -> `db`. */
export function chainRoot(e: ts.Expression): ts.Expression {
  let cur = unwrap(e);
  for (;;) {
    if (ts.isCallExpression(cur)) cur = unwrap(cur.expression);
    else if (ts.isPropertyAccessExpression(cur)) cur = unwrap(cur.expression);
    else return cur;
  }
}

/** The method names called after `call` in its chain, and the outermost call. */
export function chainAfter(call: ts.CallExpression): { names: string[]; outer: ts.Expression } {
  const names: string[] = [];
  let cur: ts.Expression = call;
  while (ts.isPropertyAccessExpression(cur.parent) && cur.parent.expression === cur && ts.isCallExpression(cur.parent.parent)) {
    names.push(cur.parent.name.text);
    cur = cur.parent.parent;
  }
  return { names, outer: cur };
}
