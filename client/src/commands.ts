/**
 * Command handlers. They gather editor state, call the server and show the result; every
 * decision about SQL (which statement, is it DML, what to fix) is the server's.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ExplainParams, ExplainResult, WirePosition } from '../../server/src/protocol';
import type { Connections } from './connection';
import type { PlanView } from './planView';
import { request } from './rpc';
import { STATUS_MENU_COMMAND } from './statusBar';

export interface CommandServices {
  client: LanguageClient;
  connections: Connections;
  planView: PlanView;
  restartServer(): Promise<void>;
}

const DML_WARNING = 'EXPLAIN ANALYZE really executes this statement. Ledgerlint rolls the transaction back, '
  + 'but triggers still run (including any that notify or call other systems) and sequences still advance '
  + '(nextval is never rolled back). Use a development database.';

/** Where to explain: code lens arguments (uri, position) or the active editor's cursor. */
function target(uri?: string, position?: WirePosition): { uri: string; position: WirePosition; title: string } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (uri && position) return { uri, position, title: 'statement' };
  if (!editor) return undefined;
  const cursor = editor.selection.active;
  const line = editor.document.lineAt(cursor.line).text.trim();
  return {
    uri: editor.document.uri.toString(),
    position: { line: cursor.line, character: cursor.character },
    title: line.length > 60 ? `${line.slice(0, 57)}...` : line || 'statement',
  };
}

async function runExplain(services: CommandServices, params: ExplainParams): Promise<ExplainResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: params.analyze ? 'Ledgerlint: EXPLAIN ANALYZE' : 'Ledgerlint: EXPLAIN' },
    (_progress, token) => request(services.client, 'ledgerlint/explain', params, token),
  );
}

async function explain(services: CommandServices, analyze: boolean, uri?: string, position?: WirePosition): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('EXPLAIN needs a database connection, which Ledgerlint opens only in trusted workspaces.');
    return;
  }
  const where = target(uri, position);
  if (!where) {
    void vscode.window.showInformationMessage('Put the cursor inside a SQL statement first.');
    return;
  }
  const params: ExplainParams = { uri: where.uri, position: where.position, analyze: analyze ? 'select' : undefined };
  let result = await runExplain(services, params);
  if (result.requiresConfirmation) {
    const { statementKind, message } = result.requiresConfirmation;
    const run = `Run ${statementKind} with EXPLAIN ANALYZE`;
    const choice = await vscode.window.showWarningMessage(
      `EXPLAIN ANALYZE will execute this ${statementKind}.`,
      { modal: true, detail: `${DML_WARNING}\n\n${message}` },
      run,
    );
    if (choice !== run) return;
    result = await runExplain(services, { ...params, analyze: 'dml-confirmed' });
  }
  if (result.error && result.planJson === undefined) {
    const connect = 'Connect to Database...';
    const choice = await vscode.window.showWarningMessage(`Ledgerlint: ${result.error}`, connect);
    if (choice === connect) await services.connections.connect();
    return;
  }
  // From a hover or CodeLens link the cursor line is unknown: name the panel after the statement.
  const sql = result.sql?.replace(/\s+/g, ' ').trim();
  const title = where.title === 'statement' && sql ? (sql.length > 60 ? `${sql.slice(0, 57)}...` : sql) : where.title;
  services.planView.show({ title, markdown: result.markdown, planJson: result.planJson, findings: result.findings, query: result.sql, error: result.error });
}

/** Hover and CodeLens links pass `{ uri, offset }` (a UTF-16 offset of the statement's start). */
async function linkTarget(arg: unknown): Promise<{ uri: string; position: WirePosition } | undefined> {
  const link = arg as { uri?: unknown; offset?: unknown } | undefined;
  if (!link || typeof link.uri !== 'string' || typeof link.offset !== 'number') return undefined;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(link.uri));
  const position = document.positionAt(link.offset);
  return { uri: link.uri, position: { line: position.line, character: position.character } };
}

async function fixAll(services: CommandServices): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const edit = await request(services.client, 'ledgerlint/fixAll', { uri: editor.document.uri.toString() });
  const codeEdit = await services.client.protocol2CodeConverter.asWorkspaceEdit(edit);
  if (!codeEdit || codeEdit.size === 0) {
    void vscode.window.showInformationMessage('No auto-fixable Ledgerlint problems in this file.');
    return;
  }
  await vscode.workspace.applyEdit(codeEdit);
}

async function copyPlanJson(services: CommandServices): Promise<void> {
  const plan = services.planView.last?.planJson;
  if (plan === undefined) {
    void vscode.window.showInformationMessage('No plan yet: run "Ledgerlint: Explain Statement at Cursor" first.');
    return;
  }
  await vscode.env.clipboard.writeText(JSON.stringify(plan, null, 2));
  void vscode.window.setStatusBarMessage('Ledgerlint: plan JSON copied', 3000);
}

async function statusMenu(services: CommandServices): Promise<void> {
  type Item = vscode.QuickPickItem & { run: () => unknown };
  const { connections } = services;
  const label = connections.currentLabel;
  const items: Item[] = [];
  if (vscode.workspace.isTrusted) {
    items.push({ label: '$(database) Connect / Switch Database...', run: () => connections.connect() });
    if (connections.lastStatus?.state === 'connected') items.push({ label: '$(debug-disconnect) Disconnect', run: () => connections.disconnect() });
    if (label) items.push({ label: `$(key) Forget Saved Password for ${label}`, run: () => connections.forgetPassword(label) });
  }
  items.push({ label: '$(output) Show Output', run: () => services.client.outputChannel.show(true) });
  items.push({ label: '$(refresh) Restart Language Server', run: () => services.restartServer() });
  const chosen = await vscode.window.showQuickPick(items, { title: 'Ledgerlint' });
  await chosen?.run();
}

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  // A failed request (server restarting, method not implemented, connection lost) becomes a
  // readable message instead of VS Code's generic "command failed" toast.
  const register = <A extends unknown[]>(id: string, handler: (...args: A) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: A) => {
      try {
        return await handler(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        services.client.outputChannel.error(`${id} failed: ${error instanceof Error ? error.stack ?? message : message}`);
        void vscode.window.showErrorMessage(`Ledgerlint: ${message}`, 'Show Output').then((choice) => {
          if (choice) services.client.outputChannel.show(true);
        });
        return undefined;
      }
    });
  return [
    register('ledgerlint.connect', () => services.connections.connect()),
    register('ledgerlint.disconnect', () => services.connections.disconnect()),
    register('ledgerlint.explainAtCursor', (uri?: string, position?: WirePosition) => explain(services, false, uri, position)),
    register('ledgerlint.explainAnalyze', async (uri?: unknown, position?: WirePosition) => {
      const link = await linkTarget(uri);
      return link ? explain(services, true, link.uri, link.position) : explain(services, true, uri as string | undefined, position);
    }),
    // From a hover or CodeLens: the plan of that statement (the server's plan cache answers at once).
    register('ledgerlint.showPlanView', async (arg?: unknown) => {
      const link = await linkTarget(arg);
      if (link) return explain(services, false, link.uri, link.position);
      if (!services.planView.reveal()) void vscode.window.showInformationMessage('No plan yet: run "Ledgerlint: Explain Statement at Cursor" first.');
      return undefined;
    }),
    register('ledgerlint.copyPlanJson', () => copyPlanJson(services)),
    register('ledgerlint.restartServer', () => services.restartServer()),
    register('ledgerlint.showOutput', () => services.client.outputChannel.show(true)),
    register('ledgerlint.fixAll', () => fixAll(services)),
    register(STATUS_MENU_COMMAND, () => statusMenu(services)),
  ];
}
