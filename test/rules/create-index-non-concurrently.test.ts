import rule from '../../server/src/rules/create-index-non-concurrently';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_idx ON payments (account_id)',
    'CREATE UNIQUE INDEX CONCURRENTLY payments_ref_key ON payments (reference)',
    { name: 'table created earlier in the file is new', code: 'CREATE TABLE payouts (id bigint, account_id bigint);\nCREATE INDEX payouts_account_idx ON payouts (account_id);' },
    { name: 'new table inside a transaction', code: 'BEGIN;\nCREATE TABLE notes (id bigint);\nCREATE INDEX ON notes (id);\nCOMMIT;' },
    { name: 'garbage does not crash', code: 'CREATE INDEX ON;' },
  ],
  invalid: [
    {
      name: 'plain index on an existing table: fix adds CONCURRENTLY IF NOT EXISTS',
      code: '-- add lookup\nCREATE INDEX users_email_idx\n  ON users (email);',
      errors: [{ messageId: 'blocking', line: 2, column: 1, endLine: 2, endColumn: 29, severity: 'warning', includes: ['users', 'CONCURRENTLY IF NOT EXISTS'] }],
      output: '-- add lookup\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx\n  ON users (email);',
    },
    {
      name: 'financial table is an error; unique index; existing IF NOT EXISTS kept',
      code: 'CREATE UNIQUE INDEX IF NOT EXISTS wallet_transactions_ref_key ON public.wallet_transactions (reference);',
      errors: [{ messageId: 'blocking', severity: 'error', includes: 'wallet_transactions' }],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS wallet_transactions_ref_key ON public.wallet_transactions (reference);',
    },
    {
      name: 'unnamed index: no IF NOT EXISTS (it needs a name)',
      code: 'CREATE INDEX ON users (email)',
      errors: [{ messageId: 'blocking' }],
      output: 'CREATE INDEX CONCURRENTLY ON users (email)',
    },
    {
      name: 'inside BEGIN..COMMIT: no fix, move it to its own migration',
      code: 'BEGIN;\nCREATE INDEX payments_status_idx ON payments (status);\nCOMMIT;',
      errors: [{ messageId: 'blockingInTransaction', line: 2, severity: 'error', includes: ['BEGIN ... COMMIT', 'own migration'] }],
      output: null,
    },
    {
      name: 'runner-wrapped file (drizzle-kit): no fix, message names drizzle-kit',
      code: 'CREATE INDEX "users_email_idx" ON "users" USING btree ("email");',
      fileInfo: { runnerWrapsTransaction: true },
      errors: [{ messageId: 'blockingInTransaction', includes: ['drizzle-kit', 'custom migration', 'outside a transaction'] }],
      output: null,
    },
    {
      name: 'after COMMIT the fix is offered again',
      code: 'BEGIN;\nCOMMIT;\nCREATE INDEX users_name_idx ON users (name);',
      errors: [{ messageId: 'blocking', line: 3 }],
      output: 'BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (name);',
    },
  ],
});
