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
import { toDiagnostic } from './lsp/diagnostics';
import { Folders, pathToUri } from './lsp/folders';
import { DEFAULT_SETTINGS, normalizeSettings } from './lsp/settings';
import type { FixAllParams, FixAllResult, InitializationOptions } from './protocol';
import * as path from 'node:path';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const folders = new Folders();
const lastDiagnostics = new Map<string, Diagnostic[]>();
const pending = new Map<string, NodeJS.Timeout>();
const reportedRuleErrors = new Set<string>();
let canPullConfiguration = false;
let hasWorkspaceFolders = false;
let workspaceTrusted = true;
const parserReady = initParser();

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

function lintNow(doc: TextDocument): void {
  pending.delete(doc.uri);
  if (!isSql(doc)) return;
  const folder = folders.of(doc.uri);
  if (folder.settings && !folder.settings.enable) {
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  try {
    const started = performance.now();
    const result = folder.project.lint(doc.uri, doc.getText());
    const diagnostics = result.findings.map((f) => toDiagnostic(result.file.lines, f));
    lastDiagnostics.set(doc.uri, diagnostics);
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    for (const e of result.ruleErrors) {
      if (reportedRuleErrors.has(e.ruleId)) continue;
      reportedRuleErrors.add(e.ruleId);
      log('error', `Rule ${e.ruleId} failed (its findings are missing, the other rules still ran): ${e.stack ?? e.message}`);
    }
    log('debug', `Linted ${doc.uri} (${result.file.statements.length} statements) in ${(performance.now() - started).toFixed(1)} ms`);
  } catch (err) {
    log('error', `Linting ${doc.uri} failed: ${(err as Error)?.stack ?? String(err)}`);
  }
}

function schedule(doc: TextDocument, delayMs = 15): void {
  const existing = pending.get(doc.uri);
  if (existing) clearTimeout(existing);
  pending.set(
    doc.uri,
    setTimeout(() => {
      void parserReady.then(() => {
        const current = documents.get(doc.uri);
        if (current) lintNow(current);
      });
    }, delayMs),
  );
}

function publishConfigProblems(): void {
  for (const folder of folders.all()) {
    const uri = folders.configUri(folder);
    if (!uri) continue;
    const configDoc = documents.get(uri);
    const text = configDoc?.getText() ?? '';
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
  }
  publishConfigProblems();
  for (const doc of documents.all()) schedule(doc, 0);
}

connection.onInitialize((params): InitializeResult => {
  const init = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
  workspaceTrusted = init.workspaceTrusted !== false;
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  hasWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  const wsFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders.set(wsFolders);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'ledgerlint', version },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  if (hasWorkspaceFolders) connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const current = folders.all().filter((f) => f.uri).map((f) => f.uri);
    folders.set([...current.filter((u) => !e.removed.some((r) => r.uri === u)), ...e.added.map((a) => a.uri)]);
    void refreshSettings();
  });
  log('info', `Ledgerlint ${version} started (${workspaceTrusted ? 'trusted' : 'untrusted: static analysis only'} workspace)`);
  void refreshSettings();
});

connection.onDidChangeConfiguration(() => void refreshSettings());

connection.onDidChangeWatchedFiles((e) => {
  if (e.changes.some((c) => c.uri.endsWith('/' + CONFIG_FILE_NAME))) void refreshSettings();
});

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
  schedule(e.document);
});

documents.onDidClose((e) => {
  const timer = pending.get(e.document.uri);
  if (timer) clearTimeout(timer);
  pending.delete(e.document.uri);
  lastDiagnostics.delete(e.document.uri);
  folders.of(e.document.uri).project.forget(e.document.uri);
  if (isSql(e.document)) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
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

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const diagnostics = params.context.only?.some((k) => FIX_ALL_KIND.startsWith(k)) ? lastDiagnostics.get(doc.uri) ?? [] : params.context.diagnostics;
  return codeActionsFor(viewOf(doc), diagnostics, params.context.only);
});

connection.onRequest('ledgerlint/fixAll', (params: FixAllParams): FixAllResult => {
  const edits = fixAllEdits(lastDiagnostics.get(params.uri) ?? []);
  return { changes: { [params.uri]: edits } };
});

documents.listen(connection);
connection.listen();

// Keep the process alive through odd input: a bug in one request must not take the editor's
// diagnostics down with it.
process.on('uncaughtException', (err) => log('error', `Unexpected error: ${err?.stack ?? String(err)}`));
process.on('unhandledRejection', (err) => log('error', `Unexpected rejection: ${String((err as Error)?.stack ?? err)}`));

