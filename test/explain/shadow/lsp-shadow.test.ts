// The shadow database through the language server, without any configured database: the migration
// statement PostgreSQL rejects gets a diagnostic (and loses it once fixed), plans come from the
// shadow database's empty tables, and shutting the server down stops the cluster.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import type { Diagnostic, Hover } from 'vscode-languageserver';
import { SHADOW_LABEL } from '../../../server/src/explain/shadow/shadow-server';
import { startServer, type TestClient } from '../../lib/lsp-client';

const skip = fs.existsSync('/usr/lib/postgresql/15/bin/pg_ctl') || process.env.CI ? undefined : 'no PostgreSQL 15 server binaries in /usr/lib/postgresql/15/bin';

const INIT = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id)\n);\n';
const BAD = '-- index for statements\nCREATE INDEX CONCURRENTLY payments_merchant_idx ON payments (merchant_id);\n';
const GOOD = '-- index for statements\nCREATE INDEX CONCURRENTLY payments_account_idx ON payments (account_id);\n';

describe('shadow database through the language server', { skip }, () => {
  let dir: string;
  let client: TestClient | undefined;
  let storage: string;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-shadow-lsp-')));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'migrations', '0001_init.sql'), INIT);
    fs.writeFileSync(path.join(dir, 'migrations', '0002_index.sql'), BAD);
    storage = path.join(os.tmpdir(), 'ledgerlint-shadow', createHash('sha256').update(dir).digest('hex').slice(0, 16));
    client = await startServer(pathToFileURL(dir).href, { explain: { shadowDatabase: true } });
  });
  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (storage) fs.rmSync(storage, { recursive: true, force: true });
  });

  const uri = () => pathToFileURL(path.join(dir, 'migrations', '0002_index.sql')).href;
  const shadowDiag = (d: Diagnostic[]) => d.find((x) => x.code === 'shadow-database');

  it('puts a diagnostic on the statement PostgreSQL rejects after the earlier migrations', async () => {
    const wait = client!.diagnostics(uri(), (d) => !!shadowDiag(d), 90_000);
    await client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(), languageId: 'sql', version: 1, text: BAD } });
    const d = shadowDiag(await wait)!;
    assert.match(String(d.message), /column "merchant_id" does not exist \(SQLSTATE 42703\)/);
    assert.deepEqual(d.range.start, { line: 1, character: 0 });
  });

  it('the diagnostic goes away once the migration is fixed', async () => {
    const wait = client!.diagnostics(uri(), (d) => !shadowDiag(d), 60_000);
    await client!.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(), version: 2 }, contentChanges: [{ text: GOOD }] });
    await wait;
    // The rebuild is debounced: wait until it has run, then the next lint must stay clean.
    await new Promise((r) => setTimeout(r, 4000));
    const again = client!.diagnostics(uri(), () => true, 60_000);
    await client!.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(), version: 3 }, contentChanges: [{ text: GOOD + '\n' }] });
    assert.equal(shadowDiag(await again), undefined);
  });

  it('hovers plan on the shadow database, labelled as empty tables', async () => {
    const q = pathToFileURL(path.join(dir, 'q.sql')).href;
    const wait = client!.diagnostics(q);
    await client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: q, languageId: 'sql', version: 1, text: 'SELECT id FROM payments WHERE account_id = 7;\n' } });
    await wait;
    const hover = (await client!.connection.sendRequest('textDocument/hover', { textDocument: { uri: q }, position: { line: 0, character: 3 } })) as Hover;
    const md = (hover.contents as { value: string }).value;
    assert.ok(md.includes(SHADOW_LABEL), md);
    assert.match(md, /payments_account_idx/);
  });

  it('stops the cluster when the language server shuts down', async () => {
    await client!.stop();
    client = undefined;
    assert.equal(fs.existsSync(path.join(storage, 'pgdata', 'postmaster.pid')), false);
  });
});

describe('shadow database kept in the client\'s storage folder across language server restarts', { skip }, () => {
  let dir: string;
  let storage: string;
  let client: TestClient | undefined;

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-shadow-keep-')));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'migrations', '0001_init.sql'), INIT);
    fs.writeFileSync(path.join(dir, 'migrations', '0002_index.sql'), GOOD);
    // What VS Code's context.storageUri would be; the cluster runs as `postgres` under root, which must pass through.
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-storage-'));
    fs.chmodSync(storage, 0o755);
  });
  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (storage) fs.rmSync(storage, { recursive: true, force: true });
  });

  const pgdata = () => path.join(storage, 'shadow-database', createHash('sha256').update(dir).digest('hex').slice(0, 16), 'pgdata');

  /** Starts a server, hovers a query (which brings the shadow database up to date), returns its record. */
  async function session(): Promise<Array<{ path: string; sha256: string; applied_at: string }>> {
    client = await startServer(pathToFileURL(dir).href, { explain: { shadowDatabase: true } }, { workspaceTrusted: true, clientVersion: 'test', storageDir: storage });
    const q = pathToFileURL(path.join(dir, 'q.sql')).href;
    const wait = client.diagnostics(q);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: q, languageId: 'sql', version: 1, text: 'SELECT id FROM payments WHERE account_id = 7;\n' } });
    await wait;
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: q }, position: { line: 0, character: 3 } })) as Hover;
    assert.ok((hover.contents as { value: string }).value.includes(SHADOW_LABEL));
    // postmaster.pid: line 4 is the port, line 5 the socket directory.
    const pid = fs.readFileSync(path.join(pgdata(), 'postmaster.pid'), 'utf8').split('\n');
    const c = new Client({ host: pid[4], port: Number(pid[3]), user: 'postgres', database: 'ledgerlint_shadow' });
    await c.connect();
    try {
      return (await c.query("SELECT path, sha256, applied_at::text FROM _ledgerlint.applied_migrations ORDER BY position")).rows;
    } finally {
      await c.end();
    }
  }

  it('keeps the cluster under storageDir, and a restart re-applies no unchanged migration', async () => {
    const first = await session();
    assert.deepEqual(first.map((r) => path.basename(r.path)), ['0001_init.sql', '0002_index.sql']);
    await client!.stop();
    client = undefined;
    assert.ok(fs.existsSync(path.join(pgdata(), 'PG_VERSION')), 'the cluster stays in the storage folder');
    const second = await session();
    assert.deepEqual(second, first, 'same record, same applied_at: nothing was applied again');
    await client!.stop();
    client = undefined;
    fs.writeFileSync(path.join(dir, 'migrations', '0002_index.sql'), GOOD.replace('payments_account_idx', 'payments_account_id_idx'));
    const third = await session();
    assert.equal(third[0].applied_at === first[0].applied_at, false, 'an earlier migration changed: rebuilt from scratch');
    assert.notEqual(third[1].sha256, first[1].sha256);
  });
});
