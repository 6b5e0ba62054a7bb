import rule from '../../server/src/rules/prefer-bigint-keys';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL);',
    { name: 'plain integer columns are not keys', code: 'CREATE TABLE plans (id bigint PRIMARY KEY, retries integer, priority smallint);' },
    { name: 'single-word "id" of a non-key is not a key name; arrays skipped', code: 'CREATE TABLE t (id bigint PRIMARY KEY, tag_ids integer[]);' },
  ],
  invalid: [
    {
      code: 'CREATE TABLE payments (\n  id serial PRIMARY KEY,\n  account_id integer NOT NULL REFERENCES accounts (id)\n);',
      errors: [
        { messageId: 'small', line: 2, column: 3, endColumn: 12, includes: ['payments.id is a primary key typed serial', '2,147,483,647', 'bigserial'] },
        { messageId: 'small', line: 3, column: 3, endColumn: 21, includes: 'payments.account_id is a foreign key typed integer' },
      ],
      output: 'CREATE TABLE payments (\n  id bigserial PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id)\n);',
    },
    {
      name: 'key declared by a later migration',
      files: [{ path: 'migrations/0002_fk.sql', code: 'ALTER TABLE payouts ADD FOREIGN KEY (batch) REFERENCES payout_batches (id);' }],
      path: 'migrations/0001_payouts.sql',
      code: 'CREATE TABLE payouts (id bigint PRIMARY KEY, batch int4);',
      errors: [{ messageId: 'small', column: 46, includes: ['payouts.batch is a foreign key typed int4'] }],
      output: 'CREATE TABLE payouts (id bigint PRIMARY KEY, batch bigint);',
    },
    {
      name: 'ALTER TABLE ADD COLUMN *_id smallint',
      code: 'ALTER TABLE invoices ADD COLUMN customer_id smallint;',
      errors: [{ messageId: 'small', includes: ['an id column typed smallint', '32,767'] }],
      output: 'ALTER TABLE invoices ADD COLUMN customer_id bigint;',
    },
  ],
});
