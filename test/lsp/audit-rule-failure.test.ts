// Issue 10: "a rule that throws is reported once in the log and does not suppress other findings",
// checked in the real server over JSON-RPC (SQL and Drizzle files, several edits), with one rule
// broken on purpose by audit-throwing-rule-server.ts. The engine-level test (test/engine) proves
// the linter catches the error; this one proves what a user sees: the other rules' diagnostics,
// and one log line naming the rule, not one per keystroke.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { Project } from '../../server/src/engine/project';
import { initParser } from '../../server/src/sql/parser';
import { startServer, type TestClient } from '../lib/lsp-client';
import { INJECTED_MESSAGE, THROWING_RULE } from './audit-throwing-rule-server';

const SERVER = path.join(__dirname, 'audit-throwing-rule-server.js');
const SQL = 'CREATE TABLE payments (id bigint PRIMARY KEY, amount real NOT NULL, meta json);\n';
const TS = [
  "import { bigint, json, pgTable, real } from 'drizzle-orm/pg-core';",
  "export const refunds = pgTable('refunds', { id: bigint('id', { mode: 'number' }).primaryKey(), amount: real('amount').notNull(), meta: json('meta') });",
  '',
].join('\n');

const codes = (d: Diagnostic[]) => new Set(d.map((x) => String(x.code)));
const failureLines = (log: string) => log.split('\n').filter((l) => l.includes(`Rule ${THROWING_RULE} failed`));

describe(`a rule that throws (${THROWING_RULE}, broken on purpose) in the real server`, () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-audit-rule-'));
    client = await startServer(pathToFileURL(dir).href, {}, undefined, SERVER);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the working build reports the broken rule on these inputs (so its absence below is the failure)', async () => {
    await initParser();
    const findings = new Project(undefined).lint('payments.sql', SQL).findings.map((f) => f.ruleId);
    assert.ok(findings.includes(THROWING_RULE), `${THROWING_RULE} does not report on the SQL input: ${findings.join(', ')}`);
    assert.ok(findings.includes('money-float-type'));
  });

  it('SQL: the other rules are published after every edit; the failure is logged once, naming the rule and the error', async () => {
    const uri = pathToFileURL(path.join(dir, 'payments.sql')).href;
    let text = SQL;
    const published = (version: number) => client.diagnostics(uri, (_d, p) => p.version === version, 30_000);
    let wait = published(1);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    for (let version = 1; version <= 4; version++) {
      const d = await wait;
      assert.ok(codes(d).has('money-float-type'), `version ${version}: money-float-type missing: ${[...codes(d)].join(', ')}`);
      assert.ok(!codes(d).has(THROWING_RULE), `version ${version}: the broken rule published a finding`);
      assert.equal(d.filter((x) => x.code === 'money-float-type').length, version, `version ${version}: one float money column per table`);
      if (version === 4) break;
      // Each edit adds a table: new statements, so the broken rule runs (and throws) again.
      text += `CREATE TABLE fees_${version} (id bigint PRIMARY KEY, fee double precision, meta json);\n`;
      wait = published(version + 1);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: version + 1 }, contentChanges: [{ text }] });
    }
    const lines = failureLines(client.stderr());
    assert.equal(lines.length, 1, `expected one log line for the broken rule, got ${lines.length}:\n${client.stderr()}`);
    assert.ok(client.stderr().includes(INJECTED_MESSAGE), 'the log does not say what the rule threw');
  });

  it('Drizzle (TypeScript): the other rules are published; the failure is not logged again', async () => {
    const uri = pathToFileURL(path.join(dir, 'schema.ts')).href;
    const wait = client.diagnostics(uri, (d) => d.length > 0, 60_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: TS } });
    const d = await wait;
    assert.ok(codes(d).has('money-float-type'), `money-float-type missing on the Drizzle table: ${[...codes(d)].join(', ')}`);
    assert.ok(!codes(d).has(THROWING_RULE), 'the broken rule published a finding');
    // A keystroke re-checks the file: still one line in the log for the whole server.
    const again = client.diagnostics(uri, (_d, p) => p.version === 2, 60_000);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: TS + '\n' }] });
    assert.ok(codes(await again).has('money-float-type'));
    assert.equal(failureLines(client.stderr()).length, 1, client.stderr());
  });
});
