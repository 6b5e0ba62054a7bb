import rule from '../../server/src/rules/money-amount-unconstrained';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL CHECK (amount_minor > 0));',
    'CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL, CONSTRAINT amount_positive CHECK (amount > 0));',
    { name: 'not a financial table', code: 'CREATE TABLE products (id bigint PRIMARY KEY, price numeric(12,2));' },
    { name: 'not money', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, retry_count int);' },
    {
      name: 'NOT NULL and CHECK added by a later migration',
      files: [{ path: 'migrations/0002_check.sql', code: 'ALTER TABLE refunds ADD CONSTRAINT refunds_amount_positive CHECK (amount_minor > 0) NOT VALID;\nALTER TABLE refunds ALTER COLUMN amount_minor SET NOT NULL;' }],
      path: 'migrations/0001_refunds.sql',
      code: 'CREATE TABLE refunds (id bigint PRIMARY KEY, amount_minor bigint);',
    },
  ],
  invalid: [
    {
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  amount_minor bigint\n);',
      errors: [{ messageId: 'nullableUnchecked', line: 3, column: 3, endColumn: 22, includes: ['`amount_minor` looks like a money column', 'payments.amount_minor', '(amount_minor > 0)'] }],
      output: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  amount_minor bigint NOT NULL CHECK (amount_minor > 0)\n);',
    },
    {
      name: 'ledger entries are signed; fees may be zero',
      code: 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, amount bigint NOT NULL, fee_minor bigint NOT NULL);',
      errors: [
        { messageId: 'unchecked', column: 53, includes: '(amount <> 0)' },
        { messageId: 'unchecked', column: 77, includes: '(fee_minor <> 0)' },
      ],
      output: 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, amount bigint CHECK (amount <> 0) NOT NULL, fee_minor bigint CHECK (fee_minor <> 0) NOT NULL);',
    },
    {
      name: 'nullable only; fee >= 0',
      code: 'CREATE TABLE transfers (id bigint PRIMARY KEY, fee numeric(19,4) CHECK (fee >= 0));',
      errors: [{ messageId: 'nullable', includes: 'transfers.fee is nullable' }],
      output: 'CREATE TABLE transfers (id bigint PRIMARY KEY, fee numeric(19,4) NOT NULL CHECK (fee >= 0));',
    },
    {
      name: 'bare numeric is a hint on any table; ADD COLUMN on an existing table has no fix',
      files: [{ path: 'migrations/0001_invoices.sql', code: 'CREATE TABLE invoices (id bigint PRIMARY KEY);' }],
      code: 'ALTER TABLE invoices ADD COLUMN total numeric NOT NULL CHECK (total >= 0);\nALTER TABLE products ADD COLUMN price numeric;',
      errors: [
        { messageId: 'bareNumeric', line: 1, column: 33, severity: 'hint', includes: 'invoices.total' },
        { messageId: 'bareNumeric', line: 2, severity: 'hint', includes: 'products.price' },
      ],
      output: null,
    },
  ],
});
