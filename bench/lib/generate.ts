// Realistic generated SQL for benchmarks: a mix of DDL and application statements, with the
// mistakes Ledgerlint reports, so the engine does real work on every statement.

const SHAPES: Array<(i: number) => string> = [
  (i) => `CREATE TABLE payments_${i} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  merchant_id bigint NOT NULL REFERENCES merchants (id),\n  amount double precision NOT NULL,\n  created_at timestamp NOT NULL DEFAULT now()\n)`,
  (i) => `CREATE INDEX payments_${i}_merchant_idx ON payments_${i} (merchant_id)`,
  (i) => `UPDATE wallets SET balance = $1 WHERE id = ${i}`,
  (i) => `SELECT id, amount FROM payments WHERE created_at BETWEEN '2024-06-01' AND '2024-06-30' AND merchant_id = ${i}`,
  (i) => `INSERT INTO ledger_entries (account_id, amount_minor, currency) VALUES (${i}, 1000, 'EUR')`,
  (i) => `ALTER TABLE accounts_${i % 50} ADD COLUMN fee_minor integer`,
  (i) => `SELECT * FROM customers WHERE id NOT IN (SELECT customer_id FROM blocked_${i})`,
  (i) => `-- reconciliation 💸 ${i}\nSELECT a.id, sum(e.amount_minor) FROM accounts a JOIN ledger_entries e ON e.account_id = a.id GROUP BY a.id`,
];

export function generateSqlFile(statements: number, offset = 0): string {
  const parts: string[] = [];
  for (let i = 0; i < statements; i++) parts.push(SHAPES[(i + offset) % SHAPES.length](i + offset));
  return parts.join(';\n\n') + ';\n';
}

/** A migration file as teams write them: one table, its index, an alter. */
export function generateMigration(n: number): string {
  return generateSqlFile(3, n * 3);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
