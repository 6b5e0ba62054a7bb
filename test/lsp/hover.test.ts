// EXPLAIN through the language server: hover on a statement, the explain request, and the
// connection coming from the workspace .env — against a real PostgreSQL.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import type { Hover } from 'vscode-languageserver';
import { seededWorkspace, type SeededWorkspace } from '../helpers/seeded-workspace';
import { startServer, type TestClient } from '../lib/lsp-client';

const QUERY = "SELECT id, amount FROM payments WHERE status = 'pending'";
const UPDATE = "UPDATE payments SET status = 'failed' WHERE id = 1";

describe('EXPLAIN through the language server', () => {
  let ws: SeededWorkspace | undefined;
  let dir: string;
  let client: TestClient;
  let uri: string;

  before(async () => {
    ws = await seededWorkspace('ledgerlint-hover-', [
      "CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL, status text NOT NULL)",
      "INSERT INTO payments SELECT g, g % 1000, CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'settled' END FROM generate_series(1, 50000) g",
      'ANALYZE payments',
    ]);
    dir = ws.dir;
    uri = pathToFileURL(path.join(dir, 'q.sql')).href;
    client = await startServer(pathToFileURL(dir).href);
    const wait = client.diagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: `${QUERY};\n${UPDATE};\nCREATE TABLE t (id bigint PRIMARY KEY);\n` } });
    await wait;
  });
  after(async () => {
    await client?.stop();
    await ws?.remove();
  });

  it('hovering a query shows its plan, findings and command links, from the .env connection', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } })) as Hover;
    const md = (hover.contents as { value: string }).value;
    assert.match(md, /Seq Scan/);
    assert.match(md, /payments/);
    assert.match(md, /command:ledgerlint\.showPlanView/);
    assert.doesNotMatch(md, /password/i);
    assert.deepEqual(hover.range?.start, { line: 0, character: 0 });
  });

  it('DDL has no plan hover', async () => {
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 5 } });
    assert.equal(hover, null);
  });

  it('EXPLAIN ANALYZE of a write asks for confirmation first, and leaves the row as it was', async () => {
    const ask = (await client.connection.sendRequest('ledgerlint/explain', { uri, position: { line: 1, character: 3 }, analyze: 'select' })) as { requiresConfirmation?: { statementKind: string } };
    assert.equal(ask.requiresConfirmation?.statementKind, 'UPDATE');
    const done = (await client.connection.sendRequest('ledgerlint/explain', { uri, position: { line: 1, character: 3 }, analyze: 'dml-confirmed' })) as { markdown: string; error?: string };
    assert.equal(done.error, undefined, done.markdown);
    assert.match(done.markdown, /Update on payments/);
    const c = new Client(ws!.pg.connectionConfig);
    await c.connect();
    const row = await c.query('SELECT status FROM payments WHERE id = 1');
    await c.end();
    assert.equal(row.rows[0].status, 'settled');
  });

  it('after disconnecting, the hover says how to connect', async () => {
    const status = new Promise<{ state: string }>((resolve) => client.connection.onNotification('ledgerlint/status', resolve));
    await client.connection.sendNotification('ledgerlint/setConnection', { disconnect: true });
    assert.equal((await status).state, 'disconnected');
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /[Cc]onnect/);
  });
});
