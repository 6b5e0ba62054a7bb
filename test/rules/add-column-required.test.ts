import rule from '../../server/src/rules/add-column-required';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    "ALTER TABLE payments ADD COLUMN currency text NOT NULL DEFAULT 'EUR'",
    'ALTER TABLE payments ADD COLUMN note text',
    'ALTER TABLE payments ADD COLUMN seq bigserial NOT NULL',
    'ALTER TABLE payments ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY NOT NULL',
    'ALTER TABLE payments ADD COLUMN cents bigint NOT NULL GENERATED ALWAYS AS (amount * 100) STORED',
    { name: 'table created in the file', code: 'CREATE TABLE refunds (id bigint);\nALTER TABLE refunds ADD COLUMN reason text NOT NULL;' },
    'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL',
  ],
  invalid: [
    {
      name: 'NOT NULL without default, anchored on name and type',
      code: 'ALTER TABLE payments\n  ADD COLUMN currency char(3) NOT NULL;',
      errors: [{ messageId: 'required', line: 2, column: 14, endColumn: 30, severity: 'error', includes: ['currency NOT NULL', 'existing table payments', 'column contains null values'] }],
      output: null,
    },
    {
      name: 'PRIMARY KEY without default; second subcommand; IF NOT EXISTS',
      code: 'ALTER TABLE ledger_entries ADD COLUMN note text, ADD COLUMN IF NOT EXISTS entry_id uuid PRIMARY KEY;',
      errors: [{ messageId: 'required', column: 75, endColumn: 88, includes: ['entry_id PRIMARY KEY', 'ledger_entries'] }],
    },
    {
      name: 'NOT NULL with a REFERENCES but no default',
      code: 'ALTER TABLE payments ADD account_id bigint REFERENCES accounts (id) NOT NULL;',
      errors: [{ messageId: 'required', column: 26, endColumn: 43 }],
    },
  ],
});
