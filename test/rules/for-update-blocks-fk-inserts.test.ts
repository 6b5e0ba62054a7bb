import rule from '../../server/src/rules/for-update-blocks-fk-inserts';
import { ruleTester } from '../lib/rule-tester';

const SCHEMA = [
  { path: 'migrations/0001_accounts.sql', code: 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(19,4) NOT NULL);' },
  { path: 'migrations/0002_payments.sql', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT);\nCREATE TABLE ledger_entries (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts);' },
];

ruleTester(rule, {
  valid: [
    { name: 'FOR NO KEY UPDATE', files: SCHEMA, path: 'queries/debit.sql', code: 'SELECT balance FROM accounts WHERE id = $1 FOR NO KEY UPDATE;' },
    { name: 'nobody references the table', files: SCHEMA, path: 'queries/p.sql', code: 'SELECT * FROM payments WHERE id = $1 FOR UPDATE;' },
    { name: 'no workspace knowledge: unknown table', code: 'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE;' },
    { name: 'the transaction deletes the row', files: SCHEMA, path: 'queries/close.sql', code: 'BEGIN;\nSELECT * FROM accounts WHERE id = $1 FOR UPDATE;\nDELETE FROM accounts WHERE id = $1;\nCOMMIT;' },
    { name: 'the transaction changes the key', files: SCHEMA, path: 'queries/renumber.sql', code: 'BEGIN;\nSELECT * FROM accounts WHERE id = $1 FOR UPDATE;\nUPDATE accounts SET id = $2 WHERE id = $1;\nCOMMIT;' },
    {
      name: 'function that deletes in a loop after the lock',
      files: SCHEMA,
      path: 'queries/f.sql',
      code: 'CREATE FUNCTION purge(p_id bigint) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1 FROM accounts WHERE id = p_id FOR UPDATE;\n  FOR i IN 1..2 LOOP\n    DELETE FROM accounts WHERE id = p_id;\n  END LOOP;\nEND $$;',
    },
    { name: 'FOR SHARE', files: SCHEMA, path: 'queries/s.sql', code: 'SELECT * FROM accounts WHERE id = $1 FOR SHARE;' },
  ],
  invalid: [
    {
      files: SCHEMA,
      path: 'queries/debit.sql',
      code: 'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE;',
      errors: [{ messageId: 'blocksInserts', line: 1, column: 44, endColumn: 54, severity: 'info', includes: ['accounts', 'payments.account_id', 'ledger_entries.account_id', 'FOR NO KEY UPDATE'] }],
      output: 'SELECT balance FROM accounts WHERE id = $1 FOR NO KEY UPDATE;',
    },
    {
      name: 'in the same file, balance update only',
      code: 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL);\nCREATE TABLE transfers (id bigint PRIMARY KEY, wallet_id bigint REFERENCES wallets (id));\nBEGIN;\nselect * from wallets where id = 7 for update nowait;\nUPDATE wallets SET balance = balance - 5 WHERE id = 7;\nCOMMIT;',
      errors: [{ messageId: 'blocksInserts', line: 4, column: 36, includes: 'transfers.wallet_id' }],
      output: 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL);\nCREATE TABLE transfers (id bigint PRIMARY KEY, wallet_id bigint REFERENCES wallets (id));\nBEGIN;\nselect * from wallets where id = 7 for no key update nowait;\nUPDATE wallets SET balance = balance - 5 WHERE id = 7;\nCOMMIT;',
    },
    {
      name: 'inside a function body, in an IF inside a loop',
      files: SCHEMA,
      path: 'queries/f.sql',
      code: 'CREATE FUNCTION debit(p_id bigint, p_amt numeric) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE v numeric;\nBEGIN\n  FOR i IN 1..3 LOOP\n    IF p_amt > 0 THEN\n      SELECT balance INTO v FROM accounts WHERE id = p_id FOR UPDATE;\n      UPDATE accounts SET balance = balance - p_amt WHERE id = p_id;\n    END IF;\n  END LOOP;\nEND $$;',
      errors: [{ messageId: 'blocksInserts', line: 6, column: 59, includes: 'function `debit`' }],
      output: 'CREATE FUNCTION debit(p_id bigint, p_amt numeric) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE v numeric;\nBEGIN\n  FOR i IN 1..3 LOOP\n    IF p_amt > 0 THEN\n      SELECT balance INTO v FROM accounts WHERE id = p_id FOR NO KEY UPDATE;\n      UPDATE accounts SET balance = balance - p_amt WHERE id = p_id;\n    END IF;\n  END LOOP;\nEND $$;',
    },
    {
      name: 'a join locks both tables; the referenced one is reported',
      files: SCHEMA,
      path: 'queries/j.sql',
      code: 'SELECT * FROM payments p JOIN accounts a ON a.id = p.account_id WHERE p.id = $1 FOR UPDATE;',
      errors: [{ messageId: 'blocksInserts', includes: 'FOR UPDATE on accounts' }],
    },
  ],
});
