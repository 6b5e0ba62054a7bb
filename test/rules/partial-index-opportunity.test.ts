import rule from '../../server/src/rules/partial-index-opportunity';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

const PLAIN = { migration: false, role: 'plain' as const };
const payouts = {
  path: 'migrations/0001_payouts.sql',
  code: 'CREATE TABLE payouts (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, status text NOT NULL, on_hold boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL, deleted_at timestamptz);',
};
const query = (code: string) => ({ files: [payouts], path: 'queries/payouts.sql', fileInfo: PLAIN, code });

ruleTester(rule, {
  valid: [
    { name: 'partial index in another migration whose predicate the query repeats', ...query("SELECT id FROM payouts WHERE status = 'pending' ORDER BY created_at;"), files: [payouts, { path: 'migrations/0002_idx.sql', code: "CREATE INDEX CONCURRENTLY idx_payouts_pending ON payouts (created_at) WHERE status = 'pending';" }] },
    { name: 'index led by the status column', ...query("SELECT id FROM payouts WHERE status = 'failed';"), files: [payouts, { path: 'migrations/0002_idx.sql', code: 'CREATE INDEX payouts_status_idx ON payouts (status, created_at);' }] },
    { name: 'primary key lookup pins one row', ...query("UPDATE payouts SET status = 'sent' WHERE id = $1 AND status = 'pending';") },
    { name: 'parameter, not a constant: a partial index cannot match it', ...query('SELECT id FROM payouts WHERE status = $1;') },
    { name: 'not a financial table', ...query("SELECT id FROM emails WHERE status = 'queued';") },
    { name: 'not low-cardinality by name', ...query("SELECT id FROM payouts WHERE reference = 'po_123';") },
    {
      name: 'the partitioned parent has the partial index',
      fileInfo: PLAIN,
      code: "CREATE TABLE ledger_entries (id bigint, status text, created_at timestamptz) PARTITION BY RANGE (created_at);\nCREATE INDEX ledger_entries_open_idx ON ledger_entries (created_at) WHERE status = 'open';\nCREATE TABLE ledger_entries_2025 PARTITION OF ledger_entries FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\nSELECT id FROM ledger_entries_2025 WHERE status = 'open';",
    },
    { name: 'IS NOT NULL and currency codes are not partial-index candidates', ...query("SELECT id FROM payouts WHERE deleted_at IS NOT NULL AND currency = 'EUR';") },
    { name: 'a backfill UPDATE at the top of a migration', files: [payouts], code: "UPDATE payouts SET on_hold = false WHERE status = 'legacy';" },
    {
      name: 'index predicate with a condition the query does not repeat does not serve it, but one it repeats does',
      ...query("SELECT id FROM payouts WHERE deleted_at IS NULL AND status = 'pending';"),
      files: [payouts, { path: 'migrations/0002_idx.sql', code: "CREATE INDEX payouts_live_pending_idx ON payouts (merchant_id) WHERE status = 'pending' AND deleted_at IS NULL;" }],
    },
  ],
  invalid: [
    {
      name: 'query file: a CONCURRENTLY migration in the discovered folder, keys from filters then ORDER BY, prefix naming',
      ...query("SELECT id, amount_minor\nFROM payouts p\nWHERE p.merchant_id = $1 AND p.status = 'pending'\nORDER BY p.created_at;"),
      files: [payouts, { path: 'migrations/0002_idx.sql', code: 'CREATE INDEX idx_payouts_created_at ON payouts (created_at);' }],
      errors: [
        {
          messageId: 'unserved',
          line: 3,
          column: 30,
          endColumn: 50,
          severity: 'info',
          includes: ["payouts is filtered on status = 'pending'", 'status looks like a column with few distinct values', "ON payouts (merchant_id, created_at) WHERE status = 'pending'"],
        },
      ],
      output: null,
      newFiles: [
        {
          path: 'migrations/0003_index_payouts_pending.sql',
          text: [
            "-- Partial index for the queries on payouts filtering on status = 'pending'.",
            '-- CONCURRENTLY keeps writes to payouts flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_payouts_merchant_id_created_at_pending ON payouts (merchant_id, created_at) WHERE status = 'pending';",
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'soft delete and a flag together; the index on the other predicate does not serve',
      ...query('SELECT id FROM payouts WHERE deleted_at IS NULL AND NOT on_hold;'),
      files: [payouts, { path: 'migrations/0002_idx.sql', code: "CREATE INDEX payouts_pending_idx ON payouts (id) WHERE status = 'pending';" }],
      errors: [{ messageId: 'unserved', line: 1, column: 30, endColumn: 48, includes: 'deleted_at IS NULL AND NOT on_hold' }],
      newFiles: [
        {
          path: 'migrations/0003_index_payouts_deleted_at_null_not_on_hold.sql',
          text: [
            '-- Partial index for the queries on payouts filtering on deleted_at IS NULL AND NOT on_hold.',
            '-- CONCURRENTLY keeps writes to payouts flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS payouts_id_deleted_at_null_not_on_hold_idx ON payouts (id) WHERE deleted_at IS NULL AND NOT on_hold;',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'query file, runner configured to wrap migrations in a transaction: the new migration says how to run it',
      ...query("DELETE FROM payouts WHERE status = 'expired' AND created_at < now() - interval '90 days';"),
      config: { migrations: { runnerWrapsTransaction: true } },
      errors: [{ messageId: 'unserved', column: 27, endColumn: 45 }],
      newFiles: [
        {
          path: 'migrations/0002_index_payouts_expired.sql',
          text: [
            "-- Partial index for the queries on payouts filtering on status = 'expired'.",
            '-- CONCURRENTLY keeps writes to payouts flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            '-- CREATE INDEX CONCURRENTLY fails inside a transaction block, and this migration runner wraps migrations in one:',
            "-- run this file outside it (e.g. `psql -f` in the deploy step, or the tool's no-transaction option).",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS payouts_created_at_expired_idx ON payouts (created_at) WHERE status = 'expired';",
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'table created in this file: plain CREATE INDEX after the ALTER that added the column',
      code: "CREATE TABLE transfers (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);\nALTER TABLE transfers ADD COLUMN state text NOT NULL DEFAULT 'new';\nCREATE VIEW open_transfers AS SELECT id FROM transfers WHERE state = 'open' AND created_at > now() - interval '1 day';",
      errors: [{ messageId: 'unserved', line: 3, column: 62, endColumn: 76 }],
      output:
        "CREATE TABLE transfers (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);\nALTER TABLE transfers ADD COLUMN state text NOT NULL DEFAULT 'new';\nCREATE INDEX transfers_created_at_open_idx ON transfers (created_at) WHERE state = 'open';\nCREATE VIEW open_transfers AS SELECT id FROM transfers WHERE state = 'open' AND created_at > now() - interval '1 day';",
    },
    {
      name: 'boolean flag = true inside a PL/pgSQL function of a migration, in a new migration',
      files: [payouts],
      path: 'migrations/0002_fn.sql',
      code: 'CREATE FUNCTION held() RETURNS bigint LANGUAGE plpgsql AS $$\nDECLARE n bigint;\nBEGIN\n  SELECT count(*) INTO n FROM payouts WHERE on_hold = true;\n  RETURN n;\nEND $$;',
      errors: [{ messageId: 'unserved', line: 4, column: 45, endColumn: 59, includes: 'filtered on on_hold' }],
      newFiles: [
        {
          path: 'migrations/0003_index_payouts_on_hold.sql',
          text: [
            '-- Partial index for the queries on payouts filtering on on_hold.',
            '-- CONCURRENTLY keeps writes to payouts flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS payouts_id_on_hold_idx ON payouts (id) WHERE on_hold;',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'unknown table, named by the vocabulary: reported without a fix',
      code: "SELECT id FROM refunds WHERE refund_status = 'requested';",
      fileInfo: PLAIN,
      errors: [{ messageId: 'unserved', includes: 'refunds is filtered' }],
      output: null,
    },
  ],
});

// The same through Drizzle's `sql` templates.
tsRuleTester(rule, {
  valid: [
    `import { sql } from 'drizzle-orm';
export const q = (db: any, s: string) => db.execute(sql\`SELECT id FROM payouts WHERE status = \${s}\`);
`,
  ],
  invalid: [
    {
      name: 'same through sql',
      code: `import { sql } from 'drizzle-orm';
export const q = (db: any) => db.execute(sql\`SELECT id FROM payouts WHERE status = 'pending'\`);
`,
      errors: [{ messageId: 'unserved', line: 2, column: 75, endColumn: 93, includes: "status = 'pending'" }],
      output: null,
    },
  ],
});
