// What-if estimates in the code-action menu, through the real language server and PostgreSQL 15 with
// hypopg: the unindexed-foreign-key fix shows the estimated cost before and after its index, and a
// query whose plan calls for an index gets a new-migration action with its estimate.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { startServer, type TestClient } from '../../lib/lsp-client';
import { skipReason, startPg15, type Pg15 } from './pg15';

const skip = skipReason();

const MIGRATION = `CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  status text NOT NULL,
  amount numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL
);
`;
const QUERY = "SELECT id, amount FROM payments WHERE status = 'pending' ORDER BY created_at LIMIT 50;\n";

describe('what-if index estimates in code actions (language server + PostgreSQL 15 + hypopg)', { skip }, () => {
  let pg: Pg15;
  let dir: string;
  let client: TestClient;

  before(async () => {
    pg = await startPg15();
    const c = new Client(pg.config);
    await c.connect();
    await c.query('CREATE EXTENSION hypopg');
    await c.query(MIGRATION);
    await c.query("INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 5000) g");
    await c.query(`INSERT INTO payments (account_id, status, amount, created_at)
      SELECT 1 + g % 5000, CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'settled' END, g % 1000, timestamptz '2026-01-01' + g * interval '1 minute'
      FROM generate_series(1, 100000) g`);
    await c.query('ANALYZE');
    await c.end();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-whatif-lsp-'));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.mkdirSync(path.join(dir, 'queries'));
    fs.writeFileSync(path.join(dir, 'migrations', '0001_init.sql'), MIGRATION);
    fs.writeFileSync(path.join(dir, 'queries', 'pending.sql'), QUERY);
    fs.writeFileSync(path.join(dir, '.env'), `DATABASE_URL=${pg.url}\n`);
    client = await startServer(pathToFileURL(dir).href);
  });

  after(async () => {
    await client?.stop();
    await pg?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(rel: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = pathToFileURL(path.join(dir, rel)).href;
    const wait = client.diagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    return { uri, diagnostics: await wait };
  }

  async function actions(uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    // The first request may hit the deadline while the estimate runs; the second finds it cached.
    const ask = () => client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
    const first = await ask();
    return first.some((a) => /longer than/.test(a.title)) ? ask() : first;
  }

  it('the unindexed-foreign-key fix shows the estimated cost of the lookup before and after its index', async () => {
    const { uri, diagnostics } = await open('migrations/0001_init.sql', MIGRATION);
    const fk = diagnostics.filter((d) => d.code === 'unindexed-foreign-key');
    assert.equal(fk.length, 1, JSON.stringify(diagnostics.map((d) => d.code)));
    const list = await actions(uri, fk[0].range, fk);
    const fix = list.find((a) => /payments \(account_id\)/.test(a.title) && !a.title.startsWith('Disable'));
    assert.ok(fix, list.map((a) => a.title).join(' | '));
    const m = /\(estimated cost ([\d,.]+) -> ([\d,.]+)\)$/.exec(fix.title);
    assert.ok(m, fix.title);
    const [before, after] = [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))];
    assert.ok(after < before / 10, fix.title);
    assert.ok(fix.edit, 'the action still inserts the index');
    const disable = list.find((a) => a.title.startsWith('Disable'));
    assert.doesNotMatch(disable?.title ?? '', /estimated/);
  });

  it('a query whose plan scans for a constant on a low-cardinality column gets a partial index in a new migration', async () => {
    const { uri } = await open('queries/pending.sql', QUERY);
    const range = { start: { line: 0, character: 10 }, end: { line: 0, character: 10 } };
    const list = await actions(uri, range, []);
    const planFix = list.find((a) => a.title.startsWith('Create index on payments'));
    assert.ok(planFix, list.map((a) => a.title).join(' | '));
    assert.match(planFix.title, /^Create index on payments \(created_at\) WHERE status = 'pending' in a new migration migrations\/0002_[\w]+\.sql \(estimated cost [\d,]+ -> [\d.]+\)$/);
    const created = JSON.stringify(planFix.edit);
    assert.match(created, /CREATE INDEX CONCURRENTLY payments_created_at_status_pending_idx ON payments \(created_at\) WHERE status = 'pending';/);
  });

  it("partial-index-opportunity's fix is estimated on the query it was found in", async () => {
    const uri = pathToFileURL(path.join(dir, 'queries', 'pending.sql')).href;
    const text = QUERY.replace('LIMIT 50', 'LIMIT 20');
    const wait = client.diagnostics(uri, (d) => d.some((x) => x.code === 'partial-index-opportunity'));
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    const found = (await wait).filter((d) => d.code === 'partial-index-opportunity');
    const list = await actions(uri, found[0].range, found);
    const fix = list.find((a) => /CREATE INDEX|index/i.test(a.title) && !a.title.startsWith('Disable'));
    assert.ok(fix, list.map((a) => a.title).join(' | '));
    assert.match(fix.title, /\(estimated cost [\d,]+ -> [\d.]+\)$/);
  });

  it('without a connection the menu is the static one', async () => {
    await client.connection.sendNotification('ledgerlint/setConnection', { disconnect: true });
    const { uri, diagnostics } = await open('migrations/0001_init.sql', MIGRATION.replace('name text', 'name  text'));
    const fk = diagnostics.filter((d) => d.code === 'unindexed-foreign-key');
    const list = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: fk[0].range, context: { diagnostics: fk } })) as CodeAction[];
    assert.ok(list.some((a) => /payments \(account_id\)/.test(a.title)));
    assert.ok(list.every((a) => !/estimate/.test(a.title)), list.map((a) => a.title).join(' | '));
  });
});
