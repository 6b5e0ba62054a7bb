// The node flags the VS Code extension starts the language server with (client/src/server-flags.ts)
// reach it and shrink what they should: the bundled server started as the client starts it (the
// flags before the launcher) checks a 3,000-statement file, and its young generation stays at 16 MB
// instead of the 32 MB the same server grows it to without them.
// LEDGERLINT_MEMORY_BUNDLE=<dist/server.js of another build> runs it against that build.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SERVER_NODE_ARGS } from '../../client/src/server-flags';
import { generateSqlFile } from '../../bench/lib/generate';
import { probedServer } from '../../bench/lib/probed-server';
import { SERVER_BUNDLE } from '../lib/lsp-client';
import { RULES } from '../../server/src/rules';

const BUNDLE = process.env.LEDGERLINT_MEMORY_BUNDLE ? path.resolve(process.env.LEDGERLINT_MEMORY_BUNDLE) : SERVER_BUNDLE;
const FILE_RULES = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.meta.id));

/** The server's committed young generation after checking a 3,000-statement file. */
async function youngGenerationMb(nodeArgs: readonly string[]): Promise<number> {
  const server = await probedServer(null, BUNDLE, false, {}, nodeArgs);
  try {
    const uri = 'file:///flags/big.sql';
    const complete = server.client.diagnostics(uri, (d) => d.some((x) => FILE_RULES.has(String(x.code))), 120_000);
    await server.client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: generateSqlFile(3_000) } });
    await complete;
    return (await server.sample()).newSpaceMb;
  } finally {
    await server.dispose();
  }
}

describe("the VS Code extension's server flags", () => {
  it('keep the young generation at 16 MB', async () => {
    assert.ok(SERVER_NODE_ARGS.includes('--max-semi-space-size=8'), `the extension starts the server with ${SERVER_NODE_ARGS.join(' ')}`);
    const withFlags = await youngGenerationMb(SERVER_NODE_ARGS);
    const without = await youngGenerationMb([]);
    console.log(`young generation after a 3,000-statement check: ${withFlags} MB with ${SERVER_NODE_ARGS.join(' ')}, ${without} MB without`);
    assert.ok(without > 16, `without the flags the young generation stayed at ${without} MB: the check no longer tells`);
    assert.ok(withFlags <= 16, `started with ${SERVER_NODE_ARGS.join(' ')} the server's young generation grew to ${withFlags} MB`);
  });
});
