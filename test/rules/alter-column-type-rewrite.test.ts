import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import rule from '../../server/src/rules/alter-column-type-rewrite';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
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

describe('alter-column-type-rewrite with an earlier migration in the workspace', () => {
  before(() => initParser());
  // The workspace model keeps the end state (the column already has the new type), so the old type
  // of an earlier migration is not known yet: the finding says the change may rewrite.
  it('reports the change as a possible rewrite, without inventing the old type', () => {
    const model = new WorkspaceModel();
    const second = 'ALTER TABLE notes ALTER COLUMN body TYPE int USING body::int;';
    model.setFile('db/0001_a.sql', 'CREATE TABLE notes (id bigint, body varchar(200));', { order: 0, role: 'up' });
    model.setFile('db/0002_b.sql', second, { order: 1, role: 'up' });
    const file = parseSqlFile('db/0002_b.sql', second);
    const fileInfo = { role: 'up' as const, migration: true, runnerWrapsTransaction: false };
    const out = lintSqlFile({ file, config: resolveConfig(undefined), rules: [rule], fileInfo, schema: model.schema(), isExistingTable: (t, i) => model.isExistingTable(t, 'db/0002_b.sql', i) });
    assert.deepEqual(out.findings.map((f) => f.messageId), ['unknown']);
  });
});
