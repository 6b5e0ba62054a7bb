// A test client that declares the client capabilities of its choice at initialize (the shared
// test/lib/lsp-client declares a fixed, minimal set): VS Code's code action resolve support
// changes what the server puts in each diagnostic.
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver';
import { SERVER_BUNDLE, type PublishedDiagnostics, type TestClient } from '../lib/lsp-client';

/** What VS Code 1.9x declares for code actions: edits are resolved on demand. */
export const VSCODE_CODE_ACTIONS = {
  codeAction: {
    dataSupport: true,
    isPreferredSupport: true,
    resolveSupport: { properties: ['edit'] },
    codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
  },
};

/** Like startServer, with `textDocument` capabilities added to the minimal ones; `raw` also sees the bytes of each publish. */
export async function startServerWith(
  textDocument: Record<string, unknown>,
  rootUri: string | null,
  settings: Record<string, unknown> = {},
  bundle = SERVER_BUNDLE,
): Promise<TestClient & { publishedBytes(uri: string): number[] }> {
  const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const bytes = new Map<string, number[]>();
  const waiters: Array<{ uri: string; until: (d: Diagnostic[], p: PublishedDiagnostics) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    bytes.set(p.uri, [...(bytes.get(p.uri) ?? []), Buffer.byteLength(JSON.stringify(p))]);
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
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {}, ...textDocument } },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    stderr: () => err,
    publishedBytes: (uri) => bytes.get(uri) ?? [],
    diagnostics(uri, until = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        waiters.push({ uri, until, resolve: (d) => (clearTimeout(timer), resolve(d)) });
      });
    },
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      child.kill();
    },
  };
}
