import rule from '../../server/src/rules/backfill-in-schema-migration';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    { name: 'DDL committed before the batched backfill', code: "BEGIN;\nALTER TABLE payments ADD COLUMN currency text;\nCOMMIT;\nUPDATE payments SET currency = 'EUR' WHERE id < 10000;" },
    { name: 'autocommit statements are separate transactions', code: "ALTER TABLE payments ADD COLUMN currency text;\nUPDATE payments SET currency = 'EUR' WHERE id < 10000;" },
    { name: 'new table', code: 'BEGIN;\nCREATE TABLE fx (id int);\nALTER TABLE fx ADD COLUMN rate numeric;\nUPDATE fx SET rate = 1;\nCOMMIT;' },
    { name: 'single-row insert next to DDL', code: "BEGIN;\nALTER TABLE currencies ADD COLUMN name text;\nINSERT INTO currencies (code) VALUES ('EUR');\nCOMMIT;" },
    { name: 'whole-table UPDATE outside a migration', code: 'UPDATE payments SET flag = false', fileInfo: { migration: false, role: 'plain' } },
    { name: 'DDL on another table', code: "BEGIN;\nALTER TABLE refunds ADD COLUMN note text;\nUPDATE payments SET note = 'x' WHERE id = 1;\nCOMMIT;" },
  ],
  invalid: [
    {
      name: 'UPDATE in the same BEGIN..COMMIT as ADD COLUMN',
      code: "BEGIN;\nALTER TABLE payments ADD COLUMN currency text;\nUPDATE payments\n  SET currency = 'EUR';\nCOMMIT;",
      errors: [{ messageId: 'sameTransaction', line: 3, column: 1, endColumn: 16, includes: ['UPDATE on payments', '(line 2)', 'batched'] }],
      output: null,
    },
    {
      name: 'runner-wrapped file: INSERT ... SELECT and DELETE after an index',
      code: 'CREATE INDEX payments_ref_idx ON payments (reference);\nINSERT INTO payments (id) SELECT id FROM staging;\nDELETE FROM payments WHERE reference IS NULL;',
      fileInfo: { runnerWrapsTransaction: true },
      errors: [
        { messageId: 'sameTransaction', line: 2, includes: 'INSERT ... SELECT on payments' },
        { messageId: 'sameTransaction', line: 3, includes: 'DELETE on payments' },
      ],
    },
    {
      name: 'whole-table UPDATE in a migration',
      code: 'UPDATE ledger_entries SET reconciled = false;',
      errors: [{ messageId: 'wholeTable', includes: ['UPDATE without WHERE', 'ledger_entries'] }],
    },
  ],
});
