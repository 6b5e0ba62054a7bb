import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { initParser } from '../../server/src/sql/parser';
import { generateSqlFile } from '../../bench/lib/generate';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

const EARLIER = 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL, created_at timestamptz);\nCREATE TABLE payments (id bigint PRIMARY KEY, amount double precision, created_at timestamp);\n';
const EXTRA = [
  "SELECT * FROM payments WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'",
  'INSERT INTO wallets SELECT * FROM wallets_archive',
  "CREATE FUNCTION pay() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE wallets SET balance = 0 WHERE id = 1; PERFORM * FROM payments WHERE created_at BETWEEN '2024-01-01' AND '2024-02-01'; END $$",
  'CREATE VIEW all_wallets AS SELECT * FROM wallets',
  'SET lock_timeout = 0',
  'BEGIN',
  'COMMIT',
];

/** What a fresh project, with the same other file, reports for `text`. */
function freshLint(text: string): string {
  const p = new Project(undefined);
  p.lint('earlier.sql', EARLIER);
  return JSON.stringify(p.lint('edited.sql', text).findings);
}

test('random edits (queries, DDL, comments, statement breaks): incremental findings equal a fresh lint after each', () => {
  const random = rng(7);
  let text = generateSqlFile(48) + EXTRA.join(';\n') + ';\n' + generateSqlFile(24, 3);
  const project = new Project(undefined);
  project.lint('earlier.sql', EARLIER);
  project.lint('edited.sql', text);
  const inserts = [' ', 'x', '1', ';', "'", '-- note\n', ' AND 1 = 1', ' timestamp', 'CREATE TABLE t9 (at timestamp);\n', '*'];
  let kept = 0;
  for (let round = 0; round < 60; round++) {
    const file = project.model.sqlFile('edited.sql')!;
    const stmt = file.statements[Math.floor(random() * file.statements.length)];
    const at = stmt.segment.start + Math.floor(random() * (stmt.segment.end - stmt.segment.start + 1));
    if (random() < 0.3 && at < text.length) text = text.slice(0, at) + text.slice(at + 1);
    else text = text.slice(0, at) + inserts[Math.floor(random() * inserts.length)] + text.slice(at);
    const before = project.model.stats().schemaKept;
    const incremental = JSON.stringify(project.lint('edited.sql', text).findings);
    if (project.model.stats().schemaKept > before) kept++;
    assert.equal(incremental, freshLint(text), `round ${round}: edit at ${at}`);
  }
  // Both paths were exercised: edits that kept the schema and edits that rebuilt it.
  assert.ok(kept > 5 && kept < 60, `kept the schema on ${kept} of 60 edits`);
});

test('editing a query leaves dependents empty and the schema object as it was; editing DDL reports them', () => {
  const project = new Project(undefined);
  const a = 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric);\nSELECT id FROM accounts WHERE id = 1;\n';
  project.lint('a.sql', a);
  project.lint('b.sql', 'SELECT balance FROM accounts;\n');
  const schema = project.model.schema();
  const ownSpan = schema.table('accounts')!.nameSpan!.span;
  assert.deepEqual(project.dependents('a.sql'), ['b.sql']);
  // An edit above the CREATE TABLE and one inside the query: same schema, spans follow the text.
  const edited = '-- accounts\n' + a.replace('id = 1', 'id = 2');
  project.lint('a.sql', edited);
  assert.equal(project.model.schema(), schema);
  assert.deepEqual(project.dependents('a.sql'), []);
  const moved = schema.table('accounts')!.nameSpan!.span;
  assert.equal(edited.slice(moved.start, moved.end), 'accounts');
  assert.equal(moved.start, ownSpan.start + '-- accounts\n'.length);
  // A DDL edit rebuilds and reports the files that use the table.
  project.lint('a.sql', edited.replace('balance numeric', 'balance numeric, fee numeric'));
  assert.notEqual(project.model.schema(), schema);
  assert.ok(project.model.schema().table('accounts')!.columns.has('fee'));
  assert.deepEqual(project.dependents('a.sql'), ['b.sql']);
  // A query that starts using another table is seen by later DDL changes of that table.
  project.lint('a.sql', edited.replace('balance numeric', 'balance numeric, fee numeric') + 'SELECT 1 FROM fees;\n');
  project.lint('c.sql', 'CREATE TABLE fees (id int);\n');
  assert.ok(project.model.files().some((f) => f.path === 'c.sql'));
  project.lint('b.sql', 'SELECT balance FROM accounts JOIN fees ON true;\n');
  project.lint('a.sql', edited.replace('balance numeric', 'balance numeric, fee numeric') + 'SELECT 2 FROM fees;\n');
  assert.deepEqual(project.dependents('a.sql'), []);
});

test("a DDL edit re-checks unchanged queries whose findings depend on it (cached file-rule findings are not reused)", () => {
  const project = new Project(undefined);
  const query = "SELECT id FROM events WHERE day BETWEEN '2024-01-01' AND '2024-01-31';\nINSERT INTO events_copy SELECT * FROM events;\n";
  const v1 = 'CREATE TABLE events (id int, day date);\nCREATE TABLE events_copy (id int, day date);\n' + query;
  const between = (text: string) => project.lint('e.sql', text).findings.filter((f) => f.ruleId === 'timestamp-between').length;
  assert.equal(between(v1), 0);
  const v2 = v1.replace('day date)', 'day timestamp)');
  assert.equal(between(v2), 1);
  assert.equal(JSON.stringify(project.lint('e.sql', v2).findings), JSON.stringify(new Project(undefined).lint('e.sql', v2).findings));
  const v3 = v2.replace('events_copy (id int, day date)', 'events_copy (day date, id int)');
  assert.equal(JSON.stringify(project.lint('e.sql', v3).findings), JSON.stringify(new Project(undefined).lint('e.sql', v3).findings));
});

// Edits that change where statements start and end: open and close quotes, dollar bodies and
// comments that swallow the rest of the file, merges and splits, suppression comments, CRLF,
// text before the edit that is not ASCII, statements repeated word for word.
const TRICKY = [
  ';', "'", '$$', '$body$', '/*', '*/', '--', '\n', '\r\n', 'é', '💸', '(', ')', ' BEGIN ATOMIC ',
  '-- ledgerlint-disable-next-line\n', '-- ledgerlint-disable-next-line timestamp-between\n', '/* ledgerlint-disable-file implicit-columns */\n',
  'ALTER TABLE wallets ADD COLUMN fee numeric;\n', 'BEGIN;\n', 'COMMIT;\n', 'SELECT * FROM wallets;\n',
  "COPY wallets FROM stdin;\n1\t2\n\\.\n", 'DO $$ BEGIN UPDATE wallets SET balance = 0; END $$;\n',
];

function trickyEdit(text: string, random: () => number): string {
  const r = random();
  const at = r < 0.15 ? 0 : r < 0.3 ? text.length : Math.floor(random() * (text.length + 1));
  if (random() < 0.3) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * (random() < 0.8 ? 3 : 200))));
  return text.slice(0, at) + TRICKY[Math.floor(random() * TRICKY.length)] + text.slice(at);
}

for (const variant of ['lf', 'crlf'] as const) {
  test(`random boundary edits (${variant}: quotes, bodies, comments, merges, suppressions, repeated statements): incremental findings equal a fresh lint after each`, () => {
    const random = rng(variant === 'lf' ? 101 : 202);
    const repeated = 'BEGIN;\nALTER TABLE wallets ADD COLUMN fee numeric;\nSELECT * FROM wallets;\nCOMMIT;\n'.repeat(6);
    let text = '-- café ☕ 💸\n' + generateSqlFile(24) + ';\n' + repeated + EXTRA.join(';\n') + ';\n' + generateSqlFile(16, 5);
    if (variant === 'crlf') text = text.replace(/\n/g, '\r\n');
    const project = new Project(undefined);
    project.lint('earlier.sql', EARLIER);
    project.lint('edited.sql', text);
    for (let round = 0; round < 80; round++) {
      text = trickyEdit(text, random);
      const incremental = JSON.stringify(project.lint('edited.sql', text).findings);
      assert.equal(incremental, freshLint(text), `${variant} round ${round}`);
    }
  });
}

test('an unfinished last statement: its "end of input" error stays put when the text after it goes', () => {
  // The statement keeps its text (and its cached findings) while the line break after it is deleted:
  // the error must not point past the end of the file then (differential seed 520).
  const head = 'SELECT 1;\nUPDATE accounts SET balance = $1 WHERE id =';
  const project = new Project(undefined);
  project.lint('earlier.sql', EARLIER);
  for (const text of [head + '\nSELECT 2', head + '\n', head]) {
    const findings = project.lint('edited.sql', text).findings.filter((f) => f.ruleId === 'syntax-error');
    assert.equal(JSON.stringify(findings), JSON.stringify(JSON.parse(freshLint(text)).filter((f: { ruleId: string }) => f.ruleId === 'syntax-error')), JSON.stringify(text));
    const error = findings.find((f) => f.message.includes('end of input'));
    if (text !== head + '\nSELECT 2') assert.equal(text.slice(error!.span.start, error!.span.end), '=', JSON.stringify(text));
  }
});
