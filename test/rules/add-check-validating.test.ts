import rule from '../../server/src/rules/add-check-validating';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'ALTER TABLE payments ADD CONSTRAINT amount_positive CHECK (amount_minor > 0) NOT VALID',
    { name: 'validated in a later transaction', code: 'BEGIN;\nALTER TABLE payments ADD CONSTRAINT c1 CHECK (amount_minor > 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE payments VALIDATE CONSTRAINT c1;\nCOMMIT;' },
    { name: 'table created in the file', code: 'CREATE TABLE refunds (id bigint, amount_minor bigint);\nALTER TABLE refunds ADD CONSTRAINT refunds_amount_positive CHECK (amount_minor > 0);' },
    { name: 'a FK is the other rule', code: 'ALTER TABLE payments ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES accounts (id)' },
    { name: 'VALIDATE of a constraint added elsewhere', code: 'BEGIN;\nALTER TABLE payments VALIDATE CONSTRAINT c_from_last_release;\nCOMMIT;' },
  ],
  invalid: [
    {
      name: 'named CHECK: NOT VALID + VALIDATE statement',
      code: 'ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_amount_nonzero CHECK (amount <> 0);\n',
      errors: [{ messageId: 'validating', line: 1, column: 28, endColumn: 92, includes: ['ledger_entries_amount_nonzero', 'ledger_entries', 'ACCESS EXCLUSIVE'] }],
      output: 'ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_amount_nonzero CHECK (amount <> 0) NOT VALID;\nALTER TABLE ledger_entries VALIDATE CONSTRAINT ledger_entries_amount_nonzero;\n',
    },
    {
      name: 'unnamed CHECK: no fix',
      code: 'ALTER TABLE payments ADD CHECK (currency ~ \'^[A-Z]{3}$\');',
      errors: [{ messageId: 'validating', includes: ['(unnamed)', 'Name the constraint'] }],
      output: null,
    },
    {
      name: 'second of two subcommands in a runner-wrapped file',
      code: 'ALTER TABLE payments ADD COLUMN fee_minor bigint,\n  ADD CONSTRAINT fee_nonneg CHECK (fee_minor >= 0);',
      fileInfo: { runnerWrapsTransaction: true },
      errors: [{ messageId: 'validating', line: 2, column: 3, endColumn: 51, includes: ['drizzle-kit', 'later migration'] }],
      output: 'ALTER TABLE payments ADD COLUMN fee_minor bigint,\n  ADD CONSTRAINT fee_nonneg CHECK (fee_minor >= 0) NOT VALID;',
    },
    {
      name: 'VALIDATE in the same BEGIN..COMMIT as the NOT VALID add',
      code: 'BEGIN;\nALTER TABLE payments ADD CONSTRAINT c1 CHECK (amount_minor > 0) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT c1;\nCOMMIT;',
      errors: [{ messageId: 'validateSameTransaction', line: 3, column: 22, includes: ['c1', 'payments'] }],
    },
  ],
});
