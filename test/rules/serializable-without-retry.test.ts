import rule from '../../server/src/rules/serializable-without-retry';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'BEGIN;',
    'BEGIN ISOLATION LEVEL READ COMMITTED;',
    'SET TRANSACTION READ ONLY;',
    "SET default_transaction_isolation = 'read committed';",
    'SET lock_timeout = 1000;',
  ],
  invalid: [
    {
      code: 'BEGIN ISOLATION LEVEL SERIALIZABLE;',
      errors: [{ messageId: 'needsRetry', line: 1, column: 7, endColumn: 35, severity: 'info', includes: ['SERIALIZABLE', '40001', '40P01', 'retry'] }],
      output: null,
    },
    { code: 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;', errors: [{ messageId: 'needsRetry', column: 17, endColumn: 45 }] },
    { code: 'START TRANSACTION READ WRITE, ISOLATION LEVEL REPEATABLE READ;', errors: [{ messageId: 'needsRetry', column: 31, endColumn: 62, includes: 'REPEATABLE READ' }] },
    { code: 'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE;', errors: [{ messageId: 'needsRetry', column: 44 }] },
    { code: "SET default_transaction_isolation = 'serializable';", errors: [{ messageId: 'needsRetry', column: 1 }] },
    { code: 'BEGIN;\nSET LOCAL transaction_isolation TO serializable;\nCOMMIT;', errors: [{ messageId: 'needsRetry', line: 2 }] },
  ],
});
