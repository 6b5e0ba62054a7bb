import rule from '../../server/src/rules/missing-lock-timeout';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    "SET lock_timeout = '3s';\nALTER TABLE payments ADD COLUMN note text;",
    "BEGIN;\nSET LOCAL lock_timeout = '2s';\nALTER TABLE payments ADD COLUMN note text;\nCOMMIT;",
    { name: 'SET LOCAL in a runner-wrapped file lasts for the file', code: "SET LOCAL lock_timeout TO 2000;\nALTER TABLE payments ADD COLUMN note text;", fileInfo: { runnerWrapsTransaction: true } },
    { name: 'only new tables', code: 'CREATE TABLE refunds (id bigint);\nALTER TABLE refunds ADD COLUMN note text;\nCREATE INDEX ON refunds (id);' },
    { name: 'no strong lock', code: 'CREATE INDEX CONCURRENTLY i ON payments (a);\nUPDATE payments SET note = 1 WHERE id = 2;\nDROP INDEX CONCURRENTLY j;' },
  ],
  invalid: [
    {
      name: 'first ALTER only; fix goes after the leading comments',
      code: "-- 0007: add notes\n/* ticket PAY-1 */\n\nALTER TABLE payments ADD COLUMN note text;\nALTER TABLE payments ADD COLUMN memo text;",
      errors: [{ messageId: 'missing', line: 4, column: 1, endColumn: 42, includes: ['ALTER TABLE', 'existing table payments', "SET lock_timeout = '3s'"] }],
      output: "-- 0007: add notes\n/* ticket PAY-1 */\n\nSET lock_timeout = '3s';\nALTER TABLE payments ADD COLUMN note text;\nALTER TABLE payments ADD COLUMN memo text;",
    },
    {
      name: 'SET LOCAL outside a transaction does nothing',
      code: "SET LOCAL lock_timeout = '3s';\nCREATE INDEX payments_a_idx ON payments (a);",
      errors: [{ messageId: 'missing', line: 2, includes: 'CREATE INDEX' }],
      output: "SET lock_timeout = '3s';\nSET LOCAL lock_timeout = '3s';\nCREATE INDEX payments_a_idx ON payments (a);",
    },
    {
      name: 'SET LOCAL ends with its transaction; lock_timeout = 0 and RESET turn it off',
      code: "BEGIN;\nSET LOCAL lock_timeout = '3s';\nCOMMIT;\nSET lock_timeout = '5s';\nRESET lock_timeout;\nSET lock_timeout = 0;\nDROP TABLE old_payments;",
      errors: [{ messageId: 'missing', line: 7, includes: ['DROP TABLE', 'old_payments'] }],
    },
    {
      name: 'DROP TRIGGER names its table; TRUNCATE several',
      code: 'DROP TRIGGER ledger_guard ON ledger_entries;\nTRUNCATE a, b;',
      errors: [{ messageId: 'missing', line: 1, includes: ['DROP TRIGGER', 'ledger_entries'] }],
    },
  ],
});
