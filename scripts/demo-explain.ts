/**
 * The EXPLAIN half of `npm run demo`: a throw-away PostgreSQL with the examples/ workspace's own schema
 * (its migrations, applied in order) and a payments company's volumes, then the hover a user sees on a
 * slow query of examples/db/queries. The server is always stopped again. Run directly:
 *   node out/scripts/demo-explain.js "SELECT id FROM payments WHERE status = 'failed'" [--analyze]
 */
import { Client } from 'pg';
import { resolveConnection } from '../server/src/explain/connection-sources';
import { startPostgres } from '../server/src/explain/embedded';
import { ExplainService } from '../server/src/explain/explain-service';
import { applyExampleMigrations, createExamplesPrerequisites, exampleQuery } from './lib/apply-examples';

export const DEMO_VOLUMES = { merchants: 200, customers: 20_000, payments: 300_000 };

// Country and currency per merchant travel together; index m % 8 + 1 picks both.
const COUNTRIES = `(ARRAY['GB','DE','FR','US','NL','IE','ES','JP'])`;
const CURRENCIES = `(ARRAY['GBP','EUR','EUR','USD','EUR','EUR','EUR','JPY'])`;
const { merchants: M, customers: C, payments: P } = DEMO_VOLUMES;
// Customers are spread over merchants by a square law: merchant 1 has ~7% of them, the tail a handful,
// the way a few large merchants dominate a real payments book.
const merchantOfCustomer = (c: string) => `1 + floor(${M} * power(((${c} * 7919) % ${C}) / ${C}.0, 2))::int`;

/**
 * Set-based and in one transaction, like a bulk load, because the demo must stay well under 20 s:
 * - the rows are consistent by construction (every payment's merchant is its customer's merchant), so
 *   `session_replication_role = replica` skips the 900k per-row foreign key checks and audit triggers;
 * - TRUNCATE gives the (still empty) tables new storage, which with the embedded server's
 *   `wal_level=minimal` is not WAL-logged; CASCADE because later migrations add tables that
 *   reference these (disputes, settlements), empty too;
 * - payments' secondary indexes and unique constraints are dropped and rebuilt from their own
 *   definitions after the load (one sort each instead of 300k random inserts), so the schema ends
 *   exactly as the migrations left it.
 */
export const EXAMPLES_SEED_SQL = `
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE customers, wallets, wallet_ledger_entries, payment_cards, payments, refunds CASCADE;
CREATE TEMP TABLE demo_payments_indexes ON COMMIT DROP AS
SELECT 'DROP INDEX ' || indexrelid::regclass::text AS drop_sql, pg_get_indexdef(indexrelid) AS create_sql
  FROM pg_index
 WHERE indrelid = 'payments'::regclass
   AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)
UNION ALL
SELECT format('ALTER TABLE payments DROP CONSTRAINT %I', conname),
       format('ALTER TABLE payments ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
  FROM pg_constraint
 WHERE conrelid = 'payments'::regclass AND contype = 'u';
DO $$
DECLARE statement text;
BEGIN
  FOR statement IN SELECT drop_sql FROM demo_payments_indexes LOOP
    EXECUTE statement;
  END LOOP;
END $$;
INSERT INTO merchants (id, legal_name, country_code, created_at) OVERRIDING SYSTEM VALUE
SELECT m, 'Merchant ' || m || ' Ltd', ${COUNTRIES}[m % 8 + 1], timestamptz '2023-01-01' + m * interval '1 day'
  FROM generate_series(1, ${M}) AS m;
INSERT INTO accounts (merchant_id, code, kind, currency)
SELECT m, kind || '-' || ${CURRENCIES}[m % 8 + 1], kind, ${CURRENCIES}[m % 8 + 1]
  FROM generate_series(1, ${M}) AS m, unnest(ARRAY['asset', 'liability', 'revenue']) AS kind;
INSERT INTO customers (id, merchant_id, email, external_id, created_at) OVERRIDING SYSTEM VALUE
SELECT c, ${merchantOfCustomer('c')}, 'customer' || c || '@example.com', 'cus_' || md5(c::text),
       timestamptz '2024-01-01' + (c % 600) * interval '1 day'
  FROM generate_series(1, ${C}) AS c;
INSERT INTO payments (id, merchant_id, customer_id, idempotency_key, amount_minor, currency, status,
                      metadata, created_at, risk_score, captured_at) OVERRIDING SYSTEM VALUE
SELECT i, m, c, 'idem_' || i, 100 + (i::bigint * 104729) % 50000, ${CURRENCIES}[m % 8 + 1], status,
       jsonb_build_object('channel', (ARRAY['ios', 'android', 'web'])[i % 3 + 1], 'sdk', '4.' || i % 5 || '.0'),
       created_at, (i * 37) % 100,
       CASE WHEN status IN ('captured', 'refunded') THEN (created_at + interval '2 minutes') AT TIME ZONE 'UTC' END
  FROM generate_series(1, ${P}) AS i,
       LATERAL (SELECT 1 + (i::bigint * 7919) % ${C} AS c) AS pick_customer,
       LATERAL (SELECT ${merchantOfCustomer('c')} AS m) AS pick_merchant,
       -- Most payments settle; a few % wait in 'pending', which is what the ops dashboard lists.
       LATERAL (SELECT CASE WHEN (i * 31) % 1000 < 30 THEN 'pending'
                            WHEN (i * 31) % 1000 < 50 THEN 'failed'
                            WHEN (i * 31) % 1000 < 80 THEN 'refunded'
                            WHEN (i * 31) % 1000 < 150 THEN 'authorized'
                            ELSE 'captured' END AS status) AS pick_status,
       LATERAL (SELECT timestamptz '2026-11-01' - (${P} - i) * interval '100 seconds' AS created_at) AS pick_time;
DO $$
DECLARE statement text;
BEGIN
  FOR statement IN SELECT create_sql FROM demo_payments_indexes LOOP
    EXECUTE statement;
  END LOOP;
END $$;
SELECT setval(pg_get_serial_sequence('merchants', 'id'), ${M});
SELECT setval(pg_get_serial_sequence('customers', 'id'), ${C});
SELECT setval(pg_get_serial_sequence('payments', 'id'), ${P});
COMMIT;
`;

export interface Timing {
  step: string;
  ms: number;
}

export interface ExamplesDatabase {
  service: ExplainService;
  timings: Timing[];
}

/**
 * Starts PostgreSQL, applies the examples' migrations, seeds and analyses, hands an ExplainService on it
 * to `use`, and stops everything in `finally`, whatever `use` does.
 */
export async function withExamplesDatabase<T>(use: (db: ExamplesDatabase) => Promise<T>): Promise<T> {
  const timings: Timing[] = [];
  const timed = async <R>(step: string, work: () => Promise<R>): Promise<R> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings.push({ step, ms: performance.now() - started });
    }
  };
  const pg = await timed('start PostgreSQL', () => startPostgres());
  let service: ExplainService | undefined;
  try {
    const admin = new Client(pg.connectionConfig);
    await admin.connect();
    try {
      await timed('apply examples/db/migrations', async () => {
        await createExamplesPrerequisites(admin);
        await applyExampleMigrations(admin);
      });
      await timed(`seed ${M} merchants, ${C.toLocaleString('en-US')} customers, ${P.toLocaleString('en-US')} payments`, () =>
        admin.query(EXAMPLES_SEED_SQL),
      );
      await timed('ANALYZE', () => admin.query('ANALYZE merchants, accounts, customers, payments'));
    } finally {
      await admin.end();
    }
    const connection = resolveConnection({ settings: { url: pg.url } });
    service = new ExplainService({ resolveConnection: () => connection });
    return await use({ service, timings });
  } finally {
    const started = performance.now();
    await service?.dispose();
    await pg.stop();
    timings.push({ step: 'stop PostgreSQL', ms: performance.now() - started });
  }
}

/** The hover markdown for `sql` against the seeded examples schema. */
export async function runExplainDemo(sql: string, options: { analyze?: boolean } = {}): Promise<string> {
  return withExamplesDatabase(async ({ service }) => {
    const result = await service.hover(sql, { analyze: options.analyze ? 'select' : false });
    return result.markdown;
  });
}

export interface SlowQueryDemo {
  queryName: string;
  file: string;
  sql: string;
  /** The editor's hover on the query as written (`$1`: a generic plan). */
  genericHover: string;
  /** The same query for the largest merchant, as the planner sees it for one real value. */
  literalSql: string;
  literalHover: string;
  timings: Timing[];
}

export const SLOW_QUERY = 'PendingPaymentsForMerchant';

export async function explainSlowExampleQuery(queryName: string = SLOW_QUERY): Promise<SlowQueryDemo> {
  const query = await exampleQuery(queryName);
  if (!query) throw new Error(`no query annotated "-- name: ${queryName}" in examples/db/queries`);
  // Merchant 1 is the largest (see merchantOfCustomer).
  const literalSql = query.sql.replace(/\$1\b/g, '1');
  const demo = await withExamplesDatabase(async ({ service, timings }) => {
    const time = async (step: string, sql: string) => {
      const started = performance.now();
      const result = await service.hover(sql);
      timings.push({ step, ms: performance.now() - started });
      if (result.error) throw new Error(`EXPLAIN of ${queryName} failed: ${result.error.message}`);
      return result.markdown;
    };
    const genericHover = await time('hover (generic plan)', query.sql);
    const literalHover = await time('hover (merchant_id = 1)', literalSql);
    return { genericHover, literalHover, timings };
  });
  return { queryName, file: query.file, sql: query.sql, literalSql, ...demo };
}

/**
 * Hover markdown for a terminal: code fences become indented blocks, bold and code become ANSI styles
 * (or stay plain), and command links are dropped because they only work inside VS Code.
 */
export function markdownForTerminal(markdown: string, color: boolean): string {
  const style = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const bold = style('1');
  const dim = style('2');
  const code = style('36');
  const out: string[] = [];
  let inFence = false;
  for (const raw of markdown.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*```/.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(`    ${raw}`);
      continue;
    }
    let line = raw
      .replace(/\[([^\]]*)\]\(command:[^)]*\)/g, '')
      .replace(/ {2}$/, '')
      .replace(/\*\*([^*]+)\*\*/g, (_, t: string) => bold(t))
      .replace(/`([^`]+)`/g, (_, t: string) => (color ? code(t) : t));
    if (/^_.*_$/.test(line.trim())) line = dim(line.trim().slice(1, -1));
    // A row of link separators with the links removed is noise.
    if (raw.includes('](command:') && /^[\s·]*$/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const sql = args.filter((a) => a !== '--analyze').join(' ') || "SELECT id, amount_minor FROM payments WHERE status = 'failed'";
  runExplainDemo(sql, { analyze: args.includes('--analyze') }).then(
    (markdown) => process.stdout.write(markdown),
    (error: Error) => {
      process.stderr.write(`demo failed: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
