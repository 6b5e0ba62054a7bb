// The server's life with its client (issue 10): the shutdown/exit handshake ends it with the right
// exit code, it never outlives a client that died (processId, --clientProcessId, a killed parent),
// and two servers on one workspace (a client restarting, two editors) do not lock each other out.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Hover } from 'vscode-languageserver';
import { seededWorkspace, type SeededWorkspace } from '../helpers/seeded-workspace';
import { SERVER_BUNDLE, startServer, testMessageReader, type TestClient } from '../lib/lsp-client';

interface Spawned {
  child: ChildProcess;
  connection: MessageConnection;
  exited: Promise<{ code: number | null; at: number }>;
  capabilities?: { workspace?: { fileOperations?: { didRename?: { filters: Array<{ pattern: { glob: string } }> } } } };
}

/** The server over stdio with an initialize of our own (the shared client always names this process). */
async function spawnServer(args: string[], processId: number | null | 'no-initialize', rootUri: string | null = null): Promise<Spawned> {
  const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio', ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() })));
  const connection = createMessageConnection(testMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  connection.onRequest(() => null);
  connection.onNotification(() => undefined);
  // The server may go away mid-message: the tests look at its exit, not at write errors.
  connection.onError(() => undefined);
  connection.listen();
  let capabilities: Spawned['capabilities'];
  if (processId !== 'no-initialize') {
    ({ capabilities } = await connection.sendRequest<{ capabilities: Spawned['capabilities'] }>('initialize', { processId, rootUri, workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null, capabilities: {} }));
    await connection.sendNotification('initialized', {});
  }
  return { child, connection, exited, capabilities };
}

/** A process that only waits to be killed, standing in for an editor. */
function dummyClient(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`still not true after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return performance.now() - started;
}

describe('server lifecycle: shutdown, exit and orphans', () => {
  const leftovers: ChildProcess[] = [];
  after(() => {
    for (const p of leftovers) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  });

  it('shutdown then exit ends the process promptly with code 0', async () => {
    const s = await spawnServer([], process.pid);
    leftovers.push(s.child);
    // Renames in the editor reach the server (VS Code's client registers what the server declares).
    assert.ok(s.capabilities?.workspace?.fileOperations?.didRename?.filters.some((f) => f.pattern.glob === '**/*.sql'));
    await s.connection.sendRequest('shutdown');
    const sent = performance.now();
    await s.connection.sendNotification('exit');
    const { code, at } = await s.exited;
    assert.equal(code, 0);
    assert.ok(at - sent < 2000, `exited ${Math.round(at - sent)} ms after exit`);
  });

  it('exit without shutdown ends the process with code 1 (the client crashed or skipped the handshake)', async () => {
    const s = await spawnServer([], process.pid);
    leftovers.push(s.child);
    await s.connection.sendNotification('exit');
    assert.equal((await s.exited).code, 1);
  });

  it("exits when the client named in initialize's processId dies, though its pipes stay open", async () => {
    const editor = dummyClient();
    leftovers.push(editor);
    const s = await spawnServer([], editor.pid!);
    leftovers.push(s.child);
    // Still there while its client lives: the check must not fire early.
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(s.child.exitCode, null, 'the server runs while its client runs');
    const killed = performance.now();
    editor.kill('SIGKILL');
    const { code, at } = await s.exited;
    assert.equal(code, 1);
    // vscode-languageserver looks every 3 s.
    assert.ok(at - killed < 6000, `exited ${Math.round(at - killed)} ms after its client died`);
  });

  it('exits when the process named by --clientProcessId dies, even before initialize', async () => {
    const editor = dummyClient();
    leftovers.push(editor);
    const s = await spawnServer([`--clientProcessId=${editor.pid}`], 'no-initialize');
    leftovers.push(s.child);
    editor.kill('SIGKILL');
    const { code } = await s.exited;
    assert.equal(code, 1);
  });

  it('exits when the parent that spawned it is killed (no orphan left behind)', async () => {
    // The parent starts the server the way an editor does and reports the server's pid.
    const script = [
      "const { spawn } = require('node:child_process');",
      `const server = spawn(process.execPath, [${JSON.stringify(SERVER_BUNDLE)}, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });`,
      "const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });",
      "server.stdin.write('Content-Length: ' + Buffer.byteLength(body) + '\\r\\n\\r\\n' + body);",
      "server.stdout.once('data', () => console.log(server.pid));",
      'setInterval(() => {}, 1e6);',
    ].join('\n');
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    leftovers.push(parent);
    const serverPid = await new Promise<number>((resolve, reject) => {
      parent.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
      parent.once('exit', () => reject(new Error('the parent exited before starting the server')));
    });
    assert.ok(isRunning(serverPid));
    parent.kill('SIGKILL');
    const waited = await waitUntil(() => !isRunning(serverPid), 8000).catch((err) => {
      process.kill(serverPid, 'SIGKILL');
      throw err;
    });
    assert.ok(waited < 8000);
  });
});

describe('two servers on one workspace', () => {
  let ws: SeededWorkspace | undefined;
  let first: TestClient | undefined;
  let second: TestClient | undefined;
  let uri: string;
  const text = "SELECT id, amount FROM payments WHERE status = 'pending';\nCREATE TABLE fees (id bigint PRIMARY KEY, fee real);\n";

  before(async () => {
    ws = await seededWorkspace('ledgerlint-two-servers-', [
      'CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL, status text NOT NULL)',
      "INSERT INTO payments SELECT g, g, CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'settled' END FROM generate_series(1, 2000) g",
      'ANALYZE payments',
    ]);
    fs.mkdirSync(path.join(ws.dir, 'migrations'));
    fs.writeFileSync(path.join(ws.dir, 'migrations', '0001_init.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance real);\n');
    uri = pathToFileURL(path.join(ws.dir, 'q.sql')).href;
  });
  after(async () => {
    await first?.stop();
    await second?.stop();
    await ws?.remove();
  });

  const openAndHover = async (client: TestClient) => {
    const wait = client.diagnostics(uri, (d) => d.some((x) => x.code === 'money-float-type'));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await wait;
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } })) as Hover | null;
    return (hover?.contents as { value: string } | undefined)?.value ?? '';
  };

  it('a second server started beside a running one checks and explains the same files', async () => {
    const root = pathToFileURL(ws!.dir).href;
    first = await startServer(root);
    second = await startServer(root);
    assert.match(await openAndHover(first), /Seq Scan on payments/);
    assert.match(await openAndHover(second), /Seq Scan on payments/);
  });

  it('a server killed without shutdown (a crashed client) leaves nothing that stops the next one', async () => {
    first!.process.kill('SIGKILL');
    first!.connection.dispose();
    first = undefined;
    const third = await startServer(pathToFileURL(ws!.dir).href);
    try {
      assert.match(await openAndHover(third), /Seq Scan on payments/);
      // The one still running was not disturbed either.
      const again = (await second!.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } })) as Hover;
      assert.match((again.contents as { value: string }).value, /Seq Scan on payments/);
    } finally {
      await third.stop();
    }
  });
});
