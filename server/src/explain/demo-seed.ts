/**
 * Fintech demo tables for tests, benches and the demo script (~300k rows in two INSERT ... SELECTs).
 * `country` and `currency` always travel together, which is exactly the correlation the planner cannot
 * see without extended statistics.
 */
import type { Client } from 'pg';

export const DEMO_SCHEMA_SQL = `
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  email text NOT NULL,
  country text NOT NULL,
  currency text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE payments (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  amount numeric(12, 2) NOT NULL,
  currency text NOT NULL,
  country text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL
);
`;

// 25 country/currency pairs; row i gets pair i % 25, so each value has 4 % of the rows.
const PAIRS = `(ARRAY['DE','FR','US','GB','JP','CH','SE','NO','DK','PL','CZ','HU','RO','BG','TR','BR','MX','CA','AU','NZ','IN','CN','KR','ZA','SG'])`;
const CURRENCIES = `(ARRAY['EUR','EUR2','USD','GBP','JPY','CHF','SEK','NOK','DKK','PLN','CZK','HUF','RON','BGN','TRY','BRL','MXN','CAD','AUD','NZD','INR','CNY','KRW','ZAR','SGD'])`;

export const DEMO_SEED_SQL = `
INSERT INTO customers (id, email, country, currency, created_at)
SELECT i, 'customer' || i || '@example.com', ${PAIRS}[i % 25 + 1], ${CURRENCIES}[i % 25 + 1],
       timestamptz '2024-01-01' + (i % 365) * interval '1 day'
FROM generate_series(1, 50000) AS i;
INSERT INTO payments (id, customer_id, amount, currency, country, status, created_at)
SELECT i, c, ((i * 7919) % 100000) / 100.0, ${CURRENCIES}[c % 25 + 1], ${PAIRS}[c % 25 + 1],
       CASE WHEN i % 100 = 0 THEN 'failed' WHEN i % 25 = 1 THEN 'pending' ELSE 'settled' END,
       timestamptz '2024-01-01' + (i % 525600) * interval '1 minute'
FROM generate_series(1, 250000) AS i, LATERAL (SELECT (i * 7) % 50000 + 1 AS c) AS pick;
-- Added after the load: one validating join instead of 250,000 per-row foreign key checks.
ALTER TABLE payments ADD CONSTRAINT payments_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
CREATE INDEX payments_customer_id_idx ON payments (customer_id);
ANALYZE customers;
ANALYZE payments;
`;

/**
 * Creates and fills the demo tables on a writable connection (not an EXPLAIN session), in one
 * transaction so that with `wal_level=minimal` the new tables are not WAL-logged.
 */
export async function seedDemoTables(client: Client): Promise<void> {
  await client.query(`BEGIN;\n${DEMO_SCHEMA_SQL}\n${DEMO_SEED_SQL}\nCOMMIT;`);
}
