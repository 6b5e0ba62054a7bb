/**
 * Hover markdown for the plans fintech teams actually pay for, against ~300k seeded rows.
 * Finding ids, tables and fixes are asserted exactly; the golden files pin the whole layout.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import { resolveConnection, type ResolvedConnection } from '../../server/src/explain/connection-sources';
import { seedDemoTables } from '../../server/src/explain/demo-seed';
import { ExplainService, type HoverResult } from '../../server/src/explain/explain-service';
import { codeLensTitle } from '../../server/src/explain/markdown';
import { assertGolden } from './golden';

let pg: EmbeddedPostgres;
let connection: ResolvedConnection;
let service: ExplainService;
let tinyMemory: ExplainService;
const ARGS = { uri: 'file:///work/app/src/payments.sql', offset: 120 };

before(async () => {
  pg = await startPostgres();
  const admin = new Client(pg.connectionConfig);
  await admin.connect();
  try {
    await seedDemoTables(admin);
  } finally {
    await admin.end();
  }
  // A label independent of the random port keeps the golden files stable.
  const resolved = resolveConnection({ settings: { ...pg.connectionConfig }, settingsPassword: pg.connectionConfig.password })!;
  connection = { ...resolved, label: 'postgres@127.0.0.1:PORT/postgres' };
  // Parallel plans vary with the workers the machine can spare; the goldens pin serial plans.
  const settings = { max_parallel_workers_per_gather: '0' };
  service = new ExplainService({ resolveConnection: () => connection, sessionOptions: { settings } });
  tinyMemory = new ExplainService({ resolveConnection: () => connection, sessionOptions: { settings: { ...settings, work_mem: '64kB' } } });
});

after(async () => {
  await service?.dispose();
  await tinyMemory?.dispose();
  await pg?.stop();
});

function ids(result: HoverResult): string[] {
  assert.equal(result.error, undefined, result.markdown);
  return result.findings.slice(0, 3).map((f) => f.id);
}

test('seq scan discarding most rows (estimated plan, the default hover)', async () => {
  const result = await service.hover("SELECT id, amount FROM payments WHERE status = 'failed'", { commandArgs: ARGS });
  assert.deepEqual(ids(result), ['seq-scan-discards-rows']);
  assert.equal(result.findings[0].fix, 'CREATE INDEX CONCURRENTLY payments_status_idx ON payments (status);');
  assert.match(result.findings[0].title, /Seq Scan on payments reads 250,000 rows and discards 99%/);
  assert.match(result.markdown, /\[Open plan view\]\(command:ledgerlint\.showPlanView\?%5B%7B%22uri%22/);
  assertGolden('seq-scan-discards-rows', result.markdown);
  assert.match(codeLensTitle(result.plan!, result.findings), /^EXPLAIN cost [\d,]+ · Seq Scan on payments reads/);
});

test('row estimate off because country and currency are correlated', async () => {
  const result = await service.hover("SELECT count(*) FROM payments WHERE country = 'DE' AND currency = 'EUR'", { analyze: 'select' });
  assert.deepEqual(ids(result), ['seq-scan-discards-rows', 'row-estimate-off']);
  const estimate = result.findings.find((f) => f.id === 'row-estimate-off')!;
  assert.equal(estimate.nodeId, 1, 'reported at the scan where the error starts, not at the Aggregate');
  assert.equal(estimate.fix, 'CREATE STATISTICS payments_country_currency_stats (dependencies, mcv) ON country, currency FROM payments; ANALYZE payments;');
  assert.match(estimate.title, /got 10,000 \(\d+x under\)/);
  assertGolden('row-estimate-off', result.markdown);
});

test('sort spilled to disk with work_mem = 64kB', async () => {
  const result = await tinyMemory.hover('SELECT id, amount FROM payments ORDER BY amount DESC', { analyze: 'select' });
  assert.deepEqual(ids(result), ['sort-spilled-to-disk']);
  assert.equal(result.findings[0].fix, 'CREATE INDEX CONCURRENTLY payments_amount_idx ON payments (amount DESC);');
  assert.match(result.markdown, /Settings: `max_parallel_workers_per_gather=0`, `work_mem=64kB`/);
  assertGolden('sort-spilled-to-disk', result.markdown);
});

test('nested loop over thousands of underestimated outer rows', async () => {
  const result = await service.hover(
    "SELECT c.id, sum(p.amount) FROM customers c JOIN payments p ON p.customer_id = c.id WHERE c.country = 'DE' AND c.currency = 'EUR' GROUP BY c.id",
    { analyze: 'select' },
  );
  // The two findings about the customers scan stay together, the more severe first.
  assert.deepEqual(ids(result), ['nested-loop-many-loops', 'seq-scan-discards-rows', 'row-estimate-off']);
  assert.equal(result.findings[1].fix, 'CREATE INDEX CONCURRENTLY customers_country_currency_idx ON customers (country, currency);');
  const fix = 'CREATE STATISTICS customers_country_currency_stats (dependencies, mcv) ON country, currency FROM customers; ANALYZE customers;';
  assert.equal(result.findings[0].fix, fix);
  assert.equal(result.findings[2].fix, fix);
  assert.match(result.findings[0].title, /Nested Loop runs its inner scan of payments 2,000 times/);
  assertGolden('nested-loop-many-loops', result.markdown);
});

test('large OFFSET is inferred from the Limit', async () => {
  const result = await service.hover('SELECT * FROM payments ORDER BY created_at LIMIT 20 OFFSET 100000', { analyze: 'select' });
  assert.equal(result.findings[0].id, 'large-offset');
  assert.match(result.findings[0].title, /OFFSET skips about 100,000 rows to return 20/);
  assert.match(result.findings[0].fix, /^Paginate by key: WHERE \(created_at\) > \(\$last_created_at\) ORDER BY created_at LIMIT n/);
});

test('the index fix for a filtered, sorted scan covers the filter and the order', async () => {
  const result = await service.hover("SELECT * FROM payments WHERE status = 'pending' ORDER BY created_at DESC LIMIT 50 OFFSET 5000", { analyze: 'select' });
  const offset = result.findings.find((f) => f.id === 'large-offset');
  assert.match(offset?.fix ?? '', /WHERE \(created_at\) < \(\$last_created_at\) ORDER BY created_at DESC/, 'descending pages continue below the last key');
  const scan = result.findings.find((f) => f.id === 'seq-scan-discards-rows');
  assert.equal(scan?.fix, 'CREATE INDEX CONCURRENTLY payments_status_created_at_idx ON payments (status, created_at DESC);');
});

test('$1 gets a generic plan on PostgreSQL 18, and through PREPARE on the 12-15 path', async () => {
  const sql = 'SELECT * FROM payments WHERE customer_id = $1 AND status = $2';
  const modern = await service.hover(sql);
  assert.equal(modern.result?.planKind, 'generic', modern.markdown);
  assert.ok(modern.result!.serverVersionNum >= 180000);
  const legacy = await service.hover(sql, { forcePrepareGenericPath: true });
  assert.equal(legacy.result?.planKind, 'generic', legacy.markdown);
  assert.equal(legacy.plan?.settings.plan_cache_mode, undefined, 'our own SET LOCAL is not reported as a user setting');
  assert.equal(modern.plan?.root.nodeType, legacy.plan?.root.nodeType);
  // Nothing lingers: plan_cache_mode is reset and the prepared statement is gone.
  const again = await service.hover("SELECT id FROM payments WHERE status = 'failed' AND id = 7");
  assert.equal(again.plan?.settings.plan_cache_mode, undefined);
});

test('$1 whose type cannot be inferred: explicit types from the caller, else a clear message', async () => {
  const sql = 'SELECT * FROM payments WHERE $1 IS NULL OR customer_id = $1';
  for (const forcePrepareGenericPath of [false, true]) {
    const failed = await service.hover(sql, { forcePrepareGenericPath });
    assert.equal(failed.error?.code, '42P08', failed.markdown);
    assert.match(failed.markdown, /cannot tell the type of a parameter .* add a cast such as `\$1::bigint`/);
    const typed = await service.hover(sql, { forcePrepareGenericPath, paramTypes: () => ['bigint'] });
    assert.equal(typed.result?.planKind, 'generic', typed.markdown);
    const seq = typed.findings.find((f) => f.id === 'seq-scan-discards-rows');
    assert.match(seq?.fix ?? '', /without the "\$n IS NULL OR \.\.\." branches/, 'no index suggested for an OR');
  }
});
