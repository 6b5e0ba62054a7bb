// "Batch into one query" through the real language server (dist/server.js over JSON-RPC): the
// diagnostic on a TypeScript document carries the fix as a preferred quick fix, and applying the
// action's edits gives exactly the rewrite the proof tests run against PostgreSQL.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { initParser } from '../../../server/src/sql/parser';
import { startServer, type TestClient } from '../../lib/lsp-client';
import { onlyRules } from '../../lib/only-rules';
import { loadFixture } from './harness';

describe('n-plus-one-query in the language server', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    await initParser();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-n1-'));
    fs.writeFileSync(path.join(dir, 'ledgerlint.json'), JSON.stringify({ rules: onlyRules(['n-plus-one-query']) }));
    client = await startServer(pathToFileURL(dir).href);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers "Batch into one query" as the preferred fix; its edits give the proven rewrite', async () => {
    const fixture = loadFixture('select-indexed-tx');
    const uri = pathToFileURL(path.join(dir, 'payments-repo.ts')).href;
    const wait = client.diagnostics(uri, (d) => d.some((x) => x.code === 'n-plus-one-query'), 60_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: fixture.original } });
    const diags = (await wait).filter((d) => d.code === 'n-plus-one-query');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].range.start.line, 17);
    assert.match(String(diags[0].message), /tx\.select\(\)\.from\(payments\) runs once per element of `invoiceIds` \(for loop on line 16\)/);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diags[0].range,
      context: { diagnostics: diags },
    })) as CodeAction[];
    const batch = actions.find((a) => a.title === 'Batch into one query');
    assert.ok(batch, actions.map((a) => a.title).join(' | '));
    assert.equal(batch.isPreferred, true);
    const doc = TextDocument.create(uri, 'typescript', 1, fixture.original);
    assert.equal(TextDocument.applyEdits(doc, batch.edit!.changes![uri]), fixture.rewritten);
  });
});
