// A minimal LSP client for tests: spawns the bundled server with --stdio and speaks JSON-RPC
// to it, exactly as Neovim or Helix would; or starts it as VS Code's client does (ClientOptions.launch).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver';
import { SERVER_NODE_ARGS } from '../../client/src/server-flags';

export const SERVER_BUNDLE = path.resolve(__dirname, '../../../dist/server.js');

export interface TestClient {
  connection: MessageConnection;
  process: ChildProcess;
  /** Resolves with the next diagnostics published for `uri` that satisfy `until` (which also sees the document version). */
  diagnostics(uri: string, until?: (d: Diagnostic[], p: PublishedDiagnostics) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  stderr(): string;
  /** Bytes of each publish's JSON for `uri`, when started with `recordBytes`. */
  publishedBytes(uri: string): number[];
  /** Calls `listener` on every publish, for any document (benches counting re-checks). */
  onPublish(listener: (p: PublishedDiagnostics) => void): void;
  /** Calls `listener` on every message the server logs (benches timing what the log says is done). */
  onLog(listener: (message: string) => void): void;
  stop(): Promise<void>;
}

export interface ClientOptions {
  /** Client capabilities under `textDocument`, added to the minimal ones (publishDiagnostics). */
  textDocument?: Record<string, unknown>;
  /** Measure the JSON size of every publish (costs a stringify per publish). */
  recordBytes?: boolean;
  /**
   * How the server is started: 'stdio' (the default) spawns `node server.js --stdio` as Neovim or
   * Helix do; 'vscode-ipc' and 'vscode-stdio' fork it as vscode-languageclient/node starts a
   * NodeModule with TransportKind.ipc or TransportKind.stdio, with the extension's node flags.
   */
  launch?: ServerLaunch;
}

export type ServerLaunch = 'stdio' | 'vscode-ipc' | 'vscode-stdio';

/**
 * A reader for a test's end of a connection. vscode-jsonrpc re-arms a "partial message" timer every
 * 10 s while a message is half read, and disposing the connection does not clear it: a server
 * stopped in the middle of a large publish would keep the test process alive forever.
 */
export function testMessageReader(stream: NodeJS.ReadableStream): StreamMessageReader {
  const reader = new StreamMessageReader(stream);
  reader.partialMessageTimeout = 0;
  return reader;
}

/** Long enough for the slowest request a test makes (a plan from a cold PostgreSQL); a hang fails, naming the method. */
export const REQUEST_TIMEOUT_MS = 120_000;

/** Every request gets a bounded wait, so a server that never answers fails the test that asked. */
function boundRequests(connection: MessageConnection): void {
  const send = connection.sendRequest.bind(connection) as (...args: unknown[]) => Promise<unknown>;
  (connection as { sendRequest: unknown }).sendRequest = (...args: unknown[]) => {
    const method = typeof args[0] === 'string' ? args[0] : (args[0] as { method?: string })?.method;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    });
    return Promise.race([send(...args), timeout]).finally(() => clearTimeout(timer));
  };
}

/**
 * The server forked as vscode-languageclient/node (10.x, LanguageClient.createMessageTransports) forks a
 * NodeModule without `runtime`: the transport's flag and --clientProcessId after the module, the
 * extension's execArgv, piped stdio (`silent`) plus Node's IPC channel, Electron's variables in the
 * environment (for node itself they change nothing).
 */
function forkAsVsCode(bundle: string, launch: 'vscode-ipc' | 'vscode-stdio'): ChildProcess {
  const args = [launch === 'vscode-ipc' ? '--node-ipc' : '--stdio', `--clientProcessId=${process.pid}`];
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1' };
  return fork(bundle, args, { execArgv: [...SERVER_NODE_ARGS], env, silent: true });
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export async function startServer(rootUri: string | null, settings: Record<string, unknown> = {}, initializationOptions?: unknown, bundle = SERVER_BUNDLE, options: ClientOptions = {}): Promise<TestClient> {
  const launch = options.launch ?? 'stdio';
  const child = launch === 'stdio' ? spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] }) : forkAsVsCode(bundle, launch);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  // Over IPC the server's stdout is free for its console, which VS Code shows in the output channel.
  if (launch === 'vscode-ipc') child.stdout!.on('data', (d) => (err += d));
  const connection =
    launch === 'vscode-ipc'
      ? createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
      : createMessageConnection(testMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  boundRequests(connection);
  const published = new Map<string, Diagnostic[][]>();
  const bytes = new Map<string, number[]>();
  const listeners: Array<(p: PublishedDiagnostics) => void> = [];
  const logListeners: Array<(message: string) => void> = [];
  const waiters: Array<{ uri: string; until: (d: Diagnostic[], p: PublishedDiagnostics) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    const list = published.get(p.uri) ?? [];
    list.push(p.diagnostics);
    published.set(p.uri, list);
    if (options.recordBytes) bytes.set(p.uri, [...(bytes.get(p.uri) ?? []), Buffer.byteLength(JSON.stringify(p))]);
    for (const l of listeners) l(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.until(p.diagnostics, p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    err += p.message + '\n';
    for (const l of logListeners) l(p.message);
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {}, ...options.textDocument } },
    ...(initializationOptions === undefined ? {} : { initializationOptions }),
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    stderr: () => err,
    publishedBytes: (uri) => bytes.get(uri) ?? [],
    onPublish: (listener) => void listeners.push(listener),
    onLog: (listener) => void logListeners.push(listener),
    diagnostics(uri, until = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        waiters.push({
          uri,
          until,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
    async stop() {
      try {
        // A server that does not answer shutdown is killed below all the same; the test has its result.
        await Promise.race([connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      child.kill();
    },
  };
}
