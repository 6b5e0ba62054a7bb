// A long file's contribution to the workspace (tables it creates, tables it touches, source refs) is
// merged from its chunks' (model/file-checkpoints.ts); after a DDL edit the parts of chunks that did
// not change are the last merge's. Checked against a fresh model after each edit, through what the
// contribution answers: whether a table is new at a statement, which files depend on which, and the
// schema with its spans. Taking the last merge without comparing the parts must fail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { checkpointPolicy, mergePolicy } from '../../server/src/model/file-checkpoints';
import { initParser } from '../../server/src/sql/parser';

const LONG = 'db/migrations/001_long.sql';
const OTHER = 'db/migrations/002_other.sql';
const OTHER_TEXT = 'SELECT * FROM audit_log;\nCREATE INDEX accounts_note_idx ON accounts (note);\n';
const EVERY = checkpointPolicy.statements;

before(async () => {
  await initParser();
  // A checkpoint every 3 statements: four chunks.
  checkpointPolicy.statements = 3;
});

after(() => {
  checkpointPolicy.statements = EVERY;
  mergePolicy.compareParts = true;
});

const FILE = [
  'SELECT 1',
  'CREATE TABLE merchants (id bigint PRIMARY KEY, name text)',
  'SELECT 2',
  'CREATE TABLE accounts (id bigint PRIMARY KEY, merchant_id bigint REFERENCES merchants, note text)',
  'SELECT 3',
  'SELECT 4',
  'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts)',
  'SELECT 5',
  'ALTER TABLE payments ADD COLUMN fee_minor bigint',
  'SELECT 6',
  'CREATE INDEX payments_account_idx ON payments (account_id)',
  'SELECT 7',
].join(';\n') + ';\n';

const NAMES = ['merchants', 'accounts', 'payments', 'ledger', 'audit_log'];

function project(text: string): Project {
  const p = new Project(undefined);
  p.model.setFile(LONG, text, { order: 0, role: 'plain' });
  p.model.setFile(OTHER, OTHER_TEXT, { order: 1, role: 'plain' });
  return p;
}

/** What the long file's contribution answers, as one string. */
function answers(p: Project, text: string): string {
  p.model.setFile(LONG, text);
  const count = p.model.sqlFile(LONG)!.statements.length;
  const existing = NAMES.map((n) => Array.from({ length: count }, (_, i) => (p.model.isExistingTable(n, LONG, i) ? 1 : 0)).join(''));
  const schema = JSON.stringify([...p.model.schema().tables], (_k, v) => (v instanceof Map ? [...v] : v));
  return JSON.stringify({ existing, dependents: p.model.dependents(OTHER).sort(), schema });
}

// Each edit is applied to the text the one before left.
const EDITS: Array<[string, string, string]> = [
  ['a table renamed in the third chunk', 'CREATE TABLE payments (', 'CREATE TABLE ledger ('],
  ['its later statements follow', 'ALTER TABLE payments', 'ALTER TABLE ledger'],
  ['a query of the first chunk reads another table', 'SELECT 1', 'SELECT * FROM audit_log'],
  ['then a DDL edit in the last chunk', 'ON payments (account_id)', 'ON ledger (account_id)'],
  ['the first chunk reads nothing again, with a DDL edit', 'SELECT * FROM audit_log;\nCREATE TABLE merchants (id bigint PRIMARY KEY, name text)', 'SELECT 1;\nCREATE TABLE merchants (id bigint PRIMARY KEY, name text, code text)'],
  ['the rename undone', 'CREATE TABLE ledger (', 'CREATE TABLE payments ('],
];

/** Runs the edits in one project, each compared with a fresh one; the labels of those that differ. */
function differing(): string[] {
  let text = FILE;
  const p = project(text);
  answers(p, text);
  const out: string[] = [];
  for (const [label, from, to] of EDITS) {
    assert.ok(text.includes(from), label);
    text = text.replace(from, to);
    // The query edit alone keeps the schema; the next edit (DDL) then merges the chunks.
    if (label.startsWith('a query')) {
      p.model.setFile(LONG, text);
      continue;
    }
    if (answers(p, text) !== answers(project(text), text)) out.push(label);
  }
  return out;
}

test('a long file merged from its chunks answers as a fresh replay after each DDL edit', () => {
  assert.deepEqual(differing(), []);
});

test('taking the last merge without comparing the chunks\' parts fails the check', () => {
  mergePolicy.compareParts = false;
  try {
    assert.notDeepEqual(differing(), []);
  } finally {
    mergePolicy.compareParts = true;
  }
});
