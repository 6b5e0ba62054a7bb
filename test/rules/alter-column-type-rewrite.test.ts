import rule from '../../server/src/rules/alter-column-type-rewrite';
import { ruleTester } from '../lib/rule-tester';

const notes = 'CREATE TABLE notes (id bigint, body varchar(200), rate numeric(10,2), at timestamp);\nCOMMIT;\n';

ruleTester(rule, {
  valid: [
    { name: 'table created in the file', code: 'CREATE TABLE notes (id bigint, body text);\nALTER TABLE notes ALTER COLUMN body TYPE varchar(10);' },
    'ALTER TABLE notes ALTER COLUMN body SET DEFAULT 1',
  ],
  invalid: [
    {
      name: 'unknown old type on an existing table',
      code: 'ALTER TABLE users\n  ALTER COLUMN age TYPE bigint;',
      errors: [{ messageId: 'unknown', line: 2, column: 3, endColumn: 31, severity: 'warning', includes: ['users', 'age', 'bigint', 'may rewrite'] }],
      output: null,
    },
    {
      name: 'financial table is an error',
      code: 'ALTER TABLE payments ALTER COLUMN amount_minor TYPE numeric(19,4);',
      errors: [{ messageId: 'unknown', severity: 'error', includes: 'numeric(19,4)' }],
    },
  ],
});

// Old types known from the file: the table is created, then "existing" to later statements only
// through the workspace. Here the ALTERs run on a table this file did not create, but whose
// columns an earlier ADD COLUMN in the file declared.
ruleTester(rule, {
  valid: [
    { name: 'varchar widened, varchar to text', code: 'ALTER TABLE users ADD COLUMN nick varchar(20);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(40);\nALTER TABLE users ALTER COLUMN nick TYPE text;' },
    { name: 'numeric precision up at the same scale', code: 'ALTER TABLE users ADD COLUMN rate numeric(10,2);\nALTER TABLE users ALTER COLUMN rate TYPE numeric(12,2), ALTER COLUMN rate TYPE numeric;' },
    { name: 'timestamp to timestamptz with the session in UTC', code: "ALTER TABLE users ADD COLUMN seen timestamp;\nSET LOCAL timezone = 'UTC';\nALTER TABLE users ALTER COLUMN seen TYPE timestamptz;" },
    { name: 'the table created here', code: notes + 'ALTER TABLE notes ALTER COLUMN body TYPE int USING 0;' },
  ],
  invalid: [
    {
      name: 'varchar shortened, numeric scale changed, USING',
      code: 'ALTER TABLE users ADD COLUMN nick varchar(20), ADD COLUMN rate numeric(10,2);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(10), ALTER COLUMN rate TYPE numeric(12,4);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(20) USING upper(nick);',
      errors: [
        { messageId: 'rewrite', line: 2, column: 19, endColumn: 53, includes: ['users.nick from varchar(20) to varchar(10)'] },
        { messageId: 'rewrite', line: 2, column: 55, includes: 'from numeric(10,2) to numeric(12,4)' },
        { messageId: 'rewrite', line: 3, includes: 'from varchar(10) to varchar(20)' },
      ],
    },
    {
      name: 'int to bigint rewrites',
      code: 'ALTER TABLE users ADD COLUMN n int;\nALTER TABLE users ALTER COLUMN n TYPE bigint;',
      errors: [{ messageId: 'rewrite', line: 2, includes: 'from int to bigint' }],
    },
    {
      name: 'timestamp to timestamptz outside UTC',
      code: "ALTER TABLE users ADD COLUMN seen timestamp;\nSET timezone = 'Europe/Berlin';\nALTER TABLE users ALTER COLUMN seen TYPE timestamptz;",
      errors: [{ messageId: 'timestamptz', line: 3, includes: ['users.seen', "SET LOCAL timezone = 'UTC'"] }],
    },
  ],
});

const ledger = {
  path: 'migrations/0001_ledger.sql',
  code: 'CREATE TABLE ledger_entries (id int PRIMARY KEY, memo varchar(100), amount numeric(12,2), account_ref text, currency char(3), booked_at timestamp);',
};

// Across migrations: the old type comes from the schema before the file under test
// (context.schemaBefore), not from the end state, where later migrations changed it again.
ruleTester(rule, {
  valid: [
    { name: 'varchar(100) to varchar(200)', files: [ledger], code: 'ALTER TABLE ledger_entries ALTER COLUMN memo TYPE varchar(200);' },
    { name: 'varchar(n) to text', files: [ledger], code: 'ALTER TABLE ledger_entries ALTER COLUMN memo TYPE text;' },
    { name: 'text to unconstrained varchar', files: [ledger], code: 'ALTER TABLE ledger_entries ALTER COLUMN account_ref TYPE varchar;' },
    { name: 'numeric(12,2) to unconstrained numeric', files: [ledger], code: 'ALTER TABLE ledger_entries ALTER COLUMN amount TYPE numeric;' },
    { name: 'numeric(12,2) to numeric(18,2)', files: [ledger], code: 'ALTER TABLE ledger_entries ALTER COLUMN amount TYPE numeric(18,2);' },
    {
      name: 'the old type after an earlier migration already widened it',
      files: [ledger, { path: 'migrations/0002_memo.sql', code: 'ALTER TABLE ledger_entries ALTER COLUMN memo TYPE varchar(300);' }],
      code: 'ALTER TABLE ledger_entries ALTER COLUMN memo TYPE varchar(300);',
    },
    {
      name: 'a renamed column keeps its type',
      files: [ledger, { path: 'migrations/0002_rename.sql', code: 'ALTER TABLE ledger_entries RENAME COLUMN memo TO description;' }],
      code: 'ALTER TABLE ledger_entries ALTER COLUMN description TYPE text;',
    },
    { name: 'timestamp to timestamptz in UTC', files: [ledger], code: "SET LOCAL timezone = 'UTC';\nALTER TABLE ledger_entries ALTER COLUMN booked_at TYPE timestamptz;" },
  ],
  invalid: [
    {
      name: 'int to bigint on a ledger table rewrites (error)',
      files: [ledger],
      code: 'ALTER TABLE ledger_entries ALTER COLUMN id TYPE bigint;',
      errors: [{ messageId: 'rewrite', line: 1, column: 28, severity: 'error', includes: ['ledger_entries.id from int to bigint', 'expand/contract'] }],
      output: null,
    },
    {
      name: 'varchar shortened, numeric scale changed, char to text',
      files: [ledger],
      code: 'ALTER TABLE ledger_entries ALTER COLUMN memo TYPE varchar(50), ALTER COLUMN amount TYPE numeric(12,4), ALTER COLUMN currency TYPE text;',
      errors: [
        { messageId: 'rewrite', includes: 'from varchar(100) to varchar(50)' },
        { messageId: 'rewrite', includes: 'from numeric(12,2) to numeric(12,4)' },
        { messageId: 'rewrite', includes: 'from char(3) to text' },
      ],
    },
    {
      name: 'numeric unconstrained to numeric(p,s) rewrites',
      files: [ledger, { path: 'migrations/0002_amount.sql', code: 'ALTER TABLE ledger_entries ALTER COLUMN amount TYPE numeric;' }],
      code: 'ALTER TABLE ledger_entries ALTER COLUMN amount TYPE numeric(19,4);',
      errors: [{ messageId: 'rewrite', includes: 'from numeric to numeric(19,4)' }],
    },
    {
      name: 'a later migration widening the column again does not hide this shrink',
      files: [ledger, { path: 'migrations/0003_memo_text.sql', code: 'ALTER TABLE ledger_entries ALTER COLUMN memo TYPE text;' }],
      path: 'migrations/0002_memo.sql',
      code: 'ALTER TABLE ledger_entries ALTER COLUMN memo TYPE varchar(20);',
      errors: [{ messageId: 'rewrite', includes: 'from varchar(100) to varchar(20)' }],
    },
    {
      name: 'timestamp to timestamptz outside UTC, old type from an earlier migration',
      files: [ledger],
      code: 'ALTER TABLE ledger_entries ALTER COLUMN booked_at TYPE timestamptz;',
      errors: [{ messageId: 'timestamptz', includes: 'ledger_entries.booked_at' }],
    },
    {
      name: 'a table the workspace never created: the old type is unknown',
      files: [ledger],
      code: 'ALTER TABLE users ALTER COLUMN age TYPE bigint;',
      errors: [{ messageId: 'unknown', includes: 'users' }],
    },
  ],
});

// A long file of type changes: the schema before each statement continues from the one before
// (replaying the file's earlier statements for every statement would be quadratic), and each
// statement's old type is the previous statement's new type.
ruleTester(rule, {
  valid: [
    {
      name: '3,000 widenings in one file, each old type from the statement before',
      files: [ledger],
      code: Array.from({ length: 3000 }, (_, i) => `ALTER TABLE ledger_entries ALTER COLUMN memo TYPE varchar(${101 + i});`).join('\n'),
    },
  ],
  invalid: [],
});
