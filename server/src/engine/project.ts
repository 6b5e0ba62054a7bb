// One workspace root as the CLI and the language server both see it: its configuration, the
// workspace schema model (every migration replayed in order), and the rules. Both front doors
// call `lint`, so a finding in CI is the finding in the editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findFiles, isTypeScriptPath, TYPESCRIPT_EXTENSIONS } from '../cli/files';
import { mayShapeSchema, mentionsDrizzleOrPg } from '../drizzle/mentions';
import { WorkspaceModel, migrationInfo, type FileInfo as ModelFileInfo } from '../model/workspace-model';
import { RULES, RULE_IDS } from '../rules';
import type { SqlFile } from '../sql/document';
import { discoverMigrations, type ReadBytes } from '../workspace/discover';
import { CATALOGUE_IDS } from './catalogue';
import { decodeBytes } from './decode';
import { CONFIG_FILE_NAME, parseConfigText, resolveConfig, type ConfigProblem, type RawConfig, type ResolvedConfig } from './config';
import { lintSqlFile, type LintOutput } from './linter';
import { formatMessage } from './messages';
import type { FileInfo, RuleDefinition } from './rule';
import type { Finding } from './types';
import type { Convention } from '../workspace/conventions';

export interface LintResult extends LintOutput {
  file: SqlFile;
}

export interface IndexProgress {
  done: number;
  total: number;
}

/**
 * Reads TypeScript files' Drizzle tables into the model (the language server's Drizzle front-end,
 * drizzle/project.ts readTypeScriptSchemas). `text` undefined: the file is gone, or imports neither
 * drizzle-orm nor pg, or names no pgTable, pgEnum, pgSchema or drizzle() call, so it declares
 * nothing. The engine itself reads SQL only, so that the CLI need not load the TypeScript compiler
 * for a folder of migrations. Returns other files whose tables depend on these (pgEnums they import):
 * the closed ones are read again.
 */
export type TypeScriptSchemaReader = (files: ReadonlyArray<{ path: string; text: string | undefined }>, model: WorkspaceModel) => readonly string[];

export class Project {
  readonly model = new WorkspaceModel();
  private fileConfig: RawConfig = {};
  private editorConfig: RawConfig = {};
  private resolved: ResolvedConfig = resolveConfig();
  /** Files whose text the project owns (open in an editor); the others follow the disk. The first one calls forEditor(). */
  private open = new OpenFiles(() => this.forEditor());
  private editor = false;
  configProblems: ConfigProblem[] = [];
  /** Set by the language server: closed TypeScript files then count for the schema as open ones do. */
  typeScriptSchemas?: TypeScriptSchemaReader;

  /**
   * `oneShot`: every file is linted once and never again (the CLI): the linter keeps none of the
   * caches that serve an editor's next lint (LintInput.oneShot).
   */
  constructor(
    readonly root: string | undefined,
    readonly rules: readonly RuleDefinition[] = RULES,
    private readonly options: { oneShot?: boolean } = {},
  ) {}

  get config(): ResolvedConfig {
    return this.resolved;
  }

  /** The text of `ledgerlint.json` at the root, or undefined when there is none. */
  setConfigText(text: string | undefined): ConfigProblem[] {
    if (text === undefined) {
      this.fileConfig = {};
      this.configProblems = [];
    } else {
      const { config, problems } = parseConfigText(text, new Set([...RULE_IDS, ...CATALOGUE_IDS]));
      this.fileConfig = config;
      this.configProblems = problems;
    }
    this.resolved = resolveConfig(this.fileConfig, this.editorConfig);
    return this.configProblems;
  }

  /** Settings from the editor (`ledgerlint.rules`, `ledgerlint.vocabulary`, ...). */
  setEditorConfig(config: RawConfig): void {
    this.editorConfig = config;
    this.resolved = resolveConfig(this.fileConfig, this.editorConfig);
  }

  /**
   * Reads every .sql file below the root into the model: migrations with their run order and
   * role, other files (queries, functions) after them. Returns the files found.
   */
  index(onProgress?: (p: IndexProgress) => void): string[] {
    if (!this.root) return [];
    // Discovery reads the files of plain migration folders (looking for sql-migrate markers): their
    // bytes are kept for the loop below, so each file is read from disk once.
    const read = new Map<string, Buffer>();
    const infoByPath = this.migrationInfos((file) => {
      let bytes = read.get(file);
      if (!bytes) read.set(file, (bytes = fs.readFileSync(file)));
      return bytes;
    });
    const walked = findFiles(this.root, this.typeScriptSchemas ? ['.sql', ...TYPESCRIPT_EXTENSIONS] : ['.sql'], this.resolved.ignore).map((f) => f.absolute);
    const all = walked.filter((f) => f.endsWith('.sql'));
    // A Set: checking each migration against the whole list was quadratic (0.77 s at 5,000 files).
    const found = new Set(all);
    for (const p of infoByPath.keys()) if (!found.has(p)) all.push(p);
    all.forEach((file, i) => {
      // A file opened before indexing keeps its editor text but learns its place among the migrations.
      if (this.open.has(file)) this.model.setInfo(file, infoByPath.get(file) ?? {});
      else {
        try {
          const bytes = read.get(file) ?? fs.readFileSync(file);
          read.delete(file);
          this.model.setFile(file, decodeBytes(bytes).text, infoByPath.get(file) ?? {});
        } catch {
          // unreadable files are skipped; linting them reports the problem
        }
      }
      if (onProgress && (i % 50 === 0 || i === all.length - 1)) onProgress({ done: i + 1, total: all.length });
    });
    if (this.typeScriptSchemas) this.readTypeScript(walked.filter((f) => isTypeScriptPath(f) && !this.open.has(f)));
    return all;
  }

  /**
   * The workspace casing changed (a drizzle() call or a drizzle.config), or pgEnums that `files`
   * import did: those closed Drizzle files (by default every one the model holds) are read again, as a
   * fresh index (and the CLI) would read them.
   */
  rereadTypeScript(files?: readonly string[]): void {
    if (!this.typeScriptSchemas) return;
    const closed = (files ?? this.model.files().map((f) => f.path)).filter((file) => isTypeScriptPath(file) && !this.open.has(file));
    this.readTypeScript(closed);
  }

  /**
   * Closed TypeScript files to read again: those gone, or no longer declaring tables or casing, leave
   * the schema. Returns the other files importing pgEnums from these whose exports changed: the closed
   * ones are read again here, the open ones are for the editor to check again.
   */
  private readTypeScript(files: readonly string[]): readonly string[] {
    const read = (file: string) => {
      try {
        const text = decodeBytes(fs.readFileSync(file)).text;
        return { path: file, text: mentionsDrizzleOrPg(text) && mayShapeSchema(text) ? text : undefined };
      } catch {
        return { path: file, text: undefined };
      }
    };
    if (!files.length) return [];
    const importers = this.typeScriptSchemas!(files.map(read), this.model);
    const closed = importers.filter((f) => !this.open.has(f));
    // One level: an importer's own exports are not what changed.
    if (closed.length) this.typeScriptSchemas!(closed.map(read), this.model);
    return importers;
  }

  /** Run order, role and folder of every discovered migration, by absolute path. */
  private migrationInfos(read?: ReadBytes): Map<string, Partial<ModelFileInfo>> {
    const infoByPath = new Map<string, Partial<ModelFileInfo>>();
    if (!this.root) return infoByPath;
    const discovery = discoverMigrations(this.root, this.resolved.migrations, read);
    for (const folder of discovery.folders) for (const f of folder.files) infoByPath.set(f.path, migrationInfo(f, folder));
    return infoByPath;
  }

  /**
   * A file changed on disk (or was created); ignored while an editor owns its text. Returns the other
   * files importing pgEnums from it whose exports changed (readTypeScript).
   */
  refreshFromDisk(file: string): readonly string[] {
    if (this.open.has(file)) return [];
    // TypeScript is never SQL text: its tables come from the Drizzle front-end, or not at all.
    if (isTypeScriptPath(file)) {
      if (this.typeScriptSchemas) return this.readTypeScript([file]);
      if (this.model.fileInfo(file)) this.model.removeFile(file);
      return [];
    }
    try {
      const text = decodeBytes(fs.readFileSync(file)).text;
      // A new file (e.g. the migration a fix just created) takes its place in the run order.
      this.model.setFile(file, text, this.model.fileInfo(file) ? {} : this.migrationInfos().get(file) ?? {});
    } catch {
      this.model.removeFile(file);
    }
    return [];
  }

  removeFile(file: string): string[] {
    this.open.delete(file);
    return this.model.removeFile(file);
  }

  /**
   * Makes this an editor's project: from then on only open files keep their parse in the model, the
   * others are parsed again when replayed (model/file-entry.ts). The CLI, which lints every file right
   * after the build, keeps them all. Called by the first open file; a server with only TypeScript
   * files open may call it when it indexes a folder.
   */
  forEditor(): void {
    if (this.editor) return;
    this.editor = true;
    this.model.retainParses((file) => this.open.has(file));
  }

  /**
   * An editor owns the file's text (a TypeScript document, which lint() never sees): indexing and
   * changes on disk leave what its buffer declared alone until close().
   */
  markOpen(file: string): void {
    this.open.add(file);
  }

  /**
   * The editor closed the file: its disk text counts again, and its parse goes. Returns the other
   * files importing pgEnums from it whose exports changed (readTypeScript).
   */
  close(file: string): readonly string[] {
    this.open.delete(file);
    const importers = this.refreshFromDisk(file);
    this.model.release(file);
    return importers;
  }

  lint(file: string, text: string, options: { open?: boolean } = {}): LintResult {
    if (options.open) this.open.add(file);
    this.model.setFile(file, text);
    const sqlFile = this.model.sqlFile(file)!;
    const schema = this.model.schema();
    const output = lintSqlFile({
      file: sqlFile,
      config: this.resolved,
      rules: this.rules,
      schema,
      fileInfo: this.fileInfo(file),
      isExistingTable: (table, index) => this.model.isExistingTable(table, file, index),
      schemaBefore: (index) => this.model.schemaBefore(file, index),
      oneShot: this.options.oneShot,
    });
    // Not a spread: that would read (make) the findings, which the output makes on first read.
    return Object.assign(output, { file: sqlFile });
  }

  fileInfo(file: string): FileInfo {
    const info = this.model.fileInfo(file);
    const migration = !!info && info.role !== 'other';
    const wraps = this.resolved.migrations.runnerWrapsTransaction ?? info?.runnerWrapsTransaction ?? false;
    const role = !info || info.role === 'other' ? 'plain' : info.role === 'plain' ? 'up' : info.role;
    const base: FileInfo = { role, migration, runnerWrapsTransaction: migration && wraps, root: this.root };
    if (!migration) {
      const last = this.model.lastMigrationFolder();
      return last ? { ...base, queryMigrationFolder: this.folderWithFiles(last.folder, last.convention) } : base;
    }
    if (!info?.folder || !info.convention) return base;
    return { ...base, migrationFolder: this.folderWithFiles(info.folder, info.convention) };
  }

  private folderWithFiles(folder: string, convention: Convention): NonNullable<FileInfo['migrationFolder']> {
    const model = this.model;
    let files: string[] | undefined;
    return {
      path: folder,
      convention,
      // Listed when a fix first plans a new migration, once per lint: it costs a sort of the whole workspace.
      get files() {
        return (files ??= model.files().filter((f) => f.info.folder === folder).map((f) => f.path));
      },
    };
  }

  /** Files whose findings may change because `file` changed (later migrations on the same tables). */
  dependents(file: string): string[] {
    return this.model.dependents(file);
  }
}

/** A set that calls `onFirst` when its first member is ever added. */
class OpenFiles extends Set<string> {
  private first = true;

  constructor(private readonly onFirst: () => void) {
    super();
  }

  override add(file: string): this {
    super.add(file);
    if (this.first) {
      this.first = false;
      this.onFirst();
    }
    return this;
  }
}

export { CONFIG_FILE_NAME };

export function configPathOf(root: string): string {
  return path.join(root, CONFIG_FILE_NAME);
}

/** The finding for a file that is not valid UTF-8 (decoded with replacement characters instead). */
export function invalidUtf8Finding(rules: readonly RuleDefinition[], byteOffset: number): Finding {
  const rule = rules.find((r) => r.meta.id === 'syntax-error')!;
  const data = { byte: byteOffset };
  return {
    ruleId: 'syntax-error',
    messageId: 'encoding',
    message: formatMessage(rule.meta, 'encoding', data),
    severity: 'error',
    span: { start: 0, end: 0 },
    data,
  };
}
