// The language server over stdio re-checks open TypeScript files when the workspace casing changes:
// identifier-hygiene on a key-only Drizzle column appears and disappears in schema.ts as the open
// drizzle.config.ts buffer, the file on disk (watched-file events) or a drizzle() call in db.ts gains or
// loses `casing: 'snake_case'`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const KEYS_ONLY = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint({ mode: 'number' }).primaryKey(),\n  amountMinor: bigint({ mode: 'number' }).notNull(),\n});\n";
const CONFIG = (casing: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts'${casing} });\n`;
const DB = (options: string) => `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!${options});\n`;

describe('language server: workspace casing changes re-check open TypeScript', () => {
  let dir: string;
  let client: TestClient;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-lsp-casing-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
    fs.writeFileSync(path.join(dir, 'drizzle.config.ts'), CONFIG(''));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['identifier-hygiene']) }));
    client = await startServer(pathToFileURL(dir).href);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('config buffer and drizzle() call edits move the finding in the other open file', async () => {
    const schema = pathToFileURL(path.join(dir, 'src', 'schema.ts')).href;
    const config = pathToFileURL(path.join(dir, 'drizzle.config.ts')).href;
    const db = pathToFileURL(path.join(dir, 'src', 'db.ts')).href;
    const noCasing = (d: Diagnostic[]) => d.some((x) => x.code === 'identifier-hygiene' && /amountMinor/.test(String(x.message)));
    const quiet = (d: Diagnostic[]) => !d.some((x) => x.code === 'identifier-hygiene');
    const open = (uri: string, text: string) => client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    const replace = (uri: string, version: number, text: string) => client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });

    let wait = client.diagnostics(schema, noCasing);
    await open(schema, KEYS_ONLY);
    await wait;

    // The user types casing into the open config (not saved yet): schema.ts is re-checked, quiet.
    wait = client.diagnostics(schema, quiet);
    await open(config, CONFIG(", casing: 'snake_case'"));
    await wait;

    wait = client.diagnostics(schema, noCasing);
    await replace(config, 2, CONFIG(''));
    await wait;

    // db.ts opened without casing: nothing changes; then its drizzle() call gains casing.
    await open(db, DB(''));
    wait = client.diagnostics(schema, quiet);
    await replace(db, 2, DB(", { casing: 'snake_case' }"));
    await wait;

    // db.ts loses casing again: reported again.
    wait = client.diagnostics(schema, noCasing);
    await replace(db, 3, DB(''));
    await wait;

    // The config closed, then changed on disk by another tool (git checkout): the watcher's event re-checks schema.ts.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: config } });
    wait = client.diagnostics(schema, quiet);
    fs.writeFileSync(path.join(dir, 'drizzle.config.ts'), CONFIG(", casing: 'snake_case'"));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
    await wait;

    wait = client.diagnostics(schema, noCasing);
    fs.rmSync(path.join(dir, 'drizzle.config.ts'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 3 }] });
    await wait;
  });
});
