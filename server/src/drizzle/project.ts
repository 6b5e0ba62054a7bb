// Entry points for the CLI and the language server: the database handles each project module
// exports, the tables of closed schema files (readTypeScriptSchemas), and `lintTypeScriptDocument`
// with a per-document syntax tree kept for incremental re-parses. Which files are TypeScript to
// check is cli/files.ts's (it loads no compiler).
import * as path from 'node:path';
import ts from 'typescript';
import type { ResolvedConfig } from '../engine/config';
import type { RuleDefinition } from '../engine/rule';
import type { SchemaModel } from '../model/schema';
import type { WorkspaceModel } from '../model/workspace-model';
import { RULES } from '../rules';
import { analyseTypeScript, type TsAnalysis } from './analysis';
import { fileCasing, workspaceCasingOf, WorkspaceCasing } from './casing';
import { isDrizzleConfigPath } from './config-files';
import { documentChecked, documentUnanalysed, editorKnownExports, importersOfChangedFile, readBuffersWith } from './enum-refresh';
import type { HandleKind, KnownExports } from './handles';
import type { Imports } from './imports';
import { lintTypeScriptFile, type TsLintOutput } from './lint';
import { drizzleContribution } from './model';
import { DiskTexts, ModuleExports } from './module-exports';
import { DRIZZLE_CHECKS } from './rules';

const moduleKey = (p: string) => path.posix.normalize(p.replace(/\\/g, '/')).replace(/\.(?:[mc]?ts|tsx|[mc]?js|jsx)$/, '').replace(/\/index$/, '');

/** Exported database handles by module, so `import { db } from './db'` is known to be a Drizzle database. */
export class HandleIndex {
  private byModule = new Map<string, Map<string, HandleKind>>();
  /** The files' `casing` options (drizzle() calls, drizzle.config next to them). */
  readonly casing = new WorkspaceCasing();
  /** pgEnums the modules export, read from the checked files' texts (else the disk). */
  readonly exports: ModuleExports;

  constructor(texts: ReadonlyMap<string, string> = new Map()) {
    const disk = new DiskTexts();
    this.exports = new ModuleExports((file) => texts.get(file) ?? disk.read(file));
  }

  setFile(file: string, analysis: TsAnalysis): void {
    this.casing.setFile(file, fileCasing(analysis.sf, analysis.imports));
    this.casing.findConfigs(path.dirname(file));
    const exported = new Map<string, HandleKind>();
    for (const st of analysis.sf.statements) {
      if (!ts.isVariableStatement(st) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const d of st.declarationList.declarations) {
        const kind = ts.isIdentifier(d.name) ? analysis.handles.kinds.get(d.name.text) : undefined;
        if (kind && ts.isIdentifier(d.name)) exported.set(d.name.text, kind);
      }
    }
    if (exported.size) this.byModule.set(moduleKey(file), exported);
    else this.byModule.delete(moduleKey(file));
  }

  forget(file: string): void {
    this.casing.forget(file);
    this.byModule.delete(moduleKey(file));
  }

  knownExportsFor(importer: string): KnownExports {
    const dir = path.posix.dirname(importer.replace(/\\/g, '/'));
    const handles = (module: string, name: string) => (module.startsWith('.') ? this.byModule.get(moduleKey(path.posix.join(dir, module)))?.get(name) : undefined);
    return Object.assign(handles, { importedEnums: (imports: Imports) => this.exports.enumsImportedBy(importer, imports) });
  }
}

/**
 * Every rule id with one meta each, for docs and output formats (SARIF): the engine's rules, with
 * the meta of the Drizzle check of the same id where there is one (it is the SQL rule's meta plus
 * the TypeScript messages and examples), then the Drizzle-only ids.
 */
export function ruleDescriptors(rules: readonly RuleDefinition[] = RULES): RuleDefinition[] {
  const checks = new Map(DRIZZLE_CHECKS.map((c) => [c.meta.id, c]));
  const ids = new Set(rules.map((r) => r.meta.id));
  const merged = rules.map((r): RuleDefinition => {
    const check = checks.get(r.meta.id);
    return check ? ({ ...r, meta: check.meta } as RuleDefinition) : r;
  });
  const extra = DRIZZLE_CHECKS.filter((c) => !ids.has(c.meta.id)).map((c): RuleDefinition => ({ meta: c.meta, scope: 'statement', create: () => ({}) }));
  return [...merged, ...extra];
}

export interface TsDocumentOptions {
  config: ResolvedConfig;
  rules?: readonly RuleDefinition[];
  /** The workspace schema (SQL migrations and Drizzle files together), for file-scoped rules. */
  schema?: SchemaModel;
  /** When given, the document's pgTable calls are registered as its contribution to the workspace model. */
  model?: WorkspaceModel;
  /** Handles exported by the other modules of the workspace. */
  handles?: HandleIndex;
}

const documents = new Map<string, TsAnalysis>();
/** Open documents importing neither drizzle-orm nor pg: not analysed, but files importing from them read these texts. */
const unanalysed = new Map<string, string>();
readBuffersWith((file) => documents.get(file)?.text ?? unanalysed.get(file));

/** Whether the file declares anything the workspace model holds: pgTable calls or pgEnums. */
const declaresSchema = (a: TsAnalysis) => a.tables.length > 0 || a.scope.enumDecls.size > 0;
const contributionOf = (a: TsAnalysis) => drizzleContribution(a.tables, a.scope.enumDecls.values());

/** Per model, the TypeScript files whose contribution declares tables or enums. */
const declaring = new WeakMap<WorkspaceModel, Set<string>>();

function declaringFiles(model: WorkspaceModel): Set<string> {
  let files = declaring.get(model);
  if (!files) declaring.set(model, (files = new Set()));
  return files;
}

/**
 * The file's pgTable calls and pgEnums join the model. A file that stops declaring any gets an empty
 * contribution, once: its entry stays, so the files that shared its tables are found and re-checked.
 */
function setContributionOf(model: WorkspaceModel, file: string, analysis: TsAnalysis | undefined): void {
  const files = declaringFiles(model);
  if (analysis && declaresSchema(analysis)) {
    model.setContribution(file, contributionOf(analysis));
    files.add(file);
  } else if (files.delete(file)) model.setContribution(file, drizzleContribution([], []));
}

/**
 * The language server's reader of the TypeScript files that are not open (the workspace index, a file
 * changed on disk, a document closed): their pgTable calls and pgEnums join the model as an open
 * document's do, and as the CLI's indexHandles reads every file, so a .sql file sees the same Drizzle
 * tables whether the schema file is open or not, and the same as in CI. Their syntax trees are not kept.
 * Two passes, as indexHandles: column names depend on the workspace's casing, which any file's
 * `drizzle()` call may set. Returns the files whose tables used pgEnums these files export and whose
 * exports changed: their columns must be read again.
 */
export function readTypeScriptSchemas(all: ReadonlyArray<{ path: string; text: string | undefined }>, model: WorkspaceModel): string[] {
  const casing = workspaceCasingOf(model);
  // drizzle.config.* files hold casing only, read by casing.findConfigs (and file-event-handlers.ts).
  const relevant = all.filter((f) => !isDrizzleConfigPath(f.path));
  for (const f of relevant) if (f.text === undefined) forgetTypeScriptSchema(f.path, model);
  const files = relevant.filter((f): f is { path: string; text: string } => f.text !== undefined);
  const first = files.map((f) =>
    analyseTypeScript(f.path, f.text, {
      knownExports: editorKnownExports(f.path),
      casing: (sf, imports) => {
        casing.setFile(f.path, fileCasing(sf, imports));
        casing.findConfigs(path.dirname(f.path));
        return casing.state();
      },
    }),
  );
  const state = casing.state();
  const analysed = new Map<string, TsAnalysis>();
  for (const a of first) {
    const settled = declaresSchema(a) && files.length > 1 ? analyseTypeScript(a.path, a.text, { previous: a, knownExports: editorKnownExports(a.path), casing: () => state }) : a;
    setContributionOf(model, a.path, settled);
    analysed.set(a.path, settled);
  }
  const read = new Set(relevant.map((f) => f.path));
  return [...new Set(relevant.flatMap((f) => importersOfChangedFile(f.path, analysed.get(f.path))))].filter((f) => !read.has(f));
}

/** A closed TypeScript file gone from the disk, or declaring nothing now: its tables and its casing leave the workspace. */
function forgetTypeScriptSchema(file: string, model: WorkspaceModel): void {
  workspaceCasingOf(model).forget(file);
  setContributionOf(model, file, undefined);
}

/**
 * Lints one open TypeScript document (the language server calls this on open and change). Files
 * that import neither drizzle-orm nor pg give no findings. The previous syntax tree of the same
 * URI is reused, so a keystroke re-parses only the edited region.
 */
export function lintTypeScriptDocument(uri: string, text: string, options: TsDocumentOptions): TsLintOutput {
  const previous = documents.get(uri);
  const knownExports = options.handles?.knownExportsFor(uri) ?? editorKnownExports(uri);
  // The editor has no index of the workspace's TypeScript: the open files and drizzle.config on disk say it.
  const casing = options.handles?.casing ?? (options.model ? workspaceCasingOf(options.model) : undefined);
  const casingOf = (sf: ts.SourceFile, imports: Imports) => {
    if (!casing) return undefined;
    if (!options.handles) {
      casing.setFile(uri, fileCasing(sf, imports));
      if (path.isAbsolute(uri)) casing.findConfigs(path.dirname(uri));
    }
    return casing.state();
  };
  const analysis = analyseTypeScript(uri, text, { previous, knownExports, casing: casingOf });
  // The document's tables join the model before the rules read it: schema-wide rules report what
  // this version of the file declares, at this version's offsets.
  // A file that only declares pgEnums contributes too: SQL rules and enum checks then know the type.
  if (options.model) setContributionOf(options.model, uri, analysis);
  const out = lintTypeScriptFile(uri, text, {
    config: options.config,
    rules: options.rules ?? RULES,
    schema: options.schema ?? options.model?.schema(),
    previous,
    knownExports,
    analysis,
    casing: casing?.state(),
  });
  documents.set(uri, out.analysis);
  unanalysed.delete(uri);
  documentChecked(uri, out.analysis);
  options.handles?.setFile(uri, out.analysis);
  return out;
}

/**
 * An open document that imports neither drizzle-orm nor pg is not analysed; files importing from it
 * read its text. One whose import was just deleted gives up what its analysis gave: its tables and
 * pgEnums leave the model, and its importers re-read it, as a fresh server never had them.
 */
export function setUnanalysedTypeScriptDocument(uri: string, text: string, model?: WorkspaceModel): void {
  unanalysed.set(uri, text);
  const previous = documents.get(uri);
  documents.delete(uri);
  // What the file declared (this document's earlier version, or the disk's when it was opened) goes,
  // and its drizzle() call's casing with it: the CLI does not analyse such a file either. A
  // drizzle.config's casing is not a drizzle() call's: drizzle-kit reads it (casing-refresh.ts).
  if (model && isDrizzleConfigPath(uri)) setContributionOf(model, uri, undefined);
  else if (model) forgetTypeScriptSchema(uri, model);
  documentUnanalysed(uri);
}

/** Drops a closed document's syntax tree (its model contribution stays until the file is removed). */
export function forgetTypeScriptDocument(uri: string): void {
  documents.delete(uri);
  unanalysed.delete(uri);
}

/** Loads and exercises the TypeScript parser once, so the first real diagnostic does not pay for it. */
export function warmUpTypeScript(): void {
  analyseTypeScript('warmup.ts', "import { pgTable, numeric } from 'drizzle-orm/pg-core';\nexport const t = pgTable('t', { a: numeric('a') });\n");
}

/**
 * For the CLI: analyse files once to learn which modules export database handles; with a model,
 * each file's pgTable calls also join it, so every TypeScript file is checked against the same
 * workspace schema (SQL migrations and all Drizzle schemas) as in the editor.
 */
export function indexHandles(files: ReadonlyArray<{ path: string; text: string }>, model?: WorkspaceModel): HandleIndex {
  const index = new HandleIndex(new Map(files.map((f) => [f.path, f.text])));
  const first = files.map((f) => {
    const analysis = analyseTypeScript(f.path, f.text);
    index.setFile(f.path, analysis);
    return analysis;
  });
  if (!model) return index;
  // The tables need every file's casing and exported pgEnums: a second pass, on the same syntax trees.
  const casing = index.casing.state();
  first.forEach((a, i) => {
    if (!declaresSchema(a)) return;
    const analysis = analyseTypeScript(a.path, a.text, { previous: a, knownExports: index.knownExportsFor(a.path), casing: () => casing });
    if (declaresSchema(analysis)) model.setContribution(files[i].path, contributionOf(analysis));
  });
  return index;
}
