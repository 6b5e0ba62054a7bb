// A Drizzle schema file counts for the workspace whether it is open or not (issue 10: the editor and
// the CLI must agree), over real JSON-RPC: the server reads closed schema files when it indexes the
// folder and when they change on disk, an open one's unsaved text holds until it is closed, and a
// closed TypeScript file is never read as SQL. Before, only the open schema files counted, and a
// closed one was replayed as if it were a .sql file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const HOLDS = (extra = '') =>
  `import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\nexport const holds = pgTable('ledger_holds', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: bigint('account_id', { mode: 'number' }).notNull(),${extra}\n  reason: text('reason'),\n});\n`;
const AMOUNT = "\n  amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),";
// Plain pg with two statements in one string: read as SQL, the second one created a table.
const SETUP = "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function setup() {\n  await pool.query(`SET lock_timeout = '1s';\nCREATE TABLE scratch_notes (id bigint, body text);`);\n}\n";
const QUERY = 'SELECT * FROM ledger_holds WHERE account_id = $1;\nSELECT * FROM scratch_notes;\n';

/** The column lists the implicit-columns fixes offer, by line (fixes travel inline to a minimal client). */
function columnLists(d: Diagnostic[]): string[] {
  return d
    .filter((x) => x.code === 'implicit-columns')
    .map((x) => `${x.range.start.line}: ${((x.data as { fixes?: Array<{ title: string }> })?.fixes ?? []).map((f) => f.title).join(' | ') || '(no fix)'}`)
    .sort();
}

describe('Drizzle schema files that are not open', () => {
  let dir: string;
  let client: TestClient;
  const file = (rel: string) => path.join(dir, rel);
  const uriOf = (rel: string) => pathToFileURL(file(rel)).href;
  const query = () => uriOf('queries/holds.sql');
  let version = 1;
  /** Re-checks the query (an edit of its text: a space at the end) and returns its column lists. */
  const recheckQuery = async () => {
    version++;
    const text = QUERY + ' '.repeat(version);
    const wait = client.diagnostics(query(), (_d, p) => p.version === version);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: query(), version }, contentChanges: [{ text }] });
    return columnLists(await wait);
  };

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-closed-drizzle-')));
    for (const sub of ['drizzle', 'src', 'queries']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(file('ledgerlint.json'), JSON.stringify({ rules: onlyRules(['implicit-columns']) }));
    fs.writeFileSync(file('drizzle/0000_init.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n');
    fs.writeFileSync(file('src/holds.ts'), HOLDS());
    fs.writeFileSync(file('src/setup.ts'), SETUP);
    fs.writeFileSync(file('queries/holds.sql'), QUERY);
    client = await startServer(pathToFileURL(dir).href, { logLevel: process.env.DCS_DEBUG ? 'debug' : 'info' });
    await new Promise<void>((resolve) => client.onLog((m) => m.startsWith('Indexed ') && resolve()));
    if (process.env.DCS_DEBUG) client.onLog((m) => process.stderr.write('LOG ' + m.slice(0, 300) + '\n'));
    const wait = client.diagnostics(query(), (d) => columnLists(d).length === 2);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: query(), languageId: 'sql', version, text: QUERY } });
    await wait;
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a query sees the tables of a schema file that was never opened (as the CLI does)", async () => {
    assert.deepEqual(await recheckQuery(), ['0: List the columns: id, account_id, reason', '1: (no fix)']);
  });

  it('a schema file changed on disk changes the columns the query sees', async () => {
    const wait = client.diagnostics(query(), (d) => columnLists(d)[0]?.includes('amount_minor') ?? false);
    fs.writeFileSync(file('src/holds.ts'), HOLDS(AMOUNT));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/holds.ts'), type: 2 }] });
    assert.deepEqual(columnLists(await wait), ['0: List the columns: id, account_id, amount_minor, reason', '1: (no fix)']);
  });

  it('edited in the editor, then closed unsaved: the text on disk holds again', async () => {
    const schema = uriOf('src/holds.ts');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: schema, languageId: 'typescript', version: 1, text: HOLDS(AMOUNT) } });
    // The open document's text wins: the column is gone from the buffer, not from the disk.
    const edited = client.diagnostics(query(), (d) => !(columnLists(d)[0]?.includes('amount_minor') ?? true));
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: schema, version: 2 }, contentChanges: [{ text: HOLDS() }] });
    assert.deepEqual(columnLists(await edited), ['0: List the columns: id, account_id, reason', '1: (no fix)']);
    const closed = client.diagnostics(query(), (d) => columnLists(d)[0]?.includes('amount_minor') ?? false);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: schema } });
    assert.deepEqual(columnLists(await closed), ['0: List the columns: id, account_id, amount_minor, reason', '1: (no fix)']);
  });

  it('a closed TypeScript file is not read as SQL: the table a query string creates is not in the schema', async () => {
    const setup = uriOf('src/setup.ts');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: setup, languageId: 'typescript', version: 1, text: SETUP } });
    await client.diagnostics(setup);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: setup } });
    assert.deepEqual(await recheckQuery(), ['0: List the columns: id, account_id, amount_minor, reason', '1: (no fix)']);
  });

  it('a schema file too long to analyse in the editor is not read closed either (it would hold up the server)', async () => {
    // Over MAX_TYPESCRIPT_CHARS (500,000): an open one gets a notice and is not analysed.
    const long = `import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const huge = pgTable('huge_archive', { id: bigint('id', { mode: 'number' }).primaryKey() });\n${'// generated\n'.repeat(40_000)}`;
    fs.writeFileSync(file('src/huge.ts'), long);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/huge.ts'), type: 1 }] });
    version++;
    const wait = client.diagnostics(query(), (_d, p) => p.version === version);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: query(), version }, contentChanges: [{ text: QUERY + 'SELECT * FROM huge_archive;\n' }] });
    assert.deepEqual(columnLists(await wait), ['0: List the columns: id, account_id, amount_minor, reason', '1: (no fix)', '2: (no fix)']);
    fs.rmSync(file('src/huge.ts'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/huge.ts'), type: 3 }] });
    assert.deepEqual(await recheckQuery(), ['0: List the columns: id, account_id, amount_minor, reason', '1: (no fix)']);
  });

  it("indexing the folder again leaves an open schema's unsaved text in force", async () => {
    const schema = uriOf('src/holds.ts');
    const opened = client.diagnostics(query(), (d) => !(columnLists(d)[0]?.includes('amount_minor') ?? true));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: schema, languageId: 'typescript', version: 1, text: HOLDS() } });
    await opened;
    // A folder created under the root makes the server index the workspace again; every open file is then re-checked.
    const rechecked = client.diagnostics(query(), () => true);
    fs.mkdirSync(file('src/generated'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/generated'), type: 1 }] });
    assert.deepEqual(columnLists(await rechecked), ['0: List the columns: id, account_id, reason', '1: (no fix)']);
    const closed = client.diagnostics(query(), (d) => columnLists(d)[0]?.includes('amount_minor') ?? false);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: schema } });
    await closed;
  });

  it('a schema file deleted on disk takes its tables with it', async () => {
    const wait = client.diagnostics(query(), (d) => columnLists(d)[0] === '0: (no fix)');
    fs.rmSync(file('src/holds.ts'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/holds.ts'), type: 3 }] });
    assert.deepEqual(columnLists(await wait), ['0: (no fix)', '1: (no fix)']);
  });

  it('a schema file deleted on disk while open leaves when it is closed', async () => {
    const schema = uriOf('src/holds.ts');
    const created = client.diagnostics(query(), (d) => columnLists(d)[0] === '0: List the columns: id, account_id, reason');
    fs.writeFileSync(file('src/holds.ts'), HOLDS());
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: schema, type: 1 }] });
    await created;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: schema, languageId: 'typescript', version: 1, text: HOLDS() } });
    await client.diagnostics(schema);
    // The editor owns the text while the file is open: the deletion changes nothing yet.
    fs.rmSync(file('src/holds.ts'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: schema, type: 3 }] });
    const closed = client.diagnostics(query(), (d) => columnLists(d)[0] === '0: (no fix)');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: schema } });
    assert.deepEqual(columnLists(await closed), ['0: (no fix)', '1: (no fix)']);
  });
});
