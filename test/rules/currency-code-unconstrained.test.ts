import rule from '../../server/src/rules/currency-code-unconstrained';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    "CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL, currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'));",
    'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL, currency_code text NOT NULL REFERENCES currencies (code));',
    { name: 'not financial, no amount', code: 'CREATE TABLE users (id bigint PRIMARY KEY, name text);' },
    {
      name: 'CHECK added by a later migration',
      files: [{ path: 'migrations/0002_check.sql', code: "ALTER TABLE wallets ADD CONSTRAINT wallets_ccy_iso CHECK (ccy ~ '^[A-Z]{3}$') NOT VALID;" }],
      path: 'migrations/0001_wallets.sql',
      code: 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance_minor bigint NOT NULL, ccy text NOT NULL);',
    },
  ],
  invalid: [
    {
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  amount_minor bigint NOT NULL,\n  currency text NOT NULL\n);',
      errors: [{ messageId: 'unconstrained', line: 4, column: 3, endColumn: 16, includes: ['payments.currency', "CHECK (currency ~ '^[A-Z]{3}$')"] }],
      output: "CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  amount_minor bigint NOT NULL,\n  currency text CHECK (currency ~ '^[A-Z]{3}$') NOT NULL\n);",
    },
    {
      name: 'char(3) pads short codes',
      code: 'CREATE TABLE payouts (id bigint PRIMARY KEY, amount bigint NOT NULL, currency_code char(3) NOT NULL);',
      errors: [{ messageId: 'char3', column: 70, includes: ["'US'", 'payouts.currency_code'] }],
      output: "CREATE TABLE payouts (id bigint PRIMARY KEY, amount bigint NOT NULL, currency_code char(3) CHECK (currency_code ~ '^[A-Z]{3}$') NOT NULL);",
    },
    {
      name: 'financial table with an amount and no currency',
      code: 'CREATE TABLE invoices (id bigint PRIMARY KEY, total_minor bigint NOT NULL);',
      errors: [{ messageId: 'missingCurrency', column: 14, severity: 'info', includes: ['invoices stores amounts (total_minor)'] }],
      output: null,
    },
    {
      name: 'ADD COLUMN on a table of an earlier migration: reported, no in-place fix',
      files: [{ path: 'migrations/0001_accounts.sql', code: "CREATE TABLE accounts (id bigint PRIMARY KEY, balance bigint NOT NULL, currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'));" }],
      code: 'ALTER TABLE accounts ADD COLUMN settlement_ccy text;',
      errors: [{ messageId: 'unconstrained', column: 33, includes: 'accounts.settlement_ccy' }],
      output: null,
    },
  ],
});
