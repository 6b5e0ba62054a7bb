// ledgerlint.json with errors (issue 10), over real JSON-RPC: a half-typed file saved to disk (how VS
// Code delivers it: it does not sync JSON documents to this server) or edited in an editor that
// does sync it gets a diagnostic at the right line, the last valid settings stay in effect meanwhile,
// and fixing the file clears the diagnostic and applies the new settings.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const FEES = 'CREATE TABLE fees (id bigint PRIMARY KEY, fee real);\n';
const configText = (moneyFloat: string) => JSON.stringify({ rules: onlyRules(['money-float-type'], { 'money-float-type': moneyFloat }) }, null, 2);
const money = (d: Diagnostic[]) => d.filter((x) => x.code === 'money-float-type');

describe('ledgerlint.json with errors', () => {
  let dir: string;
  let client: TestClient;
  let configUri: string;
  let sqlUri: string;
  const saved = async (text: string) => {
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
  };

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-config-')));
    configUri = pathToFileURL(path.join(dir, 'ledgerlint.json')).href;
    sqlUri = pathToFileURL(path.join(dir, 'fees.sql')).href;
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), configText('warning'));
    client = await startServer(pathToFileURL(dir).href);
    const wait = client.diagnostics(sqlUri, (d) => money(d).length === 1);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: sqlUri, languageId: 'sql', version: 1, text: FEES } });
    assert.equal(money(await wait)[0].severity, 2, 'warning, from the file');
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a half-typed file saved to disk: a diagnostic on the line of the error; the last valid settings stay', async () => {
    const broken = configText('error').replace('"money-float-type": "error"', '"money-float-type": "error" "select-star": "off"');
    const line = broken.split('\n').findIndex((l) => l.includes('"select-star"'));
    const wait = client.diagnostics(configUri, (d) => d.length > 0);
    const republished: Diagnostic[][] = [];
    const watch = client.diagnostics(sqlUri, (d) => (republished.push(d), false), 1500).catch(() => undefined);
    await saved(broken);
    const diags = await wait;
    assert.equal(diags.length, 1);
    assert.match(String(diags[0].message), /not valid JSON.*keeps the last valid settings/);
    assert.equal(diags[0].range.start.line, line, 'on the line of the error, not line 1');
    assert.equal(diags[0].severity, 1);
    await watch;
    // Every re-check while the file is broken still uses "warning", not the defaults.
    assert.ok(republished.every((d) => money(d).length === 1 && money(d)[0].severity === 2), JSON.stringify(republished));
  });

  it('fixed: the diagnostic is cleared and the new settings apply', async () => {
    const cleared = client.diagnostics(configUri, (d) => d.length === 0);
    const applied = client.diagnostics(sqlUri, (d) => money(d).length === 1 && money(d)[0].severity === 1);
    await saved(configText('error'));
    await cleared;
    await applied;
  });

  it('an editor that syncs the JSON document: a diagnostic while typing, gone once the edit is valid', async () => {
    const valid = configText('hint');
    const wait = client.diagnostics(configUri, (d) => d.length > 0);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: configUri, languageId: 'json', version: 1, text: valid.slice(0, 40) } });
    const diags = await wait;
    assert.match(String(diags[0].message), /not valid JSON/);
    const cleared = client.diagnostics(configUri, (d) => d.length === 0);
    const applied = client.diagnostics(sqlUri, (d) => money(d).length === 1 && money(d)[0].severity === 4);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: configUri, version: 2 }, contentChanges: [{ text: valid }] });
    await cleared;
    await applied;
  });
});
