// The language server: LSP wiring only. Handlers live in lsp/ modules (code actions, EXPLAIN,
// TypeScript checks) and delegate to pure functions (lint, toDiagnostic, codeActionsFor, ...) that
// tests call directly. Never imports `vscode`.
// Transport: IPC when started by the VS Code client, `--stdio` for other editors.
import { createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, type Diagnostic, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { initParser } from './sql/parser';
import { CONFIG_FILE_NAME } from './engine/config';
import { fixTransportFor, SERVER_CAPABILITIES } from './lsp/capabilities';
import { registerCodeActions } from './lsp/code-action-handlers';
import { setFixTransport, toDiagnostic } from './lsp/diagnostics';
import { registerDocumentClose } from './lsp/document-close';
import { registerFileEvents } from './lsp/file-event-handlers';
import { WorkspaceSettings } from './lsp/workspace-settings';
import { isSql, isTypeScript, modelKey } from './lsp/document-kinds';
import { registerExplainHandlers } from './lsp/explain-handlers';
import { StoredFindings } from './lsp/stored-findings';
import type { LogLevel, ServerContext } from './lsp/server-context';
import { TypeScriptChecks } from './lsp/typescript-checks';
import { Folders, pathToUri } from './lsp/folders';
import { DEFAULT_SETTINGS } from './lsp/settings';
import type { InitializationOptions } from './protocol';
import type { SqlFile } from './sql/document';
import { ConnectedAnnouncer, type ConnectionState } from './lsp/explain-wiring';
import type { Folder } from './lsp/folders';
import { FolderServices } from './lsp/folder-services';
import { warmUpTypeScript } from './drizzle/project';
import * as path from 'node:path';
import { clearPrewarmed, prewarmStatements } from './sql/document';
import { DEFAULT_LIMITS, firstLook, knownTexts, planLint, skippedNotice, SLICE_ABOVE_CHARS, type LargeFileLimits, type LintPlan } from './lsp/lint-scheduler';

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

const ctx: ServerContext = { connection, documents, folders, services, lastDiagnostics, lastFiles, storedFindings, reportedRuleErrors, checkedNow, schedule, log };
const typeScript = new TypeScriptChecks(ctx);
const lintTypeScriptNow = (doc: TextDocument, folder: Folder) => typeScript.lintNow(doc, folder);
const recheckTypeScript = (folder: Folder, except: string) => typeScript.recheck(folder, except);

function log(level: LogLevel, message: string): void {
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

/** Open documents whose findings depend on `key` (later migrations touching the same tables). */
function relintDependents(folder: Folder, key: string, except: string): void {
  const dependents = new Set(folder.project.dependents(key));
  if (dependents.size === 0) return;
  for (const other of documents.all()) {
    if (other.uri !== except && dependents.has(modelKey(other.uri))) schedule(other, 50);
  }
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
  if (!lastDiagnostics.has(doc.uri) && firstLooks.get(doc) !== doc.version) publishFirstLook(doc, plan);
  let fresh = false;
  try {
    fresh = await prewarmStatements(plan.statements ?? [], knownTexts(last), () => generations.get(doc.uri) !== generation || !documents.get(doc.uri));
  } finally {
    if (slicing.get(doc.uri) === generation) slicing.delete(doc.uri);
    // A newer check of this document follows and takes what was prewarmed (an edit, or the settings
    // and workspace index arriving just after the open, leave most statements as they were).
    if (!fresh && slicing.size === 0 && !documents.get(doc.uri)) clearPrewarmed();
  }
  // A newer edit has its own check scheduled; this one's result would be stale.
  if (fresh) lintNow(doc, cascade, plan);
}

/** Per open document, the version whose first look was published: a check re-scheduled for the same text (settings, the workspace index) does not publish it again. */
const firstLooks = new WeakMap<TextDocument, number>();

function publishFirstLook(doc: TextDocument, plan: LintPlan): void {
  try {
    const diagnostics = firstLook(modelKey(doc.uri), plan, folders.of(doc.uri).project);
    if (diagnostics) connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    firstLooks.set(doc, doc.version);
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

const workspaceSettings = new WorkspaceSettings(ctx, largeFileLimits);
const refreshSettings = () => workspaceSettings.refresh();
const publishConfigProblems = () => workspaceSettings.publishConfigProblems();
const indexFolders = () => workspaceSettings.indexFolders(parserReady);

connection.onInitialize((params): InitializeResult => {
  const init = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
  workspaceTrusted = init.workspaceTrusted !== false;
  if (typeof init.storageDir === 'string' && path.isAbsolute(init.storageDir)) storageDir = init.storageDir;
  connectionState.trusted = workspaceTrusted;
  workspaceSettings.canPull = !!params.capabilities.workspace?.configuration;
  hasWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  setFixTransport(fixTransportFor(params.capabilities));
  const wsFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders.set(wsFolders);
  return {
    capabilities: SERVER_CAPABILITIES,
    serverInfo: { name: 'ledgerlint', version },
  };
});

connection.onInitialized(() => {
  if (workspaceSettings.canPull) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
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

registerFileEvents(ctx, { recheckTypeScript, refreshSettings });

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

function cancelCheck(uri: string): void {
  const timer = pending.get(uri);
  if (timer) clearTimeout(timer);
  pending.delete(uri);
}

registerDocumentClose(ctx, { cancelCheck, recheckTypeScript });
registerCodeActions(ctx);

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

registerExplainHandlers(ctx, announcer, connectionState);

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

