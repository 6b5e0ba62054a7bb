// Typing while a big file's first check runs, through the real server over stdio: the file (within
// budget, so parsed in slices after a first look) is edited right after its first look is published.
// The check of the old text must stop: no publish of version 1 may carry its complete findings, none
// may come after version 2's (nor later, under a newer version: the document object is updated in
// place), and the last publish must equal a fresh check of the edited text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { Project } from '../../server/src/engine/project';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { SLICE_ABOVE_CHARS } from '../../server/src/lsp/lint-scheduler';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { startServer, type PublishedDiagnostics, type TestClient } from '../lib/lsp-client';

const FILE_RULES = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.meta.id));

/**
 * Line i holds statement i; the last line creates a table with a float money column (money-float-type
 * on it), the second a foreign key no index covers (unindexed-foreign-key: a file-scoped finding, so a
 * publish carrying it is a complete check).
 */
function bigFile(): { text: string; lastLine: number } {
  const lines = ['CREATE TABLE merchants (id bigint PRIMARY KEY);', 'CREATE TABLE payouts (id bigint PRIMARY KEY, merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT);'];
  for (let i = 0; lines.length * 70 < SLICE_ABOVE_CHARS * 1.5; i++) {
    lines.push(i % 9 === 0 ? `CREATE TABLE t_${i} (id bigint PRIMARY KEY, amount double precision NOT NULL);` : `SELECT id, amount_minor FROM ledger_entries WHERE account_id = ${i};`);
  }
  lines.push('CREATE TABLE last_one (id bigint PRIMARY KEY, fee double precision NOT NULL);');
  return { text: lines.join('\n') + '\n', lastLine: lines.length - 1 };
}

const comparable = (d: Diagnostic) => JSON.stringify({ range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message });

describe('an edit while a big file is first checked', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    await initParser();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-progressive-edit-'));
    client = await startServer(pathToFileURL(dir).href);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops the stale check: no complete publish of the old text, the last equals a fresh check of the new one', async () => {
    const { text, lastLine } = bigFile();
    const file = path.join(dir, 'typing.sql');
    const uri = pathToFileURL(file).href;
    const all: PublishedDiagnostics[] = [];
    const firstLook = client.diagnostics(uri, () => true, 120_000);
    const done = client.diagnostics(uri, (d, p) => (all.push(p), p.version === 2 && d.some((x) => FILE_RULES.has(String(x.code)))), 120_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await firstLook;
    assert.equal(all[0].version, 1);
    assert.ok(!all[0].diagnostics.some((d) => FILE_RULES.has(String(d.code))), 'the first publish was already the complete check: nothing to interrupt');
    // The edit fixes the last statement's float money column while the old text is being parsed.
    const fixed = 'CREATE TABLE last_one (id bigint PRIMARY KEY, fee numeric(20,4) NOT NULL);';
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: lastLine, character: 0 }, end: { line: lastLine + 1, character: 0 } }, text: fixed + '\n' }],
    });
    const last = await done;
    assert.ok(last.some((d) => d.code === 'unindexed-foreign-key' && d.range.start.line === 1), 'no file-scoped finding: the test proves nothing');

    const edited = text.split('\n').slice(0, lastLine).join('\n') + '\n' + fixed + '\n';
    const fresh = new Project(dir).lint(file, edited, { open: true });
    const expected = fresh.findings.map((f) => toDiagnostic(fresh.file.lines, f));
    assert.deepEqual(last.map(comparable), expected.map(comparable), 'the final publish differs from a fresh check of the edited text');
    assert.ok(!last.some((d) => d.range.start.line === lastLine && d.code === 'money-float-type'), 'the fixed column is still reported');

    // A stale check finishing late would publish after this one: one more edit, and its check, give it the time.
    const settled = client.diagnostics(uri, (d, p) => (all.push(p), p.version === 3 && d.some((x) => FILE_RULES.has(String(x.code)))), 120_000);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: lastLine + 1, character: 0 }, end: { line: lastLine + 1, character: 0 } }, text: '-- reviewed\n' }],
    });
    await settled;
    // Only the old text has the float column on its last line; a first look never reaches that far.
    const stale = all.filter((p) => p.diagnostics.some((d) => d.range.start.line === lastLine && d.code === 'money-float-type'));
    assert.deepEqual(stale.map((p) => `version ${p.version}: ${p.diagnostics.length} diagnostics`), [], 'the check of the old text was published');
    const versions = all.map((p) => p.version ?? 0);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `a publish of the old text came after the new one's: ${versions.join(', ')}`);
  });
});
