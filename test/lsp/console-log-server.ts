// The language server (unbundled, from out/) that writes to the console when the client sends
// `ledgerlint/test-console`, for stdio-encoder.test.ts: over stdio console output must reach the
// client's log, not stdout, where it would corrupt the messages.
// Run like dist/server.js: node out/test/lsp/console-log-server.js --stdio
import assert from 'node:assert/strict';
import { startServer, type ServerLaunch } from '../lib/lsp-client';

if (require.main === module) {
  require('../../server/src/server');
  // The server listens on stdin from here; a second listener on its connection is not reachable,
  // so the test's notification is read from the raw stream.
  process.stdin.on('data', (chunk: Buffer) => {
    if (chunk.includes('ledgerlint/test-console')) console.log('console output', 42);
  });
}

/** Starts this server (`launch`: as VS Code forks it, or spawned as Neovim does) and checks that its console output reaches the client log while the connection keeps working. */
export async function assertConsoleReachesLog(launch?: ServerLaunch): Promise<void> {
  const client = await startServer(null, {}, undefined, __filename, launch ? { launch } : {});
  try {
    const logged = new Promise<string>((resolve, reject) => {
      client.onLog((m) => m.includes('console output') && resolve(m));
      setTimeout(() => reject(new Error(`no console output in the client log within 20 s; stderr: ${client.stderr()}`)), 20_000).unref();
    });
    await client.connection.sendNotification('ledgerlint/test-console', {});
    assert.match(await logged, /console output 42/);
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///none.sql' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null, 'the connection still works');
  } finally {
    await client.stop();
  }
}
