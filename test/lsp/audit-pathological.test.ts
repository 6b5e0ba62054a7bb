// Issue 10: "a pathological file (5 MB, or 50,000 statements) never freezes the editor; the server
// reports what it skipped". large-file.test.ts covers 50,000 statements with a lowered
// ledgerlint.maxStatements; this covers the 5 MB file with the shipped defaults, where
// ledgerlint.maxFileSize (4,000,000 characters) is the limit that cuts, through the real server;
// and a 5 MB Drizzle schema in TypeScript, whose analysis cannot be sliced, so it must be skipped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { MAX_TYPESCRIPT_CHARS } from '../../server/src/lsp/typescript-checks';
import { startServer, type TestClient } from '../lib/lsp-client';

const LINES = 20_000;
const LINE_CHARS = 250;
const DEFAULT_MAX_FILE_SIZE = 4_000_000;
const HOVER_PATIENCE_MS = 20_000;

/** Line i is statement i, 250 characters with its newline; every 10th a table with a float money column. */
function fiveMegabytes(): string {
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const head = i % 10 === 0 ? `CREATE TABLE t_${i} (id bigint PRIMARY KEY, amount double precision NOT NULL);` : `SELECT id, amount_minor FROM ledger_entries WHERE account_id = ${i};`;
    lines.push(`${head} -- ${'x'.repeat(LINE_CHARS - head.length - 5)}`);
  }
  return lines.join('\n') + '\n';
}

describe('language server on a 5 MB SQL file with default settings', () => {
  let dir: string;
  let client: TestClient;
  const text = fiveMegabytes();

  before(async () => {
    assert.equal(text.length, LINES * LINE_CHARS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-audit-5mb-'));
    // Every finding of the checked part is counted: no ledgerlint.maxDiagnosticsPerFile cap.
    client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: 0 });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stays responsive while checking, checks the first 4,000,000 characters and says what it skipped', async () => {
    const uri = pathToFileURL(path.join(dir, 'dump.sql')).href;
    // Lines whose statement ends within the size limit are checked; the cut falls between statements.
    const checkedLines = Math.floor(DEFAULT_MAX_FILE_SIZE / LINE_CHARS);
    const expectedFindings = Math.ceil(checkedLines / 10);
    let doneAt = 0;
    const complete = (d: Diagnostic[]) => d.some((x) => x.code === 'large-file') && d.filter((x) => x.code === 'money-float-type').length >= expectedFindings - 1;
    const diagnostics = client.diagnostics(uri, complete, 120_000).then((d) => ((doneAt = performance.now()), d));
    const openedAt = performance.now();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const latencies: number[] = [];
    while (!doneAt && performance.now() - openedAt < 120_000) {
      await new Promise((r) => setTimeout(r, 100));
      if (doneAt) break;
      const sent = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } });
      if (!doneAt) latencies.push(performance.now() - sent);
    }
    const diags = await diagnostics;
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    console.log(`5 MB file: complete diagnostics after ${(doneAt - openedAt).toFixed(0)} ms; ${latencies.length} hovers answered meanwhile, median ${median?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`);
    // A frozen server would answer only after the whole check; the latencies are printed, not timed.
    assert.ok(latencies.length >= 1, 'no hover was answered while the file was being checked');

    const notice = diags.find((d) => d.code === 'large-file');
    assert.ok(notice, 'no notice of the skipped part');
    assert.equal(notice.range.start.line, 0);
    assert.equal(notice.severity, 3);
    assert.match(String(notice.message), /over ledgerlint\.maxFileSize \(4,000,000 of 5,000,000 characters fit\)/);
    assert.match(String(notice.message), new RegExp(`first ${checkedLines.toLocaleString('en')} of ${LINES.toLocaleString('en')} statements`));
    const findings = diags.filter((d) => d.code === 'money-float-type');
    assert.equal(findings.length, expectedFindings, 'every float money column of the checked part is reported');
    assert.ok(findings.every((d) => d.range.start.line < checkedLines), 'a finding in the skipped part');
    assert.match(client.stderr(), /over ledgerlint\.maxFileSize/, 'the log does not say what was skipped');
  });
});

/** A generated Drizzle schema of at least `chars` characters: one table per 12 lines, a float money column in each. */
function drizzleSchema(chars: number): { text: string; tables: number } {
  const out = ["import { bigint, doublePrecision, pgTable, text } from 'drizzle-orm/pg-core';", ''];
  let size = out.join('\n').length;
  let tables = 0;
  while (size < chars) {
    const block = [
      `export const ledger${tables} = pgTable('ledger_${tables}', {`,
      "  id: bigint('id', { mode: 'number' }).primaryKey(),",
      "  fee: doublePrecision('fee'),",
      "  currency: text('currency').notNull(),",
      '});',
      '',
    ].join('\n');
    out.push(block);
    size += block.length + 1;
    tables++;
  }
  return { text: out.join('\n'), tables };
}

describe('language server on a 5 MB Drizzle schema (TypeScript)', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-audit-5mb-ts-'));
    // Every finding of the schema under the limit is counted: no ledgerlint.maxDiagnosticsPerFile cap.
    client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: 0 });
  });
  after(async () => {
    // A frozen server never answers shutdown: do not wait for it.
    await Promise.race([client?.stop(), new Promise((r) => setTimeout(r, 5000))]);
    client?.process.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is not analysed (a notice on line 1 says so) and the server keeps answering for other files', async () => {
    const sqlUri = pathToFileURL(path.join(dir, 'q.sql')).href;
    const sqlReady = client.diagnostics(sqlUri, () => true, 60_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: sqlUri, languageId: 'sql', version: 1, text: 'CREATE TABLE t (amount real);\n' } });
    await sqlReady;

    const uri = pathToFileURL(path.join(dir, 'schema.ts')).href;
    const { text } = drizzleSchema(5_000_000);
    let doneAt = 0;
    // The notice needs no analysis: a minute is plenty even on a loaded machine, and a frozen server fails in about that.
    const published = client.diagnostics(uri, () => true, 60_000).then((d) => ((doneAt = performance.now()), d));
    const openedAt = performance.now();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    const latencies: number[] = [];
    while (!doneAt && performance.now() - openedAt < 60_000) {
      const sent = performance.now();
      const hover = client.connection.sendRequest('textDocument/hover', { textDocument: { uri: sqlUri }, position: { line: 0, character: 3 } });
      // A server busy analysing 5 MB answers only after minutes: give up on it, not on the whole test run.
      const answered = await Promise.race([hover.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), HOVER_PATIENCE_MS))]);
      latencies.push(performance.now() - sent);
      if (!answered) assert.fail(`a hover on another file got no answer within ${HOVER_PATIENCE_MS} ms of opening the 5 MB schema: the server is frozen`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const diags = await published;
    const max = Math.max(...latencies);
    console.log(`5 MB Drizzle schema: published after ${(doneAt - openedAt).toFixed(0)} ms; ${latencies.length} hovers on another file meanwhile, slowest ${max.toFixed(0)} ms`);
    assert.deepEqual(diags.map((d) => d.code), ['large-file'], `expected only the notice, got ${diags.length} diagnostics`);
    assert.equal(diags[0].range.start.line, 0);
    assert.equal(diags[0].severity, 3);
    assert.match(String(diags[0].message), /did not check this file: it has 5,000,\d{3} characters, over the 500,000/);
    assert.ok(max < 5000, `a hover on another file waited ${max.toFixed(0)} ms`);
    assert.match(client.stderr(), /did not check this file/);
  });

  it('a schema just under the limit is still checked in full', async () => {
    const uri = pathToFileURL(path.join(dir, 'big-but-fine.ts')).href;
    const { text, tables } = drizzleSchema(MAX_TYPESCRIPT_CHARS - 200);
    assert.ok(text.length <= MAX_TYPESCRIPT_CHARS);
    const published = client.diagnostics(uri, () => true, 240_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    const diags = await published;
    assert.equal(diags.filter((d) => d.code === 'large-file').length, 0);
    assert.equal(diags.filter((d) => d.code === 'money-float-type').length, tables, 'one float money column per table');
  });
});
