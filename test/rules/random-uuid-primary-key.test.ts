import rule from '../../server/src/rules/random-uuid-primary-key';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
    { name: 'time-ordered uuid', code: 'CREATE TABLE payments (id uuid PRIMARY KEY DEFAULT uuidv7());' },
    { name: 'not a financial table', code: 'CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid());' },
    { name: 'random uuid that is not the key', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, public_id uuid NOT NULL DEFAULT gen_random_uuid());' },
  ],
  invalid: [
    {
      code: 'CREATE TABLE ledger_entries (\n  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n  amount bigint NOT NULL\n);',
      errors: [{ messageId: 'random', line: 2, column: 3, endColumn: 10, includes: ['ledger_entries.id', 'gen_random_uuid()', 'uuidv7()'] }],
      output: null,
    },
    {
      name: 'key declared by a later migration, uuid_generate_v4',
      files: [{ path: 'migrations/0002_pk.sql', code: 'ALTER TABLE transfers ADD PRIMARY KEY (id);' }],
      path: 'migrations/0001_transfers.sql',
      code: 'CREATE TABLE transfers (id uuid NOT NULL DEFAULT uuid_generate_v4());',
      errors: [{ messageId: 'random', column: 25, includes: 'uuid_generate_v4()' }],
    },
  ],
});
