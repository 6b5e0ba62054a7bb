// The language server: LSP wiring only. Handlers live in lsp/ modules (when and how documents are
// checked: document-checks.ts; code actions, EXPLAIN, TypeScript checks) and delegate to pure
// functions (lint, toDiagnostic, codeActionsFor, ...) that tests call directly. Never imports `vscode`.
// Transport: `--stdio` (VS Code's client and other editors; lsp/stdio-transport.ts), `--node-ipc` still works.
import { DidChangeConfigurationNotification, TextDocuments, type Diagnostic, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { initParser } from './sql/parser';
import { CONFIG_FILE_NAME } from './engine/config';
import { docsLinksFor, fixTransportFor, SERVER_CAPABILITIES } from './lsp/capabilities';
import { CappedPublisher } from './lsp/capped-publisher';
import { VISIBLE_RANGES_NOTIFICATION, type VisibleRangesParams } from './lsp/visible-ranges';
import { registerCodeActions } from './lsp/code-action-handlers';
import { setDocsLinks, setFixTransport } from './lsp/diagnostics';
import { registerDocumentClose } from './lsp/document-close';
import { registerFileEvents } from './lsp/file-event-handlers';
import { WorkspaceSettings } from './lsp/workspace-settings';
import { isSql, isTypeScript } from './lsp/document-kinds';
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
import { createDocumentChecks } from './lsp/document-checks';
import { createServerConnection } from './lsp/stdio-transport';

const connection = createServerConnection();
const documents = new TextDocuments(TextDocument);
const folders = new Folders();
const lastDiagnostics = new Map<string, Diagnostic[]>();
const lastFiles = new Map<string, SqlFile>();
const storedFindings = new StoredFindings();
const connectionState: Omit<ConnectionState, 'root'> = { trusted: true, disconnected: false };
const announcer = new ConnectedAnnouncer();
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

const shared = { connection, documents, folders, services, lastDiagnostics, lastFiles, storedFindings, reportedRuleErrors, log };
const publisher = new CappedPublisher((uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }), (uri) => documents.get(uri));
const checks = createDocumentChecks({ ctx: shared, parserReady, settingsLoaded: () => settingsLoaded, lintTypeScript: (doc, folder) => typeScript.lintNow(doc, folder), publisher });
const schedule = checks.schedule;
const ctx: ServerContext = { ...shared, checkedNow: checks.checkedNow, schedule, scheduleDependents: checks.scheduleDependents };
const typeScript = new TypeScriptChecks(ctx, publisher);
const casingChanged = (folder: Folder, except: string) => typeScript.casingChanged(folder, except);

function log(level: LogLevel, message: string): void {
  const wanted = DEFAULT_SETTINGS.logLevel;
  const order = ['error', 'warn', 'info', 'debug'];
  const folderLevel = folders.all().find((f) => f.settings)?.settings?.logLevel ?? wanted;
  if (order.indexOf(level) > order.indexOf(folderLevel)) return;
  connection.console[level === 'debug' ? 'log' : level](message);
}

const workspaceSettings = new WorkspaceSettings(ctx, checks.largeFileLimits);
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
  setDocsLinks(docsLinksFor(params.capabilities));
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
  setTimeout(warmUpTypeScriptOnceIdle, 1000);
});

// Load TypeScript's parser while the user is still looking at a TypeScript file, not on its first
// keystroke; but not before the files opened with the editor are checked (it takes ~150 ms of CPU to
// load), and not at all while only SQL is open: the compiler keeps ~15 MB resident that a SQL-only
// workspace never uses. A TypeScript file opened later arms it again.
let typeScriptWarm = false;
function warmUpTypeScriptOnceIdle(): void {
  if (typeScriptWarm || !documents.all().some(isTypeScript)) return;
  if (!checks.idle()) return void setTimeout(warmUpTypeScriptOnceIdle, 200);
  typeScriptWarm = true;
  try {
    warmUpTypeScript();
  } catch (err) {
    log('warn', `TypeScript warm-up failed: ${String(err)}`);
  }
}

connection.onDidChangeConfiguration(() => void refreshSettings());
// What the user is looking at: a file with more findings than the cap publishes those first.
connection.onNotification(VISIBLE_RANGES_NOTIFICATION, (params: VisibleRangesParams) => publisher.setVisible(params));

registerFileEvents(ctx, { casingChanged, refreshSettings });

/** Documents whose open has not reached onDidChangeContent yet (TextDocuments fires the open first). */
const justOpened = new Set<string>();
documents.onDidOpen((e) => {
  justOpened.add(e.document.uri);
  if (!typeScriptWarm && isTypeScript(e.document)) setTimeout(warmUpTypeScriptOnceIdle, 1000);
});
documents.onDidChangeContent((e) => {
  const opened = justOpened.delete(e.document.uri);
  if (e.document.uri.endsWith('/' + CONFIG_FILE_NAME)) {
    const folder = folders.all().find((f) => folders.configUri(f) === e.document.uri);
    if (folder) {
      folders.loadConfig(folder, e.document.getText());
      publishConfigProblems();
      for (const doc of documents.all()) schedule(doc, 0);
    }
    return;
  }
  // A document just opened has no keystrokes to wait for; an edit may (the next one may follow).
  if (opened) schedule(e.document, 0, true);
  else checks.edited(e.document);
});

registerDocumentClose(ctx, { cancelCheck: (uri) => checks.cancelCheck(uri), casingChanged });
registerCodeActions(ctx);

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

