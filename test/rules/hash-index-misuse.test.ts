import rule from '../../server/src/rules/hash-index-misuse';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE INDEX payments_token_idx ON payments USING hash (card_token);',
    'CREATE INDEX payments_created_at_idx ON payments (created_at);',
    { name: 'text column by schema type', code: 'CREATE TABLE t (id bigint PRIMARY KEY, ref text);\nCREATE INDEX t_ref ON t USING hash (ref);' },
  ],
  invalid: [
    {
      code: 'CREATE INDEX payments_created_at_idx ON payments USING hash (created_at);',
      errors: [{ messageId: 'range', column: 50, endColumn: 60, includes: ['payments_created_at_idx on payments (created_at)', 'name ends in _at'] }],
      output: 'CREATE INDEX payments_created_at_idx ON payments (created_at);',
    },
    {
      name: 'type from an earlier migration',
      files: [{ path: 'migrations/0001_fx.sql', code: 'CREATE TABLE fx_rates (id bigint PRIMARY KEY, valid_from date);' }],
      code: 'CREATE INDEX fx_valid ON fx_rates USING HASH (valid_from);',
      errors: [{ messageId: 'range', includes: 'is date' }],
      output: 'CREATE INDEX fx_valid ON fx_rates (valid_from);',
    },
    {
      name: 'unique and multicolumn fail at run time',
      code: 'CREATE UNIQUE INDEX k ON payments USING hash (idempotency_key);\nCREATE INDEX m ON payments USING hash (a, b);',
      errors: [
        { messageId: 'unique', line: 1, includes: 'cannot enforce uniqueness' },
        { messageId: 'multicolumn', line: 2, includes: 'payments (a, b)' },
      ],
      output: 'CREATE UNIQUE INDEX k ON payments (idempotency_key);\nCREATE INDEX m ON payments (a, b);',
    },
  ],
});
