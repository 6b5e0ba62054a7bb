import rule from '../../server/src/rules/balance-check-then-write-unlocked';
import { ruleTester } from '../lib/rule-tester';

const WITHDRAW = (pre: string, read: string) =>
  `CREATE FUNCTION withdraw(p_acct bigint, p_amt bigint) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE v bigint;\nBEGIN\n${pre}  ${read}\n  IF v < p_amt THEN\n    RAISE EXCEPTION 'insufficient funds';\n  END IF;\n  FOR i IN 1..1 LOOP\n    BEGIN\n      INSERT INTO ledger_entries (account_id, amount_minor) VALUES (p_acct, -p_amt);\n    END;\n  END LOOP;\nEND $$;`;

ruleTester(rule, {
  valid: [
    { name: 'row lock before the read', code: 'BEGIN;\nSELECT 1 FROM accounts WHERE id = $1 FOR NO KEY UPDATE;\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nCOMMIT;' },
    { name: 'the read itself locks', code: 'BEGIN;\nSELECT balance FROM accounts WHERE id = $1 FOR UPDATE;\nUPDATE accounts SET balance = balance - $2 WHERE id = $1;\nCOMMIT;' },
    { name: 'advisory xact lock first', code: 'BEGIN;\nSELECT pg_advisory_xact_lock($1);\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nCOMMIT;' },
    { name: 'SERIALIZABLE via BEGIN', code: 'BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nCOMMIT;' },
    { name: 'SERIALIZABLE via SET TRANSACTION', code: 'BEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSELECT balance FROM wallets WHERE id = $1;\nINSERT INTO transfers (wallet_id, amount) VALUES ($1, $2);\nCOMMIT;' },
    { name: 'guarded relative update after the read', code: 'BEGIN;\nSELECT balance FROM wallets WHERE id = $1;\nUPDATE wallets SET balance = balance - $2 WHERE id = $1 AND balance >= $2;\nCOMMIT;' },
    { name: 'no transaction: autocommit statements', code: 'SELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);' },
    { name: 'count is not a balance', code: 'BEGIN;\nSELECT count(*) FROM users WHERE email = $1;\nINSERT INTO users (email) VALUES ($1);\nCOMMIT;' },
    { name: 'write before the read', code: 'BEGIN;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nCOMMIT;' },
    { name: 'function locking the account first', code: WITHDRAW('  PERFORM 1 FROM accounts WHERE id = p_acct FOR NO KEY UPDATE;\n', 'SELECT coalesce(sum(amount_minor), 0) INTO v FROM ledger_entries WHERE account_id = p_acct;') },
    { name: 'function with an advisory lock first', code: WITHDRAW('  PERFORM pg_advisory_xact_lock(p_acct);\n', 'SELECT coalesce(sum(amount_minor), 0) INTO v FROM ledger_entries WHERE account_id = p_acct;') },
  ],
  invalid: [
    {
      code: 'BEGIN;\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nCOMMIT;',
      errors: [{ messageId: 'unlocked', line: 2, column: 1, endLine: 2, includes: ['sum(amount_minor)', 'ledger_entries', 'INSERT INTO ledger_entries', 'BEGIN ... COMMIT', '40001'] }],
      output: null,
    },
    {
      name: 'balance read then an unguarded relative update',
      code: 'BEGIN;\nSELECT balance FROM wallets WHERE id = $1;\nUPDATE wallets SET balance = balance - $2 WHERE id = $1;\nCOMMIT;',
      errors: [{ messageId: 'unlocked', line: 2, includes: ['balance of wallets'] }],
    },
    {
      name: 'lock taken only after the read does not help',
      code: 'BEGIN;\nSELECT sum(amount) FROM payments WHERE account_id = $1;\nSELECT pg_advisory_xact_lock($1);\nINSERT INTO payments (account_id, amount) VALUES ($1, $2);\nCOMMIT;',
      errors: [{ messageId: 'unlocked', line: 2 }],
    },
    {
      name: 'in a function: SELECT INTO, IF, insert inside a loop and a nested block',
      code: WITHDRAW('', 'SELECT coalesce(sum(amount_minor), 0) INTO v FROM ledger_entries WHERE account_id = p_acct;'),
      errors: [{ messageId: 'unlocked', line: 4, column: 3, endLine: 4, includes: ['function `withdraw`', 'INSERT INTO ledger_entries'] }],
    },
    {
      name: 'runner-wrapped migration',
      fileInfo: { runnerWrapsTransaction: true },
      code: 'SELECT available_balance FROM wallets WHERE id = 1;\nINSERT INTO transfers (wallet_id, amount) VALUES (1, 10);',
      errors: [{ messageId: 'unlocked', line: 1, includes: 'available_balance' }],
    },
  ],
});
