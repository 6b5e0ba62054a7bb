import rule from '../../server/src/rules/keyset-pagination-for-history';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'SELECT id FROM wallet_transactions WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 50;',
    { name: 'not a financial table', code: 'SELECT id FROM products ORDER BY name LIMIT 20 OFFSET $1;' },
    { name: 'OFFSET 0 is an optimisation fence, OFFSET 1 the previous row', code: 'SELECT * FROM (SELECT id FROM payments OFFSET 0) p;\nSELECT id FROM payments ORDER BY created_at DESC LIMIT 1 OFFSET 1;' },
    { name: 'vocabulary without payments', code: 'SELECT id FROM payments ORDER BY id LIMIT 10 OFFSET $1;', config: { vocabulary: { financialTables: ['ledger'] } } },
  ],
  invalid: [
    {
      name: 'history page by OFFSET, advice from its ORDER BY',
      code: 'SELECT id, amount_minor\nFROM wallet_transactions\nWHERE wallet_id = $1\nORDER BY posted_at DESC\nLIMIT 50 OFFSET $2;',
      errors: [
        {
          messageId: 'offset',
          line: 5,
          column: 10,
          endColumn: 19,
          severity: 'info',
          includes: ['OFFSET pagination over wallet_transactions', 'WHERE (posted_at, id) < ($1, $2) ORDER BY posted_at DESC, id DESC LIMIT n'],
        },
      ],
      output: null,
    },
    {
      name: 'FETCH FIRST ... OFFSET n ROWS, join, no ORDER BY: created_at advice',
      code: 'SELECT e.id FROM ledger_entries e JOIN accounts a ON a.id = e.account_id\nOFFSET 100 ROWS FETCH FIRST 20 ROWS ONLY;',
      errors: [{ messageId: 'unordered', line: 2, column: 1, endColumn: 16, includes: ['ledger_entries, accounts', 'WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT n'] }],
    },
    {
      name: 'ordered by id only: single-key advice',
      code: 'SELECT id FROM payments ORDER BY id DESC LIMIT 20 OFFSET 40;',
      errors: [{ messageId: 'offset', column: 51, includes: 'WHERE id < $1 ORDER BY id DESC LIMIT n' }],
    },
    {
      name: 'oldest first: the advice keeps the direction',
      code: 'SELECT id FROM settlements ORDER BY settled_at LIMIT 100 OFFSET $1;',
      errors: [{ messageId: 'offset', includes: 'WHERE (settled_at, id) > ($1, $2) ORDER BY settled_at, id LIMIT n' }],
    },
    {
      name: 'inside a PL/pgSQL function body',
      code: 'CREATE FUNCTION page(p int) RETURNS SETOF bigint LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY SELECT id FROM invoices ORDER BY created_at DESC LIMIT 20 OFFSET p * 20;\nEND $$;',
      errors: [{ messageId: 'offset', line: 3, column: 74, endColumn: 87, includes: 'invoices' }],
    },
  ],
});
