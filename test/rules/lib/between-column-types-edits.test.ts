// fileColumnTypes (rules/lib/between-column-type.ts) keeps the map of the version an edit was made
// from while no CREATE TABLE was edited: timestamp-between after a keystroke must report what a
// fresh lint of the same text reports, whether the keystroke was in a query or in a CREATE TABLE.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../../server/src/engine/project';
import { initParser } from '../../../server/src/sql/parser';
import { fileColumnTypes } from '../../../server/src/rules/lib/between-column-type';

before(async () => {
  await initParser();
});

const between = (text: string, project = new Project(undefined)) => JSON.stringify(project.lint('report.sql', text).findings.filter((f) => f.ruleId === 'timestamp-between'));

test('after edits of a query and of the CREATE TABLE declaring its column, timestamp-between reports what a fresh lint does', () => {
  const project = new Project(undefined);
  const query = "SELECT id FROM payouts WHERE value_day BETWEEN '2024-06-01' AND '2024-06-30';\n";
  const steps = [
    'CREATE TABLE payouts (id bigint PRIMARY KEY, value_day timestamptz NOT NULL);\n' + query,
    // A keystroke in the query: the map of the version before is kept.
    'CREATE TABLE payouts (id bigint PRIMARY KEY, value_day timestamptz NOT NULL);\n' + query.replace('id', 'id '),
    // The column becomes a date: no finding any more, though the query did not change.
    'CREATE TABLE payouts (id bigint PRIMARY KEY, value_day date NOT NULL);\n' + query.replace('id', 'id '),
    'CREATE TABLE payouts (id bigint PRIMARY KEY, value_day date NOT NULL);\n' + query,
    'CREATE TABLE payouts (id bigint PRIMARY KEY, value_day timestamp NOT NULL);\n' + query,
  ];
  const counts: number[] = [];
  for (const text of steps) {
    const incremental = between(text, project);
    assert.equal(incremental, between(text), text);
    counts.push(JSON.parse(incremental).length);
  }
  // The steps exercise both answers: reported while the column is a timestamp, not while it is a date.
  assert.deepEqual(counts, [1, 1, 0, 0, 1]);
});

test('a query keystroke hands on the same map; an edited CREATE TABLE makes a new one', () => {
  const project = new Project(undefined);
  const table = 'CREATE TABLE payouts (id bigint, paid timestamptz);\n';
  project.lint('a.sql', table + 'SELECT 1;\n');
  const first = fileColumnTypes(project.model.sqlFile('a.sql')!);
  project.lint('a.sql', table + 'SELECT 12;\n');
  assert.equal(fileColumnTypes(project.model.sqlFile('a.sql')!), first);
  project.lint('a.sql', table.replace('timestamptz', 'date') + 'SELECT 12;\n');
  const changed = fileColumnTypes(project.model.sqlFile('a.sql')!);
  assert.notEqual(changed, first);
  assert.equal(changed.get('payouts')?.get('paid'), 'date');
});
