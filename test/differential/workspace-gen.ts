// The workspace a differential run edits: migrations whose DDL spans files (tables altered later,
// foreign keys to earlier files, enums, policies, functions), query files that depend on that schema
// and a Drizzle pgTable file; plus the pools of statements and Drizzle columns edits type or paste.
// Every text is chosen by a seeded generator, so a run is replayed from its seed.

export type Pick = <T>(items: readonly T[]) => T;

export const INIT_MIGRATION = [
  "CREATE TYPE payment_status AS ENUM ('pending', 'settled');",
  'CREATE TABLE merchants (id bigint PRIMARY KEY, name text NOT NULL);',
  'CREATE TABLE accounts (id bigint PRIMARY KEY, merchant_id bigint NOT NULL REFERENCES merchants (id), balance numeric(19,4) NOT NULL);',
  'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id), amount double precision, status payment_status NOT NULL, created_at timestamp);',
  '-- café ☕: the first schema',
];

/** Statements a later migration holds, types or pastes: each touches tables the first migration made. */
export const DDL_POOL = [
  'ALTER TABLE payments ADD COLUMN currency text;',
  'ALTER TABLE payments ADD COLUMN fee_amount real;',
  'ALTER TABLE payments ADD COLUMN idempotency_key text;',
  'ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount > 0);',
  'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);',
  'ALTER TABLE payments ALTER COLUMN amount TYPE numeric(19,4);',
  'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
  'ALTER TABLE payments RENAME COLUMN created_at TO booked_at;',
  'ALTER TABLE payments DROP COLUMN fee_amount;',
  'CREATE INDEX payments_created_idx ON payments (created_at);',
  'CREATE INDEX CONCURRENTLY payments_account_idx ON payments (account_id);',
  'CREATE UNIQUE INDEX payments_idem_idx ON payments (idempotency_key);',
  'DROP INDEX payments_created_idx;',
  "ALTER TYPE payment_status ADD VALUE 'refunded';",
  "CREATE TYPE transfer_kind AS ENUM ('in', 'out');",
  'CREATE TABLE transfers (id bigint PRIMARY KEY, from_account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, amount_minor integer, currency char(3), kind transfer_kind);',
  'DROP TABLE transfers;',
  'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id), amount numeric(19,4) NOT NULL, journal_id bigint NOT NULL);',
  'ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;',
  'ALTER TABLE accounts FORCE ROW LEVEL SECURITY;',
  "CREATE POLICY accounts_tenant ON accounts USING (merchant_id = current_setting('app.merchant_id')::bigint);",
  'ALTER TABLE accounts ADD COLUMN tenant_id bigint;',
  'ALTER TABLE accounts RENAME TO wallets;',
  'CREATE FUNCTION debit(p_id bigint, p_amount numeric) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN UPDATE accounts SET balance = p_amount WHERE id = p_id; END $$;',
  'REVOKE EXECUTE ON FUNCTION debit(bigint, numeric) FROM PUBLIC;',
  "SET lock_timeout = '3s';",
  'BEGIN;',
  'COMMIT;',
  'UPDATE payments SET currency = \'EUR\';',
  '-- naïve note: ledger ✓',
];

/** Application queries: unindexed filters, FK lookups, locks and writes on the migrations' tables. */
export const QUERY_POOL = [
  "SELECT id FROM payments WHERE status = 'pending';",
  'SELECT id, amount FROM payments WHERE currency = $1;',
  'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE;',
  'SELECT * FROM payments WHERE account_id = $1;',
  'SELECT id FROM transfers WHERE from_account_id = $1;',
  'UPDATE accounts SET balance = $1 WHERE id = $2;',
  'UPDATE accounts SET balance = balance - $2 WHERE id = $1 AND balance >= $2;',
  'DELETE FROM payments WHERE id = $1;',
  'DELETE FROM ledger_entries;',
  'SELECT sum(amount) FROM payments WHERE created_at BETWEEN $1 AND $2;',
  'SELECT id FROM payments WHERE id NOT IN (SELECT account_id FROM accounts);',
  'INSERT INTO payments VALUES (1, 2, 3);',
  'SELECT pg_advisory_lock(1);',
  'SELECT id FROM refunds WHERE payment_id = $1;',
  "SELECT id FROM payments WHERE booked_at > now() - interval '1 day';",
  '-- the report ✓ für später',
];

export const DRIZZLE_HEADER = "import { bigint, doublePrecision, integer, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';\n";

/** Column lines of a Drizzle table (typed or pasted before its closing `});`). */
export const DRIZZLE_COLUMN_POOL = [
  "  paymentId: bigint('payment_id', { mode: 'number' }).notNull(),",
  "  amount: doublePrecision('amount'),",
  "  feeMinor: integer('fee_minor'),",
  "  rate: real('rate'),",
  "  currency: text('currency'),",
  "  merchantId: bigint('merchant_id', { mode: 'number' }),",
  "  createdAt: timestamp('created_at'),",
  "  settledAt: timestamp('settled_at', { withTimezone: true }),",
  '  // crème ☕',
];

export function drizzleTable(name: string, columns: string[]): string {
  return `export const ${name} = pgTable('${name}', {\n  id: bigint({ mode: 'number' }).primaryKey(),\n${columns.map((c) => c + '\n').join('')}});\n`;
}

/** Workspace-relative path -> text. */
export type Files = Record<string, string>;

/** Lines the extended workspace's enums file holds, types or pastes: pgEnums the schema imports. */
export const ENUM_POOL = [
  "export const payoutStatus = pgEnum('payout_status', ['pending', 'sent']);",
  "export const payoutStatus = pgEnum('payout_status', ['pending', 'sent', 'failed']);",
  "export const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'refunded']);",
  '// enum notes ✓',
];

/** Column lines of the extended schema that use the enums file's pgEnums. */
export const ENUM_COLUMN_POOL = ["  status: payoutStatus('status').notNull(),", "  state: paymentStatus('state'),", "  status: payoutStatus(),"];

/** Lines of the extended workspace's db.ts: drizzle() calls that set, or do not set, the workspace casing. */
export const DB_POOL = [
  "export const db = drizzle(process.env.DATABASE_URL!, { casing: 'snake_case' });",
  'export const db = drizzle(process.env.DATABASE_URL!);',
  "export const replica = drizzle(process.env.REPLICA_URL!, { casing: 'camelCase' });",
];

/** Lines of the extended workspace's drizzle.config.ts (its casing counts as a drizzle() call's). */
export const CONFIG_POOL = ["export default defineConfig({ dialect: 'postgresql', casing: 'snake_case' });", "export default defineConfig({ dialect: 'postgresql' });"];

/** Key-only columns of the extended schema: the workspace casing names them (payoutMinor or payout_minor). */
export const KEY_ONLY_COLUMN_POOL = ["  payoutMinor: bigint({ mode: 'number' }),", '  settledOn: timestamp({ withTimezone: true }),', '  feeRate: real(),'];

/** Extra lines of the extended CRLF query file: a SELECT * whose column-list fix names the Drizzle columns. */
export const CRLF_QUERY_POOL = [...QUERY_POOL, 'SELECT * FROM payouts WHERE id = $1;'];

/**
 * `extended` adds an enums file imported by the Drizzle schema (edits there re-check the schema), a
 * db.ts and a drizzle.config.ts whose edits change the workspace casing, and a query file with CRLF
 * line ends.
 */
/**
 * 300 small tables before the first migration's own statements: a file of 256+ statements, where the
 * schema-wide rules' per-table reuse and the patched checkpoints take over from whole replays.
 */
export function bigPrefix(): string {
  return Array.from({ length: 300 }, (_, i) => `CREATE TABLE filler_${i} (id bigint PRIMARY KEY, note text);`).join('\n') + '\n';
}

export function generateWorkspace(pick: Pick, random: () => number, extended = false, big = false): Files {
  const some = (pool: readonly string[], n: number) => Array.from({ length: n }, () => pick(pool));
  const lines = (xs: string[]) => xs.join('\n') + '\n';
  return {
    'package.json': '{}\n',
    'migrations/0001_init.sql': (big ? bigPrefix() : '') + lines(INIT_MIGRATION),
    'migrations/0002_payments.sql': lines(some(DDL_POOL, 3 + Math.floor(random() * 4))),
    'migrations/0003_accounts.sql': lines(some(DDL_POOL, 2 + Math.floor(random() * 4))),
    'queries/payments.sql': lines(some(QUERY_POOL, 3 + Math.floor(random() * 4))),
    'queries/reports.sql': lines(some(QUERY_POOL, 2 + Math.floor(random() * 3))),
    'src/schema.ts': DRIZZLE_HEADER + drizzleTable('refunds', some(DRIZZLE_COLUMN_POOL, 2)) + drizzleTable('payouts', some(DRIZZLE_COLUMN_POOL, 2)),
    ...(extended
      ? {
          'src/schema.ts':
            DRIZZLE_HEADER +
            "import { paymentStatus, payoutStatus } from './enums';\n" +
            drizzleTable('refunds', some(DRIZZLE_COLUMN_POOL, 2)) +
            drizzleTable('payouts', [...some(DRIZZLE_COLUMN_POOL, 1), pick(ENUM_COLUMN_POOL), pick(KEY_ONLY_COLUMN_POOL)]),
          'src/enums.ts': "import { pgEnum } from 'drizzle-orm/pg-core';\n" + lines([ENUM_POOL[0], ENUM_POOL[2]]),
          'src/db.ts': "import { drizzle } from 'drizzle-orm/node-postgres';\n" + lines([pick(DB_POOL)]),
          'drizzle.config.ts': "import { defineConfig } from 'drizzle-kit';\n" + lines([pick(CONFIG_POOL)]),
          'queries/crlf.sql': [...some(QUERY_POOL, 2), CRLF_QUERY_POOL[CRLF_QUERY_POOL.length - 1]].join('\r\n') + '\r\n',
        }
      : {}),
  };
}
