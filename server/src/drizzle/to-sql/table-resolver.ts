// TypeScript table names -> their pgTable definitions: the document's own tables, and tables
// imported from relative modules of the project (read from disk, parsed, never run).
import * as path from 'node:path';
import type { TsAnalysis } from '../analysis';
import { analyseTypeScript } from '../analysis';
import type { DrizzleTable } from '../schema-types';
import { extractRelations, type RelationDecl } from './relations';
import type { TableInfo } from './types';

/** Reads a file's text, or undefined when it does not exist. */
export type ReadFile = (absolutePath: string) => string | undefined;

export interface TableResolver {
  /** The table bound to a TypeScript identifier in this document. */
  byVar(name: string): TableInfo | undefined;
  /** The table registered under a relational-query key (`db.query.payments`). */
  byQueryKey(key: string): TableInfo | undefined;
  /** The `relations()` declared for a table variable, in this file or the modules it imports. */
  relationsOf(varName: string): RelationDecl[];
}

export function toInfo(t: DrizzleTable, varName: string): TableInfo {
  return {
    varName,
    name: t.name,
    schema: t.schema,
    columns: t.columns.map((c) => {
      // `.$defaultFn(() => ...)` / `.$default(() => ...)` record a function; `.default(x)` a value.
      const runtime = c.defaultExpr !== undefined && /^\s*(?:async\b\s*)?(?:\(|function\b|[\w$]+\s*=>)/.test(c.defaultExpr);
      const insertDefault = c.identity || c.generated ? ('unknown' as const) : runtime ? ('runtime' as const) : undefined;
      return insertDefault ? { key: c.key, dbName: c.dbName, insertDefault } : { key: c.key, dbName: c.dbName };
    }),
  };
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '/index.ts', '/index.tsx'];

function moduleFile(fromFile: string, specifier: string, read: ReadFile): { file: string; text: string } | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.(?:[mc]?js|jsx)$/, ''));
  for (const candidate of [base, ...EXTENSIONS.map((x) => base + x)]) {
    if (!/\.(?:[mc]?ts|tsx)$/.test(candidate)) continue;
    const text = read(candidate);
    if (text !== undefined) return { file: candidate, text };
  }
  return undefined;
}

/**
 * The module and the modules it re-exports (`export { x } from './y'`, `export * from './y'`), two
 * levels deep, which schema barrels (`schema/index.ts`) use.
 */
function moduleAnalyses(file: string, text: string, read: ReadFile, depth = 0): TsAnalysis[] {
  const a = analyseTypeScript(file, text);
  const out = [a];
  if (depth >= 2) return out;
  for (const m of text.matchAll(/export\s+(?:\*|\{[^}]*\})\s+from\s+['"](\.[^'"]+)['"]/g)) {
    const target = moduleFile(file, m[1], read);
    if (target) out.push(...moduleAnalyses(target.file, target.text, read, depth + 1));
  }
  return out;
}

function tablesOf(analyses: TsAnalysis[]): Map<string, DrizzleTable> {
  const out = new Map<string, DrizzleTable>();
  for (const a of analyses) for (const t of a.tables) if (t.varName && !out.has(t.varName)) out.set(t.varName, t);
  return out;
}

export function tableResolver(analysis: TsAnalysis, read: ReadFile): TableResolver {
  const own = new Map<string, DrizzleTable>();
  for (const t of analysis.tables) if (t.varName) own.set(t.varName, t);
  const moduleCache = new Map<string, { analyses: TsAnalysis[]; tables: Map<string, DrizzleTable> }>();
  const moduleEntry = (specifier: string) => {
    let entry = moduleCache.get(specifier);
    if (!entry) {
      const target = moduleFile(analysis.path, specifier, read);
      const analyses = target ? moduleAnalyses(target.file, target.text, read) : [];
      entry = { analyses, tables: tablesOf(analyses) };
      moduleCache.set(specifier, entry);
    }
    return entry;
  };
  const moduleTables = (specifier: string) => moduleEntry(specifier).tables;
  const modules = () => [...new Set([...[...analysis.imports.local.values()].map((i) => i.module), ...namespaceImports(analysis)])];
  let relations: Map<string, RelationDecl[]> | undefined;
  const byVar = (name: string): TableInfo | undefined => {
    const local = own.get(name);
    if (local) return toInfo(local, name);
    const imported = analysis.imports.local.get(name);
    const t = imported && moduleTables(imported.module).get(imported.name);
    return t ? toInfo(t, name) : undefined;
  };
  return {
    byVar,
    byQueryKey(key) {
      // drizzle(client, { schema }) keys are the schema module's export names, which are
      // almost always the table variables; look in this file, then in every imported module.
      const direct = byVar(key);
      if (direct) return direct;
      for (const { module } of analysis.imports.local.values()) {
        const t = moduleTables(module).get(key);
        if (t) return toInfo(t, key);
      }
      for (const module of namespaceImports(analysis)) {
        const t = moduleTables(module).get(key);
        if (t) return toInfo(t, key);
      }
      return undefined;
    },
    relationsOf(varName) {
      if (!relations) {
        relations = new Map();
        for (const a of [analysis, ...modules().flatMap((m) => moduleEntry(m).analyses)]) {
          for (const [table, list] of extractRelations(a.sf, a.imports)) if (!relations.has(table)) relations.set(table, list);
        }
      }
      return relations.get(varName) ?? [];
    },
  };
}

/** `import * as schema from './schema'`: collectImports drops namespace imports of project modules. */
function namespaceImports(analysis: TsAnalysis): string[] {
  return [...analysis.text.matchAll(/import\s+\*\s+as\s+\w+\s+from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
}
