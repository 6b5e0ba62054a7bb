import rule from '../../server/src/rules/set-not-null-scan';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    {
      name: 'the full recipe',
      code: 'ALTER TABLE payments ADD CONSTRAINT c_nn CHECK (currency IS NOT NULL) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT c_nn;\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;\nALTER TABLE payments DROP CONSTRAINT c_nn;',
    },
    { name: 'CHECK added validated (another rule warns about that scan)', code: 'ALTER TABLE payments ADD CONSTRAINT c CHECK (fee IS NOT NULL AND currency IS NOT NULL);\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;' },
    { name: 'table created in the file', code: 'CREATE TABLE refunds (id bigint, reason text);\nALTER TABLE refunds ALTER COLUMN reason SET NOT NULL;' },
    'ALTER TABLE payments ALTER COLUMN currency DROP NOT NULL',
  ],
  invalid: [
    {
      name: 'plain SET NOT NULL on an existing table',
      code: 'ALTER TABLE payments\n  ALTER COLUMN currency SET NOT NULL;',
      errors: [{ messageId: 'scan', line: 2, column: 3, endColumn: 37, includes: ['payments.currency', 'ACCESS EXCLUSIVE', 'CHECK (currency IS NOT NULL) NOT VALID'] }],
      output: null,
    },
    {
      name: 'CHECK added NOT VALID but never validated',
      code: 'ALTER TABLE payments ADD CONSTRAINT c_nn CHECK (currency IS NOT NULL) NOT VALID;\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
      errors: [{ messageId: 'notValidated', line: 2, column: 22, includes: ['payments.currency', 'VALIDATE CONSTRAINT c_nn'] }],
    },
    {
      name: 'CHECK on another column, or dropped before',
      code: 'ALTER TABLE payments ADD CONSTRAINT c_nn CHECK (fee IS NOT NULL);\nALTER TABLE payments ADD CONSTRAINT c2 CHECK (currency IS NOT NULL);\nALTER TABLE payments DROP CONSTRAINT c2;\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL, ALTER COLUMN fee SET NOT NULL;',
      errors: [{ messageId: 'scan', line: 4, column: 22, endColumn: 56, includes: 'payments.currency' }],
    },
    {
      name: 'CHECK on another table does not count',
      code: 'ALTER TABLE refunds ADD CONSTRAINT c CHECK (currency IS NOT NULL);\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
      errors: [{ messageId: 'scan', line: 2 }],
    },
  ],
});

const payments = { path: 'migrations/0001_payments.sql', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, currency text, fee bigint);' };
const addCheck = { path: 'migrations/0002_check.sql', code: 'ALTER TABLE payments ADD CONSTRAINT payments_currency_nn CHECK (currency IS NOT NULL) NOT VALID;' };
const validate = { path: 'migrations/0003_validate.sql', code: 'ALTER TABLE payments VALIDATE CONSTRAINT payments_currency_nn;' };
const setNotNull = 'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;';

// Across migrations: the schema before the file under test (context.schemaBefore), not the
// workspace's end state, decides whether a validated CHECK already proves the column.
ruleTester(rule, {
  valid: [
    { name: 'CHECK NOT VALID, VALIDATE, SET NOT NULL in three migrations', files: [payments, addCheck, validate], path: 'migrations/0004_not_null.sql', code: setNotNull },
    {
      name: 'VALIDATE in the same file, the CHECK added by an earlier migration',
      files: [payments, addCheck],
      path: 'migrations/0003_not_null.sql',
      code: 'ALTER TABLE payments VALIDATE CONSTRAINT payments_currency_nn;\n' + setNotNull + '\nALTER TABLE payments DROP CONSTRAINT payments_currency_nn;',
    },
    {
      name: 'a validated CHECK written inline in CREATE TABLE by an earlier migration',
      files: [{ path: 'migrations/0001_payments.sql', code: 'CREATE TABLE payments (id bigint, currency text CHECK (currency IS NOT NULL));' }],
      path: 'migrations/0002_not_null.sql',
      code: setNotNull,
    },
  ],
  invalid: [
    {
      name: 'the CHECK was added NOT VALID by an earlier migration and never validated',
      files: [payments, addCheck],
      path: 'migrations/0003_not_null.sql',
      code: setNotNull,
      errors: [{ messageId: 'notValidated', line: 1, column: 22, includes: ['payments.currency', 'VALIDATE CONSTRAINT payments_currency_nn'] }],
      output: null,
    },
    {
      name: 'the CHECK is validated only by a LATER migration (the end state would hide the scan)',
      files: [payments, addCheck, { path: 'migrations/0004_validate.sql', code: validate.code }],
      path: 'migrations/0003_not_null.sql',
      code: setNotNull,
      errors: [{ messageId: 'notValidated' }],
    },
    {
      name: 'the CHECK was dropped before SET NOT NULL, in this file',
      files: [payments, addCheck, validate],
      path: 'migrations/0004_not_null.sql',
      code: 'ALTER TABLE payments DROP CONSTRAINT payments_currency_nn;\n' + setNotNull,
      errors: [{ messageId: 'scan', line: 2, includes: 'CHECK (currency IS NOT NULL) NOT VALID' }],
    },
    {
      name: 'an OR does not prove the column non-null',
      files: [payments, { path: 'migrations/0002_check.sql', code: 'ALTER TABLE payments ADD CONSTRAINT c CHECK (currency IS NOT NULL OR fee IS NOT NULL);' }],
      path: 'migrations/0003_not_null.sql',
      code: setNotNull,
      errors: [{ messageId: 'scan' }],
    },
  ],
});
