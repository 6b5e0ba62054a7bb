import rule from '../../server/src/rules/id-column-without-fk';
import { ruleTester } from '../lib/rule-tester';

const accounts = { path: 'migrations/0001_accounts.sql', code: 'CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);' };

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));',
    'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint, FOREIGN KEY (account_id) REFERENCES accounts (id));',
    { name: 'provider and external ids', code: 'CREATE TABLE charges (id bigint PRIMARY KEY, stripe_charge_id text, external_id text, psp_reference_id text, request_id uuid, idempotency_id text);' },
    { name: 'part of the primary key', code: 'CREATE TABLE memberships (org_id bigint, user_id bigint, PRIMARY KEY (org_id, user_id));' },
    {
      name: 'FK added by a later migration',
      files: [accounts, { path: 'migrations/0003_fk.sql', code: 'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;' }],
      path: 'migrations/0002_payments.sql',
      code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL);',
    },
  ],
  invalid: [
    {
      name: 'referenced table found in an earlier migration: suggestion adds the REFERENCES',
      files: [accounts],
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  payer_account_id bigint NOT NULL\n);',
      errors: [{ messageId: 'noFk', line: 3, column: 3, endColumn: 26, includes: ['`payer_account_id` looks like a reference', 'payments.payer_account_id', 'REFERENCES accounts (id)'] }],
      output: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  payer_account_id bigint REFERENCES accounts (id) ON DELETE RESTRICT NOT NULL\n);',
    },
    {
      name: 'unknown target, ADD COLUMN: no fix',
      code: 'ALTER TABLE invoices ADD COLUMN customer_id bigint;',
      errors: [{ messageId: 'noFk', includes: ['invoices.customer_id', 'a customer row'] }],
      output: null,
    },
    {
      name: 'camelCase',
      code: 'CREATE TABLE transfers (id bigint PRIMARY KEY, "walletId" bigint);',
      errors: [{ messageId: 'noFk', includes: 'transfers.walletId' }],
    },
  ],
});
