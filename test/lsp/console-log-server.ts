// The language server (unbundled, from out/) that writes to the console when the client sends
// `ledgerlint/test-console`, for stdio-encoder.test.ts: over stdio console output must reach the
// client's log, not stdout, where it would corrupt the messages.
// Run like dist/server.js: node out/test/lsp/console-log-server.js --stdio
if (require.main === module) {
  require('../../server/src/server');
  // The server listens on stdin from here; a second listener on its connection is not reachable,
  // so the test's notification is read from the raw stream.
  process.stdin.on('data', (chunk: Buffer) => {
    if (chunk.includes('ledgerlint/test-console')) console.log('console output', 42);
  });
}
