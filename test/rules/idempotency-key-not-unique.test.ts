import rule from '../../server/src/rules/idempotency-key-not-unique';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, idempotency_key text NOT NULL, UNIQUE (merchant_id, idempotency_key));',
    'CREATE TABLE webhooks (id bigint PRIMARY KEY, request_id uuid NOT NULL UNIQUE);',
    { name: 'partial unique index that only skips NULLs', code: 'CREATE TABLE jobs (id bigint PRIMARY KEY, external_id text NOT NULL);\nCREATE UNIQUE INDEX jobs_external_id_key ON jobs (external_id) WHERE external_id IS NOT NULL;' },
    {
      name: 'unique index in a later migration',
      files: [{ path: 'migrations/0002_unique.sql', code: 'CREATE UNIQUE INDEX CONCURRENTLY transfers_idem_key ON transfers (idempotency_key);' }],
      path: 'migrations/0001_transfers.sql',
      code: 'CREATE TABLE transfers (id bigint PRIMARY KEY, idempotency_key text NOT NULL);',
    },
  ],
  invalid: [
    {
      name: 'no unique: unique index on (tenant, key) right after the new table',
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  merchant_id bigint NOT NULL,\n  idempotency_key text NOT NULL\n);',
      errors: [{ messageId: 'notUnique', line: 4, column: 3, endColumn: 23, includes: ['payments.idempotency_key looks like an idempotency key', 'charged twice', 'UNIQUE (merchant_id, idempotency_key)'] }],
      output:
        'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  merchant_id bigint NOT NULL,\n  idempotency_key text NOT NULL\n);\nCREATE UNIQUE INDEX payments_merchant_id_idempotency_key_idx ON payments (merchant_id, idempotency_key);',
    },
    {
      name: 'nullable key; a partial unique index on another predicate does not count',
      code: "CREATE TABLE refunds (id bigint PRIMARY KEY, status text, request_id uuid);\nCREATE UNIQUE INDEX refunds_req ON refunds (request_id) WHERE status = 'open';",
      errors: [
        { messageId: 'notUnique', column: 59 },
        { messageId: 'nullable', column: 59, includes: 'any number of NULL keys' },
      ],
    },
    {
      name: 'existing table: a new migration builds the unique index concurrently',
      files: [{ path: 'migrations/0001_payouts.sql', code: 'CREATE TABLE payouts (id bigint PRIMARY KEY);' }],
      path: 'migrations/0002_key.sql',
      code: 'ALTER TABLE payouts ADD COLUMN idempotency_key text NOT NULL;',
      errors: [{ messageId: 'notUnique' }],
      newFiles: [
        {
          path: 'migrations/0003_unique_payouts_idempotency_key.sql',
          text: [
            '-- Idempotency: refuse a second payouts row for the same idempotency_key.',
            '-- Fails if duplicates already exist: find them first with GROUP BY ... HAVING count(*) > 1.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payouts_idempotency_key_idx ON payouts (idempotency_key);',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'payment-like table without any key column',
      code: 'CREATE TABLE wallet_transfers (id bigint PRIMARY KEY, org_id bigint NOT NULL, amount_minor bigint NOT NULL);',
      errors: [{ messageId: 'missingKey', column: 14, severity: 'info', includes: ['wallet_transfers', 'UNIQUE (org_id, idempotency_key)'] }],
    },
  ],
});
