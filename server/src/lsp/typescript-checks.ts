// Drizzle schemas and queries in TypeScript: same rules, same model, findings in the TypeScript.
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { casingStateOf, configDocumentChanged } from '../drizzle/casing-refresh';
import { changedEnumImporters } from '../drizzle/enum-refresh';
import { lintTypeScriptDocument, setUnanalysedTypeScriptDocument } from '../drizzle/project';
import type { CappedPublisher } from './capped-publisher';
import { isTypeScript, modelKey } from './document-kinds';
import { displayPath, type Folder } from './folders';
import { largeFileNotice } from './lint-scheduler';
import type { ServerContext } from './server-context';
import { DEFAULT_SETTINGS } from './settings';

/**
 * TypeScript files longer than this are not analysed. The analysis (TypeScript's parser, the Drizzle
 * front-end, the rules) runs in one synchronous pass that cannot be sliced like a SQL file's check:
 * ~1 s of CPU per 200,000 characters of Drizzle schema, so a 5 MB generated file would hold every
 * hover and code action of the editor for half a minute. 500,000 characters is ~12,000 lines of
 * schema, well above hand-written ones.
 */
export const MAX_TYPESCRIPT_CHARS = 500_000;

export class TypeScriptChecks {
  constructor(
    private readonly ctx: ServerContext,
    /** Within ledgerlint.maxDiagnosticsPerFile, as SQL files: a 5,000-line schema has ~1,500 findings. */
    private readonly publisher: CappedPublisher,
  ) {}

  lintNow(doc: TextDocument, folder: Folder): void {
    const { model } = folder.project;
    const casingBefore = casingStateOf(model);
    // A drizzle.config buffer's casing counts as soon as it is typed, as drizzle-kit reads it once saved.
    configDocumentChanged(model, modelKey(doc.uri), doc.getText());
    try {
      this.lintChecked(doc, folder);
    } finally {
      // Files importing a pgEnum from this one follow its edited names and labels (drizzle/enum-refresh.ts).
      // Asked first: it answers once per change.
      const importers = changedEnumImporters(modelKey(doc.uri));
      // A drizzle() call's casing (this file's or a config's) names the key-only columns of every table.
      if (casingStateOf(model) !== casingBefore) this.casingChanged(folder, doc.uri);
      else if (importers.length) this.enumsChanged(folder, doc.uri, importers);
    }
  }

  /** Every other open TypeScript file of the folder; `cascade`: the open files reading their tables follow. */
  recheck(folder: Folder, except: string, cascade = false): void {
    const { documents, folders } = this.ctx;
    for (const other of documents.all()) if (other.uri !== except && isTypeScript(other) && folders.of(other.uri) === folder) this.ctx.schedule(other, 50, cascade);
  }

  /**
   * The pgEnums `uri` exports changed: the open TypeScript files are checked again (importers resolve
   * through its buffer), the closed importers are read again, and the open files reading their tables follow.
   */
  private enumsChanged(folder: Folder, uri: string, importers: readonly string[]): void {
    this.recheck(folder, uri, true);
    // An open importer's dependents follow its own check (cascade); a closed one's follow its re-read.
    const open = new Set(this.ctx.documents.all().map((d) => modelKey(d.uri)));
    const closed = importers.filter((file) => !open.has(file));
    folder.project.rereadTypeScript(closed);
    for (const file of closed) this.ctx.scheduleDependents(folder, file, uri);
  }

  /**
   * The workspace casing changed: the closed Drizzle files are read again under it, and every other
   * open file of the folder is checked again (TypeScript for identifier-hygiene and its own tables,
   * SQL for the column names of the Drizzle tables it reads), as a fresh server would see them.
   */
  casingChanged(folder: Folder, except: string): void {
    const { documents, folders } = this.ctx;
    folder.project.rereadTypeScript();
    for (const other of documents.all()) if (other.uri !== except && folders.of(other.uri) === folder) this.ctx.schedule(other, 50);
  }

  private lintChecked(doc: TextDocument, folder: Folder): void {
    const { connection } = this.ctx;
    if (!/drizzle-orm|from ['"]pg['"]|require\(['"]pg['"]\)/.test(doc.getText())) {
      // Not analysed, as a fresh server would not; what an earlier version with the import gave the model goes.
      setUnanalysedTypeScriptDocument(modelKey(doc.uri), doc.getText(), folder.project.model);
      this.ctx.lastDiagnostics.set(doc.uri, []);
      this.ctx.storedFindings.delete(doc.uri);
      connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
      return;
    }
    if (doc.getText().length > MAX_TYPESCRIPT_CHARS) {
      const notice = tooLargeNotice(doc.getText().length);
      this.ctx.lastDiagnostics.set(doc.uri, [notice]);
      this.ctx.storedFindings.delete(doc.uri);
      connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [notice] });
      this.ctx.log('warn', `${doc.uri}: ${notice.message}`);
      return;
    }
    const key = modelKey(doc.uri);
    const out = lintTypeScriptDocument(key, doc.getText(), { config: folder.project.config, model: folder.project.model });
    const cap = folder.settings?.maxDiagnosticsPerFile ?? DEFAULT_SETTINGS.maxDiagnosticsPerFile;
    const check = { findings: out.findings, file: { text: doc.getText(), lines: out.lines } };
    const published = this.publisher.publish(doc, { result: check, leading: [], trailing: [], cap, displayPath: displayPath(doc.uri, folder) });
    this.ctx.lastDiagnostics.set(doc.uri, published.diagnostics);
    this.ctx.storedFindings.setConverted(doc.uri, doc.version, out.lines, published.findingOf);
    for (const e of out.ruleErrors) {
      if (this.ctx.reportedRuleErrors.has(e.ruleId)) continue;
      this.ctx.reportedRuleErrors.add(e.ruleId);
      this.ctx.log('error', `Rule ${e.ruleId} failed on TypeScript (its findings are missing, the other rules still ran): ${e.stack ?? e.message}`);
    }
  }
}

/** The Information diagnostic on line 1 of a TypeScript file too long to analyse. */
function tooLargeNotice(chars: number): Diagnostic {
  const n = (x: number) => x.toLocaleString('en');
  return largeFileNotice(
    `Ledgerlint did not check this file: it has ${n(chars)} characters, over the ${n(MAX_TYPESCRIPT_CHARS)} a TypeScript file may have, ` +
      'because analysing it would hold up the editor for seconds. Its tables and queries are not checked, so a money or lock problem in it goes unreported. ' +
      'Split the schema into smaller files, or run `ledgerlint check` on it in CI.',
  );
}
