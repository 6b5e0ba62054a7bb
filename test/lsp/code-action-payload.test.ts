// Fixes travel with the code actions, not with every diagnostic, when the client resolves code
// actions (VS Code): the same quick fixes and fix-all edits as a client that gets them inline,
// a stale request never edits at a wrong offset, and a publish carries no fix text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';
import { generateSqlFile } from '../../bench/lib/generate';
import { startServerWith, VSCODE_CODE_ACTIONS } from './vscode-like-client';

const SQL = [
  'CREATE TABLE payments (',
  '  id bigint PRIMARY KEY,',
  '  amount double precision NOT NULL',
  ');',
  'SELECT 1;',
  'CREATE TABLE fees (id bigint PRIMARY KEY, fee real);',
  '',
].join('\n');

type Client = TestClient & { publishedBytes?(uri: string): number[] };

describe('code action payload: fixes resolved from the stored findings', () => {
  let dir: string;
  let inline: Client;
  let resolving: Client & { publishedBytes(uri: string): number[] };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-payload-'));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['syntax-error', 'money-float-type']) }));
    const root = pathToFileURL(dir).href;
    [inline, resolving] = await Promise.all([startServer(root), startServerWith(VSCODE_CODE_ACTIONS, root)]);
  });
  after(async () => {
    await Promise.all([inline?.stop(), resolving?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(client: Client, name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = pathToFileURL(path.join(dir, name)).href;
    const wait = client.diagnostics(uri, (_d, p) => p.version === 1, 60_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    return { uri, diagnostics: await wait };
  }

  const quickFixes = async (client: Client, uri: string, d: Diagnostic) =>
    ((await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[]).filter(
      (a) => !a.title.startsWith('Disable '),
    );

  it('publishes no fix text to a resolving client, fixes inline to the others, and no empty fields', async () => {
    const a = await open(inline, 'a.sql', SQL);
    const b = await open(resolving, 'a.sql', SQL);
    assert.deepEqual(b.diagnostics.map((d) => [d.code, d.range]), a.diagnostics.map((d) => [d.code, d.range]));
    assert.equal(a.diagnostics.filter((d) => (d.data as { fixes?: unknown[] })?.fixes?.length).length, 2, 'the inline client gets both money fixes');
    for (const d of b.diagnostics) {
      assert.doesNotMatch(JSON.stringify(d), /newText|"fixes"|"edits"/, `fix text in ${JSON.stringify(d)}`);
      assert.equal(typeof (d.data as { key?: unknown }).key, 'number');
    }
    for (const d of [...a.diagnostics, ...b.diagnostics]) assert.doesNotMatch(JSON.stringify(d), /"fixes":\[\]|"preferred":false|"data":\{\}/);
  });

  it('fix-all gives the same edits with and without resolve support', async () => {
    const uri = pathToFileURL(path.join(dir, 'a.sql')).href;
    const a = (await inline.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes: Record<string, TextEdit[]> };
    const b = (await resolving.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes: Record<string, TextEdit[]> };
    assert.deepEqual(b, a);
    assert.deepEqual(a.changes[uri].map((e) => e.newText), ['numeric(19,4)', 'numeric(19,4)']);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, SQL), b.changes[uri]);
    assert.match(fixed, /amount numeric\(19,4\) NOT NULL/);
    assert.match(fixed, /fee numeric\(19,4\)\)/);
  });

  it('the quick fix of each diagnostic is the same edit for both clients', async () => {
    const a = await open(inline, 'q.sql', SQL);
    const b = await open(resolving, 'q.sql', SQL);
    for (let i = 0; i < a.diagnostics.length; i++) {
      const fa = await quickFixes(inline, a.uri, a.diagnostics[i]);
      const fb = await quickFixes(resolving, b.uri, b.diagnostics[i]);
      assert.equal(fa.length, 1, `one fix for ${a.diagnostics[i].code}`);
      // The diagnostics the actions point back to differ (inline fixes vs a key); the edits must not.
      assert.deepEqual(fb.map(({ diagnostics: _d, ...rest }) => rest), fa.map(({ diagnostics: _d, ...rest }) => rest));
    }
  });

  it('a stale code action answers with the current fix, or with none, never an edit at an old offset', async () => {
    const { uri, diagnostics } = await open(resolving, 'stale.sql', SQL);
    const [payments, fees] = diagnostics;
    // An edit after payments' statement: its finding is the same one, its fix still applies.
    const insertAt = { line: 4, character: 0 };
    await resolving.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: insertAt, end: insertAt }, text: 'SELECT 2;\n' }] });
    let text = TextDocument.update(TextDocument.create(uri, 'sql', 1, SQL), [{ range: { start: insertAt, end: insertAt }, text: 'SELECT 2;\n' }], 2);
    const same = await quickFixes(resolving, uri, payments);
    assert.equal(same.length, 1);
    assert.match(TextDocument.applyEdits(text, same[0].edit!.changes![uri]), /\n {2}amount numeric\(19,4\) NOT NULL\n/);
    // A line above every statement moves them all: the old diagnostics' fixes would land one line up.
    const top = { line: 0, character: 0 };
    await resolving.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: top, end: top }, text: '-- moved\n' }] });
    text = TextDocument.update(text, [{ range: { start: top, end: top }, text: '-- moved\n' }], 3);
    for (const stale of [payments, fees]) {
      for (const action of await quickFixes(resolving, uri, stale)) {
        const out = TextDocument.applyEdits(text, action.edit!.changes![uri]);
        const current = text.getText();
        const right = [current.replace('double precision', 'numeric(19,4)'), current.replace('fee real', 'fee numeric(19,4)')];
        assert.ok(right.includes(out), `the stale fix "${action.title}" edited the wrong text:\n${out}`);
      }
    }
    const all = (await resolving.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes: Record<string, TextEdit[]> };
    assert.match(TextDocument.applyEdits(text, all.changes[uri]), /^-- moved\nCREATE TABLE payments \(\n {2}id bigint PRIMARY KEY,\n {2}amount numeric\(19,4\) NOT NULL\n\);\nSELECT 2;\nSELECT 1;\nCREATE TABLE fees \(id bigint PRIMARY KEY, fee numeric\(19,4\)\);\n$/);
  });

  it('bytes per publish: a resolving client gets less, and no fix text, for a file with every rule on', async () => {
    const text = generateSqlFile(300);
    const name = 'big.sql';
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({}));
    const uri = pathToFileURL(path.join(dir, name)).href;
    // Settings are re-read on a config change; both servers see the same file.
    for (const c of [inline, resolving]) await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const [a, b] = await Promise.all([open(inline, name, text), open(resolving, name, text)]);
    const bytes = (ds: Diagnostic[]) => Buffer.byteLength(JSON.stringify(ds));
    const withFixes = a.diagnostics.filter((d) => (d.data as { fixes?: unknown[] } | undefined)?.fixes?.length).length;
    assert.ok(withFixes > 50, `the generated file has findings with fixes (${withFixes})`);
    assert.equal(b.diagnostics.length, a.diagnostics.length);
    assert.doesNotMatch(JSON.stringify(b.diagnostics), /newText|"fixes"/);
    assert.ok(bytes(b.diagnostics) < bytes(a.diagnostics), `${bytes(b.diagnostics)} >= ${bytes(a.diagnostics)}`);
    console.log(`${a.diagnostics.length} diagnostics (${withFixes} with fixes): ${bytes(a.diagnostics)} bytes inline, ${bytes(b.diagnostics)} bytes for a resolving client; whole publish ${resolving.publishedBytes(uri).at(-1)} bytes`);
  });
});
