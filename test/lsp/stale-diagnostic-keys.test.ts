// A client that resolves fixes by key (VS Code) asks for code actions with the diagnostics it shows.
// When another file's edit re-checks an open file, its findings are made anew with new keys, and
// until the client has the new publish it asks with the old ones: the quick fix must still come
// (the same rule at the same range of the same version is the same finding), not only "Disable".
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { startServer, type TestClient } from '../lib/lsp-client';
import { VSCODE_CODE_ACTIONS } from './vscode-like-client';

const PAYMENTS = 'CREATE TABLE payments (id bigint PRIMARY KEY);\n';
const MERCHANTS = 'CREATE TABLE merchants (id bigint PRIMARY KEY, payment_id bigint NOT NULL REFERENCES payments (id) ON DELETE RESTRICT);\n';

describe('code actions asked with the keys of an older check', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-stale-keys-'));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'migrations', '0001_payments.sql'), PAYMENTS);
    fs.writeFileSync(path.join(dir, 'migrations', '0002_merchants.sql'), MERCHANTS);
    client = await startServer(pathToFileURL(dir).href, {}, undefined, undefined, { textDocument: { ...VSCODE_CODE_ACTIONS, publishDiagnostics: { dataSupport: true, versionSupport: true } } });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers the unindexed-foreign-key fix for a diagnostic published before another file re-checked it', async () => {
    const payments = pathToFileURL(path.join(dir, 'migrations', '0001_payments.sql')).href;
    const merchants = pathToFileURL(path.join(dir, 'migrations', '0002_merchants.sql')).href;
    const isFk = (d: Diagnostic) => d.code === 'unindexed-foreign-key';
    const first = client.diagnostics(merchants, (d) => d.some(isFk), 60_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: payments, languageId: 'sql', version: 1, text: PAYMENTS } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: merchants, languageId: 'sql', version: 1, text: MERCHANTS } });
    const old = (await first).find(isFk)!;
    assert.equal(typeof (old.data as { key?: unknown }).key, 'number', 'the VS Code-like client gets a key');
    // payments changes in the other file: merchants is re-checked (its findings made anew). Opening
    // the two files may publish merchants again first, with the same finding (and key) when nothing it
    // reads changed, so wait for the publish that renews the key rather than for the next one.
    const oldKey = (old.data as { key: number }).key;
    const renewed = client.diagnostics(merchants, (d) => d.some((x) => isFk(x) && (x.data as { key: number }).key !== oldKey), 30_000);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: payments, version: 2 }, contentChanges: [{ text: PAYMENTS + 'ALTER TABLE payments ADD COLUMN note text;\n' }] });
    await renewed;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: merchants }, range: old.range, context: { diagnostics: [old] } })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Index merchants (payment_id)')), `no index fix among: ${titles.join(' | ')}`);
  });
});
