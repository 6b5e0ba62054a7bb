// Whole-file cached rules declaring `byStatement` keep, after a DDL edit, the findings of the
// statements naming no changed table (engine/whole-file-by-statement.ts) and judge the others
// again. Whatever is kept, the findings after each edit must equal a fresh lint's: indexes built
// inside and outside transactions, constraints added NOT VALID and validated, column types
// changed around a SET timezone, partitioned tables, tables this file creates or drops.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import type { Finding } from '../../server/src/engine/types';
import { byStatementStats } from '../../server/src/engine/whole-file-by-statement';
import { checkpointPolicy } from '../../server/src/model/file-checkpoints';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { firstMismatchingEdit } from '../lib/random-ddl-edits';
// Required (not imported) so that the harness check can swap the function the engine calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fileRuleCache = require('../../server/src/engine/file-rule-cache') as typeof import('../../server/src/engine/file-rule-cache');

before(async () => {
  await initParser();
  checkpointPolicy.statements = 3;
});

const EARLIER = [
  'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint, amount numeric, status text, created_at timestamp)',
  'CREATE TABLE accounts (id bigint PRIMARY KEY, owner text)',
  'CREATE TABLE events (id bigint, at timestamp, account_id bigint) PARTITION BY RANGE (at)',
].join(';\n') + ';\n';

const MIGRATION = [
  'CREATE INDEX payments_account_idx ON payments (account_id)',
  'CREATE INDEX accounts_owner_idx ON accounts (owner)',
  'BEGIN',
  'CREATE INDEX CONCURRENTLY payments_status_idx ON payments (status)',
  'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)',
  "ALTER TABLE accounts ADD CONSTRAINT accounts_owner_check CHECK (owner <> '') NOT VALID",
  'ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_check',
  'COMMIT',
  'ALTER TABLE payments ALTER COLUMN amount TYPE numeric(19,4)',
  'ALTER TABLE payments ALTER COLUMN created_at TYPE timestamptz',
  "SET timezone = 'UTC'",
  'ALTER TABLE events ALTER COLUMN at TYPE timestamptz',
  'CREATE UNIQUE INDEX events_id_idx ON events (id)',
  'ALTER TABLE accounts ADD CONSTRAINT accounts_owner_key UNIQUE (owner)',
  'ALTER TABLE payments ADD COLUMN merchant_id bigint REFERENCES accounts (id)',
  'SELECT * FROM payments',
  'VACUUM FULL payments',
  'DROP INDEX accounts_owner_idx',
  'CREATE INDEX CONCURRENTLY accounts_owner2_idx ON accounts (owner)',
  'CREATE TABLE ledger (id bigint, at timestamp, PRIMARY KEY (id)) PARTITION BY RANGE (at)',
  'CREATE INDEX ledger_id_idx ON ledger (id)',
  'ALTER TABLE ledger ADD CONSTRAINT ledger_id_key UNIQUE (id)',
].join(';\n') + ';\n';

const SNIPPETS = [
  ' ', 'x', ';', '\n', ' CONCURRENTLY', ' UNIQUE', ' NOT VALID', ' IF NOT EXISTS', ', ADD COLUMN note text', ' date', ' text',
  'BEGIN;\n', 'COMMIT;\n', "SET timezone = 'Europe/Paris';\n", 'CREATE INDEX payments_amount_idx ON payments (amount);\n',
];

const IN_PLACE = [
  'CREATE TABLE accounts (id bigint PRIMARY KEY, owner text)', 'CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric)', 'DROP TABLE payments',
  'ALTER TABLE payments RENAME TO pays', 'CREATE INDEX payments_amount_idx ON payments (amount)', 'ALTER TABLE events ADD CONSTRAINT events_at_key UNIQUE (at)',
  'ALTER TABLE accounts ALTER COLUMN owner TYPE varchar(20)', 'SELECT 1', 'BEGIN', 'COMMIT', "SET timezone = 'UTC'",
  'CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (id)', "ALTER TABLE payments ADD CONSTRAINT payments_amount_check CHECK (amount > 0)",
];

const PATH = 'db/migrations/002_indexes.sql';
const BY_STATEMENT = new Set(RULES.filter((r) => r.scope === 'file' && r.byStatement).map((r) => r.meta.id));

type Layout = 'workspace' | 'lone';

function project(layout: Layout, text: string): Project {
  const p = new Project(undefined);
  if (layout === 'workspace') {
    p.model.setFile('db/migrations/001_tables.sql', EARLIER, { order: 0, role: 'plain' });
    p.model.setFile(PATH, text, { order: 1, role: 'plain' });
  }
  return p;
}

const start = (layout: Layout) => (layout === 'workspace' ? MIGRATION : EARLIER + MIGRATION);
const freshLint = (layout: Layout, text: string) => JSON.stringify(project(layout, text).lint(PATH, text).findings);

/** Random edits, mostly inside DDL, linted incrementally; the first whose findings differ from a fresh lint's. */
function firstMismatch(layout: Layout, seed: number, rounds: number): string | undefined {
  const text = start(layout);
  const p = project(layout, text);
  p.lint(PATH, text);
  const edits = { inPlace: IN_PLACE, snippets: SNIPPETS, ddlShare: 0.8, statementDeletes: 0 };
  return firstMismatchingEdit(seed, rounds, text, edits, () => p.model.sqlFile(PATH)!.statements, (edited) => JSON.stringify(p.lint(PATH, edited).findings) === freshLint(layout, edited));
}

test('the fixture has findings of the byStatement rules', () => {
  const ids = new Set((JSON.parse(freshLint('workspace', MIGRATION)) as Finding[]).map((f) => f.ruleId));
  for (const id of ['create-index-non-concurrently', 'concurrently-in-transaction', 'add-foreign-key-validating', 'add-check-validating', 'alter-column-type-rewrite', 'partition-key-not-in-unique', 'add-unique-pk-exclusion-directly', 'blocking-maintenance-ops']) {
    assert.ok(BY_STATEMENT.has(id), `${id} does not declare byStatement`);
    assert.ok(ids.has(id), `${id} reports nothing on the fixture`);
  }
});

for (const [layout, seed] of (process.env.LL_SEEDS ? process.env.LL_SEEDS.split(',').map((s) => [Number(s) % 2 ? 'lone' : 'workspace', Number(s)] as const) : ([['workspace', 3], ['workspace', 17], ['lone', 5], ['lone', 23]] as const))) {
  test(`random DDL edits (${layout}, seed ${seed}): findings equal a fresh lint after each, and findings were kept`, () => {
    const before = { ...byStatementStats };
    assert.equal(firstMismatch(layout, seed, 60), undefined);
    assert.ok(byStatementStats.partial > before.partial && byStatementStats.carried > before.carried, 'no findings were ever kept by statement');
  });
}

test('a DDL edit keeps the findings of statements naming other tables, as the same objects', () => {
  const text = start('workspace');
  const p = project('workspace', text);
  const ofRule = (fs: readonly Finding[]) => fs.filter((f) => f.ruleId === 'create-index-non-concurrently');
  const first = ofRule(p.lint(PATH, text).findings);
  assert.deepEqual(first.map((f) => text.slice(f.span.start, f.span.end)), ['CREATE INDEX payments_account_idx ON payments (account_id);', 'CREATE INDEX accounts_owner_idx ON accounts (owner);', 'CREATE UNIQUE INDEX events_id_idx ON events (id);'].map((s) => s.slice(0, -1)));
  // A column added to the accounts CHECK: the accounts table changes, payments does not.
  const at = text.indexOf("owner <> ''") + 'owner'.length;
  const edited = text.slice(0, at) + ' ' + text.slice(at);
  const next = ofRule(p.lint(PATH, edited).findings);
  assert.equal(JSON.stringify(next), JSON.stringify(ofRule(JSON.parse(freshLint('workspace', edited)))));
  // The payments index lies before the edit: its finding is the very object of the last lint.
  assert.equal(next[0], first[0]);
});

test('the harness catches kept findings that ignore what changed', () => {
  const real = fileRuleCache.tokenHoldsFor;
  (fileRuleCache as { tokenHoldsFor: typeof real }).tokenHoldsFor = (old, next) => !!old.tables && !!next.tables;
  try {
    const seeds = [3, 17].map((seed) => firstMismatch('workspace', seed, 60));
    assert.ok(seeds.some((m) => m !== undefined), 'a reuse that keeps every statement passed the harness');
  } finally {
    (fileRuleCache as { tokenHoldsFor: typeof real }).tokenHoldsFor = real;
  }
});
