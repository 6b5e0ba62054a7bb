// A damaged install (the parser's .wasm missing next to the server bundle) must say so once and
// keep answering, not log a rejection per keystroke while the user sees nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { SERVER_BUNDLE, startServer, type TestClient } from '../lib/lsp-client';

describe('language server without libpg-query.wasm', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-nowasm-'));
    const bundle = path.join(dir, 'server.js');
    // The launcher and the bundles it runs, without the parser's .wasm.
    for (const name of ['server.js', 'server-main.js', 'cli-typescript.js']) fs.copyFileSync(path.join(path.dirname(SERVER_BUNDLE), name), path.join(dir, name));
    fs.mkdirSync(path.join(dir, 'ws'));
    client = await startServer(pathToFileURL(path.join(dir, 'ws')).href, {}, undefined, bundle);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs one clear error, publishes nothing, and still answers requests', async () => {
    const uri = pathToFileURL(path.join(dir, 'ws', '0001.sql')).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: 'CREATE TABLE t (amount float);' } });
    for (let v = 2; v <= 4; v++) {
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: `CREATE TABLE t (amount float); -- ${v}` }] });
    }
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    assert.equal(hover, null);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = client.stderr();
    assert.equal(log.split("PostgreSQL's parser could not be loaded").length - 1, 1, log);
    assert.doesNotMatch(log, /Unexpected rejection/);
    assert.equal(client.process.exitCode, null, 'the server exited');
  });
});
