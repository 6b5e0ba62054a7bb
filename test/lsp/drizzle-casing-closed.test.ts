// The workspace casing (a drizzle() call's or drizzle.config's `casing: 'snake_case'`) names the
// key-only columns of every Drizzle table, open or closed, as the CLI names them. Over real JSON-RPC:
// when the casing changes (a closed db.ts or drizzle.config.ts changed on disk, or an open db.ts
// edited), the closed schema files are read again under it, the .sql queries that list their columns
// follow, and the open TypeScript files are re-checked. Before, a closed schema kept the column names
// of the casing it was read under, and a casing-only file changed on disk re-checked nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { columnListFix } from '../lib/column-list-fix';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const HOLDS = "import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\nexport const holds = pgTable('ledger_holds', {\n  id: bigint({ mode: 'number' }).primaryKey(),\n  accountId: bigint({ mode: 'number' }).notNull(),\n  holdReason: text(),\n});\n";
const FEES = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const fees = pgTable('fees', {\n  id: bigint({ mode: 'number' }).primaryKey(),\n  feeMinor: bigint({ mode: 'number' }).notNull(),\n});\n";
const DB = (options: string) => `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!${options});\n`;
const CONFIG = (casing: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/holds.ts'${casing} });\n`;
const QUERY = 'SELECT * FROM ledger_holds WHERE id = $1;\n';
const SNAKE = ", { casing: 'snake_case' }";
const CAMEL_COLUMNS = 'List the columns: id, "accountId", "holdReason"';
const SNAKE_COLUMNS = 'List the columns: id, account_id, hold_reason';

describe('the workspace casing of Drizzle schema files that are not open', () => {
  let dir: string;
  let client: TestClient;
  const file = (rel: string) => path.join(dir, rel);
  const uriOf = (rel: string) => pathToFileURL(file(rel)).href;
  const changedOnDisk = async (rel: string, text: string) => {
    fs.writeFileSync(file(rel), text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rel), type: 2 }] });
  };
  const queryLists = (columns: string) => client.diagnostics(uriOf('queries/holds.sql'), (d) => columnListFix(d) === columns, 30_000);

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-closed-casing-')));
    for (const sub of ['src', 'queries']) fs.mkdirSync(file(sub));
    fs.writeFileSync(file('package.json'), '{}\n');
    fs.writeFileSync(file('ledgerlint.json'), JSON.stringify({ rules: onlyRules(['implicit-columns', 'identifier-hygiene']) }));
    fs.writeFileSync(file('drizzle.config.ts'), CONFIG(''));
    fs.writeFileSync(file('src/holds.ts'), HOLDS);
    fs.writeFileSync(file('src/fees.ts'), FEES);
    fs.writeFileSync(file('src/db.ts'), DB(''));
    fs.writeFileSync(file('queries/holds.sql'), QUERY);
    client = await startServer(pathToFileURL(dir).href);
    await new Promise<void>((resolve) => client.onLog((m) => m.startsWith('Indexed ') && resolve()));
    const wait = queryLists(CAMEL_COLUMNS);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf('queries/holds.sql'), languageId: 'sql', version: 1, text: QUERY } });
    await wait;
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a closed db.ts gaining casing on disk renames a closed schema's columns for the query", async () => {
    let wait = queryLists(SNAKE_COLUMNS);
    await changedOnDisk('src/db.ts', DB(SNAKE));
    await wait;
    wait = queryLists(CAMEL_COLUMNS);
    await changedOnDisk('src/db.ts', DB(''));
    await wait;
  });

  it('a closed drizzle.config.ts gaining casing on disk does the same', async () => {
    let wait = queryLists(SNAKE_COLUMNS);
    await changedOnDisk('drizzle.config.ts', CONFIG(", casing: 'snake_case'"));
    await wait;
    wait = queryLists(CAMEL_COLUMNS);
    await changedOnDisk('drizzle.config.ts', CONFIG(''));
    await wait;
  });

  it('an open db.ts typed into renames the closed schema columns, and closing it unsaved restores them', async () => {
    const db = uriOf('src/db.ts');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: db, languageId: 'typescript', version: 1, text: DB('') } });
    let wait = queryLists(SNAKE_COLUMNS);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: db, version: 2 }, contentChanges: [{ text: DB(SNAKE) }] });
    await wait;
    wait = queryLists(CAMEL_COLUMNS);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: db } });
    await wait;
  });

  it("an open db.ts that stops importing drizzle-orm no longer sets the casing (the CLI does not analyse it)", async () => {
    const db = uriOf('src/db.ts');
    let wait = queryLists(SNAKE_COLUMNS);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: db, languageId: 'typescript', version: 1, text: DB(SNAKE) } });
    await wait;
    wait = queryLists(CAMEL_COLUMNS);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: db, version: 2 }, contentChanges: [{ text: DB(SNAKE).replace(/^import .*\n/, '') }] });
    await wait;
    wait = queryLists(SNAKE_COLUMNS);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: db, version: 3 }, contentChanges: [{ text: DB(SNAKE) }] });
    await wait;
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: db } });
  });

  it('an open schema file is re-checked when a closed casing-only file changes on disk', async () => {
    const fees = uriOf('src/fees.ts');
    const camelFinding = (d: Diagnostic[]) => d.some((x) => x.code === 'identifier-hygiene' && /feeMinor/.test(String(x.message)));
    let wait = client.diagnostics(fees, camelFinding, 30_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fees, languageId: 'typescript', version: 1, text: FEES } });
    await wait;
    wait = client.diagnostics(fees, (d) => !camelFinding(d), 30_000);
    await changedOnDisk('src/db.ts', DB(SNAKE));
    await wait;
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: fees } });
  });
});
