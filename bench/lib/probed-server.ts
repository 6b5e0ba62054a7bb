// The bundled language server with bench/lib/memory-probe.ts preloaded: `sample()` asks it (SIGUSR2)
// for its memory after two full GCs. Used by bench/server-memory.bench.ts and the memory tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, SERVER_BUNDLE, type TestClient } from '../../test/lib/lsp-client';
import type { MemorySample } from './memory-probe';

export interface Probed {
  client: TestClient;
  sample(): Promise<MemorySample>;
  /** Resolves once the server has logged a line containing `text` (e.g. 'Indexed ' after indexing a folder). */
  logged(text: string, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

/** `nodeArgs`: V8/node flags for the server process, as an editor's run options would pass them (execArgv). */
export async function probedServer(rootUri: string | null, bundle = SERVER_BUNDLE, snapshot = false, settings: Record<string, unknown> = {}, nodeArgs: readonly string[] = []): Promise<Probed> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'll-probe-')), 'samples.jsonl');
  const saved = { ...process.env };
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS ?? '', ...nodeArgs, `--require ${path.join(__dirname, 'memory-probe.js')}`].join(' ');
  process.env.LEDGERLINT_PROBE_OUT = out;
  if (snapshot) process.env.LEDGERLINT_PROBE_SNAPSHOT = '1';
  let client: TestClient;
  try {
    client = await startServer(rootUri, settings, undefined, bundle);
  } finally {
    for (const k of ['NODE_OPTIONS', 'LEDGERLINT_PROBE_OUT', 'LEDGERLINT_PROBE_SNAPSHOT']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  const lines = () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean) : []);
  return {
    client,
    async sample() {
      const before = lines().length;
      // Let pending timers (a debounced check, a cascade) run first.
      await new Promise((r) => setTimeout(r, 300));
      client.process.kill('SIGUSR2');
      const until = Date.now() + (snapshot ? 900_000 : 120_000);
      while (lines().length === before) {
        if (Date.now() > until) throw new Error('the memory probe did not answer');
        await new Promise((r) => setTimeout(r, 50));
      }
      return JSON.parse(lines().at(-1)!) as MemorySample;
    },
    async logged(text, timeoutMs = 300_000) {
      const until = Date.now() + timeoutMs;
      while (!client.stderr().includes(text)) {
        if (Date.now() > until) throw new Error(`the server did not log "${text}" within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async dispose() {
      await client.stop();
      if (snapshot) console.log(`  heap snapshots: ${path.dirname(out)}`);
      else fs.rmSync(path.dirname(out), { recursive: true, force: true });
    },
  };
}
