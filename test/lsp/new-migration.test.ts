// The "create the index in a new migration" code action over real JSON-RPC, once per migration
// tool: the workspace edit creates the files (CreateFile + text) in the linted file's migration
// folder, named the way that tool names them, and once they exist the finding is gone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const INIT = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL);\n';
const FK = 'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\n';
// Creates nothing the schema remembers a file by: only the folder's own file list knows it exists.
const NOTE = 'ALTER TABLE accounts ADD COLUMN note text;\n';

interface Layout {
  convention: string;
  /** Files of the workspace; `linted` is opened in the editor. */
  files: Record<string, string>;
  linted: string;
  /** Workspace-relative paths the action must create, in order (regexes for timestamps). */
  expected: RegExp[];
  /** Checks on the text of each created file, by position. */
  texts: RegExp[][];
}

const DROP = /^DROP INDEX CONCURRENTLY IF EXISTS payments_account_id_idx;$/m;
const CREATE = /^CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments \(account_id\);$/m;

const LAYOUTS: Layout[] = [
  {
    convention: 'drizzle-kit',
    files: { 'drizzle/0000_init.sql': INIT, 'drizzle/0001_fk.sql': FK, 'drizzle/0002_note.sql': NOTE, 'drizzle/meta/_journal.json': '{"entries":[{"idx":0,"tag":"0000_init"},{"idx":1,"tag":"0001_fk"},{"idx":2,"tag":"0002_note"}]}' },
    linted: 'drizzle/0001_fk.sql',
    expected: [/^drizzle\/0003_index_payments_account_id\.sql$/],
    texts: [[CREATE, /drizzle-kit migrate.*one$/m, /psql -f/]],
  },
  {
    convention: 'diesel',
    files: {
      'migrations/2024-01-01-000000_init/up.sql': INIT,
      'migrations/2024-01-01-000000_init/down.sql': 'DROP TABLE payments;\nDROP TABLE accounts;\n',
      'migrations/2024-02-01-000000_fk/up.sql': FK,
      'migrations/2024-02-01-000000_fk/down.sql': 'ALTER TABLE payments DROP CONSTRAINT payments_account_fk;\n',
    },
    linted: 'migrations/2024-02-01-000000_fk/up.sql',
    expected: [/^migrations\/\d{4}-\d{2}-\d{2}-\d{6}_index_payments_account_id\/up\.sql$/, /^migrations\/\d{4}-\d{2}-\d{2}-\d{6}_index_payments_account_id\/down\.sql$/, /^migrations\/\d{4}-\d{2}-\d{2}-\d{6}_index_payments_account_id\/metadata\.toml$/],
    texts: [[CREATE, /run_in_transaction = false/], [DROP], [/^run_in_transaction = false$/m]],
  },
  {
    convention: 'flyway',
    files: { 'db/migration/V1__init.sql': INIT, 'db/migration/V2__fk.sql': FK, 'db/migration/V3__note.sql': NOTE },
    linted: 'db/migration/V2__fk.sql',
    expected: [/^db\/migration\/V4__index_payments_account_id\.sql$/],
    texts: [[CREATE, /Flyway runs .* outside a transaction/]],
  },
  {
    convention: 'golang-migrate',
    files: {
      'migrations/000001_init.up.sql': INIT,
      'migrations/000001_init.down.sql': 'DROP TABLE payments;\n',
      'migrations/000002_fk.up.sql': FK,
      'migrations/000002_fk.down.sql': 'ALTER TABLE payments DROP CONSTRAINT payments_account_fk;\n',
      'migrations/000003_note.up.sql': NOTE,
      'migrations/000003_note.down.sql': 'ALTER TABLE accounts DROP COLUMN note;\n',
    },
    linted: 'migrations/000002_fk.up.sql',
    expected: [/^migrations\/000004_index_payments_account_id\.up\.sql$/, /^migrations\/000004_index_payments_account_id\.down\.sql$/],
    texts: [[CREATE, /only statement of the file/], [DROP]],
  },
  {
    convention: 'prisma',
    files: {
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
      'prisma/migrations/20240201000000_fk/migration.sql': FK,
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    },
    linted: 'prisma/migrations/20240201000000_fk/migration.sql',
    expected: [/^prisma\/migrations\/\d{14}_index_payments_account_id\/migration\.sql$/],
    texts: [[CREATE, /only statement of the file/]],
  },
  {
    convention: 'sql-migrate',
    files: { 'migrations/1_init.sql': `-- +migrate Up\n${INIT}`, 'migrations/2_fk.sql': `-- +migrate Up\n${FK}`, 'migrations/3_note.sql': `-- +migrate Up\n${NOTE}` },
    linted: 'migrations/2_fk.sql',
    expected: [/^migrations\/4_index_payments_account_id\.sql$/],
    texts: [[/^-- \+migrate Up notransaction\n/, CREATE, /^-- \+migrate Down notransaction\nDROP INDEX CONCURRENTLY IF EXISTS payments_account_id_idx;$/m]],
  },
];

/** Applies a workspace edit the way an editor does: CreateFile, then the text edits (all at 0:0 here). */
function applyToDisk(edit: NonNullable<CodeAction['edit']>): string[] {
  const created: string[] = [];
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create');
      const file = fileURLToPath(change.uri);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (!fs.existsSync(file)) fs.writeFileSync(file, '');
      created.push(file);
    } else {
      const e = change as TextDocumentEdit;
      const file = fileURLToPath(e.textDocument.uri);
      for (const te of e.edits) {
        assert.deepEqual([te.range.start, te.range.end], [{ line: 0, character: 0 }, { line: 0, character: 0 }]);
        fs.writeFileSync(file, ('newText' in te ? te.newText : '') + fs.readFileSync(file, 'utf8'));
      }
    }
  }
  return created;
}

describe('new-migration code action over LSP, per migration tool', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  for (const layout of LAYOUTS) {
    it(`${layout.convention}: the files land in the migration folder, named by its convention`, async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), `ledgerlint-newmig-${layout.convention}-`));
      roots.push(root);
      fs.writeFileSync(path.join(root, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['unindexed-foreign-key']) }));
      for (const [rel, text] of Object.entries(layout.files)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      }
      let client: TestClient | undefined;
      try {
        client = await startServer(pathToFileURL(root).href);
        const uri = pathToFileURL(path.join(root, layout.linted)).href;
        const text = layout.files[layout.linted];
        // Wait for the finding with its fix: the first check may run before the workspace is indexed.
        const hasFix = (x: Diagnostic) => x.code === 'unindexed-foreign-key' && ((x.data as { fixes?: unknown[] } | undefined)?.fixes?.length ?? 0) > 0;
        const wait = client.diagnostics(uri, (d) => d.some(hasFix), 20_000);
        await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
        const diags = await wait;
        const finding = diags.find(hasFix)!;
        const actions = (await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: finding.range,
          context: { diagnostics: [finding] as Diagnostic[] },
        })) as CodeAction[];
        const action = actions.find((a) => a.title.startsWith('Create the index on payments (account_id) in a new migration'));
        assert.ok(action?.edit, `no new-migration action among: ${actions.map((a) => a.title).join(' | ')}`);
        assert.equal(action.isPreferred, true);
        const created = applyToDisk(action.edit);
        const relative = created.map((f) => path.relative(root, f).split(path.sep).join('/'));
        assert.equal(relative.length, layout.expected.length, `created ${relative.join(', ')}`);
        layout.expected.forEach((re, i) => assert.match(relative[i], re));
        assert.match(action.title, new RegExp(`in a new migration ${relative[0].replace(/[.]/g, '\\.')}$`));
        layout.texts.forEach((checks, i) => {
          const body = fs.readFileSync(created[i], 'utf8');
          for (const re of checks) assert.match(body, re, `${relative[i]}:\n${body}`);
        });

        // The editor saved the new files: the server learns of them and the finding goes away.
        const cleared = client.diagnostics(uri, (d) => !d.some((x) => x.code === 'unindexed-foreign-key'), 20_000);
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: created.map((f) => ({ uri: pathToFileURL(f).href, type: 1 })) });
        await cleared;
      } finally {
        await client?.stop();
      }
    });
  }

  it('a query file: the new migration goes to the migrations folder, numbered after every file in it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-newmig-query-'));
    roots.push(root);
    fs.writeFileSync(path.join(root, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['partial-index-opportunity']) }));
    const files: Record<string, string> = {
      'migrations/0001_init.sql': "CREATE TYPE payment_status AS ENUM ('pending', 'settled');\nCREATE TABLE payments (id bigint PRIMARY KEY, status payment_status NOT NULL);\n",
      // Creates no table, index or key: only the folder's file list says 0002 is taken.
      'migrations/0002_note.sql': 'ALTER TABLE payments ADD COLUMN note text;\n',
      'queries/payments.sql': "SELECT id FROM payments WHERE status = 'pending';\n",
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    let client: TestClient | undefined;
    try {
      client = await startServer(pathToFileURL(root).href);
      const uri = pathToFileURL(path.join(root, 'queries/payments.sql')).href;
      const hasFix = (x: Diagnostic) => x.code === 'partial-index-opportunity' && ((x.data as { fixes?: unknown[] } | undefined)?.fixes?.length ?? 0) > 0;
      const wait = client.diagnostics(uri, (d) => d.some(hasFix), 20_000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: files['queries/payments.sql'] } });
      const finding = (await wait).find(hasFix)!;
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } })) as CodeAction[];
      const action = actions.find((a) => a.title.includes('in a new migration'));
      assert.ok(action?.edit, `no new-migration action among: ${actions.map((a) => a.title).join(' | ')}`);
      const created = applyToDisk(action.edit).map((f) => path.relative(root, f).split(path.sep).join('/'));
      assert.deepEqual(created, ['migrations/0003_index_payments_pending.sql']);
    } finally {
      await client?.stop();
    }
  });
});
