import rule from '../../server/src/rules/unbounded-update-delete';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    "UPDATE payments SET status = 'settled' WHERE id = $1",
    'DELETE FROM sessions WHERE expires_at < now()',
    { code: 'DELETE FROM payments WHERE CURRENT OF payment_cursor', name: 'WHERE CURRENT OF is bounded' },
    'UPDATE t SET x = 1 WHERE 1 = 2',
    'UPDATE t SET x = 1 WHERE a = a',
    'SELECT * FROM payments',
  ],
  invalid: [
    {
      name: 'financial table: error',
      code: "UPDATE payments\nSET status = 'settled';",
      errors: [{ messageId: 'update', line: 1, column: 1, endLine: 1, endColumn: 16, severity: 'error', includes: ['payments', 'no WHERE clause', 'looks like a financial table'] }],
      output: null,
    },
    {
      name: 'other table: warning',
      code: 'DELETE FROM sessions;',
      errors: [{ messageId: 'delete', line: 1, column: 1, severity: 'warning', includes: 'DELETE FROM sessions' }],
    },
    {
      name: 'WHERE true, qualified and quoted name',
      code: '-- cleanup\nDELETE FROM billing."Invoices" WHERE true;',
      errors: [{ messageId: 'delete', line: 2, column: 1, severity: 'error', includes: ['billing.Invoices', 'always true'] }],
    },
    {
      name: 'WHERE 1=1 and string tautology',
      code: "UPDATE wallets SET frozen = false WHERE 1=1;\nDELETE FROM tags WHERE 'a' = 'a';",
      errors: [
        { messageId: 'update', line: 1, column: 1, severity: 'error' },
        { messageId: 'delete', line: 2, column: 1, severity: 'warning' },
      ],
    },
    {
      name: 'UPDATE ... FROM without WHERE is still every row',
      code: 'UPDATE accounts SET tier = t.tier FROM tiers t;',
      errors: [{ messageId: 'update', line: 1, column: 1, severity: 'error' }],
    },
    {
      name: 'inside a DO block',
      code: "DO $$\nBEGIN\n  UPDATE wallets SET frozen = true;\nEND $$;",
      errors: [{ messageId: 'update', line: 3, column: 3, severity: 'error' }],
    },
    {
      name: 'inside a CTE',
      code: 'WITH gone AS (DELETE FROM ledger_entries RETURNING id)\nSELECT count(*) FROM gone;',
      errors: [{ messageId: 'delete', line: 1, column: 1, endColumn: 55, severity: 'error' }],
    },
  ],
});
