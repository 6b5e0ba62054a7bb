// Progressive diagnostics of a big file through the real server over stdio: a file just opened gets a
// first publish for its first screenfuls (statement-scoped rules only) before the full check. That
// first publish may miss findings but must never show one the full check does not: here the first
// screenfuls hold a foreign key indexed and a table given an audit trigger only at the end of the
// file (file-scoped rules checked on the start alone would report them), and a finding silenced by a
// `ledgerlint-disable-file` on the last line. The final publish must equal a fresh check of the text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { Project } from '../../server/src/engine/project';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { FIRST_LOOK_CHARS, SLICE_ABOVE_CHARS } from '../../server/src/lsp/lint-scheduler';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { startServer, type TestClient } from '../lib/lsp-client';

const FILE_RULES = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.meta.id));

function bigFile(): string {
  const head = [
    'CREATE TABLE merchants (id bigint PRIMARY KEY)',
    'CREATE TABLE payouts (id bigint PRIMARY KEY, merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT, amount double precision NOT NULL, fee_rate numeric(6,4) NOT NULL)',
    'SELECT * FROM customers WHERE id NOT IN (SELECT customer_id FROM blocked)',
    'SELEC broken FROM nowhere',
  ];
  const body: string[] = [];
  for (let i = 0; body.join(';\n').length < SLICE_ABOVE_CHARS * 1.5; i++) {
    body.push(i % 7 === 0 ? `CREATE TABLE t_${i} (id bigint PRIMARY KEY, amount double precision NOT NULL, created_at timestamp NOT NULL)` : `SELECT id, amount_minor FROM ledger_entries WHERE account_id = ${i} AND created_at BETWEEN '2024-06-01' AND '2024-06-30'`);
  }
  const tail = [
    'CREATE INDEX CONCURRENTLY payouts_merchant_idx ON payouts (merchant_id)',
    `CREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit_log (table_name, op, old_row, new_row) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(OLD), to_jsonb(NEW)); RETURN NULL; END $$`,
    'CREATE TRIGGER payouts_audit AFTER INSERT OR UPDATE OR DELETE ON payouts FOR EACH ROW EXECUTE FUNCTION audit_row_change()',
  ];
  return [...head, ...body, ...tail].join(';\n') + ';\n-- ledgerlint-disable-file not-in-subquery\n';
}

const comparable = (d: Diagnostic) => JSON.stringify({ range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message });

describe('progressive diagnostics of a big file', () => {
  let dir: string;
  let client: TestClient;
  const text = bigFile();

  before(async () => {
    await initParser();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-progressive-'));
    // Every finding, to compare with a fresh check: no ledgerlint.maxDiagnosticsPerFile cap (publish-cap.test.ts tests it).
    client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: 0 });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the first screenfuls first, a subset of the final publish, which equals a fresh check', async () => {
    const file = path.join(dir, 'dump.sql');
    const uri = pathToFileURL(file).href;
    const publishes: Diagnostic[][] = [];
    const final = client.diagnostics(
      uri,
      (d) => {
        publishes.push(d);
        return d.some((x) => FILE_RULES.has(String(x.code)));
      },
      120_000,
    );
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const last = await final;

    const fresh = new Project(dir).lint(file, text, { open: true });
    const expected = fresh.findings.map((f) => toDiagnostic(fresh.file.lines, f));
    assert.deepEqual(last.map(comparable), expected.map(comparable), 'the final publish differs from a fresh check');

    assert.equal(publishes.length, 2, `expected a first look then the full check, got ${publishes.length} publishes`);
    const first = publishes[0];
    const lastLine = text.slice(0, FIRST_LOOK_CHARS + 500).split('\n').length;
    assert.ok(first.some((d) => d.code === 'money-float-type' && d.range.start.line === 1), 'the first look misses a statement-scoped finding at the top');
    assert.ok(first.some((d) => d.code === 'syntax-error' && d.range.start.line === 3), 'the first look misses the syntax error at the top');
    assert.ok(first.every((d) => d.range.start.line < lastLine), 'the first look reaches beyond the first screenfuls');
    const finalSet = new Set(last.map(comparable));
    const wrong = first.filter((d) => !finalSet.has(comparable(d)));
    assert.deepEqual(wrong.map((d) => `${d.code} line ${d.range.start.line}`), [], 'the first look published findings the full check does not');
    assert.ok(first.length < last.length);
    // The cases a first look could get wrong do occur in the final publish's view of the file.
    assert.ok(!last.some((d) => d.code === 'not-in-subquery'), 'disable-file on the last line is ignored');
    assert.ok(!last.some((d) => d.code === 'unindexed-foreign-key' && d.range.start.line === 1), 'the index at the end is not seen');
    assert.ok(last.some((d) => FILE_RULES.has(String(d.code)) && d.range.start.line < lastLine), 'no file-scoped finding in the first screenfuls: the test proves nothing');
  });

  it('a re-check after an edit publishes once, the full check (no first look over standing diagnostics)', async () => {
    const file = path.join(dir, 'edited.sql');
    const uri = pathToFileURL(file).href;
    const opened = client.diagnostics(uri, (d) => d.some((x) => FILE_RULES.has(String(x.code))), 120_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await opened;
    const publishes: Diagnostic[][] = [];
    const next = client.diagnostics(uri, (d, p) => (publishes.push(d), p.version === 2), 120_000);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- edited\n' }],
    });
    const after = await next;
    assert.equal(publishes.length, 1);
    assert.ok(after.some((x) => FILE_RULES.has(String(x.code))), 'the re-check published a partial set');
  });
});
