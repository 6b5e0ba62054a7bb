import rule from '../../server/src/rules/session-advisory-lock';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'SELECT pg_advisory_xact_lock(42)',
    'SELECT pg_try_advisory_xact_lock(hashtext($1))',
    'SELECT pg_advisory_xact_lock_shared(1, 2)',
    { code: 'SELECT pg_advisory_unlock(42)', name: 'unlock alone is not a lock' },
    { code: "SELECT 'pg_advisory_lock(1)' AS doc", name: 'inside a string literal' },
    { code: 'SELECT my_pg_advisory_lock(1)', name: 'other function' },
  ],
  invalid: [
    {
      code: 'SELECT pg_advisory_lock(42);',
      errors: [{ messageId: 'session', line: 1, column: 8, endColumn: 28, includes: ['pg_advisory_lock()', 'pg_advisory_xact_lock()', 'pg_advisory_unlock'] }],
      output: 'SELECT pg_advisory_xact_lock(42);',
    },
    {
      name: 'try + qualified',
      code: 'SELECT 1\nWHERE pg_catalog.pg_try_advisory_lock(hashtext($1));',
      errors: [{ messageId: 'session', line: 2, column: 7, endColumn: 52, includes: 'pg_try_advisory_xact_lock' }],
      output: 'SELECT 1\nWHERE pg_catalog.pg_try_advisory_xact_lock(hashtext($1));',
    },
    {
      name: 'shared variants, quoted name, upper case',
      code: 'SELECT PG_ADVISORY_LOCK_SHARED(1, 2), "pg_try_advisory_lock_shared"(3)',
      errors: [
        { messageId: 'session', column: 8, endColumn: 37, includes: 'pg_advisory_xact_lock_shared' },
        { messageId: 'session', column: 39, includes: 'pg_try_advisory_xact_lock_shared' },
      ],
      output: 'SELECT pg_advisory_xact_lock_shared(1, 2), "pg_try_advisory_xact_lock_shared"(3)',
    },
    {
      name: 'unlock is left in place',
      code: 'SELECT pg_advisory_lock(7);\nSELECT pg_advisory_unlock(7);',
      errors: [{ messageId: 'session', line: 1, column: 8 }],
      output: 'SELECT pg_advisory_xact_lock(7);\nSELECT pg_advisory_unlock(7);',
    },
  ],
});
