import rule from '../../server/src/rules/unindexed-foreign-key';
import { ruleTester } from '../lib/rule-tester';

const accounts = { path: 'migrations/0001_accounts.sql', code: 'CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);' };
const paymentsTable = 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL);';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));\nCREATE INDEX payments_account_id_idx ON payments (account_id);',
    { name: 'leading column of a composite primary key', code: 'CREATE TABLE account_owners (account_id bigint REFERENCES accounts (id), user_id bigint, PRIMARY KEY (account_id, user_id));' },
    { name: 'unique constraint, columns in another order', code: 'CREATE TABLE fx (a bigint, b bigint, c bigint, FOREIGN KEY (a, b) REFERENCES pairs (x, y), UNIQUE (b, a, c));' },
    {
      name: 'FK in this migration, its index in a later one',
      files: [accounts, { path: 'migrations/0003_index.sql', code: 'CREATE INDEX CONCURRENTLY payments_account_id_idx ON payments (account_id);' }],
      path: 'migrations/0002_payments.sql',
      code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));',
    },
    {
      name: 'index created by an earlier migration (before the FK is added)',
      files: [accounts, { path: 'migrations/0002_payments.sql', code: `${paymentsTable}\nCREATE INDEX payments_account_id_idx ON payments (account_id);` }],
      code: 'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;',
    },
    {
      name: 'an unindexed FK declared in another file is reported there, not here',
      files: [accounts, { path: 'migrations/0002_payments.sql', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));' }],
      code: 'CREATE TABLE refunds (id bigint PRIMARY KEY, payment_id bigint REFERENCES payments (id));\nCREATE INDEX refunds_payment_id_idx ON refunds (payment_id);',
    },
    {
      name: 'index on the partitioned parent covers the partition',
      code: 'CREATE TABLE entries (id bigint, account_id bigint, created_at timestamptz) PARTITION BY RANGE (created_at);\nCREATE INDEX entries_account_id_idx ON entries (account_id);\nCREATE TABLE entries_2025 PARTITION OF entries FOR VALUES FROM (\'2025-01-01\') TO (\'2026-01-01\');\nALTER TABLE entries_2025 ADD FOREIGN KEY (account_id) REFERENCES accounts (id);',
    },
  ],
  invalid: [
    {
      name: 'new table: plain CREATE INDEX right after the CREATE TABLE',
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT\n);\nSELECT 1;',
      errors: [{ messageId: 'unindexed', line: 3, column: 30, endLine: 3, endColumn: 73, includes: ['payments (account_id) -> accounts', 'scans all of payments'] }],
      output:
        'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT\n);\nCREATE INDEX payments_account_id_idx ON payments (account_id);\nSELECT 1;',
    },
    {
      name: 'partial, hash and non-leading indexes do not serve the FK check; name not taken',
      code: [
        'CREATE TABLE transfers (id bigint PRIMARY KEY, wallet_id bigint, status text, CONSTRAINT transfers_wallet_fk FOREIGN KEY (wallet_id) REFERENCES wallets (id));',
        "CREATE INDEX transfers_wallet_id_idx ON transfers (wallet_id) WHERE status = 'pending';",
        'CREATE INDEX transfers_wallet_hash ON transfers USING hash (wallet_id);',
        'CREATE INDEX transfers_status_wallet_idx ON transfers (status, wallet_id);',
      ].join('\n'),
      errors: [{ messageId: 'unindexed', line: 1, column: 79, includes: 'transfers (wallet_id) -> wallets' }],
      output: [
        'CREATE TABLE transfers (id bigint PRIMARY KEY, wallet_id bigint, status text, CONSTRAINT transfers_wallet_fk FOREIGN KEY (wallet_id) REFERENCES wallets (id));',
        'CREATE INDEX transfers_wallet_id_1_idx ON transfers (wallet_id);',
        "CREATE INDEX transfers_wallet_id_idx ON transfers (wallet_id) WHERE status = 'pending';",
        'CREATE INDEX transfers_wallet_hash ON transfers USING hash (wallet_id);',
        'CREATE INDEX transfers_status_wallet_idx ON transfers (status, wallet_id);',
      ].join('\n'),
    },
    {
      name: 'existing table: a new CONCURRENTLY migration in the folder convention, idx_ prefix like the workspace',
      files: [
        accounts,
        { path: 'migrations/0002_payments.sql', code: `${paymentsTable}\nCREATE INDEX idx_payments_created ON payments (id);` },
      ],
      path: 'migrations/0003_fk.sql',
      code: 'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;',
      errors: [{ messageId: 'unindexed', line: 1, column: 26 }],
      output: null,
      newFiles: [
        {
          path: 'migrations/0004_index_payments_account_id.sql',
          text: [
            '-- Index for the foreign key payments (account_id) -> accounts.',
            '-- CONCURRENTLY keeps writes to payments flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_payments_account_id ON payments (account_id);',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'runner wraps migrations in a transaction: the new file says how to run it',
      files: [accounts, { path: 'migrations/0002_payments.sql', code: paymentsTable }],
      path: 'migrations/0003_fk.sql',
      fileInfo: { runnerWrapsTransaction: true },
      code: 'ALTER TABLE payments ADD FOREIGN KEY (account_id) REFERENCES accounts (id);',
      errors: [{ messageId: 'unindexed' }],
      newFiles: [
        {
          path: 'migrations/0004_index_payments_account_id.sql',
          text: [
            '-- Index for the foreign key payments (account_id) -> accounts.',
            '-- CONCURRENTLY keeps writes to payments flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            '-- CREATE INDEX CONCURRENTLY fails inside a transaction block, and this migration runner wraps migrations in one:',
            "-- run this file outside it (e.g. `psql -f` in the deploy step, or the tool's no-transaction option).",
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments (account_id);',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'the engine knows the folder: numbering counts every migration in it, the path is relative to the root',
      files: [
        { path: '/ws/db/0001_accounts.up.sql', code: accounts.code },
        { path: '/ws/db/0002_payments.up.sql', code: paymentsTable },
        // Creates nothing the schema remembers a file by: only the folder's file list knows it.
        { path: '/ws/db/0004_note.up.sql', code: 'ALTER TABLE accounts ADD COLUMN note text;' },
      ],
      path: '/ws/db/0003_fk.up.sql',
      fileInfo: {
        root: '/ws',
        migrationFolder: { path: '/ws/db', convention: 'golang-migrate', files: ['/ws/db/0001_accounts.up.sql', '/ws/db/0002_payments.up.sql', '/ws/db/0003_fk.up.sql', '/ws/db/0004_note.up.sql'] },
      },
      code: 'ALTER TABLE payments ADD FOREIGN KEY (account_id) REFERENCES accounts (id);',
      errors: [{ messageId: 'unindexed' }],
      newFiles: [
        {
          path: 'db/0005_index_payments_account_id.up.sql',
          text: [
            '-- Index for the foreign key payments (account_id) -> accounts.',
            '-- CONCURRENTLY keeps writes to payments flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            '-- Keep this the only statement of the file: a script of several statements is sent as one query, which runs in an implicit transaction where CREATE INDEX CONCURRENTLY fails.',
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments (account_id);',
            '',
          ].join('\n'),
        },
        {
          path: 'db/0005_index_payments_account_id.down.sql',
          text: [
            '-- Keep this the only statement of the file: a script of several statements is sent as one query, which runs in an implicit transaction where CREATE INDEX CONCURRENTLY fails.',
            'DROP INDEX CONCURRENTLY IF EXISTS payments_account_id_idx;',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'the index was dropped by a later migration',
      files: [accounts, { path: 'migrations/0003_drop.sql', code: 'DROP INDEX payments_account_id_idx;' }],
      path: 'migrations/0002_payments.sql',
      code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));\nCREATE INDEX payments_account_id_idx ON payments (account_id);',
      errors: [{ messageId: 'unindexed', line: 1, column: 65 }],
    },
    {
      name: 'multi-column FK needs both columns leading',
      code: 'CREATE TABLE postings (id bigint PRIMARY KEY, journal_id bigint, line int, FOREIGN KEY (journal_id, line) REFERENCES journal_lines (journal_id, line));\nCREATE INDEX postings_journal_id_idx ON postings (journal_id);',
      errors: [{ messageId: 'unindexed', includes: 'postings (journal_id, line) -> journal_lines' }],
      output:
        'CREATE TABLE postings (id bigint PRIMARY KEY, journal_id bigint, line int, FOREIGN KEY (journal_id, line) REFERENCES journal_lines (journal_id, line));\nCREATE INDEX postings_journal_id_line_idx ON postings (journal_id, line);\nCREATE INDEX postings_journal_id_idx ON postings (journal_id);',
    },
  ],
});
