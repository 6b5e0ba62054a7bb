// Files deleted, created and renamed under the language server (issue 10), over real JSON-RPC:
// the workspace model follows the disk (watched-file events and workspace/didRenameFiles), open
// files keep their editor text, closed files that are gone lose their diagnostics, and requests on
// a file the server has not checked yet are answered after checking it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const INIT = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id)\n);\n';
const INDEX = 'CREATE INDEX payments_account_idx ON payments (account_id);\n';
const DROP = 'DROP INDEX payments_account_idx;\n';
const unindexed = (d: Diagnostic[]) => d.some((x) => x.code === 'unindexed-foreign-key');

describe('files deleted and renamed under the server', () => {
  let dir: string;
  let client: TestClient;
  const file = (name: string) => path.join(dir, 'migrations', name);
  const uriOf = (name: string) => pathToFileURL(file(name)).href;
  const init = () => uriOf('0001_init.sql');
  /** What a file watcher sends: 1 created, 2 changed, 3 deleted. */
  const watched = (...changes: Array<[string, 1 | 2 | 3]>) =>
    client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(([name, type]) => ({ uri: uriOf(name), type })) });

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-files-')));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['unindexed-foreign-key', 'money-float-type']) }));
    fs.writeFileSync(file('0001_init.sql'), INIT);
    fs.writeFileSync(file('0002_index.sql'), INDEX);
    fs.writeFileSync(file('0003_fill_a.sql'), 'CREATE TABLE fill_a (id bigint PRIMARY KEY);\n');
    fs.writeFileSync(file('0004_fill_b.sql'), 'CREATE TABLE fill_b (id bigint PRIMARY KEY);\n');
    client = await startServer(pathToFileURL(dir).href);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the index in a later migration satisfies the foreign key of the open one', async () => {
    const wait = client.diagnostics(init(), (d) => !unindexed(d));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: init(), languageId: 'sql', version: 1, text: INIT } });
    await wait;
  });

  it('deleting the migration that created the index brings the finding back; re-creating it removes it', async () => {
    let wait = client.diagnostics(init(), unindexed);
    fs.rmSync(file('0002_index.sql'));
    await watched(['0002_index.sql', 3]);
    const diags = await wait;
    assert.match(String(diags.find((d) => d.code === 'unindexed-foreign-key')!.message), /payments \(account_id\) -> accounts/);

    wait = client.diagnostics(init(), (d) => !unindexed(d));
    fs.writeFileSync(file('0002_index.sql'), INDEX);
    await watched(['0002_index.sql', 1]);
    await wait;
  });

  it('a rename seen by the file watcher (delete + create) changes the run order', async () => {
    // 0005 drops the index 0002 created: the foreign key is unindexed again.
    let wait = client.diagnostics(init(), unindexed);
    fs.writeFileSync(file('0005_drop.sql'), DROP);
    await watched(['0005_drop.sql', 1]);
    await wait;
    // Renamed to run first, the DROP comes before the index exists: the index stays.
    wait = client.diagnostics(init(), (d) => !unindexed(d));
    fs.renameSync(file('0005_drop.sql'), file('0000_drop.sql'));
    await watched(['0005_drop.sql', 3], ['0000_drop.sql', 1]);
    await wait;
  });

  it('workspace/didRenameFiles (a rename in the explorer) changes the run order too', async () => {
    const wait = client.diagnostics(init(), unindexed);
    fs.renameSync(file('0000_drop.sql'), file('0005_drop.sql'));
    await client.connection.sendNotification('workspace/didRenameFiles', { files: [{ oldUri: uriOf('0000_drop.sql'), newUri: uriOf('0005_drop.sql') }] });
    await wait;
  });

  it('after migrations are deleted, a new one still runs after the ones that remain (run order is recomputed)', async () => {
    // Deleted closed files lose their diagnostics (publish empty) so no editor keeps stale squiggles.
    const cleared = client.diagnostics(uriOf('0003_fill_a.sql'), (d) => d.length === 0);
    fs.rmSync(file('0003_fill_a.sql'));
    fs.rmSync(file('0004_fill_b.sql'));
    await watched(['0003_fill_a.sql', 3], ['0004_fill_b.sql', 3]);
    await cleared;
    // 0006 creates the index again after 0005 dropped it. With the old positions of the deleted
    // files kept, 0006 would sort before 0005 and the finding would stay.
    const wait = client.diagnostics(init(), (d) => !unindexed(d));
    fs.writeFileSync(file('0006_index_again.sql'), INDEX);
    await watched(['0006_index_again.sql', 1]);
    await wait;
  });

  it('an open file deleted on disk keeps its editor text and its diagnostics', async () => {
    const edited = INIT.replace('CREATE TABLE accounts (id bigint PRIMARY KEY);', 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance real);');
    let wait = client.diagnostics(init(), (d) => d.some((x) => x.code === 'money-float-type'));
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: init(), version: 2 }, contentChanges: [{ text: edited }] });
    await wait;
    const published: Diagnostic[][] = [];
    const all = client.diagnostics(init(), (d) => (published.push(d), false), 1500).catch(() => undefined);
    fs.rmSync(file('0001_init.sql'));
    await watched(['0001_init.sql', 3]);
    // The edit (not the disk, which has no file) still decides: and the model still has the
    // tables, so dropping 0006's index again brings the finding back on the open file.
    wait = client.diagnostics(init(), (d) => unindexed(d) && d.some((x) => x.code === 'money-float-type'));
    fs.rmSync(file('0006_index_again.sql'));
    await watched(['0006_index_again.sql', 3]);
    await wait;
    await all;
    assert.ok(published.every((d) => d.length > 0), 'never cleared while open');
  });

  it('renaming the migrations folder away removes the closed files below it from the model', async () => {
    // Without 0005's DROP, 0002's index satisfies the foreign key again.
    let wait = client.diagnostics(init(), (d) => !unindexed(d));
    fs.rmSync(file('0005_drop.sql'));
    await watched(['0005_drop.sql', 3]);
    await wait;
    // The folder moves out of the workspace: 0002 goes with it (0001 is open and stays).
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-outside-'));
    try {
      wait = client.diagnostics(init(), unindexed);
      fs.renameSync(path.join(dir, 'migrations'), path.join(outside, 'migrations'));
      await client.connection.sendNotification('workspace/didRenameFiles', {
        files: [{ oldUri: pathToFileURL(path.join(dir, 'migrations')).href, newUri: pathToFileURL(path.join(outside, 'migrations')).href }],
      });
      await wait;
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('a migration deleted on disk while open, then closed', () => {
  let dir: string;
  let client: TestClient;
  const uriOf = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  const columns = (d: Diagnostic[]) => d.filter((x) => x.code === 'implicit-columns').map((x) => ((x.data as { fixes?: Array<{ title: string }> })?.fixes ?? []).map((f) => f.title).join(' | ') || '(no fix)');

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-closed-deleted-')));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['implicit-columns']) }));
    fs.writeFileSync(path.join(dir, 'migrations', '0001_holds.sql'), 'CREATE TABLE holds (id bigint PRIMARY KEY, reason text);\n');
    fs.writeFileSync(path.join(dir, 'report.sql'), 'SELECT * FROM holds;\n');
    client = await startServer(pathToFileURL(dir).href);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Closing it takes its tables out of the model: the files that read them must follow, although the
  // model no longer knows who shared them once the file is gone (and the deletion's event came while
  // the file was open, so it changed nothing then).
  it('takes its tables with it: the open files reading them are checked again', async () => {
    const migration = uriOf('migrations/0001_holds.sql');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: migration, languageId: 'sql', version: 1, text: fs.readFileSync(path.join(dir, 'migrations', '0001_holds.sql'), 'utf8') } });
    const listed = client.diagnostics(uriOf('report.sql'), (d) => columns(d)[0] === 'List the columns: id, reason');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf('report.sql'), languageId: 'sql', version: 1, text: 'SELECT * FROM holds;\n' } });
    await listed;
    fs.rmSync(path.join(dir, 'migrations', '0001_holds.sql'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: migration, type: 3 }] });
    const gone = client.diagnostics(uriOf('report.sql'), (d) => columns(d)[0] === '(no fix)');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: migration } });
    assert.deepEqual(columns(await gone), ['(no fix)']);
  });
});

describe('requests on a file the server has not checked yet', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-on-demand-')));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['money-float-type']) }));
    client = await startServer(pathToFileURL(dir).href);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Each request is written right behind the didOpen/didChange (same tick), inside the server's 15 ms debounce.
  it('hover on a query in a file just opened answers (checked on demand), not null', async () => {
    const uri = pathToFileURL(path.join(dir, 'q.sql')).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: 'SELECT id FROM fees WHERE id = 1;\n' } });
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } })) as Hover | null;
    assert.ok(hover, 'a hover');
    // No database here: the hover says how to connect one, on the statement's range.
    assert.match((hover.contents as { value: string }).value, /[Cc]onnect/);
    assert.deepEqual(hover.range?.end, { line: 0, character: 32 });
  });

  it('hover right after an edit answers for the new text, not the last checked one', async () => {
    const uri = pathToFileURL(path.join(dir, 'edit.sql')).href;
    const wait = client.diagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: 'CREATE TABLE fees (id bigint PRIMARY KEY);\n' } });
    await wait;
    const ddl = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    assert.equal(ddl, null, 'DDL has no plan hover');
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'SELECT id FROM fees;\n' }] });
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } })) as Hover | null;
    assert.ok(hover, 'the SELECT that replaced the DDL has a hover');
    assert.deepEqual(hover.range?.end, { line: 0, character: 19 });
  });

  it('fix-all on a file just opened fixes its findings', async () => {
    const uri = pathToFileURL(path.join(dir, 'fees.sql')).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: 'CREATE TABLE fees (id bigint PRIMARY KEY, fee real);\n' } });
    const result = (await client.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes: Record<string, Array<{ newText: string }>> };
    assert.deepEqual(result.changes[uri].map((e) => e.newText), ['numeric(19,4)']);
  });
});
