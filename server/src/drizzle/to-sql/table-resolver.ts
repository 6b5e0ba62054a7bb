// TypeScript table names -> their pgTable definitions: the document's own tables, and tables
// imported from relative modules of the project (read from disk, parsed, never run).
import * as path from 'node:path';
import type { TsAnalysis } from '../analysis';
import { analyseTypeScript } from '../analysis';
import type { DrizzleTable } from '../schema-types';
import type { TableInfo } from './types';

/** Reads a file's text, or undefined when it does not exist. */
export type ReadFile = (absolutePath: string) => string | undefined;

export interface TableResolver {
  /** The table bound to a TypeScript identifier in this document. */
  byVar(name: string): TableInfo | undefined;
  /** The table registered under a relational-query key (`db.query.payments`). */
  byQueryKey(key: string): TableInfo | undefined;
}

export function toInfo(t: DrizzleTable, varName: string): TableInfo {
  return { varName, name: t.name, schema: t.schema, columns: t.columns.map((c) => ({ key: c.key, dbName: c.dbName })) };
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
 * Follows `export { x } from './y'` and `export * from './y'` one level deep too, which schema
 * barrels (`schema/index.ts`) use.
 */
function tablesOfModule(file: string, text: string, read: ReadFile, depth = 0): Map<string, DrizzleTable> {
  const out = new Map<string, DrizzleTable>();
  const a = analyseTypeScript(file, text);
  for (const t of a.tables) if (t.varName) out.set(t.varName, t);
  if (depth >= 2) return out;
  for (const m of text.matchAll(/export\s+(?:\*|\{[^}]*\})\s+from\s+['"](\.[^'"]+)['"]/g)) {
    const target = moduleFile(file, m[1], read);
    if (!target) continue;
    for (const [k, v] of tablesOfModule(target.file, target.text, read, depth + 1)) if (!out.has(k)) out.set(k, v);
  }
  return out;
}

export function tableResolver(analysis: TsAnalysis, read: ReadFile): TableResolver {
  const own = new Map<string, DrizzleTable>();
  for (const t of analysis.tables) if (t.varName) own.set(t.varName, t);
  const moduleCache = new Map<string, Map<string, DrizzleTable>>();
  const moduleTables = (specifier: string) => {
    let tables = moduleCache.get(specifier);
    if (!tables) {
      const target = moduleFile(analysis.path, specifier, read);
      tables = target ? tablesOfModule(target.file, target.text, read) : new Map();
      moduleCache.set(specifier, tables);
    }
    return tables;
  };
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
  };
}

/** `import * as schema from './schema'`: collectImports drops namespace imports of project modules. */
function namespaceImports(analysis: TsAnalysis): string[] {
  return [...analysis.text.matchAll(/import\s+\*\s+as\s+\w+\s+from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
}
