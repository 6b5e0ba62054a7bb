// EXPLAIN hover latency against ~300k seeded fintech rows on an embedded PostgreSQL 18:
// the first hover (connect + EXPLAIN + insights + markdown), then ~50 hovers on the warm connection.
// Run: node out/bench/explain-hover.bench.js (after npx tsc -p .).
import { Client } from 'pg';
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

async function main(): Promise<void> {
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
  } finally {
    await pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
