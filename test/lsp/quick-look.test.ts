// A keystroke in a big file is published twice: a quick look (the edited statements checked by the
// statement rules, every other diagnostic moved with the text) and the complete check once typing
// pauses. The look must show what the complete check shows wherever the edit only touches statement
// rules' findings, and a code action asked before the complete check must still get its fix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { startServer, type PublishedDiagnostics, type TestClient } from '../lib/lsp-client';
import { VSCODE_CODE_ACTIONS } from './vscode-like-client';

/** The server with its debounce and typing pause held back: only what an edit publishes at once arrives. */
const HELD_TIMERS_SERVER = path.join(__dirname, 'held-timers-server.js');

const NOT_IN = 'SELECT id FROM payments WHERE id NOT IN (SELECT payment_id FROM refunds)';

/** Over 200,000 characters (a big file), with statement-rule and file-rule findings spread through it. */
function bigFile(): string {
  const parts = ['CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL);'];
  for (let i = 0; i < 4000; i++) {
    if (i % 400 === 7) parts.push(NOT_IN);
    else if (i % 400 === 207) parts.push(`BEGIN;\nCREATE INDEX payments_amount_${i} ON payments (amount_minor);\nCOMMIT`);
    else parts.push(`SELECT id, amount_minor FROM payments WHERE id = ${i}`);
  }
  return parts.join(';\n\n') + ';\n';
}

const EDITED = 'SELECT id, amount_minor FROM payments WHERE id = 2000';
/** The edit: one query becomes two lines with a NOT IN finding, moving every later diagnostic a line down. */
const REPLACEMENT = 'SELECT id FROM payments\nWHERE id NOT IN (SELECT payment_id FROM refunds)';

const shape = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

describe('quick look at an edit of a big file', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-quick-look-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Opens the big file and waits for its complete check; publishes of the file are recorded. */
  async function opened(client: TestClient, name: string): Promise<{ uri: string; text: string; publishes: PublishedDiagnostics[]; first: Diagnostic[] }> {
    const uri = pathToFileURL(path.join(dir, name)).href;
    const text = bigFile();
    assert.ok(text.length > 200_000, 'a big file');
    const publishes: PublishedDiagnostics[] = [];
    client.onPublish((p) => p.uri === uri && publishes.push(p));
    const lines = text.split('\n').length;
    // The first look of an opened big file covers its first screenfuls only: the complete check reaches its second half.
    const complete = client.diagnostics(uri, (d) => d.some((x) => x.range.start.line > lines / 2), 120_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    return { uri, text, publishes, first: await complete };
  }

  async function edit(client: TestClient, uri: string, text: string): Promise<string> {
    const at = text.indexOf(EDITED);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: positionAt(text, at), end: positionAt(text, at + EDITED.length) }, text: REPLACEMENT }],
    });
    return text.slice(0, at) + REPLACEMENT + text.slice(at + EDITED.length);
  }

  it('shows the edited statement findings at once, moves the others, and agrees with the complete check', async () => {
    const client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: 0, logLevel: 'debug' }, undefined, undefined, { textDocument: { ...VSCODE_CODE_ACTIONS, publishDiagnostics: { dataSupport: true, versionSupport: true } } });
    try {
      const { uri, text, publishes, first } = await opened(client, 'look.sql');
      const editLine = positionAt(text, text.indexOf(EDITED)).line;
      const later = first.filter((d) => d.range.start.line > editLine);
      assert.ok(later.some((d) => d.code === 'not-in-subquery') && later.some((d) => d.code !== 'not-in-subquery'), `statement-rule and other findings after the edit: ${[...new Set(later.map((d) => d.code))].join(', ')}`);
      const seen = publishes.length;
      const completeCheck = client.diagnostics(uri, (_d, p) => p.version === 2 && publishes.slice(seen).filter((x) => x.version === 2).length === 2, 60_000);
      await edit(client, uri, text);
      const complete = await completeCheck;
      const [look] = publishes.slice(seen).filter((p) => p.version === 2);
      assert.match(client.stderr(), /Looked at an edit of .*look\.sql/);
      assert.ok(look.diagnostics.some((d) => d.code === 'not-in-subquery' && d.range.start.line === editLine + 1), 'the new finding, on the second line of the edited statement');
      assert.deepEqual(look.diagnostics.map(shape).sort(), complete.map(shape).sort());
      assert.notDeepEqual(look.diagnostics.map(shape).sort(), first.map(shape).sort(), 'the edit moved diagnostics (else the comparison shows nothing)');
    } finally {
      await client.stop();
    }
  });

  it('answers a code action asked before the complete check with the fix of a finding the look showed', async () => {
    const client = await startServer(pathToFileURL(dir).href, {}, undefined, undefined, { textDocument: { ...VSCODE_CODE_ACTIONS, publishDiagnostics: { dataSupport: true, versionSupport: true } } });
    try {
      const { uri, text } = await opened(client, 'action.sql');
      const look = client.diagnostics(uri, (_d, p) => p.version === 2, 60_000);
      await edit(client, uri, text);
      const editLine = positionAt(text, text.indexOf(EDITED)).line;
      const found = (await look).find((d) => d.code === 'not-in-subquery' && d.range.start.line === editLine + 1);
      assert.ok(found, 'the look shows the new finding');
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: found.range, context: { diagnostics: [found] } })) as CodeAction[];
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Rewrite as NOT EXISTS'), `no rewrite among: ${titles.join(' | ')}`);
    } finally {
      await client.stop();
    }
  });

  it('looks at an edit for a client that takes fixes inline (Neovim, Helix), its fixes moved with the text', async () => {
    const client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: 0, logLevel: 'debug' });
    try {
      const { uri, text, publishes } = await opened(client, 'inline.sql');
      const seen = publishes.length;
      const completeCheck = client.diagnostics(uri, (_d, p) => p.version === 2 && publishes.slice(seen).filter((x) => x.version === 2).length === 2, 60_000);
      await edit(client, uri, text);
      const complete = await completeCheck;
      const [look] = publishes.slice(seen).filter((p) => p.version === 2);
      assert.match(client.stderr(), /Looked at an edit of .*inline\.sql/);
      const editLine = positionAt(text, text.indexOf(EDITED)).line;
      const fixesOf = (d: Diagnostic) => (d.data as { fixes?: Array<{ edits: Array<{ range: Diagnostic['range'] }> }> } | undefined)?.fixes ?? [];
      const movedFixes = look.diagnostics.filter((d) => d.range.start.line > editLine + 1 && fixesOf(d).length);
      assert.ok(movedFixes.length >= 5, `diagnostics with inline fixes moved a line down: ${movedFixes.length}`);
      // The fixes' ranges were moved, not left where they were: each still covers what it covered before the edit.
      assert.deepEqual(look.diagnostics.map((d) => [shape(d), d.data]).sort(), complete.map((d) => [shape(d), d.data]).sort());
      const firstEdit = fixesOf(movedFixes[0])[0].edits[0].range;
      assert.ok(firstEdit.start.line > editLine + 1, `the fix edit of a later finding lies after the edit: ${JSON.stringify(firstEdit)}`);
    } finally {
      await client.stop();
    }
  });

  it('withholds the inline fix of a finding in the statement just typed in, and the code action still gets it', async () => {
    const client = await startServer(pathToFileURL(dir).href, { logLevel: 'debug' }, undefined, undefined, { textDocument: { publishDiagnostics: { dataSupport: true, versionSupport: true } } });
    try {
      const { uri, text, publishes } = await opened(client, 'withheld.sql');
      // A column renamed in the CREATE TABLE (id to idx): money-amount-unconstrained is a file rule's finding there, its fix constrains the column.
      const at = text.indexOf('(id bigint') + 3;
      const look = client.diagnostics(uri, (_d, p) => p.version === 2, 60_000);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: positionAt(text, at), end: positionAt(text, at) }, text: 'x' }],
      });
      const found = (await look).find((d) => d.code === 'money-amount-unconstrained');
      assert.ok(found, 'the look carries the finding');
      assert.equal(found.data, undefined, 'its fix is withheld until the complete check');
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: found.range, context: { diagnostics: [found] } })) as CodeAction[];
      const titles = actions.map((a) => a.title);
      assert.ok(titles.some((t) => t.startsWith('Constrain payments.amount_minor')), `no fix constraining the amount among: ${titles.join(' | ')}`);
      assert.match(client.stderr(), /Looked at an edit of .*withheld\.sql/);
    } finally {
      await client.stop();
    }
  });

  it('publishes the look without waiting for a timer, once for edits received together', async () => {
    const client = await startServer(pathToFileURL(dir).href, { maxDiagnosticsPerFile: 0, logLevel: 'debug' }, undefined, HELD_TIMERS_SERVER);
    try {
      const { uri, text, publishes } = await opened(client, 'at-once.sql');
      const editLine = positionAt(text, text.indexOf(EDITED)).line;
      const seen = publishes.length;
      const look = client.diagnostics(uri, (_d, p) => p.version === 3, 20_000);
      const logged: string[] = [];
      const lookLogged = new Promise<void>((resolve) => client.onLog((m) => /^Looked at an edit of .*at-once\.sql/.test(m) && logged.push(m) && resolve()));
      // Two keystrokes in one write: the server reads them together, as keys typed while it was busy.
      const at = positionAt(text, text.indexOf(EDITED));
      const change = (version: number, character: number) => {
        const body = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ range: { start: { ...at, character }, end: { ...at, character } }, text: 'x' }] } });
        return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      };
      client.process.stdin!.write(change(2, at.character) + change(3, at.character + 1));
      const shown = await look;
      assert.deepEqual(publishes.slice(seen).map((p) => p.version), [3], 'one publish, the look at the second edit');
      await lookLogged;
      assert.equal(logged.length, 1, 'one look');
      assert.ok(shown.some((d) => d.code === 'syntax-error' && d.range.start.line === editLine), `the typo's syntax error: ${shown.filter((d) => d.range.start.line === editLine).map(shape).join('; ')}`);
    } finally {
      await client.stop();
    }
  });
});
