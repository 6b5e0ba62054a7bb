// ledgerlint.maxDiagnosticsPerFile over real JSON-RPC: a file with more findings than the cap
// publishes exactly the cap (errors first, then what the user looks at, then file order) with a
// notice counting the rest; scrolling out of what was published republishes, scrolling inside does
// not; 0 publishes everything; fix-all and quick fixes still reach every finding.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';
import { isNotice, moneyLines, view } from './capped-diagnostics';
import { VSCODE_CODE_ACTIONS } from './vscode-like-client';

const LINES = 400;
const ERROR_LINES = [390, 395];
const CAP = 150;
/** One finding per line: a money column as a float (a warning here), two syntax errors near the end. */
const SQL = Array.from({ length: LINES }, (_, i) => (ERROR_LINES.includes(i) ? `SELEC ${i};` : `CREATE TABLE t${i} (id bigint PRIMARY KEY, amount double precision);`)).join('\n') + '\n';


describe('publish cap: at most ledgerlint.maxDiagnosticsPerFile diagnostics per file', () => {
  let dir: string;
  let root: string;
  const settings: Record<string, unknown> = { maxDiagnosticsPerFile: CAP };
  let client: TestClient;
  let vscodeLike: TestClient;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-cap-'));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['syntax-error', 'money-float-type'], { 'money-float-type': 'warning' }) }));
    root = pathToFileURL(dir).href;
    [client, vscodeLike] = await Promise.all([
      startServer(root, settings, undefined, undefined, { recordBytes: true }),
      startServer(root, { maxDiagnosticsPerFile: CAP }, undefined, undefined, { recordBytes: true, textDocument: { ...VSCODE_CODE_ACTIONS, publishDiagnostics: { codeDescriptionSupport: true, dataSupport: true, versionSupport: true } } }),
    ]);
  });
  after(async () => {
    await Promise.all([client?.stop(), vscodeLike?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a file and waits for its publish that `until` accepts: a check made before the settings arrived has the default cap. */
  async function open(c: TestClient, name: string, text: string, until: (d: Diagnostic[]) => boolean): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = pathToFileURL(path.join(dir, name)).href;
    const wait = c.diagnostics(uri, (d, p) => p.version === 1 && until(d), 60_000);
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    return { uri, diagnostics: await wait };
  }

  it('without visible ranges: the cap exactly, errors first, then file order, and a notice counting the rest', async () => {
    const { diagnostics } = await open(client, 'a.sql', SQL, (d) => d.some(isNotice));
    assert.equal(diagnostics.length, CAP);
    const notices = diagnostics.filter(isNotice);
    assert.equal(notices.length, 1);
    assert.equal(notices[0].severity, 3);
    assert.match(String(notices[0].message), /found 400 problems in this file and shows 149/);
    assert.match(String(notices[0].message), /251 more are not shown \(251 warnings\)/);
    assert.match(String(notices[0].message), /npx ledgerlint check a\.sql/);
    assert.match(String(notices[0].message), /ledgerlint\.maxDiagnosticsPerFile \(now 150; 0 shows all\)/);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'syntax-error').map((d) => d.range.start.line), ERROR_LINES);
    assert.deepEqual(moneyLines(diagnostics), Array.from({ length: CAP - 3 }, (_, i) => i));
    assert.equal(diagnostics[0].codeDescription, undefined, 'a client without codeDescriptionSupport gets no docs links');
  });

  it('visible ranges move what is published; a scroll inside the window does not republish, one outside does', async () => {
    const uri = pathToFileURL(path.join(dir, 'a.sql')).href;
    let wait = client.diagnostics(uri, (d) => moneyLines(d).includes(205), 10_000);
    await client.connection.sendNotification('ledgerlint/visibleRanges', view(uri, 200, 210));
    let published = await wait;
    assert.equal(published.length, CAP);
    const lines = moneyLines(published);
    // The window: the visible lines and 40 lines (at least three screens) on either side, all of them.
    for (let l = 160; l <= 250; l++) assert.ok(lines.includes(l), `line ${l} is in the window but not published`);
    assert.ok(!lines.includes(300), 'a line far below the window is published before the window was filled');
    assert.deepEqual(published.filter((d) => d.code === 'syntax-error').length, 2, 'errors stay first');
    // Re-checks the settings or the workspace index scheduled on a loaded machine publish too: wait them out.
    let publishes = -1;
    while (publishes !== client.publishedBytes(uri).length) {
      publishes = client.publishedBytes(uri).length;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await client.connection.sendNotification('ledgerlint/visibleRanges', view(uri, 190, 220));
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(client.publishedBytes(uri).length, publishes, 'a scroll inside the published window republished');
    wait = client.diagnostics(uri, (d) => moneyLines(d).includes(335), 10_000);
    await client.connection.sendNotification('ledgerlint/visibleRanges', view(uri, 330, 340));
    published = await wait;
    assert.equal(published.length, CAP);
    assert.equal(client.publishedBytes(uri).length, publishes + 1);
  });

  it('fix-all fixes every finding, published or not; a quick fix on a published diagnostic resolves', async () => {
    for (const c of [client, vscodeLike]) {
      const { uri, diagnostics } = await open(c, 'fix.sql', SQL, (d) => d.some(isNotice));
      assert.equal(diagnostics.length, CAP);
      const all = (await c.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes: Record<string, TextEdit[]> };
      assert.equal(all.changes[uri].length, LINES - ERROR_LINES.length, 'fix-all left out unpublished findings');
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, SQL), all.changes[uri]);
      assert.doesNotMatch(fixed, /double precision/);
      // The source.fixAll code action (VS Code's "Fix all" on save) too.
      const actions = (await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics: [], only: ['source.fixAll'] } })) as CodeAction[];
      assert.equal(actions.find((a) => a.kind === 'source.fixAll.ledgerlint')?.edit?.changes?.[uri].length, LINES - ERROR_LINES.length);
      const money = diagnostics.find((d) => d.code === 'money-float-type' && d.range.start.line === 100)!;
      const fixes = ((await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: money.range, context: { diagnostics: [money] } })) as CodeAction[]).filter((a) => !a.title.startsWith('Disable '));
      assert.equal(fixes.length, 1);
      assert.match(TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, SQL), fixes[0].edit!.changes![uri]), /CREATE TABLE t100 \(id bigint PRIMARY KEY, amount numeric\(19,4\)\);/);
    }
  });

  it('a quick fix resolves on a diagnostic published by a scroll', async () => {
    const uri = pathToFileURL(path.join(dir, 'fix.sql')).href;
    const wait = vscodeLike.diagnostics(uri, (d) => moneyLines(d).includes(300), 10_000);
    await vscodeLike.connection.sendNotification('ledgerlint/visibleRanges', view(uri, 295, 305));
    const money = (await wait).find((d) => d.code === 'money-float-type' && d.range.start.line === 300)!;
    assert.equal(typeof (money.data as { key?: unknown }).key, 'number', 'the VS Code-like client gets a key, not the fix');
    assert.match(String(money.codeDescription?.href), /docs\/rules\/money-float-type\.md$/, 'a client declaring codeDescriptionSupport gets the docs link');
    const fixes = ((await vscodeLike.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: money.range, context: { diagnostics: [money] } })) as CodeAction[]).filter((a) => !a.title.startsWith('Disable '));
    assert.equal(fixes.length, 1);
    assert.match(TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, SQL), fixes[0].edit!.changes![uri]), /CREATE TABLE t300 \(id bigint PRIMARY KEY, amount numeric\(19,4\)\);/);
  });

  it('a CRLF file (statements converted one by one) is capped the same, and fix-all still covers it', async () => {
    const crlf = SQL.replace(/\n/g, '\r\n');
    const { uri, diagnostics } = await open(client, 'crlf.sql', crlf, (d) => d.some(isNotice));
    assert.equal(diagnostics.length, CAP);
    assert.deepEqual(moneyLines(diagnostics), Array.from({ length: CAP - 3 }, (_, i) => i));
    assert.deepEqual(diagnostics.filter((d) => d.code === 'syntax-error').map((d) => d.range.start.line), ERROR_LINES);
    const all = (await client.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes: Record<string, TextEdit[]> };
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, crlf), all.changes[uri]);
    assert.equal(fixed, crlf.replace(/double precision/g, 'numeric(19,4)'));
  });

  it('bad visible ranges are ignored, never a crash', async () => {
    for (const junk of [null, {}, { editors: 'x' }, { editors: [{ uri: 1 }, { uri: 'file:///nope.sql', ranges: [null, { start: {} }] }] }]) await client.connection.sendNotification('ledgerlint/visibleRanges', junk);
    const { diagnostics } = await open(client, 'after-junk.sql', 'SELECT 1;\nCREATE TABLE x (amount real);\n', () => true);
    assert.equal(diagnostics.length, 1);
    assert.doesNotMatch(client.stderr(), /Unexpected error/);
  });

  it('the default cap is 1,000 and 0 publishes everything', async () => {
    delete settings.maxDiagnosticsPerFile;
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['syntax-error', 'money-float-type']) }));
    // a.sql's 400 findings fit the default cap: its republish says the new settings are in effect.
    const applied = client.diagnostics(pathToFileURL(path.join(dir, 'a.sql')).href, (d) => d.length === 400, 30_000);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await applied;
    const text = Array.from({ length: 1300 }, (_, i) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, amount real);`).join('\n') + '\n';
    const { uri, diagnostics } = await open(client, 'big.sql', text, (d) => d.some(isNotice));
    assert.equal(diagnostics.length, 1000);
    assert.match(String(diagnostics.find(isNotice)!.message), /found 1,300 problems in this file and shows 999: .* 301 more are not shown \(301 errors\)/);
    settings.maxDiagnosticsPerFile = 0;
    const all = client.diagnostics(uri, (d) => d.length !== 1000, 30_000);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const every = await all;
    assert.equal(every.length, 1300);
    assert.ok(!every.some(isNotice));
  });
});
