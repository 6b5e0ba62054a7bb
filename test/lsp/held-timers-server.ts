// The language server (unbundled, from out/) with every timer of 10 ms or more held back for an hour,
// for quick-look.test.ts: what it publishes after an edit then comes without waiting for a debounce
// or for typing to pause. Timers under 10 ms (a check scheduled at once) run as usual.
// Run like dist/server.js: node out/test/lsp/held-timers-server.js --stdio
const HELD_MS = 3_600_000;

if (require.main === module) {
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    realSetTimeout(fn, typeof ms === 'number' && ms >= 10 ? HELD_MS : ms, ...args)) as typeof setTimeout;
  require('../../server/src/server');
}
