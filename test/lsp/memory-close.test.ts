// Closing documents gives their memory back: the server measured from inside (the memory probe
// preloaded into the real bundled server over stdio, heap after two full GCs). Three big files
// outside any workspace folder are opened and checked, then closed: what their checks kept
// (statements, tokens, findings, published diagnostics, stored findings, the prewarm map) must go,
// so a user who opens and closes dumps all day does not grow the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSqlFile } from '../../bench/lib/generate';
import { probedServer, type Probed } from '../../bench/lib/probed-server';

const STATEMENTS = 3_000;

describe('language server memory after closing documents', () => {
  let server: Probed;
  before(async () => {
    // All findings published, as before the ledgerlint.maxDiagnosticsPerFile cap: the open files keep what they did.
    server = await probedServer(null, undefined, false, { maxDiagnosticsPerFile: 0 });
  });
  after(async () => {
    await server?.dispose();
  });

  it('releases what the checks of closed documents kept', async () => {
    const { client } = server;
    const open = async (uri: string, text: string) => {
      // The complete publish of a file this size carries its few hundred findings.
      const published = client.diagnostics(uri, (d) => d.length > STATEMENTS / 2, 120_000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
      return published;
    };
    // A small file first, so the rules, the parser and TypeScript's warm-up are loaded in the baseline.
    const warm = 'file:///memory/warm.sql';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: warm, languageId: 'sql', version: 1, text: 'SELECT 1;\n' } });
    await client.diagnostics(warm, () => true, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const baseline = await server.sample();

    const uris = [0, 1, 2].map((i) => `file:///memory/dump-${i}.sql`);
    for (const [i, uri] of uris.entries()) await open(uri, generateSqlFile(STATEMENTS, i * STATEMENTS));
    const opened = await server.sample();

    const cleared = uris.map((uri) => client.diagnostics(uri, (d) => d.length === 0, 30_000));
    for (const uri of uris) await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await Promise.all(cleared);
    const closed = await server.sample();

    const kept = opened.heapAfterGcMb - baseline.heapAfterGcMb;
    const left = closed.heapAfterGcMb - baseline.heapAfterGcMb;
    console.log(`heap after GC: baseline ${baseline.heapAfterGcMb} MB, 3 x ${STATEMENTS} statements open ${opened.heapAfterGcMb} MB, all closed ${closed.heapAfterGcMb} MB (RSS ${baseline.rssMb} / ${opened.rssMb} / ${closed.rssMb} MB)`);
    // The open files must have cost something, or this test could not fail.
    assert.ok(kept > 15, `three open ${STATEMENTS}-statement files kept only ${kept.toFixed(1)} MB of heap`);
    assert.ok(left < kept * 0.2, `after closing them ${left.toFixed(1)} of the ${kept.toFixed(1)} MB they kept is still held`);
  });
});
