import rule from '../../server/src/rules/add-foreign-key-validating';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID',
    { name: 'NOT VALID, then VALIDATE in a later transaction', code: 'BEGIN;\nALTER TABLE payments ADD CONSTRAINT p_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nCOMMIT;\nALTER TABLE payments VALIDATE CONSTRAINT p_fk;' },
    { name: 'NOT VALID and VALIDATE as separate autocommit statements', code: 'ALTER TABLE payments ADD CONSTRAINT p_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT p_fk;' },
    { name: 'table created in the file', code: 'CREATE TABLE refunds (id bigint, payment_id bigint);\nALTER TABLE refunds ADD CONSTRAINT refunds_payment_fk FOREIGN KEY (payment_id) REFERENCES payments (id);\nALTER TABLE refunds ADD COLUMN account_id bigint REFERENCES accounts (id);' },
    'ALTER TABLE payments ADD CONSTRAINT amount_positive CHECK (amount > 0)',
    'ALTER TABLE payments ADD COLUMN note text',
  ],
  invalid: [
    {
      name: 'named FK on an existing table: NOT VALID + VALIDATE statement',
      code: 'ALTER TABLE payments\n  ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);\nSELECT 1;',
      errors: [{ messageId: 'validating', line: 2, column: 3, endLine: 2, endColumn: 87, includes: ['payments_account_fk', 'payments (account_id) -> accounts', 'SHARE ROW EXCLUSIVE', 'NOT VALID'] }],
      output: 'ALTER TABLE payments\n  ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT payments_account_fk;\nSELECT 1;',
    },
    {
      name: 'last statement without semicolon; qualified, quoted names',
      code: 'ALTER TABLE core."Transfers" ADD CONSTRAINT "Transfers_from_fk" FOREIGN KEY ("fromId") REFERENCES core.accounts (id) ON DELETE RESTRICT',
      errors: [{ messageId: 'validating', column: 30, includes: 'Transfers' }],
      output: 'ALTER TABLE core."Transfers" ADD CONSTRAINT "Transfers_from_fk" FOREIGN KEY ("fromId") REFERENCES core.accounts (id) ON DELETE RESTRICT NOT VALID;\nALTER TABLE core."Transfers" VALIDATE CONSTRAINT "Transfers_from_fk";',
    },
    {
      name: 'unnamed: explained, no fix',
      code: 'ALTER TABLE payments ADD FOREIGN KEY (account_id) REFERENCES accounts (id);',
      errors: [{ messageId: 'validating', column: 22, includes: ['(unnamed)', 'Name the constraint'] }],
      output: null,
    },
    {
      name: 'inside a transaction: NOT VALID only, validation in a later migration',
      code: 'BEGIN;\nALTER TABLE payments ADD CONSTRAINT p_fk FOREIGN KEY (account_id) REFERENCES accounts (id), ADD COLUMN note text;\nCOMMIT;',
      errors: [{ messageId: 'validating', line: 2, column: 22, endColumn: 91, includes: ['BEGIN ... COMMIT', 'later migration'] }],
      output: 'BEGIN;\nALTER TABLE payments ADD CONSTRAINT p_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID, ADD COLUMN note text;\nCOMMIT;',
    },
    {
      name: 'ADD COLUMN ... REFERENCES on an existing table',
      code: 'ALTER TABLE payments ADD COLUMN refund_id bigint REFERENCES refunds (id);',
      errors: [{ messageId: 'columnReferences', column: 22, endColumn: 73, includes: ['refund_id', 'payments', 'refunds', 'NOT VALID'] }],
      output: null,
    },
    {
      name: 'VALIDATE in the same transaction as the NOT VALID add',
      code: 'BEGIN;\nALTER TABLE payments ADD CONSTRAINT p_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT p_fk;\nCOMMIT;',
      errors: [{ messageId: 'validateSameTransaction', line: 3, column: 22, endColumn: 46, includes: ['p_fk', 'payments'] }],
    },
    {
      name: 'runner-wrapped file: the add and VALIDATE share the one transaction',
      code: 'ALTER TABLE payments ADD CONSTRAINT p_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT p_fk;',
      fileInfo: { runnerWrapsTransaction: true },
      errors: [{ messageId: 'validateSameTransaction', line: 2 }],
    },
  ],
});
