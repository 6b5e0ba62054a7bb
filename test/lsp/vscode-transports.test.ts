// VS Code's client starts the server over stdio (client/src/extension.ts), where the server encodes
// each publish from its diagnostics' kept bytes (lsp/stdio-transport.ts); over IPC, as it started it
// before, Node's channel stringifies each publish whole. What the editor shows must not depend on
// it: started exactly as vscode-languageclient starts it with either transport, the server publishes
// the same diagnostics, in the same order, with the same versions, for a big file's edits (a quick
// look, then the complete check, for each). And over stdio its console output reaches the log.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { generateSqlFile } from '../../bench/lib/generate';
import { assertConsoleReachesLog } from './console-log-server';
import { startServer, type PublishedDiagnostics, type ServerLaunch } from '../lib/lsp-client';
import { VSCODE_CODE_ACTIONS } from './vscode-like-client';

const VSCODE_CAPABILITIES = {
  ...VSCODE_CODE_ACTIONS,
  publishDiagnostics: { codeDescriptionSupport: true, dataSupport: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, relatedInformation: true },
};

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

/** Every publish for a 3,000-statement file (over 1,000 findings: capped) while it is opened and edited 8 times. */
async function publishesOver(launch: ServerLaunch, dir: string): Promise<{ publishes: PublishedDiagnostics[]; looks: number }> {
  const client = await startServer(pathToFileURL(dir).href, { logLevel: 'debug' }, undefined, undefined, { launch, textDocument: VSCODE_CAPABILITIES });
  try {
    const uri = pathToFileURL(path.join(dir, 'big.sql')).href;
    const publishes: PublishedDiagnostics[] = [];
    let looks = 0;
    let linted: Array<() => void> = [];
    client.onPublish((p) => p.uri === uri && publishes.push(p));
    client.onLog((m) => {
      if (m.startsWith(`Looked at an edit of ${uri} `)) looks++;
      if (!m.startsWith(`Linted ${uri} `)) return;
      const waiting = linted;
      linted = [];
      for (const w of waiting) w();
    });
    // The log line follows the check's publish on the same connection: once it arrives, so has the publish.
    const nextCheck = () => new Promise<void>((resolve) => linted.push(resolve));
    let text = generateSqlFile(3_000);
    let version = 1;
    let checked = nextCheck();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
    await checked;
    const edits = ['x', '', '\n', ' NOT IN (SELECT 1)', 'x', '', ';', '']; // '' deletes the character at the spot
    for (let k = 0; k < edits.length; k++) {
      const at = Math.floor(((k + 0.5) / edits.length) * text.length);
      const insert = edits[k];
      const start = positionAt(text, at);
      const end = insert ? start : positionAt(text, at + 1);
      text = text.slice(0, at) + insert + text.slice(at + (insert ? 0 : 1));
      version++;
      checked = nextCheck();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text: insert }] });
      await checked;
    }
    return { publishes, looks };
  } finally {
    await client.stop();
  }
}

describe("VS Code's transports", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-transports-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('publish the same diagnostics, in the same order, with the same versions, over stdio and IPC', async () => {
    const ipc = await publishesOver('vscode-ipc', dir);
    const stdio = await publishesOver('vscode-stdio', dir);
    assert.equal(stdio.looks, 8, 'each edit got a quick look first');
    assert.equal(ipc.looks, 8, 'each edit got a quick look first over IPC');
    assert.ok(stdio.publishes.some((p) => p.diagnostics.length === 1_000), 'a capped publish');
    assert.deepEqual(stdio.publishes.map((p) => p.version), ipc.publishes.map((p) => p.version), 'the same publishes, in the same order');
    assert.deepEqual(stdio.publishes, ipc.publishes);
  });

  it("keeps the server's console output off the protocol when forked over stdio", async () => {
    await assertConsoleReachesLog('vscode-stdio');
  });
});
