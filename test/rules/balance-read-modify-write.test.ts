import rule from '../../server/src/rules/balance-read-modify-write';
import { ruleTester } from '../lib/rule-tester';

const fn = (body: string) => `CREATE FUNCTION debit(p_id bigint, p_amt numeric) RETURNS numeric LANGUAGE plpgsql AS $$\nDECLARE v numeric; w numeric; r record;\nBEGIN\n${body}\n  RETURN v;\nEND $$;`;

ruleTester(rule, {
  valid: [
    'UPDATE wallets SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance;',
    'UPDATE accounts SET status = $2 WHERE id = $1;',
    'UPDATE wallets SET balance = (SELECT sum(amount) FROM ledger_entries WHERE wallet_id = wallets.id);',
    'UPDATE loyalty SET points = points + 10 WHERE id = $1;',
    'UPDATE wallets SET balance_updated_at = now() WHERE id = $1;',
    { name: 'read with FOR UPDATE', code: fn('  SELECT balance INTO v FROM wallets WHERE id = p_id FOR UPDATE;\n  v := v - p_amt;\n  UPDATE wallets SET balance = v WHERE id = p_id;') },
    { name: 'relative update in a body', code: fn('  UPDATE wallets SET balance = balance - p_amt WHERE id = p_id RETURNING balance INTO v;') },
    { name: 'read of another table', code: fn('  SELECT balance INTO v FROM savings WHERE id = p_id;\n  UPDATE wallets SET balance = v WHERE id = p_id;') },
    { name: 'variable overwritten by an unrelated value', code: fn('  SELECT balance INTO v FROM wallets WHERE id = p_id;\n  v := p_amt;\n  UPDATE wallets SET available_balance = v WHERE id = p_id;') },
  ],
  invalid: [
    {
      code: 'UPDATE wallets SET balance = $2 WHERE id = $1;',
      errors: [{ messageId: 'absolute', line: 1, column: 16, endColumn: 32, includes: ['SET balance = balance - $2', '`balance` looks like a balance', 'UPDATE wallets'] }],
      output: null,
    },
    {
      code: "UPDATE cards SET status = 'x', credit_limit = 500::numeric, available_balance = $3 WHERE id = $1;",
      errors: [
        { messageId: 'absolute', column: 32, endColumn: 59, includes: 'credit_limit = 500::numeric' },
        { messageId: 'absolute', column: 61, endColumn: 83, includes: 'available_balance' },
      ],
    },
    {
      name: 'v := v - amount: the relative form is offered',
      code: fn('  SELECT balance INTO v FROM wallets WHERE id = p_id;\n  v := v - p_amt;\n  UPDATE wallets SET balance = v WHERE id = p_id;'),
      errors: [{ messageId: 'staleRead', line: 6, column: 18, endColumn: 33, includes: ['function `debit`', '`v`', 'FOR UPDATE'] }],
      output: fn('  SELECT balance INTO v FROM wallets WHERE id = p_id;\n  v := v - p_amt;\n  UPDATE wallets SET balance = balance - p_amt WHERE id = p_id;'),
    },
    {
      name: 'SET balance = v - p_amt directly, inside a loop and an IF, with INTO STRICT',
      code: fn('  FOR r IN SELECT id FROM wallets LOOP\n    SELECT balance, id INTO STRICT v, w FROM wallets WHERE id = r.id;\n    IF v >= p_amt THEN\n      UPDATE wallets\n         SET balance = v - p_amt\n       WHERE id = r.id;\n    END IF;\n  END LOOP;'),
      errors: [{ messageId: 'staleRead', line: 8, column: 10, endLine: 8, endColumn: 33 }],
      output: fn('  FOR r IN SELECT id FROM wallets LOOP\n    SELECT balance, id INTO STRICT v, w FROM wallets WHERE id = r.id;\n    IF v >= p_amt THEN\n      UPDATE wallets\n         SET balance = balance - p_amt\n       WHERE id = r.id;\n    END IF;\n  END LOOP;'),
    },
    {
      name: 'value not mechanical (multiplied): reported without a fix',
      code: fn('  SELECT balance INTO v FROM wallets WHERE id = p_id;\n  v := v * 2;\n  UPDATE wallets SET balance = v WHERE id = p_id;'),
      errors: [{ messageId: 'staleRead', line: 6 }],
      output: null,
    },
    {
      name: 'DO block, copy through another variable',
      code: 'DO $$\nDECLARE v numeric; w numeric;\nBEGIN\n  SELECT points INTO v FROM loyalty WHERE id = 1;\n  w := v + 5;\n  UPDATE loyalty SET points = w WHERE id = 1;\nEND $$;',
      errors: [{ messageId: 'staleRead', line: 6, column: 18, endColumn: 32, includes: 'a DO block' }],
      output: null,
    },
  ],
});
