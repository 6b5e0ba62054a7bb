import rule from '../../server/src/rules/drop-column-or-table';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    { name: 'table created in the file', code: 'CREATE TABLE scratch (id bigint, x int);\nALTER TABLE scratch DROP COLUMN x;\nDROP TABLE scratch;' },
    { name: 'down migration', code: 'DROP TABLE payouts;\nALTER TABLE payments DROP COLUMN fee_minor;', fileInfo: { role: 'down' } },
    'DROP INDEX CONCURRENTLY payments_old_idx',
    'ALTER TABLE payments DROP CONSTRAINT payments_old_check',
  ],
  invalid: [
    {
      name: 'drop column on a plain table: warning on the clause',
      code: 'ALTER TABLE users ADD COLUMN nick text, DROP COLUMN IF EXISTS legacy_name;',
      errors: [{ messageId: 'column', column: 41, endColumn: 74, severity: 'warning', includes: ['legacy_name', 'users'] }],
      output: null,
    },
    {
      name: 'drop column on a financial table is an error and says so',
      code: 'ALTER TABLE wallet_transactions DROP COLUMN memo;',
      errors: [{ messageId: 'column', severity: 'error', includes: ['memo', '`wallet_transactions` looks like a financial table'] }],
    },
    {
      name: 'DROP TABLE lists the existing tables only',
      code: 'CREATE TABLE tmp (id int);\nDROP TABLE IF EXISTS tmp, public.payouts CASCADE;',
      errors: [{ messageId: 'object', line: 2, severity: 'error', includes: ['DROP TABLE payouts', 'financial'] }],
    },
    {
      name: 'schema and database',
      code: 'DROP SCHEMA legacy CASCADE;\nDROP DATABASE old_app;',
      errors: [
        { messageId: 'object', line: 1, severity: 'warning', includes: 'DROP SCHEMA legacy' },
        { messageId: 'object', line: 2, severity: 'warning', includes: 'DROP DATABASE old_app' },
      ],
    },
  ],
});
