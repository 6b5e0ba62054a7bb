import rule from '../../server/src/rules/non-idempotent-ddl';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    { name: 'guarded', code: "CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments (account_id);\nDROP INDEX CONCURRENTLY IF EXISTS payments_old_idx;\nALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'settled';" },
    { name: 'not a migration', code: 'CREATE INDEX CONCURRENTLY payments_account_id_idx ON payments (account_id);', fileInfo: { migration: false, role: 'plain' } },
    { name: 'plain CREATE/DROP INDEX run in a transaction of their own', code: 'CREATE INDEX payments_account_id_idx ON payments (account_id);\nDROP INDEX payments_old_idx;' },
    {
      name: 'ADD VALUE inside BEGIN ... COMMIT is rolled back with the rest (PostgreSQL 12+)',
      code: "BEGIN;\nALTER TYPE payment_status ADD VALUE 'refunded' AFTER 'settled';\nCOMMIT;",
    },
    {
      name: 'inside a transaction CONCURRENTLY fails outright (concurrently-in-transaction reports it)',
      code: 'CREATE INDEX CONCURRENTLY payments_account_id_idx ON payments (account_id);',
      fileInfo: { runnerWrapsTransaction: true },
    },
    { name: 'the words in a comment', code: '-- CREATE INDEX CONCURRENTLY x ON t (a)\nSELECT 1;' },
  ],
  invalid: [
    {
      name: 'CREATE UNIQUE INDEX CONCURRENTLY: IF NOT EXISTS inserted, message says to drop the INVALID leftover',
      code: 'CREATE UNIQUE INDEX CONCURRENTLY payments_idempotency_key_idx\n  ON payments (merchant_id, idempotency_key);',
      errors: [
        {
          messageId: 'createIndex',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 62,
          severity: 'info',
          includes: ['payments_idempotency_key_idx on payments', 'INVALID index', 'relation already exists', 'DROP INDEX CONCURRENTLY IF EXISTS payments_idempotency_key_idx'],
        },
      ],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payments_idempotency_key_idx\n  ON payments (merchant_id, idempotency_key);',
    },
    {
      name: 'unnamed index: no mechanical fix',
      code: 'CREATE INDEX CONCURRENTLY ON payments (account_id);',
      errors: [{ messageId: 'createIndexUnnamed', line: 1, column: 1, includes: ['on payments has no name', 'Name the index'] }],
      output: null,
    },
    {
      name: 'DROP INDEX CONCURRENTLY, schema-qualified, after a COMMIT; in a down migration too',
      code: 'BEGIN;\nSELECT 1;\nCOMMIT;\ndrop index concurrently billing.payments_old_idx;',
      fileInfo: { role: 'down' },
      errors: [{ messageId: 'dropIndex', line: 4, column: 1, includes: ['billing.payments_old_idx', 'index does not exist'] }],
      output: 'BEGIN;\nSELECT 1;\nCOMMIT;\ndrop index concurrently IF EXISTS billing.payments_old_idx;',
    },
    {
      name: 'ADD VALUE in autocommit: IF NOT EXISTS goes after ADD VALUE',
      code: "-- 💸 statuses\nALTER TYPE payment_status ADD VALUE 'refunded' AFTER 'settled';",
      errors: [{ messageId: 'addValue', line: 2, column: 1, includes: ["ALTER TYPE payment_status ADD VALUE 'refunded'", 'enum label already exists'] }],
      output: "-- 💸 statuses\nALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'settled';",
    },
    {
      name: 'each unguarded statement of a non-transactional migration',
      code: 'DROP INDEX CONCURRENTLY payments_account_idx;\nCREATE INDEX CONCURRENTLY payments_account_id_idx ON payments (account_id);',
      fileInfo: { role: 'repeatable' },
      errors: [
        { messageId: 'dropIndex', line: 1 },
        { messageId: 'createIndex', line: 2 },
      ],
      output: 'DROP INDEX CONCURRENTLY IF EXISTS payments_account_idx;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments (account_id);',
    },
  ],
});
