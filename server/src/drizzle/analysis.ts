// One TypeScript file, parsed once per version: imports, the Drizzle schema, database handles and
// the SQL embedded in it. Re-parsing reuses the previous syntax tree (`ts.updateSourceFile`).
import ts from 'typescript';
import { embeddedFromTemplate, type EmbeddedSql } from './embedded-sql';
import { collectNodes, type FileNodes, type NodeFilter } from './file-nodes';
import { findHandles, type Handles, type KnownExports } from './handles';
import { collectImports, importedName, importsDrizzleOrPg, stringValue, unwrap, type Imports } from './imports';
import type { DrizzleTable } from './schema-types';
import type { WorkspaceCasingState } from './casing';
import { addImportedEnums, collectScope, type Scope } from './scope';
import { extractTables } from './tables';
import { textChange } from '../sql/incremental-split';

export interface EmbeddedSite {
  sql: EmbeddedSql;
  /** A backquoted template (edits must not add backquotes) or a quoted string. */
  template: boolean;
  kind: 'sql-tag' | 'query' | 'execute';
  /** Passed straight to execute()/query(): a whole statement, so even a mistyped first keyword is checked. */
  statement: boolean;
}

export interface TsAnalysis {
  path: string;
  text: string;
  sf: ts.SourceFile;
  /** Whether the file imports drizzle-orm or pg; other files are not analysed. */
  relevant: boolean;
  imports: Imports;
  scope: Scope;
  tables: DrizzleTable[];
  handles: Handles;
  embedded: EmbeddedSite[];
  /** Every call and variable declaration, collected in one walk so checks need not walk the tree again. */
  calls: ts.CallExpression[];
  variables: ts.VariableDeclaration[];
  functions: ts.FunctionDeclaration[];
  /** The listed nodes a filter keeps, selected per top-level statement and kept with it (file-nodes.ts). */
  select: FileNodes['select'];
}

function scriptKind(path: string): ts.ScriptKind {
  return path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** The changed range between two texts (common prefix and suffix, compared in chunks), for an incremental re-parse. */
function changeRange(oldText: string, newText: string): ts.TextChangeRange {
  const { start, oldEnd, newEnd } = textChange(oldText, newText);
  return ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start);
}

export function parseTypeScript(path: string, text: string, previous?: ts.SourceFile): ts.SourceFile {
  if (previous && previous.text === text) return previous;
  if (previous) {
    try {
      return ts.updateSourceFile(previous, text, changeRange(previous.text, text));
    } catch {
      // The incremental parser refuses some edits; a full parse always works.
    }
  }
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
}

export interface AnalyseOptions {
  previous?: TsAnalysis;
  /** Handles and pgEnums the workspace's other modules export. */
  knownExports?: KnownExports;
  /**
   * The workspace's casing, asked once the file is parsed (its own drizzle() call counts): with
   * snake_case, key-only columns are named as drizzle-orm names them (`createdAt` -> created_at).
   */
  casing?: (sf: ts.SourceFile, imports: Imports) => WorkspaceCasingState | undefined;
}

export function analyseTypeScript(path: string, text: string, options: AnalyseOptions = {}): TsAnalysis {
  try {
    return analyseUnchecked(path, text, options);
  } catch (err) {
    // TypeScript's own parser recurses per nesting level: ~1,400 nested calls overflow the stack.
    // Such a file is skipped (nothing to report in it) instead of ending the whole run.
    if (!(err instanceof RangeError)) throw err;
    const sf = parseTypeScript(path, '', undefined);
    return { path, text, sf, relevant: false, imports: collectImports(sf), scope: collectScope(sf, collectImports(sf)), tables: [], handles: { kinds: new Map(), kindOf: () => undefined }, embedded: [], calls: [], variables: [], functions: [], select: () => [] };
  }
}

function analyseUnchecked(path: string, text: string, options: AnalyseOptions): TsAnalysis {
  const prev = options.previous?.path === path ? options.previous : undefined;
  const sf = parseTypeScript(path, text, prev?.sf);
  const imports = collectImports(sf);
  const nodes = collectNodes(sf);
  const scope = collectScope(sf, imports, nodes);
  if (options.casing?.(sf, imports) === 'snake_case') scope.casing = 'snake_case';
  const relevant = importsDrizzleOrPg(imports);
  // Only a file using drizzle-orm can have columns of an imported pgEnum: others are not resolved.
  if (relevant && options.knownExports?.importedEnums && (imports.local.size || imports.localNamespaces.size)) addImportedEnums(scope, options.knownExports.importedEnums(imports));
  if (!relevant) return { path, text, sf, relevant, imports, scope, tables: [], handles: { kinds: new Map(), kindOf: () => undefined }, embedded: [], calls: [], variables: [], functions: [], select: () => [] };
  const tables = extractTables(sf, scope, nodes.select(mayDeclareTable) as ts.CallExpression[]);
  const handles = findHandles(nodes, imports, options.knownExports);
  const embedded = findEmbedded(sf, nodes, imports, handles, tables);
  return {
    path,
    text,
    sf,
    relevant,
    imports,
    scope,
    tables,
    handles,
    embedded,
    // Listed when a check reads them (file-nodes.ts): a schema file's keystroke reads few.
    get calls() {
      return nodes.calls;
    },
    get variables() {
      return nodes.variables;
    },
    get functions() {
      return nodes.functions;
    },
    select: nodes.select,
  };
}

/**
 * The calls extractTables may find a table at: a call named by a string (`pgTable('payments', ...)`,
 * `schema.table('x', ...)`, a creator's), or an `.enableRLS()` around one.
 */
const mayDeclareTable: NodeFilter = (node) => {
  if (!ts.isCallExpression(node)) return false;
  if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'enableRLS') return true;
  const first = node.arguments[0];
  return !!first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first));
};

/** Where findEmbedded may find SQL: a tagged template, a `.query(` or `.execute(` call. */
const mayEmbedSql: NodeFilter = (node) =>
  ts.isTaggedTemplateExpression(node) || (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (node.expression.name.text === 'query' || node.expression.name.text === 'execute'));

function findEmbedded(sf: ts.SourceFile, nodes: FileNodes, imports: Imports, handles: Handles, tables: DrizzleTable[]): EmbeddedSite[] {
  const byVar = new Map(tables.filter((t) => t.varName).map((t) => [t.varName!, t]));
  const nameOf = (e: ts.Expression): string | undefined => {
    const u = unwrap(e);
    if (ts.isIdentifier(u)) return byVar.get(u.text)?.name;
    if (ts.isPropertyAccessExpression(u) && ts.isIdentifier(u.expression)) {
      const t = byVar.get(u.expression.text);
      const c = t?.columns.find((x) => x.key === u.name.text);
      return t && c ? `${t.name}.${c.dbName}` : undefined;
    }
    if (ts.isCallExpression(u) && ts.isPropertyAccessExpression(u.expression) && importedName(u.expression.expression, imports) === 'sql') {
      const lit = stringValue(u.arguments[0]);
      if (lit !== undefined && (u.expression.name.text === 'raw' || u.expression.name.text === 'identifier')) return lit;
    }
    return undefined;
  };
  const out: EmbeddedSite[] = [];
  for (const node of nodes.select(mayEmbedSql)) {
    if (ts.isTaggedTemplateExpression(node) && importedName(node.tag, imports) === 'sql') {
      const p = node.parent;
      const statement = ts.isCallExpression(p) && p.arguments[0] === node && ts.isPropertyAccessExpression(p.expression) && /^(?:execute|query)$/.test(p.expression.name.text);
      out.push({ sql: embeddedFromTemplate(node.template, sf, nameOf), template: true, kind: 'sql-tag', statement });
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const kind = handles.kindOf(node.expression.expression);
      const arg = node.arguments[0] && unwrap(node.arguments[0]);
      const isQuery = method === 'query' && kind === 'pg';
      const isExecute = method === 'execute' && kind === 'drizzle';
      if ((isQuery || isExecute) && arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) || ts.isTemplateExpression(arg))) {
        out.push({ sql: embeddedFromTemplate(arg, sf, () => undefined), template: !ts.isStringLiteral(arg), kind: isQuery ? 'query' : 'execute', statement: true });
      }
    }
  }
  return out;
}
