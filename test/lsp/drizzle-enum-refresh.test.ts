// The language server over stdio re-checks an open Drizzle schema when the enums file it imports
// from is edited: schema.ts's column `payStatus: paymentStatus()` is a column only while
// `paymentStatus` resolves to a pgEnum (here through a barrel index.ts), and identifier-hygiene
// reports its key-only name (no casing set) exactly then. Needs `npm run build` (dist/server.js).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const SCHEMA = [
  "import { bigint, pgTable } from 'drizzle-orm/pg-core';",
  "import { paymentStatus } from './model';",
  "export const payments = pgTable('payments', {",
  "  id: bigint('id', { mode: 'number' }).primaryKey(),",
  '  payStatus: paymentStatus(),',
  '});',
  '',
].join('\n');
const ENUMS = (name: string) => `import { pgEnum } from 'drizzle-orm/pg-core';\nexport const ${name} = pgEnum('payment_status', ['pending', 'settled']);\n`;
const CONFIG = "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts' });\n";

describe('language server: an edited enums file re-checks the open schema that imports it', () => {
  let dir: string;
  let client: TestClient;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-lsp-enum-refresh-'));
    fs.mkdirSync(path.join(dir, 'src', 'model'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
    fs.writeFileSync(path.join(dir, 'drizzle.config.ts'), CONFIG);
    // On disk the enums file exports another name: the import does not resolve yet.
    fs.writeFileSync(path.join(dir, 'src', 'model', 'enums.ts'), ENUMS('paymentState'));
    fs.writeFileSync(path.join(dir, 'src', 'model', 'index.ts'), "export * from './enums';\n");
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['identifier-hygiene']) }));
    client = await startServer(pathToFileURL(dir).href);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the enum export appears and disappears in the open enums buffer; schema.ts follows', async () => {
    const schema = pathToFileURL(path.join(dir, 'src', 'schema.ts')).href;
    const enums = pathToFileURL(path.join(dir, 'src', 'model', 'enums.ts')).href;
    const payStatus = (d: Diagnostic[]) => d.some((x) => x.code === 'identifier-hygiene' && /payStatus/.test(String(x.message)));
    const quiet = (d: Diagnostic[]) => !d.some((x) => x.code === 'identifier-hygiene');
    const open = (uri: string, text: string) => client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    const replace = (uri: string, version: number, text: string) => client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });

    let wait = client.diagnostics(schema, quiet);
    await open(schema, SCHEMA);
    assert.ok(quiet(await wait));

    // The user renames the export in the open enums file (unsaved): schema.ts now has the enum column.
    await open(enums, ENUMS('paymentState'));
    wait = client.diagnostics(schema, payStatus);
    await replace(enums, 2, ENUMS('paymentStatus'));
    await wait;

    // And back: the column is no longer a Drizzle column of a known type, the finding goes.
    wait = client.diagnostics(schema, quiet);
    await replace(enums, 3, ENUMS('paymentState'));
    await wait;
  });
});
