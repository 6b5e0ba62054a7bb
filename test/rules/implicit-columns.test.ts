import rule from '../../server/src/rules/implicit-columns';
import { ruleTester } from '../lib/rule-tester';

const PLAIN = { migration: false, role: 'plain' as const };
const payments = { path: 'migrations/0001_payments.sql', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, currency text NOT NULL, amount_minor bigint NOT NULL);' };
const archive = { path: 'migrations/0002_archive.sql', code: 'CREATE TABLE payments_archive (id bigint PRIMARY KEY, currency text NOT NULL, amount_minor bigint NOT NULL);' };

ruleTester(rule, {
  valid: [
    "INSERT INTO payments (id, currency, amount_minor) VALUES (1, 'EUR', 1250);",
    'INSERT INTO audit_log DEFAULT VALUES;',
    'CREATE VIEW settled AS SELECT id, amount_minor FROM payments WHERE EXISTS (SELECT * FROM settlements s WHERE s.payment_id = payments.id);',
    { name: 'star inside a subquery of an application query', code: 'SELECT id FROM (SELECT * FROM payments) p;', fileInfo: PLAIN },
    { name: 'count(*) is not a star column', code: 'SELECT count(*) FROM payments;', fileInfo: PLAIN },
    {
      name: 'SELECT * INTO a row variable and FOR loops over * take the row shape',
      code: 'CREATE FUNCTION f(p bigint) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r payments%ROWTYPE;\nBEGIN\n  SELECT * INTO r FROM payments WHERE id = p;\n  FOR r IN SELECT * FROM payments LOOP NULL; END LOOP;\nEND $$;',
    },
    {
      name: 'a function returning the rows of the table it selects * from',
      code: 'CREATE FUNCTION open_payments() RETURNS SETOF payments LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY SELECT * FROM payments WHERE settled_at IS NULL;\nEND $$;\nCREATE FUNCTION all_payments() RETURNS SETOF payments LANGUAGE sql BEGIN ATOMIC SELECT p.* FROM payments p JOIN accounts a ON a.id = p.account_id; END;',
    },
    { name: 'CREATE TABLE AS copies a snapshot once', code: 'CREATE TABLE payments_backup AS SELECT * FROM payments;' },
  ],
  invalid: [
    {
      name: 'INSERT without columns, no model: no fix',
      code: "INSERT INTO payments VALUES (1, 'EUR', 1250);",
      errors: [{ messageId: 'insertNoColumns', line: 1, column: 1, endColumn: 21, severity: 'warning', includes: ['INSERT INTO payments has no column list', 'wrong columns'] }],
      output: null,
    },
    {
      name: 'INSERT without columns: the first n columns of the workspace table, in physical order',
      files: [payments, { path: 'migrations/0002_fee.sql', code: 'ALTER TABLE payments ADD COLUMN fee_minor bigint;\nALTER TABLE payments RENAME COLUMN currency TO currency_code;' }],
      code: "INSERT INTO payments AS p VALUES (1, 'EUR', 1250), (2, 'USD', 99);",
      errors: [{ messageId: 'insertNoColumns', line: 1, column: 1, endColumn: 21 }],
      output: "INSERT INTO payments AS p (id, currency_code, amount_minor) VALUES (1, 'EUR', 1250), (2, 'USD', 99);",
    },
    {
      name: 'more values than columns: no fix',
      files: [payments],
      code: 'INSERT INTO payments VALUES (1, 2, 3, 4);',
      errors: [{ messageId: 'insertNoColumns' }],
      output: null,
    },
    {
      name: 'INSERT ... SELECT *: both sides fixed from the workspace model',
      files: [payments, archive],
      code: 'INSERT INTO payments_archive\nSELECT * FROM payments WHERE id < $1;',
      errors: [
        { messageId: 'insertNoColumns', line: 1, column: 1, endColumn: 29, includes: 'payments_archive' },
        { messageId: 'insertSelectStar', line: 2, column: 8, endColumn: 9, severity: 'warning', includes: ['INSERT INTO payments_archive ... SELECT * copies payments'] },
      ],
      output: 'INSERT INTO payments_archive (id, currency, amount_minor)\nSELECT id, currency, amount_minor FROM payments WHERE id < $1;',
    },
    {
      name: 'INSERT ... SELECT with an explicit list and a CTE: the target gets as many columns as the list',
      files: [payments, archive],
      code: "WITH old AS (SELECT id, currency FROM payments WHERE id < 10)\nINSERT INTO payments_archive SELECT id, currency FROM old;",
      errors: [{ messageId: 'insertNoColumns', line: 2, column: 1, endColumn: 29 }],
      output: "WITH old AS (SELECT id, currency FROM payments WHERE id < 10)\nINSERT INTO payments_archive (id, currency) SELECT id, currency FROM old;",
    },
    {
      name: 'view with a qualified star and a join: qualified expansion',
      files: [payments],
      code: 'CREATE VIEW payment_rows AS\n  SELECT p.*, s.settled_at FROM payments p JOIN settlements s ON s.payment_id = p.id;',
      errors: [{ messageId: 'viewStar', line: 2, column: 10, endColumn: 13, includes: ['view payment_rows', 'payments, settlements'] }],
      output: 'CREATE VIEW payment_rows AS\n  SELECT p.id, p.currency, p.amount_minor, s.settled_at FROM payments p JOIN settlements s ON s.payment_id = p.id;',
    },
    {
      name: 'materialized view, unqualified star over a join: no fix',
      code: 'CREATE MATERIALIZED VIEW daily AS SELECT * FROM payments JOIN accounts ON accounts.id = payments.account_id;',
      errors: [{ messageId: 'viewStar', column: 42 }],
      output: null,
    },
    {
      name: 'RETURN QUERY SELECT * in a function body',
      files: [payments],
      code: 'CREATE FUNCTION recent_payments() RETURNS TABLE (id bigint, currency text, amount_minor bigint) LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY SELECT * FROM payments;\nEND $$;',
      errors: [{ messageId: 'routineStar', line: 3, column: 23, includes: ['from payments in recent_payments'] }],
      output: 'CREATE FUNCTION recent_payments() RETURNS TABLE (id bigint, currency text, amount_minor bigint) LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY SELECT id, currency, amount_minor FROM payments;\nEND $$;',
    },
    {
      name: 'SQL function body (BEGIN ATOMIC) returning another shape',
      code: 'CREATE FUNCTION f() RETURNS SETOF record LANGUAGE sql\nBEGIN ATOMIC\n  SELECT * FROM payments;\nEND;',
      errors: [{ messageId: 'routineStar', line: 3, column: 10, includes: 'from payments in f' }],
    },
    {
      name: 'INSERT without columns in a function body',
      code: 'CREATE FUNCTION pay() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO payments VALUES (1, 2);\nEND $$;',
      errors: [{ messageId: 'insertNoColumns', line: 3, column: 3 }],
    },
    {
      name: 'application query: a hint, expanded when the table is known; UNION arms',
      files: [payments, archive],
      path: 'queries/history.sql',
      fileInfo: PLAIN,
      code: 'SELECT * FROM payments\nUNION ALL\nSELECT * FROM payments_archive;',
      errors: [
        { messageId: 'queryStar', line: 1, column: 8, severity: 'hint', includes: 'from payments reads' },
        { messageId: 'queryStar', line: 3, column: 8, severity: 'hint' },
      ],
      output: 'SELECT id, currency, amount_minor FROM payments\nUNION ALL\nSELECT id, currency, amount_minor FROM payments_archive;',
    },
    {
      name: 'table created in this file, a column added later in the file',
      code: "CREATE TABLE transfers (id bigint PRIMARY KEY, amount_minor bigint);\nALTER TABLE transfers ADD COLUMN \"Memo\" text;\nSELECT * FROM transfers;",
      errors: [{ messageId: 'queryStar', line: 3, column: 8 }],
      output: 'CREATE TABLE transfers (id bigint PRIMARY KEY, amount_minor bigint);\nALTER TABLE transfers ADD COLUMN "Memo" text;\nSELECT id, amount_minor, "Memo" FROM transfers;',
    },
    {
      name: 'columns copied with LIKE: order not vouched for, no fix',
      code: 'CREATE TABLE transfers (id bigint PRIMARY KEY, amount_minor bigint);\nCREATE TABLE transfers_copy (LIKE transfers, note text);\nSELECT * FROM transfers_copy;',
      errors: [{ messageId: 'queryStar' }],
      output: null,
    },
  ],
});
