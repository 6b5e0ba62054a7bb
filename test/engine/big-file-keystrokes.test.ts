// Keystrokes in a big file through the real server over stdio (lsp/document-checks.ts): once the file
// was checked, a small edit is checked without a split of the whole file or a prewarm (after a quick
// look, which test/lsp/quick-look* cover), a big paste still goes through the sliced check. Either
// way each complete check must equal a fresh check of its text.
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
import { LineIndex } from '../../server/src/sql/offsets';
import { initParser } from '../../server/src/sql/parser';
import { generateSqlFile } from '../../bench/lib/generate';
import { startServer, type PublishedDiagnostics, type TestClient } from '../lib/lsp-client';
import { seededRandom } from '../lib/seeded-random';

const comparable = (d: Diagnostic) => JSON.stringify({ range: d.range, severity: d.severity, code: d.code, message: d.message });

describe('keystrokes in a big checked file', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    await initParser();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-big-keystrokes-'));
    // Every finding published: the publish is compared with a whole fresh check.
    // At debug level the server logs each complete check ("Linted ..."): its publish is the one compared.
    client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: 0, logLevel: 'debug' });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes what a fresh check finds after small edits and after a big paste', async () => {
    let text = generateSqlFile(2_500);
    assert.ok(text.length > SLICE_ABOVE_CHARS, 'the file is not big enough to be checked in slices');
    const file = path.join(dir, 'big.sql');
    const uri = pathToFileURL(file).href;
    // The complete check (not the first look at the opening screenfuls): a finding in the last quarter.
    const complete = (d: Diagnostic[], t: string) => d.some((x) => x.range.start.line > (t.split('\n').length * 3) / 4);
    let opened = client.diagnostics(uri, (d, p) => p.version === 1 && complete(d, text), 120_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await opened;

    // The server logs "Linted" right after a complete check's publish (a quick look's is not followed by one).
    const events: Array<PublishedDiagnostics | 'linted'> = [];
    client.onPublish((p) => p.uri === uri && events.push(p));
    client.onLog((m) => m.startsWith(`Linted ${uri} `) && events.push('linted'));
    const completeCheckOf = (version: number): Diagnostic[] | undefined => {
      for (let i = events.length - 2; i >= 0; i--) {
        const e = events[i];
        if (e !== 'linted' && e.version === version && events[i + 1] === 'linted') return e.diagnostics;
      }
      return undefined;
    };

    const random = seededRandom(18);
    const expectFresh = async (version: number, change: { start: number; end: number; text: string }) => {
      const lines = new LineIndex(text);
      const range = { start: lines.positionAt(change.start), end: lines.positionAt(change.end) };
      text = text.slice(0, change.start) + change.text + text.slice(change.end);
      const after = text;
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: change.text }] });
      const deadline = Date.now() + 120_000;
      while (!completeCheckOf(version) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const got = completeCheckOf(version) ?? [];
      const fresh = new Project(dir).lint(file, after, { open: true });
      const expected = fresh.findings.map((f) => toDiagnostic(fresh.file.lines, f));
      assert.deepEqual(got.map(comparable), expected.map(comparable), `version ${version} differs from a fresh check of its text`);
    };
    let version = 1;
    // Small edits: a space, a removed character, a line break, a new statement typed in.
    for (let k = 0; k < 4; k++) {
      const at = Math.floor(random() * (text.length - 10));
      const edit = [
        { start: at, end: at, text: ' ' },
        { start: at, end: at + 1, text: '' },
        { start: at, end: at, text: '\n' },
        { start: at, end: at, text: ";\nUPDATE wallets SET balance = 0;\n" },
      ][k];
      await expectFresh(++version, edit);
    }
    // A paste of 300 other statements over 30,000 characters in the middle: more than a keystroke.
    const middle = Math.floor(text.length / 2);
    const from = text.indexOf(';\n\n', middle) + 3;
    const to = text.indexOf(';\n\n', from + 30_000) + 3;
    await expectFresh(++version, { start: from, end: to, text: generateSqlFile(300, 7) });
    // And keystrokes after it.
    await expectFresh(++version, { start: from + 5, end: from + 5, text: 'x' });
  });
});
