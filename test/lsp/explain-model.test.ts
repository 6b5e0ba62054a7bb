// EXPLAIN follows the workspace model, through the language server against a real PostgreSQL: a
// migration that creates the index a finding asks for changes the fix to "apply that migration", and
// the cached plan of the table it changed is dropped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver';
import { seededWorkspace, type SeededWorkspace } from '../helpers/seeded-workspace';
import { startServer, type TestClient } from '../lib/lsp-client';

const TABLE = 'CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL, status text NOT NULL);';
const QUERY = 'SELECT count(*) FROM payments WHERE amount > 990';

describe('EXPLAIN and the workspace model', () => {
  let ws: SeededWorkspace | undefined;
  let dir: string;
  let client: TestClient;
  let queryUri: string;

  before(async () => {
    ws = await seededWorkspace('ledgerlint-explain-model-', [
      TABLE,
      "INSERT INTO payments SELECT g, g % 1000, 'settled' FROM generate_series(1, 50000) g",
      'ANALYZE payments',
    ]);
    dir = ws.dir;
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'migrations', '0001_init.sql'), `${TABLE}\n`);
    fs.writeFileSync(path.join(dir, 'q.sql'), `${QUERY};\n`);
    queryUri = pathToFileURL(path.join(dir, 'q.sql')).href;
    client = await startServer(pathToFileURL(dir).href);
    const wait = client.diagnostics(queryUri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: queryUri, languageId: 'sql', version: 1, text: `${QUERY};\n` } });
    await wait;
  });
  after(async () => {
    await client?.stop();
    await ws?.remove();
  });

  const hover = async () => {
    const result = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: queryUri }, position: { line: 0, character: 10 } })) as Hover;
    return (result.contents as { value: string }).value;
  };

  it('a hover that connected through .env shows the connection in the status bar', async () => {
    const status = new Promise<{ state: string; connectionLabel?: string; serverVersion?: string }>((resolve) => client.connection.onNotification('ledgerlint/status', resolve));
    await hover();
    const announced = await status;
    assert.equal(announced.state, 'connected');
    assert.match(announced.connectionLabel ?? '', /^postgres@127\.0\.0\.1:\d+\/postgres$/);
    assert.match(announced.serverVersion ?? '', /^18\./);
  });

  it('the explain request carries what the plan view draws: plan JSON, findings and the statement', async () => {
    const result = (await client.connection.sendRequest('ledgerlint/explain', { uri: queryUri, position: { line: 0, character: 3 } })) as { planJson?: unknown; findings?: Array<{ id: string }>; sql?: string; error?: string };
    assert.equal(result.error, undefined);
    assert.equal(result.sql, QUERY);
    assert.ok(Array.isArray(result.planJson) && (result.planJson[0] as { Plan?: unknown }).Plan);
    assert.ok(result.findings?.some((f) => f.id === 'seq-scan-discards-rows'), JSON.stringify(result.findings));
  });

  it('suggests the index, then, once a migration creates it, says to apply that migration', async () => {
    assert.match(await hover(), /Fix: `CREATE INDEX CONCURRENTLY payments_amount_idx ON payments \(amount\);`/);
    assert.doesNotMatch(client.stderr(), /The workspace model changed/);

    const migration = pathToFileURL(path.join(dir, 'migrations', '0002_amount_idx.sql')).href;
    const linted = client.diagnostics(migration);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: migration, languageId: 'sql', version: 1, text: 'CREATE INDEX CONCURRENTLY payments_amount_idx ON payments (amount);\n' } });
    await linted;

    const md = await hover();
    assert.match(md, /Fix: `payments_amount_idx on payments \(amount\) is created by 0002_amount_idx\.sql but not in this database: apply that migration\.`/, md);
    assert.doesNotMatch(md, /CREATE INDEX CONCURRENTLY payments_amount_idx/);
    assert.match(client.stderr(), /The workspace model changed payments: their cached plans were dropped\./);
  });
});
