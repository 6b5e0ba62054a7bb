import rule from '../../server/src/rules/multi-row-lock-unordered';
import { ruleTester } from '../lib/rule-tester';

const TRANSFER_BODY = (lock: string) =>
  `CREATE FUNCTION transfer(p_from bigint, p_to bigint, p_amt numeric) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n${lock}  IF p_amt > 0 THEN\n    BEGIN\n      UPDATE accounts SET balance = balance - p_amt WHERE id = p_from;\n      UPDATE accounts SET balance = balance + p_amt WHERE id = p_to;\n    END;\n  END IF;\nEND $$;`;

ruleTester(rule, {
  valid: [
    'SELECT id, balance FROM accounts WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE;',
    'SELECT * FROM accounts WHERE id IN ($1, $2) ORDER BY id FOR UPDATE;',
    { name: 'single row lock', code: 'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE;' },
    { name: 'SKIP LOCKED never waits', code: "SELECT id FROM payouts WHERE status = 'pending' AND id > $1 LIMIT 10 FOR UPDATE SKIP LOCKED;" },
    { name: 'FOR SHARE is not a write lock', code: 'SELECT id FROM accounts WHERE id = ANY($1) FOR SHARE;' },
    { name: 'no lock at all', code: 'SELECT id FROM accounts WHERE id = ANY($1);' },
    {
      name: 'ORDER BY the primary key from the workspace',
      files: [{ path: 'migrations/0001_a.sql', code: 'CREATE TABLE wallets (wallet_no bigint PRIMARY KEY, balance numeric);' }],
      code: 'SELECT * FROM wallets WHERE owner_id = ANY($1) ORDER BY wallet_no FOR UPDATE;',
    },
    { name: 'two updates, ordered lock first', code: 'BEGIN;\nSELECT id FROM accounts WHERE id IN ($1, $2) ORDER BY id FOR NO KEY UPDATE;\nUPDATE accounts SET balance = balance - $3 WHERE id = $1;\nUPDATE accounts SET balance = balance + $3 WHERE id = $2;\nCOMMIT;' },
    { name: 'two updates outside a transaction autocommit one by one', code: 'UPDATE accounts SET balance = balance - $3 WHERE id = $1;\nUPDATE accounts SET balance = balance + $3 WHERE id = $2;' },
    { name: 'same key twice', code: 'BEGIN;\nUPDATE accounts SET balance = balance - $2 WHERE id = $1;\nUPDATE accounts SET updated_at = now() WHERE id = $1;\nCOMMIT;' },
    { name: 'different tables', code: 'BEGIN;\nUPDATE accounts SET balance = balance - $2 WHERE id = $1;\nUPDATE wallets SET balance = balance + $2 WHERE id = $3;\nCOMMIT;' },
    { name: 'LEAST/GREATEST order the keys', code: 'BEGIN;\nUPDATE accounts SET n = n + 1 WHERE id = LEAST($1, $2);\nUPDATE accounts SET n = n + 1 WHERE id = GREATEST($1, $2);\nCOMMIT;' },
    { name: 'advisory xact lock serializes the callers', code: 'BEGIN;\nSELECT pg_advisory_xact_lock(42);\nUPDATE accounts SET balance = balance - $3 WHERE id = $1;\nUPDATE accounts SET balance = balance + $3 WHERE id = $2;\nCOMMIT;' },
    { name: 'body with an ordered lock first, nested blocks', code: TRANSFER_BODY('  PERFORM 1 FROM accounts WHERE id IN (p_from, p_to) ORDER BY id FOR NO KEY UPDATE;\n') },
    {
      name: 'loop over an ordered query',
      code: "CREATE FUNCTION settle_all(p_merchant bigint) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT id FROM payouts WHERE merchant_id = p_merchant ORDER BY id LOOP\n    UPDATE payouts SET status = 'paid' WHERE id = r.id;\n  END LOOP;\nEND $$;",
    },
    {
      name: 'loop over an ordered locking query',
      code: 'CREATE FUNCTION settle(p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT id FROM payouts WHERE id = ANY(p_ids) ORDER BY id FOR UPDATE LOOP\n    UPDATE payouts SET status = \'paid\' WHERE id = r.id;\n  END LOOP;\nEND $$;',
    },
  ],
  invalid: [
    {
      code: 'SELECT id, balance FROM accounts WHERE id = ANY($1) FOR UPDATE;',
      errors: [{ messageId: 'unordered', line: 1, column: 53, endColumn: 63, includes: ['accounts', '= ANY(...)', '40P01', 'ORDER BY id'] }],
      output: 'SELECT id, balance FROM accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE;',
    },
    {
      name: 'IN list, NO KEY UPDATE, qualified column',
      code: 'SELECT a.id FROM accounts a\nWHERE a.id IN ($1, $2)\nFOR NO KEY UPDATE OF a;',
      errors: [{ messageId: 'unordered', line: 3, column: 1, endColumn: 18, includes: 'FOR NO KEY UPDATE' }],
      output: 'SELECT a.id FROM accounts a\nWHERE a.id IN ($1, $2)\nORDER BY a.id FOR NO KEY UPDATE OF a;',
    },
    {
      name: 'range with LIMIT: reported, no mechanical fix',
      code: 'SELECT * FROM ledger_entries WHERE id BETWEEN $1 AND $2 LIMIT 100 FOR UPDATE;',
      errors: [{ messageId: 'unordered', includes: 'BETWEEN' }],
      output: null,
    },
    {
      name: 'ORDER BY a non-key column',
      code: 'SELECT * FROM accounts WHERE id = ANY($1) ORDER BY created_at FOR UPDATE;',
      errors: [{ messageId: 'unordered' }],
      output: null,
    },
    {
      name: 'inside a FOR loop query in a function, fix lands inside the body',
      code: 'CREATE FUNCTION settle(p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT id FROM payouts WHERE id = ANY(p_ids) FOR UPDATE LOOP\n    UPDATE payouts SET status = \'paid\' WHERE id = r.id;\n  END LOOP;\nEND $$;',
      errors: [{ messageId: 'unordered', line: 4, column: 57, includes: ['function `settle`'] }],
      output: 'CREATE FUNCTION settle(p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT id FROM payouts WHERE id = ANY(p_ids) ORDER BY id FOR UPDATE LOOP\n    UPDATE payouts SET status = \'paid\' WHERE id = r.id;\n  END LOOP;\nEND $$;',
    },
    {
      name: 'UPDATE per row of an unordered FOR loop, inside IF in the loop',
      code: "CREATE FUNCTION settle_all(p_merchant bigint) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT id, amount FROM payouts WHERE merchant_id = p_merchant LOOP\n    IF r.amount > 0 THEN\n      UPDATE payouts SET status = 'paid' WHERE id = r.id;\n    END IF;\n  END LOOP;\nEND $$;",
      errors: [{ messageId: 'loopUnordered', line: 6, column: 7, includes: ['payouts', 'function `settle_all`', 'ORDER BY id', '40P01'] }],
    },
    {
      name: 'two updates by different keys in a BEGIN block',
      code: 'BEGIN;\nUPDATE accounts SET balance = balance - $3 WHERE id = $1;\nUPDATE accounts SET balance = balance + $3 WHERE id = $2;\nCOMMIT;',
      errors: [{ messageId: 'unorderedWrites', line: 3, column: 1, includes: ['accounts', '`id = $2`', '`id = $1`', '40P01', 'BEGIN ... COMMIT'] }],
      output: null,
    },
    {
      name: 'two updates inside nested blocks of a function body',
      code: TRANSFER_BODY(''),
      errors: [{ messageId: 'unorderedWrites', line: 6, column: 7, endLine: 6, includes: ['function `transfer`', 'p_to', 'p_from'] }],
    },
    {
      name: 'single-row locks by different keys, then updates, in a runner-wrapped migration',
      fileInfo: { runnerWrapsTransaction: true },
      code: 'SELECT 1 FROM accounts WHERE id = 1 FOR UPDATE;\nSELECT 1 FROM accounts WHERE id = 2 FOR UPDATE;',
      errors: [{ messageId: 'unorderedWrites', line: 2, includes: ['SELECT ... FOR UPDATE', 'runner'] }],
    },
  ],
});
