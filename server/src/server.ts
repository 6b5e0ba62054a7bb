// The language server: LSP wiring only. Every handler delegates to a pure function
// (lint, toDiagnostic, codeActionsFor, ...) that tests call directly. Never imports `vscode`.
// Transport: IPC when started by the VS Code client, `--stdio` for other editors.
import { CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Diagnostic, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { LineIndex } from './sql/offsets';
import { initParser } from './sql/parser';
import { CONFIG_FILE_NAME } from './engine/config';
import { codeActionsFor, FIX_ALL_KIND, fixAllEdits, type DocumentView } from './lsp/code-actions';
import { setFixTransport, toDiagnostic } from './lsp/diagnostics';
import { StoredFindings } from './lsp/stored-findings';
import { Folders, pathToUri, uriToPath } from './lsp/folders';
import { DEFAULT_SETTINGS, normalizeSettings } from './lsp/settings';
import type { ExplainParams, ExplainResult, FixAllParams, FixAllResult, InitializationOptions, SetConnectionParams } from './protocol';
import type { SqlFile } from './sql/document';
import { ConnectedAnnouncer, isWrite, lensTitle, statementAt, statusOf, toExplainResult, type ConnectionState } from './lsp/explain-wiring';
import type { Folder } from './lsp/folders';
import { actionsWithWhatIf } from './explain/whatif/lsp-actions';
import { drizzleHover, readFromDisk } from './drizzle/to-sql/hover';
import { drizzleExplain } from './lsp/drizzle-explain';
import { FolderServices } from './lsp/folder-services';
import { applyFileChanges, renamesAsChanges, FILE_OPERATION_FILTERS, type FileChange } from './lsp/file-events';
import { forgetTypeScriptDocument, lintTypeScriptDocument, warmUpTypeScript } from './drizzle/project';
import { casingStateOf, configDocumentChanged } from './drizzle/casing-refresh';
import { isDrizzleConfigPath } from './drizzle/config-files';
import * as path from 'node:path';
import { clearPrewarmed, prewarmStatements } from './sql/document';
import { DEFAULT_LIMITS, firstLook, knownTexts, planLint, readLimits, skippedNotice, SLICE_ABOVE_CHARS, type LargeFileLimits, type LintPlan } from './lsp/lint-scheduler';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const folders = new Folders();
const lastDiagnostics = new Map<string, Diagnostic[]>();
const lastFiles = new Map<string, SqlFile>();
const storedFindings = new StoredFindings();
const connectionState: Omit<ConnectionState, 'root'> = { trusted: true, disconnected: false };
const announcer = new ConnectedAnnouncer();
const pending = new Map<string, NodeJS.Timeout>();
const reportedRuleErrors = new Set<string>();
let canPullConfiguration = false;
let hasWorkspaceFolders = false;
let workspaceTrusted = true;
/** From the client's initializationOptions: where the shadow database keeps its cluster. */
let storageDir: string | undefined;
/** The first settings (ledgerlint.json, the client's ledgerlint.*): requests before them would answer with defaults. */
let settingsLoaded: Promise<void> = Promise.resolve();
// A parser that cannot load (a damaged install: the .wasm missing) is said once, not per keystroke.
const parserReady = initParser().then(
  () => true,
  (err: unknown) => {
    log('error', `PostgreSQL's parser could not be loaded, so no file is checked: ${(err as Error)?.message ?? String(err)}`);
    // A notification (window/showMessage), not a request: nothing to await, nothing to reject.
    void connection.sendNotification('window/showMessage', { type: 1, message: 'Ledgerlint cannot check SQL: its PostgreSQL parser (libpg-query.wasm) did not load. Reinstall the extension; details are in the Ledgerlint output.' });
    return false;
  },
);
const services = new FolderServices({
  connectionState,
  trusted: () => workspaceTrusted,
  storageDir: () => storageDir,
  textOf: (p) => documents.get(pathToUri(p))?.getText(),
  onShadowFailureChange: (folder) => {
    for (const doc of documents.all()) if (isSql(doc) && folders.of(doc.uri) === folder) schedule(doc, 0);
  },
  log: (m) => log('info', m),
});

function isTypeScript(doc: TextDocument): boolean {
  return doc.languageId === 'typescript' || doc.languageId === 'typescriptreact' || /\.(m|c)?tsx?$/.test(doc.uri);
}

/** Drizzle schemas and queries in TypeScript: same rules, same model, findings in the TypeScript. */
function lintTypeScriptNow(doc: TextDocument, folder: Folder): void {
  const { model } = folder.project;
  // A changed drizzle.config casing or drizzle() call changes identifier-hygiene in every open TypeScript file.
  if (configDocumentChanged(model, modelKey(doc.uri), doc.getText())) recheckTypeScript(folder, doc.uri);
  const casingBefore = casingStateOf(model);
  try {
    lintTypeScriptChecked(doc, folder);
  } finally {
    if (casingStateOf(model) !== casingBefore) recheckTypeScript(folder, doc.uri);
  }
}

function recheckTypeScript(folder: Folder, except: string): void {
  for (const other of documents.all()) if (other.uri !== except && isTypeScript(other) && folders.of(other.uri) === folder) schedule(other, 50);
}

function lintTypeScriptChecked(doc: TextDocument, folder: Folder): void {
  if (!/drizzle-orm|from ['"]pg['"]|require\(['"]pg['"]\)/.test(doc.getText())) {
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  const key = modelKey(doc.uri);
  const out = lintTypeScriptDocument(key, doc.getText(), { config: folder.project.config, model: folder.project.model });
  const diagnostics = out.findings.map((f) => toDiagnostic(out.lines, f));
  lastDiagnostics.set(doc.uri, diagnostics);
  storedFindings.set(doc.uri, doc.version, out.lines, out.findings);
  connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  for (const e of out.ruleErrors) {
    if (reportedRuleErrors.has(e.ruleId)) continue;
    reportedRuleErrors.add(e.ruleId);
    log('error', `Rule ${e.ruleId} failed on TypeScript (its findings are missing, the other rules still ran): ${e.stack ?? e.message}`);
  }
}

function isSql(doc: TextDocument): boolean {
  return doc.languageId === 'sql' || doc.languageId === 'pgsql' || doc.languageId === 'postgres' || doc.uri.endsWith('.sql');
}

function log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void {
  const wanted = DEFAULT_SETTINGS.logLevel;
  const order = ['error', 'warn', 'info', 'debug'];
  const folderLevel = folders.all().find((f) => f.settings)?.settings?.logLevel ?? wanted;
  if (order.indexOf(level) > order.indexOf(folderLevel)) return;
  connection.console[level === 'debug' ? 'log' : level](message);
}

function lintNow(doc: TextDocument, cascade: boolean, plan?: LintPlan): void {
  pending.delete(doc.uri);
  if (!isSql(doc) && !isTypeScript(doc)) return;
  const folder = folders.of(doc.uri);
  if (folder.settings && !folder.settings.enable) {
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  if (isTypeScript(doc)) {
    try {
      lintTypeScriptNow(doc, folder);
    } catch (err) {
      log('error', `Linting ${doc.uri} failed: ${(err as Error)?.stack ?? String(err)}`);
    }
    return;
  }
  try {
    const started = performance.now();
    const key = modelKey(doc.uri);
    plan ??= planLint(doc.getText(), limitsOf(folder));
    const result = folder.project.lint(key, plan.text, { open: true });
    clearPrewarmed();
    const diagnostics = result.findings.map((f) => toDiagnostic(result.file.lines, f));
    const notice = skippedNotice(plan, result.file.lines.positionAt(result.file.statements.at(-1)?.segment.end ?? 0).line);
    if (notice) {
      diagnostics.unshift(notice);
      log('warn', `${doc.uri}: ${notice.message}`);
    }
    const shadow = services.shadowFor(folder);
    const rejected = shadow?.diagnosticFor(key);
    if (rejected) diagnostics.push({ range: { start: result.file.lines.positionAt(rejected.start), end: result.file.lines.positionAt(rejected.end) }, severity: 1, code: 'shadow-database', source: 'ledgerlint', message: rejected.message });
    shadow?.schedule();
    lastDiagnostics.set(doc.uri, diagnostics);
    lastFiles.set(doc.uri, result.file);
    storedFindings.set(doc.uri, doc.version, result.file.lines, result.findings);
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    for (const e of result.ruleErrors) {
      if (reportedRuleErrors.has(e.ruleId)) continue;
      reportedRuleErrors.add(e.ruleId);
      log('error', `Rule ${e.ruleId} failed (its findings are missing, the other rules still ran): ${e.stack ?? e.message}`);
    }
    log('debug', `Linted ${doc.uri} (${result.file.statements.length} statements) in ${(performance.now() - started).toFixed(1)} ms`);
    // Only a change to this document ripples to its dependents; their re-check must not ripple back.
    if (cascade) relintDependents(folder, key, doc.uri);
  } catch (err) {
    log('error', `Linting ${doc.uri} failed: ${(err as Error)?.stack ?? String(err)}`);
  }
}

/** Model keys are file paths (as the CLI uses), or the URI for unsaved documents. */
function modelKey(uri: string): string {
  return uriToPath(uri) ?? uri;
}

/** Open documents whose findings depend on `key` (later migrations touching the same tables). */
function relintDependents(folder: Folder, key: string, except: string): void {
  const dependents = new Set(folder.project.dependents(key));
  if (dependents.size === 0) return;
  for (const other of documents.all()) {
    if (other.uri !== except && dependents.has(modelKey(other.uri))) schedule(other, 50);
  }
}

async function indexFolders(): Promise<void> {
  if (!(await parserReady)) return;
  for (const folder of folders.all()) {
    if (!folder.root || folder.indexed) continue;
    folder.indexed = true;
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Ledgerlint: indexing migrations', 0, folder.root, false);
    const started = performance.now();
    const files = folder.project.index((p) => progress?.report(Math.round((p.done / p.total) * 100), `${p.done}/${p.total} files`));
    progress?.done();
    log('info', `Indexed ${files.length} SQL files in ${folder.root} (${(performance.now() - started).toFixed(0)} ms)`);
  }
  for (const doc of documents.all()) schedule(doc, 0);
}

const cascades = new Set<string>();
/** Bumped by every schedule: a sliced check whose generation moved on is stale and stops. */
const generations = new Map<string, number>();
/** Documents whose big-file check is parsing in slices; requests answer meanwhile instead of checking again. */
const slicing = new Map<string, number | undefined>();
const largeFileLimits = new WeakMap<Folder, LargeFileLimits>();

function limitsOf(folder: Folder): LargeFileLimits {
  return largeFileLimits.get(folder) ?? DEFAULT_LIMITS;
}

/** A big SQL file is parsed in slices first, so hovers and code actions answer while it is checked. */
async function lintInSlices(doc: TextDocument, cascade: boolean): Promise<void> {
  if (!isSql(doc) || doc.getText().length <= SLICE_ABOVE_CHARS || (folders.of(doc.uri).settings && !folders.of(doc.uri).settings!.enable)) return lintNow(doc, cascade);
  const generation = generations.get(doc.uri);
  const plan = planLint(doc.getText(), limitsOf(folders.of(doc.uri)));
  const last = lastFiles.get(doc.uri);
  // An answer from an older text would point at the wrong statement: none until this check is done.
  if (last && last.text !== plan.text) lastFiles.delete(doc.uri);
  slicing.set(doc.uri, generation);
  // Just opened (nothing published yet): its first screenfuls' own findings now, the rest after the full check.
  if (!lastDiagnostics.has(doc.uri)) publishFirstLook(doc, plan);
  let fresh = false;
  try {
    fresh = await prewarmStatements(plan.statements ?? [], knownTexts(last), () => generations.get(doc.uri) !== generation || !documents.get(doc.uri));
  } finally {
    if (slicing.get(doc.uri) === generation) slicing.delete(doc.uri);
    if (!fresh && slicing.size === 0) clearPrewarmed();
  }
  // A newer edit has its own check scheduled; this one's result would be stale.
  if (fresh) lintNow(doc, cascade, plan);
}

function publishFirstLook(doc: TextDocument, plan: LintPlan): void {
  try {
    const diagnostics = firstLook(modelKey(doc.uri), plan, folders.of(doc.uri).project);
    if (diagnostics) connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  } catch (err) {
    log('error', `A first look at ${doc.uri} failed (the full check follows): ${(err as Error)?.stack ?? String(err)}`);
  }
}

function schedule(doc: TextDocument, delayMs = 15, cascade = false): void {
  generations.set(doc.uri, (generations.get(doc.uri) ?? 0) + 1);
  const existing = pending.get(doc.uri);
  if (existing) clearTimeout(existing);
  if (cascade) cascades.add(doc.uri);
  pending.set(
    doc.uri,
    setTimeout(() => {
      void parserReady.then((ready) => {
        if (!ready) return;
        const current = documents.get(doc.uri);
        const ripple = cascades.delete(doc.uri);
        if (current) void lintInSlices(current, ripple);
      });
    }, delayMs),
  );
}

function publishConfigProblems(): void {
  for (const folder of folders.all()) {
    const uri = folders.configUri(folder);
    if (!uri) continue;
    // Editors that do not sync JSON documents (VS Code here) save it: the positions come from the disk.
    const text = documents.get(uri)?.getText() ?? folders.configText(folder) ?? '';
    const lines = new LineIndex(text);
    const diagnostics = folder.project.configProblems.map((p) => toDiagnostic(lines, { ruleId: 'config', messageId: 'config', message: p.message, severity: 'error', span: { start: p.offset, end: p.offset + 1 } }));
    connection.sendDiagnostics({ uri, diagnostics });
  }
}

async function refreshSettings(): Promise<void> {
  for (const folder of folders.all()) {
    const configText = folders.configUri(folder) ? documents.get(folders.configUri(folder)!)?.getText() : undefined;
    folders.loadConfig(folder, configText);
  }
  for (const folder of folders.all()) {
    let raw: unknown = {};
    if (canPullConfiguration) {
      try {
        raw = await connection.workspace.getConfiguration({ scopeUri: folder.uri || undefined, section: 'ledgerlint' });
      } catch {
        raw = {};
      }
    }
    folders.applySettings(folder, normalizeSettings(raw));
    largeFileLimits.set(folder, readLimits(raw));
  }
  publishConfigProblems();
  for (const doc of documents.all()) schedule(doc, 0);
}

connection.onInitialize((params): InitializeResult => {
  const init = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
  workspaceTrusted = init.workspaceTrusted !== false;
  if (typeof init.storageDir === 'string' && path.isAbsolute(init.storageDir)) storageDir = init.storageDir;
  connectionState.trusted = workspaceTrusted;
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  hasWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  // A client that resolves code actions' edits (VS Code) gets diagnostics without fix text; the
  // code actions take the fixes from the stored findings.
  const resolves = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
  setFixTransport(resolves ? 'stored' : 'inline');
  const wsFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders.set(wsFolders);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: true },
      // Renames and deletions in the editor's explorer; in a terminal they arrive as watched-file events.
      workspace: { workspaceFolders: { supported: true, changeNotifications: true }, fileOperations: { didRename: { filters: FILE_OPERATION_FILTERS }, didDelete: { filters: FILE_OPERATION_FILTERS } } },
    },
    serverInfo: { name: 'ledgerlint', version },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  if (hasWorkspaceFolders) connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const current = folders.all().filter((f) => f.uri).map((f) => f.uri);
    folders.set([...current.filter((u) => !e.removed.some((r) => r.uri === u)), ...e.added.map((a) => a.uri)]);
    void refreshSettings().then(() => indexFolders());
  });
  log('info', `Ledgerlint ${version} started (${workspaceTrusted ? 'trusted' : 'untrusted: static analysis only'} workspace)`);
  settingsLoaded = refreshSettings().catch((err: unknown) => log('error', `Reading the settings failed: ${String(err)}`));
  void settingsLoaded.then(() => indexFolders());
  // Load TypeScript's parser while the user is still looking at the file, not on the first keystroke.
  setTimeout(() => {
    try {
      warmUpTypeScript();
    } catch (err) {
      log('warn', `TypeScript warm-up failed: ${String(err)}`);
    }
  }, 200);
});

connection.onDidChangeConfiguration(() => void refreshSettings());

function onFilesChanged(all: readonly FileChange[]): void {
  // A drizzle.config.* changed on disk (git, another tool) while not open: its casing holds again.
  const configs = all.filter((c) => isDrizzleConfigPath(modelKey(c.uri)));
  for (const c of configs) {
    const folder = folders.of(c.uri);
    if (!documents.get(c.uri) && configDocumentChanged(folder.project.model, modelKey(c.uri), undefined)) recheckTypeScript(folder, c.uri);
  }
  const changes = all.filter((c) => !configs.includes(c));
  const outcome = applyFileChanges(changes, folders, (uri) => !!documents.get(uri));
  if (outcome.config) void refreshSettings();
  for (const uri of outcome.gone) {
    lastDiagnostics.delete(uri);
    storedFindings.delete(uri);
    connection.sendDiagnostics({ uri, diagnostics: [] });
  }
  // Migrations changed on disk (git checkout, a generator): open files re-check against the new schema.
  if (outcome.modelChanged) services.forgetEstimates();
  if (outcome.modelChanged) for (const doc of documents.all()) schedule(doc, 50);
}

connection.onDidChangeWatchedFiles((e) => onFilesChanged(e.changes as FileChange[]));
connection.workspace.onDidRenameFiles((e) => onFilesChanged(renamesAsChanges(e.files)));
// A folder deleted in the explorer: a watcher on **/*.sql does not report the files inside it.
connection.workspace.onDidDeleteFiles((e) => onFilesChanged(e.files.map((f) => ({ uri: f.uri, type: 3 as const }))));

documents.onDidChangeContent((e) => {
  if (e.document.uri.endsWith('/' + CONFIG_FILE_NAME)) {
    const folder = folders.all().find((f) => folders.configUri(f) === e.document.uri);
    if (folder) {
      folders.loadConfig(folder, e.document.getText());
      publishConfigProblems();
      for (const doc of documents.all()) schedule(doc, 0);
    }
    return;
  }
  schedule(e.document, 15, true);
});

documents.onDidClose((e) => {
  const timer = pending.get(e.document.uri);
  if (timer) clearTimeout(timer);
  pending.delete(e.document.uri);
  lastDiagnostics.delete(e.document.uri);
  lastFiles.delete(e.document.uri);
  storedFindings.delete(e.document.uri);
  if (isTypeScript(e.document)) forgetTypeScriptDocument(modelKey(e.document.uri));
  // A drizzle.config closed unsaved: the disk's casing holds again.
  if (isTypeScript(e.document) && configDocumentChanged(folders.of(e.document.uri).project.model, modelKey(e.document.uri), undefined)) recheckTypeScript(folders.of(e.document.uri), e.document.uri);
  folders.of(e.document.uri).project.close(modelKey(e.document.uri));
  if (isSql(e.document) || isTypeScript(e.document)) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

function viewOf(doc: TextDocument): DocumentView {
  const folder = folders.of(doc.uri);
  return {
    uri: doc.uri,
    text: doc.getText(),
    lines: new LineIndex(doc.getText()),
    comment: isSql(doc) ? '--' : '//',
    resolveNewFile: folder.root ? (p) => pathToUri(path.join(folder.root!, p)) : undefined,
  };
}

connection.onCodeAction(async (params) => {
  await checkedNow(params.textDocument.uri);
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const diagnostics = params.context.only?.some((k) => FIX_ALL_KIND.startsWith(k)) ? lastDiagnostics.get(doc.uri) ?? [] : params.context.diagnostics;
  const actions = codeActionsFor(viewOf(doc), diagnostics, params.context.only, storedFindings.lookup(doc.uri, doc.version));
  // What-if index estimates need a database; without one the menu is the static one.
  const folder = folders.of(doc.uri);
  if (!services.connectionOf(folder)) return actions;
  const view = viewOf(doc);
  return actionsWithWhatIf({
    actions,
    whatIf: services.whatIfFor(folder),
    file: lastFiles.get(doc.uri),
    range: params.range,
    wantsQuickFix: !params.context.only || params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k)),
    root: folder.root,
    migrations: folder.project.config.migrations,
    resolveNewFile: view.resolveNewFile,
    timeoutMs: 1000,
    typescript: isTypeScript(doc) ? { path: modelKey(doc.uri), text: doc.getText(), uri: doc.uri } : undefined,
  }).catch(() => actions);
});

connection.onRequest('ledgerlint/fixAll', async (params: FixAllParams): Promise<FixAllResult> => {
  await checkedNow(params.uri);
  const edits = fixAllEdits(lastDiagnostics.get(params.uri) ?? [], storedFindings.lookup(params.uri, documents.get(params.uri)?.version));
  return { changes: { [params.uri]: edits } };
});

// --- EXPLAIN: hover, CodeLens, the explain request and the connection -----------------------

/**
 * Hover, code actions and lenses read the last check's result: a file the server has not checked yet
 * (opened while indexing, hovered before the debounce) or changed since is checked now, then answered.
 */
async function checkedNow(uri: string): Promise<void> {
  // A client that never answers workspace/configuration must not hang the request.
  await Promise.race([settingsLoaded, new Promise((resolve) => setTimeout(resolve, 2000))]);
  const doc = documents.get(uri);
  if (!doc || (!pending.has(uri) && !slicing.has(uri) && lastDiagnostics.has(uri))) return;
  if (isSql(doc) && doc.getText().length > SLICE_ABOVE_CHARS) {
    // A big file is never checked here (that would freeze every request behind it): its sliced check
    // is scheduled, and until it is done an answer from the older text could point at the wrong statement.
    lastFiles.delete(uri);
    return;
  }
  if (await parserReady) lintNow(doc, false);
}

async function statementUnder(uri: string, position: { line: number; character: number }) {
  await checkedNow(uri);
  const file = lastFiles.get(uri);
  if (!file) return undefined;
  const stmt = statementAt(file, file.lines.offsetAt(position));
  return stmt ? { file, stmt } : undefined;
}

connection.onHover(async (params) => {
  const found = await statementUnder(params.textDocument.uri, params.position);
  if (!found) return drizzleChainHover(params.textDocument.uri, params.position);
  const folder = folders.of(params.textDocument.uri);
  const result = await services.explainFor(folder).hover(found.stmt.segment.text, { commandArgs: { uri: params.textDocument.uri, offset: found.stmt.segment.start } });
  const status = announcer.after(result, () => services.connectionOf(folder));
  if (status) connection.sendNotification('ledgerlint/status', status);
  return { contents: { kind: 'markdown', value: result.markdown }, range: { start: found.file.lines.positionAt(found.stmt.segment.start), end: found.file.lines.positionAt(found.stmt.segment.end) } };
});

/** A Drizzle query chain in TypeScript: the SQL it sends and its plan, or why it cannot be derived. */
async function drizzleChainHover(uri: string, position: { line: number; character: number }) {
  const doc = documents.get(uri);
  if (!doc || !isTypeScript(doc)) return null;
  const folder = folders.of(uri);
  const hover = await drizzleHover({
    path: modelKey(uri),
    text: doc.getText(),
    offset: doc.offsetAt(position),
    // The links carry the chain's start: `ledgerlint/explain` finds the chain there again.
    explain: (sql, chainStart) => services.explainFor(folder).hover(sql, { commandArgs: { uri, offset: chainStart } }),
    read: (p) => documents.get(pathToUri(p))?.getText() ?? readFromDisk(p),
  });
  if (!hover) return null;
  return { contents: { kind: 'markdown' as const, value: hover.markdown }, range: { start: doc.positionAt(hover.start), end: doc.positionAt(hover.end) } };
}

connection.onCodeLens(async (params) => {
  await checkedNow(params.textDocument.uri);
  const folder = folders.of(params.textDocument.uri);
  const file = lastFiles.get(params.textDocument.uri);
  if (!file || folder.settings?.codeLens.enable === false || !services.connectionOf(folder)) return [];
  return file.statements
    .filter((s) => statementAt(file, s.segment.start) === s)
    .map((s) => ({ range: { start: file.lines.positionAt(s.segment.start), end: file.lines.positionAt(s.segment.start) }, data: { uri: params.textDocument.uri, offset: s.segment.start, text: s.segment.text } }));
});

connection.onCodeLensResolve(async (lens) => {
  const data = lens.data as { uri: string; offset: number; text: string };
  const result = await services.explainFor(folders.of(data.uri)).hover(data.text);
  const title = lensTitle(result) ?? `EXPLAIN: ${result.error?.message ?? 'no plan'}`;
  return { ...lens, command: { title, command: 'ledgerlint.showPlanView', arguments: [{ uri: data.uri, offset: data.offset }] } };
});

connection.onRequest('ledgerlint/explain', async (params: ExplainParams): Promise<ExplainResult> => {
  const found = await statementUnder(params.uri, params.position);
  const doc = documents.get(params.uri);
  if (!found && doc && isTypeScript(doc)) {
    const drizzle = await drizzleExplain({
      params,
      path: modelKey(params.uri),
      text: doc.getText(),
      offset: doc.offsetAt(params.position),
      read: (p) => documents.get(pathToUri(p))?.getText() ?? readFromDisk(p),
      service: services.explainFor(folders.of(params.uri)),
    });
    if (drizzle) return drizzle;
  }
  if (!found) return { markdown: '', error: 'Put the cursor in a SELECT, INSERT, UPDATE, DELETE or MERGE statement (or a Drizzle query chain) to explain it.' };
  if (params.analyze === 'select' && isWrite(found.stmt)) {
    return {
      markdown: '',
      requiresConfirmation: {
        statementKind: found.stmt.segment.text.trim().split(/\s+/)[0].toUpperCase(),
        message: 'EXPLAIN ANALYZE runs this statement. Ledgerlint rolls the transaction back, but triggers fire and sequences advance. Run it?',
      },
    };
  }
  const analyze = params.analyze === 'dml-confirmed' ? 'dml-confirmed' : params.analyze === 'select' ? 'select' : undefined;
  const result = await services.explainFor(folders.of(params.uri)).hover(found.stmt.segment.text, { analyze, commandArgs: { uri: params.uri, offset: found.stmt.segment.start } });
  return toExplainResult(result);
});

connection.onNotification('ledgerlint/setConnection', async (params: SetConnectionParams) => {
  connectionState.disconnected = params.disconnect === true;
  if (params.settings) connectionState.settings = params.settings;
  if (params.password !== undefined) connectionState.password = params.password;
  await services.resetConnections();
  if (connectionState.disconnected) {
    announcer.sent({ state: 'disconnected' });
    connection.sendNotification('ledgerlint/status', { state: 'disconnected' });
    return;
  }
  const folder = folders.all()[0];
  const resolved = services.connectionOf(folder);
  const probe = await services.explainFor(folder).hover('SELECT 1');
  announcer.sent(statusOf(probe, resolved));
  connection.sendNotification('ledgerlint/status', statusOf(probe, resolved));
  void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
});

// The shadow database is a server process of its own: stop it with the language server.
connection.onShutdown(() => services.dispose());
// A client that stops waiting for the shutdown answer (or a closing terminal) sends a signal: exiting
// through process.exit still runs the 'exit' handlers that stop the shadow clusters.
for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(1));

documents.listen(connection);
connection.listen();

// Keep the process alive through odd input: a bug in one request must not take the editor's
// diagnostics down with it.
process.on('uncaughtException', (err) => log('error', `Unexpected error: ${err?.stack ?? String(err)}`));
process.on('unhandledRejection', (err) => log('error', `Unexpected rejection: ${String((err as Error)?.stack ?? err)}`));

