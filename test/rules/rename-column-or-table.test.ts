import rule from '../../server/src/rules/rename-column-or-table';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'ALTER TABLE payments ADD COLUMN amount_minor bigint',
    { name: 'table created in the file', code: 'CREATE TABLE refunds (id bigint, amt bigint);\nALTER TABLE refunds RENAME COLUMN amt TO amount_minor;\nALTER TABLE refunds RENAME TO payment_refunds;' },
    { name: 'down migration', code: 'ALTER TABLE payments RENAME COLUMN amount_minor TO amount;', fileInfo: { role: 'down' } },
    { name: 'constraint and index renames are harmless', code: 'ALTER TABLE payments RENAME CONSTRAINT a TO b;\nALTER INDEX i RENAME TO j;' },
    "ALTER TYPE payment_status ADD VALUE 'refunded'",
  ],
  invalid: [
    {
      name: 'column rename',
      code: 'ALTER TABLE payments\n  RENAME COLUMN amount TO amount_minor;',
      errors: [{ messageId: 'rename', line: 1, column: 1, endColumn: 21, includes: ['column amount to amount_minor on the existing table payments', 'expand/contract'] }],
      output: null,
    },
    {
      name: 'table rename offers a bridging view; COLUMN keyword optional',
      code: 'ALTER TABLE wallets RENAME TO accounts;\nALTER TABLE ledger RENAME amt TO amount;',
      errors: [
        { messageId: 'rename', line: 1, includes: ['table wallets to accounts', 'CREATE VIEW wallets AS SELECT * FROM accounts'] },
        { messageId: 'rename', line: 2, includes: 'column amt to amount' },
      ],
    },
    {
      name: 'schema, view, materialized view, enum value',
      code: "ALTER SCHEMA billing RENAME TO payments;\nALTER VIEW v_balances RENAME TO balances_v;\nALTER MATERIALIZED VIEW mv RENAME TO mv2;\nALTER TYPE payment_status RENAME VALUE 'settled' TO 'completed';",
      errors: [
        { messageId: 'rename', line: 1, includes: 'schema billing to payments' },
        { messageId: 'rename', line: 2, includes: 'view v_balances' },
        { messageId: 'rename', line: 3, includes: 'materialized view mv' },
        { messageId: 'enumValue', line: 4, includes: ["'settled'", 'payment_status', "'completed'"] },
      ],
    },
  ],
});
