// ledgerlint.maxDiagnosticsPerFile holds for Drizzle TypeScript files as for SQL ones, over real
// JSON-RPC: a schema with more findings than the cap publishes exactly the cap with the notice
// counting the rest, a scroll out of what was published republishes around it, and fix-all and
// quick fixes still reach the findings that were not published.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';
import { isNotice, moneyLines, view } from './capped-diagnostics';
import { VSCODE_CODE_ACTIONS } from './vscode-like-client';

const TABLES = 120;
const CAP = 30;
/** One table per line after the import (line k + 1 holds table k), each with a float money column. */
const SCHEMA =
  "import { pgTable, bigint, doublePrecision } from 'drizzle-orm/pg-core';\n" +
  Array.from({ length: TABLES }, (_, k) => `export const t${k} = pgTable('t${k}', { id: bigint('id', { mode: 'bigint' }).primaryKey(), amount: doublePrecision('amount') });`).join('\n') +
  '\n';


describe('publish cap on Drizzle TypeScript files', () => {
  let dir: string;
  let client: TestClient;
  let uri: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-cap-ts-'));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['money-float-type']) }));
    client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: CAP }, undefined, undefined, {
      recordBytes: true,
      textDocument: { ...VSCODE_CODE_ACTIONS, publishDiagnostics: { codeDescriptionSupport: true, dataSupport: true, versionSupport: true } },
    });
    uri = pathToFileURL(path.join(dir, 'schema.ts')).href;
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the cap exactly, in file order, with a notice counting the rest', async () => {
    // A check made before the settings arrived has the default cap (1,000): wait for the capped one.
    const wait = client.diagnostics(uri, (d) => d.some(isNotice), 60_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: SCHEMA } });
    const diagnostics = await wait;
    assert.equal(diagnostics.length, CAP);
    const notice = diagnostics.filter(isNotice);
    assert.equal(notice.length, 1);
    assert.match(String(notice[0].message), new RegExp(`found ${TABLES} problems in this file and shows ${CAP - 1}`));
    assert.match(String(notice[0].message), new RegExp(`${TABLES - CAP + 1} more are not shown`));
    assert.match(String(notice[0].message), /npx ledgerlint check schema\.ts/);
    assert.deepEqual(moneyLines(diagnostics), Array.from({ length: CAP - 1 }, (_, k) => k + 1));
  });

  it('a scroll out of what was published republishes around the view', async () => {
    const wait = client.diagnostics(uri, (d) => moneyLines(d).includes(100), 10_000);
    await client.connection.sendNotification('ledgerlint/visibleRanges', view(uri, 98, 102));
    const published = await wait;
    assert.equal(published.length, CAP);
    const lines = moneyLines(published);
    for (let l = 95; l <= 105; l++) assert.ok(lines.includes(l), `line ${l}, on screen or beside it, is not published`);
  });

  it('fix-all reaches every finding, and a quick fix on a republished diagnostic resolves', async () => {
    const all = (await client.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes: Record<string, TextEdit[]> };
    // One import of numeric, shared by every fix, and one edit per table.
    assert.equal(all.changes[uri].length, TABLES + 1, 'fix-all left out unpublished findings');
    assert.doesNotMatch(TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, SCHEMA), all.changes[uri]), /doublePrecision\('amount'\)/);
    const wait = client.diagnostics(uri, (d) => moneyLines(d).includes(20), 10_000);
    await client.connection.sendNotification('ledgerlint/visibleRanges', view(uri, 18, 22));
    const money = (await wait).find((d) => d.code === 'money-float-type' && d.range.start.line === 20)!;
    const fixes = ((await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: money.range, context: { diagnostics: [money] } })) as CodeAction[]).filter((a) => !a.title.startsWith('Disable '));
    assert.ok(fixes.length >= 1, 'no quick fix for the republished diagnostic');
    const resolved = fixes[0].edit ? fixes[0] : ((await client.connection.sendRequest('codeAction/resolve', fixes[0])) as CodeAction);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, SCHEMA), resolved.edit!.changes![uri]);
    assert.doesNotMatch(fixed.split('\n')[20], /doublePrecision\('amount'\)/);
    assert.match(fixed.split('\n')[19], /doublePrecision\('amount'\)/, 'the quick fix touched another table');
  });
});
