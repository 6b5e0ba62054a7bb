/**
 * Extension entry: starts the Ledgerlint language server (dist/server.js over stdio) and wires
 * commands, the status bar and the plan view. No analysis happens here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { Connections } from './connection';
import { PlanView } from './planView';
import { SERVER_NODE_ARGS } from './server-flags';
import { onNotification } from './rpc';
import { PasswordStore } from './secrets';
import { ConnectionStatusBar } from './statusBar';
import { sendVisibleRanges } from './visibleRanges';

const LANGUAGES = ['sql', 'typescript', 'typescriptreact'];

let client: LanguageClient | undefined;

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // Stdio, not IPC: Node's IPC channel stringifies each publish whole (a big file's keystroke
  // re-sends up to 1,000 diagnostics, ~550 KB), where over stdio the server re-sends each unchanged
  // diagnostic's kept bytes (lsp/stdio-transport.ts, which also sends its console output to the log).
  // On a 10,000-statement file a keystroke's diagnostics arrived after median 15.5 ms over stdio, 20 ms
  // over IPC, whose send held the server 7 ms longer (keystroke-lsp.bench --launch, 6 alternating runs).
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_ARGS] } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_ARGS, '--nolazy', '--inspect=6011'] } },
  };
  // ledgerlint.json, and every .sql and TypeScript file: migrations and Drizzle schemas changed on disk
  // change the schema model. drizzle.config.* carries the workspace's `casing`, which names Drizzle columns.
  const watchers = ['**/ledgerlint.json', '**/*.sql', '**/*.{ts,tsx,mts,cts}', '**/drizzle.config.{js,mjs,cjs}'].map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => ['file', 'untitled'].map((scheme) => ({ scheme, language }))),
    synchronize: { configurationSection: 'ledgerlint', fileEvents: watchers },
    // A function, so a restart after trust is granted sends the new value.
    initializationOptions: (): InitializationOptions => ({
      workspaceTrusted: vscode.workspace.isTrusted,
      clientVersion: String(context.extension.packageJSON.version ?? ''),
      // Per workspace when there is one; the server keeps one shadow cluster per folder under it.
      storageDir: (context.storageUri ?? context.globalStorageUri).fsPath,
    }),
    outputChannel: vscode.window.createOutputChannel('Ledgerlint', { log: true }),
    // The plan hover's links (open plan view, EXPLAIN ANALYZE, copy JSON) only run when trusted; only ours are.
    markdown: { isTrusted: { enabledCommands: ['ledgerlint.showPlanView', 'ledgerlint.explainAnalyze', 'ledgerlint.copyPlanJson'] } },
  };
  return new LanguageClient('ledgerlint', 'Ledgerlint', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const lsp = createClient(context);
  client = lsp;
  const statusBar = new ConnectionStatusBar();
  const planView = new PlanView(context.extensionUri);
  const connections = new Connections(lsp, context.workspaceState, new PasswordStore(context.secrets), statusBar);
  const restartServer = async () => {
    statusBar.show(undefined);
    await lsp.restart();
  };

  context.subscriptions.push(
    statusBar,
    planView,
    lsp.outputChannel,
    onNotification(lsp, 'ledgerlint/status', (status) => connections.onStatus(status)),
    // The server forgets its connection when it restarts (crash or command): hand it back.
    lsp.onDidChangeState((event) => {
      if (event.newState === State.Running) void connections.reconnectRemembered();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restartServer()),
    sendVisibleRanges(lsp, LANGUAGES),
    ...registerCommands({ client: lsp, connections, planView, restartServer }),
  );
  await lsp.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
