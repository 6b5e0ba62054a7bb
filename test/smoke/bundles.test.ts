/**
 * Smoke test of the shipped bundles: dist/ is copied to a temp folder with no node_modules above
 * it, so anything the bundles forgot to include (a package, the .wasm) fails here.
 * Requires `npm run build` first (npm test does that).
 */
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { testMessageReader } from '../lib/lsp-client';

const repoDist = path.resolve(__dirname, '..', '..', '..', 'dist');
let dir = '';

function hasNodeModulesAbove(start: string): boolean {
  for (let current = start; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, 'node_modules'))) return true;
    if (path.dirname(current) === current) return false;
  }
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [path.join(dir, 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
}

before(() => {
  assert.ok(fs.existsSync(path.join(repoDist, 'cli.js')), 'dist/ is missing: run `npm run build` first');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-smoke-'));
  fs.cpSync(repoDist, dir, { recursive: true });
  assert.equal(hasNodeModulesAbove(dir), false, `${dir} has a node_modules folder above it; the test would prove nothing`);
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('dist/ contains the wasm parser beside the bundles', () => {
  assert.ok(fs.statSync(path.join(dir, 'libpg-query.wasm')).size > 100_000);
});

test('cli.js --version prints a version and exits 0', () => {
  const result = cli('--version');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /\d+\.\d+\.\d+/);
});

test('cli.js check exits 0 on clean SQL and 1 on an error-level finding', () => {
  const clean = path.join(dir, 'clean.sql');
  const bad = path.join(dir, 'bad.sql');
  fs.writeFileSync(clean, 'SELECT 1;\n');
  // A syntax error is always an error and needs the WebAssembly parser to be found.
  fs.writeFileSync(bad, 'SELEC 1;\n');
  const ok = cli('check', clean);
  assert.equal(ok.status, 0, `clean file: ${ok.stdout}${ok.stderr}`);
  const failing = cli('check', bad);
  assert.equal(failing.status, 1, `bad file: ${failing.stdout}${failing.stderr}`);
  assert.match(failing.stdout + failing.stderr, /syntax-error/);
});

async function initialize(connection: MessageConnection): Promise<Record<string, unknown>> {
  connection.listen();
  const result = await connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { workspaceTrusted: false, clientVersion: 'smoke' },
  });
  await connection.sendNotification('initialized', {});
  return result.capabilities;
}

async function shutdown(connection: MessageConnection, child: ReturnType<typeof spawn>): Promise<void> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref())]);
  connection.dispose();
  if (code === 'timeout') child.kill();
  assert.equal(code, 0, 'server should exit 0 after shutdown + exit');
}

test('server.js --stdio answers initialize and shuts down cleanly', async () => {
  const child = spawn(process.execPath, [path.join(dir, 'server.js'), '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(testMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  try {
    const diagnostics = new Promise<Array<{ code?: unknown }>>((resolve) => {
      connection.onNotification('textDocument/publishDiagnostics', (params: { diagnostics: Array<{ code?: unknown }> }) => {
        if (params.diagnostics.length) resolve(params.diagnostics);
      });
    });
    const logs: string[] = [];
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      logs.push(params.message);
    });
    const capabilities = await initialize(connection);
    assert.ok(capabilities.textDocumentSync !== undefined, 'server must declare textDocumentSync');
    // Linting a file proves the bundled server finds the WebAssembly parser beside it.
    const uri = `file://${path.join(dir, 'smoke.sql')}`;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: 'SELEC 1;\n' } });
    const published = await Promise.race([diagnostics, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref())]);
    assert.notEqual(published, 'timeout', `no diagnostics within 10 s for a syntax error; server log:\n${logs.join('\n')}`);
    assert.ok((published as Array<{ code?: unknown }>).some((d) => d.code === 'syntax-error'), JSON.stringify(published));
    await shutdown(connection, child);
  } finally {
    child.kill();
  }
});

test('server.js over node IPC (still supported: the VS Code extension used it before stdio) answers initialize', async () => {
  const child = fork(path.join(dir, 'server.js'), ['--node-ipc'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  try {
    const capabilities = await initialize(connection);
    assert.ok(capabilities.textDocumentSync !== undefined);
    await shutdown(connection, child);
  } finally {
    child.kill();
  }
});

test('client.js loads with a stand-in vscode module and exports activate/deactivate', () => {
  // Any property of the fake is a constructible function, so class declarations in
  // vscode-languageclient that extend vscode classes evaluate. Nothing is activated.
  const anything: object = new Proxy(function stub() {}, {
    get: (_target, key) => (key === 'prototype' ? {} : key === Symbol.toPrimitive ? () => '' : anything),
    construct: () => ({}),
    apply: () => anything,
  });
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = resolver._resolveFilename;
  const fakePath = path.join(dir, 'vscode-stand-in.js');
  fs.writeFileSync(fakePath, 'module.exports = globalThis.__ledgerlintFakeVscode;');
  (globalThis as Record<string, unknown>).__ledgerlintFakeVscode = anything;
  resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? fakePath : original.call(this, request, ...rest);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(path.join(dir, 'client.js')) as Record<string, unknown>;
    assert.equal(typeof extension.activate, 'function');
    assert.equal(typeof extension.deactivate, 'function');
  } finally {
    resolver._resolveFilename = original;
    delete (globalThis as Record<string, unknown>).__ledgerlintFakeVscode;
  }
});
