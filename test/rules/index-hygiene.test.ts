import rule from '../../server/src/rules/index-hygiene';
import { ruleTester } from '../lib/rule-tester';

const table = 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint, status text, created_at timestamptz);';

ruleTester(rule, {
  valid: [
    `${table}\nCREATE INDEX payments_account_created_idx ON payments (account_id, created_at);\nCREATE INDEX payments_created_idx ON payments (created_at);`,
    { name: 'different predicates', code: `${table}\nCREATE INDEX a_idx ON payments (account_id);\nCREATE INDEX b_idx ON payments (account_id, created_at) WHERE status = 'pending';` },
    { name: 'a unique prefix enforces something', code: `${table}\nCREATE UNIQUE INDEX a_key ON payments (account_id);\nCREATE INDEX b_idx ON payments (account_id, created_at);` },
    { name: 'hash and btree differ', code: `${table}\nCREATE INDEX a_idx ON payments USING hash (status);\nCREATE INDEX b_idx ON payments (status);` },
    {
      name: 'the first of two identical indexes is not the duplicate',
      files: [{ path: 'migrations/0002_again.sql', code: 'CREATE INDEX again_idx ON payments (account_id);' }],
      path: 'migrations/0001_payments.sql',
      code: `${table}\nCREATE INDEX payments_account_idx ON payments (account_id);`,
    },
  ],
  invalid: [
    {
      name: 'prefix of a later index in the same file',
      code: `${table}\nCREATE INDEX payments_account_idx ON payments (account_id);\nCREATE INDEX payments_account_created_idx ON payments (account_id, created_at);`,
      errors: [{ messageId: 'prefix', line: 2, column: 1, endColumn: 59, includes: ['payments_account_idx on payments (account_id) is a prefix of payments_account_created_idx (account_id, created_at)'] }],
    },
    {
      name: 'identical to an index of an earlier migration',
      files: [{ path: 'migrations/0001_payments.sql', code: `${table}\nCREATE INDEX payments_status_idx ON payments (status) WHERE status = 'pending';` }],
      code: "CREATE INDEX CONCURRENTLY pending_idx ON payments (status) WHERE status  =  'pending';",
      errors: [{ messageId: 'duplicate', line: 1, includes: ['pending_idx', 'duplicates payments_status_idx'] }],
    },
    {
      name: 'non-unique index identical to the primary key',
      code: `${table}\nCREATE INDEX payments_id_idx ON payments (id);`,
      errors: [{ messageId: 'duplicate', line: 2, includes: 'duplicates payments primary key' }],
    },
  ],
});
