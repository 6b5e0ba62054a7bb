// pgEnums imported from the workspace's other TypeScript files: `import { statusEnum } from './enums'`
// resolves to the enum that file declares, also through `export * from`, `export { x as y } from`,
// an import re-exported by name, and a barrel `index.ts`, so such a column has the enum type just
// as with a pgEnum of the same file; also `import * as e from './enums'` then `e.status(...)`, and
// specifiers through tsconfig.json `paths`/`baseUrl` (`@/db/enums`, tsconfig-paths.ts). Each importer's files are recorded, so the editor knows whom
// to re-check when an enums file changes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import type { DrizzleEnum } from './enums';
import { collectImports, isDrizzleModule, isPgModule, type Imports } from './imports';
import { collectScope, type Scope } from './scope';
import { resolveSpecifier } from './tsconfig-paths';

export interface ImportedEnum {
  /** The type name columns spell (`payment_status`, `billing.state`). */
  type: string;
  /** The declaration, when its labels are literals. */
  decl?: DrizzleEnum;
  /** The file that declares the pgEnum. */
  file: string;
}

interface Reexport {
  module: string;
  /** The name in `module`; undefined for `export * from`. */
  name?: string;
}

export interface ModuleFacts {
  text: string;
  /** Exported name -> the enum declared in this file. */
  enums: Map<string, Omit<ImportedEnum, 'file'>>;
  /** Exported name -> where it comes from (`export { a as b } from './m'`, or an import exported again). */
  named: Map<string, Reexport>;
  stars: string[];
}

/** Reads a file's current text: an editor buffer, else the disk; undefined when there is none. */
export type ReadText = (file: string) => string | undefined;

// Chains of barrels are short in practice; the bound only stops pathological or cyclic ones.
const MAX_DEPTH = 16;

const hasExport = (node: ts.Node) => ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** What a file exports that can be a pgEnum, from its syntax alone. */
export function moduleFacts(sf: ts.SourceFile, imports: Imports = collectImports(sf), scope: Scope = collectScope(sf, imports)): ModuleFacts {
  const facts: ModuleFacts = { text: sf.text, enums: new Map(), named: new Map(), stars: [] };
  const exportLocal = (exported: string, local: string) => {
    const type = scope.enums.get(local);
    if (type !== undefined) facts.enums.set(exported, { type, decl: scope.enumDecls.get(local) });
    else {
      const imported = imports.local.get(local);
      if (imported && isWorkspaceModule(imported.module)) facts.named.set(exported, { module: imported.module, name: imported.name });
    }
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && hasExport(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) exportLocal(d.name.text, d.name.text);
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
      const module = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      const clause = st.exportClause;
      if (!clause) {
        if (module !== undefined && isWorkspaceModule(module)) facts.stars.push(module);
      } else if (ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          const source = (el.propertyName ?? el.name).text;
          if (module === undefined) exportLocal(el.name.text, source);
          else if (isWorkspaceModule(module)) facts.named.set(el.name.text, { module, name: source });
        }
      }
    }
  }
  return facts;
}

/** A specifier that may name a workspace file (relative, or a tsconfig alias): not drizzle-orm or pg. */
const isWorkspaceModule = (m: string) => !isDrizzleModule(m) && !isPgModule(m);

/** The file an import names: `./enums` -> enums.ts, enums.tsx, ..., enums/index.ts; `./enums.js` -> enums.ts; `@/db/enums` through tsconfig.json. */
export function resolveRelative(importer: string, spec: string, exists: (file: string) => boolean): string | undefined {
  return resolveSpecifier(importer, spec, exists);
}

interface DiskEntry {
  mtimeMs: number;
  size: number;
  text: string;
}

/** Disk reads keyed by modification time and size, so a keystroke's resolution costs a stat per file. */
export class DiskTexts {
  private readonly cache = new Map<string, DiskEntry | null>();

  read(file: string): string | undefined {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (!stat?.isFile()) {
      this.cache.delete(file);
      return undefined;
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.text;
    try {
      const text = fs.readFileSync(file, 'utf8');
      this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, text });
      return text;
    } catch {
      return undefined;
    }
  }
}

/** The workspace's exported pgEnums, read on demand through `readText`, and who imported from which file. */
export class ModuleExports {
  private readonly facts = new Map<string, ModuleFacts>();
  private readonly depsOf = new Map<string, Set<string>>();

  constructor(private readonly readText: ReadText) {}

  /** Facts already known for a file's text (the importer's own analysis), so it is not parsed twice. */
  remember(file: string, facts: ModuleFacts): void {
    this.facts.set(file, facts);
  }

  /** The facts importers last resolved against (or that `remember` recorded). */
  known(file: string): ModuleFacts | undefined {
    return this.facts.get(file);
  }

  /** The file's facts from its text now (parsed again only when the text changed). */
  current(file: string): ModuleFacts | undefined {
    return this.factsOf(file);
  }

  private factsOf(file: string): ModuleFacts | undefined {
    const text = this.readText(file);
    if (text === undefined) {
      this.facts.delete(file);
      return undefined;
    }
    const known = this.facts.get(file);
    if (known?.text === text) return known;
    let facts: ModuleFacts;
    try {
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      facts = moduleFacts(sf);
    } catch (err) {
      // TypeScript's parser overflows the stack on ~1,400 nested calls: such a file exports nothing we can read.
      if (!(err instanceof RangeError)) throw err;
      facts = { text, enums: new Map(), named: new Map(), stars: [] };
    }
    this.facts.set(file, facts);
    return facts;
  }

  private resolve(from: string, spec: string, name: string, seen: Set<string>, depth: number): ImportedEnum | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const file = resolveRelative(from, spec, (f) => this.readText(f) !== undefined);
    if (!file || seen.has(`${file}\u0000${name}`)) return undefined;
    seen.add(`${file}\u0000${name}`);
    const facts = this.factsOf(file);
    if (!facts) return undefined;
    const own = facts.enums.get(name);
    if (own) return { ...own, file };
    const named = facts.named.get(name);
    if (named) return this.resolve(file, named.module, named.name ?? name, seen, depth + 1);
    for (const star of facts.stars) {
      const found = this.resolve(file, star, name, seen, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The importer's relative imports that name a pgEnum, by local name. Every file looked at is
   * recorded as the importer's dependency (also those that did not have the enum: adding it there
   * changes the answer).
   */
  enumsImportedBy(importer: string, imports: Imports): Map<string, ImportedEnum> {
    const out = new Map<string, ImportedEnum>();
    const files = new Set<string>();
    const lookUp = (local: string, module: string, name: string) => {
      const seen = new Set<string>();
      const found = this.resolve(importer, module, name, seen, 0);
      if (found) out.set(local, found);
      for (const key of seen) files.add(key.slice(0, key.indexOf('\u0000')));
    };
    for (const [local, { name, module }] of imports.local) if (name !== 'default') lookUp(local, module, name);
    // `e.status(...)` of `import * as e from './enums'`: known under the dotted name, as columns call it.
    for (const [ns, { module, members }] of imports.localNamespaces) for (const m of members) lookUp(`${ns}.${m}`, module, m);
    if (files.size) this.depsOf.set(importer, files);
    else this.depsOf.delete(importer);
    return out;
  }

  /** Files whose last resolution read `file`. */
  importersOf(file: string): string[] {
    const out: string[] = [];
    for (const [importer, files] of this.depsOf) if (files.has(file)) out.push(importer);
    return out;
  }

  forget(file: string): void {
    this.depsOf.delete(file);
    this.facts.delete(file);
  }
}

/** What a file's exports say about enums, as a string: equal strings mean importers resolve the same. */
export function exportsSignature(facts: ModuleFacts): string {
  const enums = [...facts.enums].map(([n, e]) => `${n}=${e.type}:${e.decl?.values.map((v) => v.label).join(',') ?? ''}`);
  const named = [...facts.named].map(([n, r]) => `${n}<${r.module}#${r.name ?? ''}`);
  return JSON.stringify([enums.sort(), named.sort(), facts.stars]);
}
