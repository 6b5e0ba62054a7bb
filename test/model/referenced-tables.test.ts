// A DDL change to a table re-checks the files that only write it (INSERT INTO, UPDATE, DELETE,
// COPY): their findings (backfills, positional INSERTs) depend on its columns too.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { initParser } from '../../server/src/sql/parser';

before(async () => {
  await initParser();
});

test('files that only INSERT INTO, UPDATE, DELETE FROM or COPY a table depend on its DDL', () => {
  const p = new Project(undefined);
  p.lint('schema.sql', 'CREATE TABLE payouts (id int);\n');
  p.lint('insert.sql', 'INSERT INTO payouts VALUES (1);\n');
  p.lint('update.sql', 'UPDATE payouts SET id = 2;\n');
  p.lint('delete.sql', 'DELETE FROM public.payouts WHERE id = 3;\n');
  p.lint('copy.sql', "COPY payouts FROM '/tmp/p.csv';\n");
  p.lint('other.sql', 'UPDATE refunds SET id = 2;\n');
  p.lint('schema.sql', 'CREATE TABLE payouts (id int, amount numeric);\n');
  assert.deepEqual(p.dependents('schema.sql').sort(), ['copy.sql', 'delete.sql', 'insert.sql', 'update.sql']);
});

test('a query edit keeps the written tables among the file references (the schema is kept, not replayed)', () => {
  const p = new Project(undefined);
  p.lint('schema.sql', 'CREATE TABLE payouts (id int);\n');
  p.lint('q.sql', 'SELECT 1;\n');
  p.lint('q.sql', 'SELECT 1;\nUPDATE payouts SET id = 2;\n');
  p.lint('schema.sql', 'CREATE TABLE payouts (id int, amount numeric);\n');
  assert.deepEqual(p.dependents('schema.sql'), ['q.sql']);
});
