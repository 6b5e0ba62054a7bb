// The language server over real JSON-RPC: open, diagnose, edit, fix, suppress, configure.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

/** These tests are about the protocol: only two rules stay on, so new rules do not change them. */
const rulesConfig = (extra: Record<string, string> = {}) => onlyRules(['syntax-error', 'money-float-type'], extra);

const SQL = [
  'CREATE TABLE payments (',
  '  id bigint PRIMARY KEY,',
  '  amount double precision NOT NULL',
  ');',
  'SELEC oops;',
  'CREATE TABLE fees (id bigint PRIMARY KEY, fee real);',
].join('\n');

describe('language server over stdio', () => {
  let dir: string;
  let client: TestClient;
  let uri: string;
  let version = 1;
  let doc: TextDocument;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-lsp-'));
    uri = pathToFileURL(path.join(dir, '0001_init.sql')).href;
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: rulesConfig() }));
    // Docs links (codeDescription) go only to clients that declare them, as VS Code does.
    client = await startServer(pathToFileURL(dir).href, {}, undefined, undefined, { textDocument: { publishDiagnostics: { codeDescriptionSupport: true } } });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (text: string) => {
    doc = TextDocument.create(uri, 'sql', version, text);
    return client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
  };
  const change = (edits: Array<{ range: Diagnostic['range']; text: string }>) => {
    version++;
    doc = TextDocument.update(doc, edits, version);
    return client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: edits });
  };

  it('publishes diagnostics on open, a syntax error does not hide the others', async () => {
    const wait = client.diagnostics(uri);
    await open(SQL);
    const diags = await wait;
    const codes = diags.map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
    assert.deepEqual(codes, ['money-float-type@3:3', 'syntax-error@5:1', 'money-float-type@6:43']);
    const first = diags[0];
    assert.equal(first.source, 'ledgerlint');
    assert.match(String(first.message), /payments\.amount/);
    assert.match(String(first.codeDescription?.href), /docs\/rules\/money-float-type\.md$/);
  });

  it('re-checks after an edit', async () => {
    const wait = client.diagnostics(uri, (d) => !d.some((x) => x.code === 'syntax-error'));
    await change([{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 5 } }, text: 'SELECT' }]);
    const diags = await wait;
    assert.deepEqual(
      diags.map((d) => d.code),
      ['money-float-type', 'money-float-type'],
    );
  });

  it('offers the quick fix and the disable actions; applying the fix removes the finding', async () => {
    const diags = await (async () => {
      const wait = client.diagnostics(uri);
      await change([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]);
      return wait;
    })().catch(() => [] as Diagnostic[]);
    const target = (diags.length ? diags : []).find((d) => d.range.start.line === 2) ?? diags[0];
    assert.ok(target, 'a diagnostic on line 3');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Change payments.amount to numeric(19,4)'), titles.join(' | '));
    assert.ok(titles.includes('Disable money-float-type for this line'));
    assert.ok(titles.includes('Disable money-float-type for the entire file'));
    const fix = actions.find((a) => a.title.startsWith('Change payments.amount'))!;
    assert.equal(fix.isPreferred, true);
    const edits = fix.edit!.changes![uri];
    const fixed = TextDocument.applyEdits(doc, edits);
    assert.match(fixed, /amount numeric\(19,4\) NOT NULL/);
    const wait = client.diagnostics(uri, (d) => d.length === 1);
    await change([{ range: edits[0].range, text: edits[0].newText }]);
    const after = await wait;
    assert.equal(after[0].range.start.line, 5);

    const disable = actions.find((a) => a.title === 'Disable money-float-type for this line');
    assert.ok(disable);
  });

  it('suppression comments silence a line', async () => {
    const wait = client.diagnostics(uri, (d) => d.length === 0);
    await change([{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '-- ledgerlint-disable-next-line money-float-type\n' }]);
    assert.deepEqual(await wait, []);
  });

  it('reads ledgerlint.json from the workspace root, and reports errors in it', async () => {
    const other = pathToFileURL(path.join(dir, 'q.sql')).href;
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: rulesConfig({ 'money-float-type': 'warning' }) }));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'ledgerlint.json')).href, type: 2 }] });
    const wait = client.diagnostics(other, (d) => d.length === 1 && d[0].severity === 2);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'sql', version: 1, text: 'CREATE TABLE t (id bigint PRIMARY KEY, price real);' } });
    const diags = await wait;
    assert.equal(diags.length, 1);
    assert.equal(diags[0].severity, 2, 'configured as warning');

    const configUri = pathToFileURL(path.join(dir, 'ledgerlint.json')).href;
    const configWait = client.diagnostics(configUri, (d) => d.length > 0);
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), '{ "rules": { "no-such-rule": "error" } }');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const configDiags = await configWait;
    assert.match(String(configDiags[0].message), /Unknown rule "no-such-rule"/);
  });

  it('checks Drizzle schemas in TypeScript with the same rules', async () => {
    const ts = pathToFileURL(path.join(dir, 'schema.ts')).href;
    const text = "import { pgTable, bigint, real } from 'drizzle-orm/pg-core';\n\nexport const payouts = pgTable('payouts', {\n  id: bigint('id', { mode: 'bigint' }).primaryKey(),\n  amount: real('amount').notNull(),\n});\n";
    const wait = client.diagnostics(ts, (d) => d.length > 0);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: ts, languageId: 'typescript', version: 1, text } });
    const diags = await wait;
    // The previous test replaced the pinned config: schema-wide rules (currency, idempotency) report on the table too.
    assert.deepEqual(diags.filter((d) => d.code === 'money-float-type').map((d) => [d.code, d.range.start.line, d.range.start.character]), [['money-float-type', 4, 2]]);
  });

  it('survives junk input', async () => {
    const junk = pathToFileURL(path.join(dir, 'junk.sql')).href;
    const wait = client.diagnostics(junk);
    const text = "\u0000\uFFFF$$ unterminated 'quote /* never closed \u{1F4B8}".repeat(50);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: junk, languageId: 'sql', version: 1, text } });
    const diags = await wait;
    assert.ok(diags.every((d) => d.code === 'syntax-error'));
    assert.equal(client.process.exitCode, null, 'server still running');
  });
});
