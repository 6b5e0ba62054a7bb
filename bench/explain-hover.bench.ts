// EXPLAIN hover latency against ~300k seeded fintech rows on an embedded PostgreSQL 18:
// the first hover (connect + EXPLAIN + insights + markdown), then ~50 hovers on the warm connection;
// first in-process (ExplainService), then as an editor sees it: textDocument/hover to the bundled
// server over stdio, which finds the database through the workspace's .env.
// Run: node out/bench/explain-hover.bench.js [--lsp-only] (after npm run build).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import type { Hover } from 'vscode-languageserver';
import { startServer } from '../test/lib/lsp-client';
import { resolveConnection } from '../server/src/explain/connection-sources';
import { seedDemoTables } from '../server/src/explain/demo-seed';
import { startPostgres } from '../server/src/explain/embedded';
import { ExplainService } from '../server/src/explain/explain-service';

const QUERIES = [
  (i: number) => `SELECT id, amount FROM payments WHERE customer_id = ${i}`,
  (i: number) => `SELECT count(*) FROM payments WHERE status = 'failed' AND amount > ${i}`,
  (i: number) => `SELECT c.id, sum(p.amount) FROM customers c JOIN payments p ON p.customer_id = c.id WHERE c.country = 'DE' AND c.id > ${i} GROUP BY c.id`,
  (i: number) => `SELECT * FROM payments WHERE customer_id = $1 AND amount > ${i}`,
];

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (n=${samples.length})`;
}

/** Hover latency through the language server: one statement per line, each hovered once (EXPLAIN), then again (plan cache). */
async function overLsp(url: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-hover-bench-'));
  fs.writeFileSync(path.join(dir, '.env'), `DATABASE_URL=${url}\n`);
  const lines = Array.from({ length: 53 }, (_, i) => `${QUERIES[i % QUERIES.length](i + 1000)};`);
  const uri = pathToFileURL(path.join(dir, 'queries.sql')).href;
  const client = await startServer(pathToFileURL(dir).href);
  try {
    const opened = client.diagnostics(uri, () => true, 60_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: lines.join('\n') + '\n' } });
    await opened;
    const hover = async (line: number): Promise<number> => {
      const t = performance.now();
      const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 8 } })) as Hover | null;
      const ms = performance.now() - t;
      const md = (h?.contents as { value?: string } | undefined)?.value ?? '';
      if (!/cost|Scan|Aggregate/.test(md)) throw new Error(`hover on line ${line + 1} shows no plan: ${md.slice(0, 300)}`);
      return ms;
    };
    const first = await hover(0);
    const warm: number[] = [];
    for (let line = 1; line < lines.length; line++) warm.push(await hover(line));
    const cached: number[] = [];
    for (let line = 1; line < lines.length; line++) cached.push(await hover(line));
    console.log(`LSP hover (dist/server.js over stdio), first incl. connect: ${first.toFixed(1)} ms`);
    console.log(`LSP warm hover (EXPLAIN, no cache): ${stats(warm)}`);
    console.log(`LSP warm hover (plan cache hit):    ${stats(cached)}`);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const lspOnly = process.argv.includes('--lsp-only');
  const t0 = performance.now();
  const pg = await startPostgres();
  const started = performance.now() - t0;
  try {
    const admin = new Client(pg.connectionConfig);
    await admin.connect();
    const s0 = performance.now();
    await seedDemoTables(admin);
    const seeded = performance.now() - s0;
    await admin.end();
    console.log(`embedded PostgreSQL start ${started.toFixed(0)} ms, seed 300k rows + ANALYZE ${seeded.toFixed(0)} ms`);
    if (lspOnly) return await overLsp(pg.url);
    const connection = resolveConnection({ settings: { url: pg.url } });

    const first: number[] = [];
    for (let round = 0; round < 5; round++) {
      const service = new ExplainService({ resolveConnection: () => connection });
      const t = performance.now();
      const result = await service.hover(QUERIES[0](round + 1));
      first.push(performance.now() - t);
      if (result.error) throw new Error(result.markdown);
      await service.dispose();
    }
    console.log(`first hover incl. connect:      ${stats(first)}`);

    const service = new ExplainService({ resolveConnection: () => connection });
    await service.hover('SELECT 1');
    const warm: number[] = [];
    for (let i = 0; i < 52; i++) {
      const t = performance.now();
      const result = await service.hover(QUERIES[i % QUERIES.length](i));
      warm.push(performance.now() - t);
      if (result.error) throw new Error(result.markdown);
    }
    console.log(`warm hover (EXPLAIN, no cache): ${stats(warm)}`);
    const cached: number[] = [];
    for (let i = 0; i < 52; i++) {
      const t = performance.now();
      await service.hover(QUERIES[i % QUERIES.length](i));
      cached.push(performance.now() - t);
    }
    console.log(`warm hover (plan cache hit):    ${stats(cached)}`);
    const analyzed: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t = performance.now();
      await service.hover(QUERIES[i % 3](i), { analyze: 'select' });
      analyzed.push(performance.now() - t);
    }
    console.log(`EXPLAIN ANALYZE hover:          ${stats(analyzed)}`);
    await service.dispose();
    await overLsp(pg.url);
  } finally {
    await pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
