import rule from '../../server/src/rules/concurrently-in-transaction';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_idx ON payments (account_id)',
    'DROP INDEX CONCURRENTLY IF EXISTS payments_old_idx',
    'REINDEX INDEX CONCURRENTLY payments_account_idx',
    'ALTER TABLE payments DETACH PARTITION payments_2019 CONCURRENTLY',
    { name: 'after COMMIT', code: 'BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_nick_idx ON users (nickname);' },
    { name: 'after ROLLBACK', code: 'START TRANSACTION;\nROLLBACK;\nREINDEX TABLE CONCURRENTLY payments;' },
    { name: 'non-concurrent index in a block is another rule', code: 'BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;' },
    { name: 'option turned off', code: 'BEGIN;\nREINDEX (CONCURRENTLY false) INDEX i;\nCOMMIT;' },
  ],
  invalid: [
    {
      name: 'CREATE INDEX CONCURRENTLY in BEGIN..COMMIT, anchored on the keyword',
      code: 'BEGIN;\nCREATE INDEX CONCURRENTLY payments_account_idx ON payments (account_id);\nCOMMIT;',
      errors: [{ messageId: 'inTransaction', line: 2, column: 14, endLine: 2, endColumn: 26, severity: 'error', includes: ['CREATE INDEX CONCURRENTLY (payments)', 'BEGIN ... COMMIT', 'own migration'] }],
      output: null,
    },
    {
      name: 'runner-wrapped drizzle-kit file',
      code: 'CREATE UNIQUE INDEX CONCURRENTLY "users_email_key" ON "users" ("email");',
      fileInfo: { runnerWrapsTransaction: true },
      errors: [{ messageId: 'inTransaction', column: 21, includes: ['drizzle-kit', 'users'] }],
    },
    {
      name: 'DROP INDEX, REINDEX (both spellings) and DETACH PARTITION in one block',
      code: [
        'BEGIN;',
        'DROP INDEX CONCURRENTLY public.payments_old_idx;',
        'REINDEX TABLE CONCURRENTLY ledger_entries;',
        'REINDEX (CONCURRENTLY) INDEX ledger_entries_pkey;',
        'ALTER TABLE payments DETACH PARTITION payments_2019 CONCURRENTLY;',
        'COMMIT;',
      ].join('\n'),
      errors: [
        { messageId: 'inTransaction', line: 2, column: 12, includes: 'DROP INDEX CONCURRENTLY (payments_old_idx)' },
        { messageId: 'inTransaction', line: 3, column: 15, includes: 'REINDEX CONCURRENTLY (ledger_entries)' },
        { messageId: 'inTransaction', line: 4, column: 10, includes: 'REINDEX CONCURRENTLY (ledger_entries_pkey)' },
        { messageId: 'inTransaction', line: 5, column: 53, includes: 'DETACH PARTITION CONCURRENTLY (payments_2019)' },
      ],
    },
    {
      name: 'new table too: PostgreSQL refuses it regardless',
      code: 'BEGIN;\nCREATE TABLE notes (id bigint);\nCREATE INDEX CONCURRENTLY notes_id_idx ON notes (id);\nCOMMIT;',
      errors: [{ messageId: 'inTransaction', line: 3 }],
    },
  ],
});
