// DDL edits re-lint incrementally: file rules' cached findings are kept for statements whose
// tables kept their shape and their DDL (engine/file-rule-cache.ts tokenHoldsFor), and the schema
// is replayed from a checkpoint inside the file. Whatever is kept, the findings after each edit
// must equal a fresh lint's: columns and constraints added, dropped and renamed in CREATE and
// ALTER, before and after the queries using the table, inside a transaction, DDL turned into a
// query and back. The harness is checked too: reuse that ignores table shapes must fail it.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { checkpointPolicy } from '../../server/src/model/file-checkpoints';
import { patchPolicy, patchStats } from '../../server/src/model/checkpoint-patch';
import type { SchemaModel } from '../../server/src/model/schema';
import { RULES } from '../../server/src/rules';
import { perTablePolicy } from '../../server/src/rules/lib/per-table-findings';
import { initParser } from '../../server/src/sql/parser';
import { firstMismatchingEdit } from '../lib/random-ddl-edits';
// Required (not imported) so that the harness check can swap the function the linter calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fileRuleCache = require('../../server/src/engine/file-rule-cache') as typeof import('../../server/src/engine/file-rule-cache');

before(async () => {
  await initParser();
  // A checkpoint every 3 statements: the fixture then replays from checkpoints inside the file as a long file does.
  checkpointPolicy.statements = 3;
  // Schema-wide rules' per-table reuse, which only long files take otherwise.
  perTablePolicy.minStatements = 0;
  perTablePolicy.reuse = true;
});

const EARLIER = 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL, currency text);\nCREATE TABLE merchants (id bigint PRIMARY KEY);\n';

const MIGRATION = [
  'CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, balance numeric, created_at timestamp)',
  "SELECT * FROM accounts WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'",
  "INSERT INTO accounts VALUES (1, 'a', 0, now())",
  'CREATE TABLE transfers (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, merchant_id bigint REFERENCES merchants, amount numeric, booked_on date)',
  "SELECT * FROM transfers WHERE booked_on BETWEEN '2024-01-01' AND '2024-01-31'",
  'ALTER TABLE accounts ADD COLUMN currency text',
  'ALTER TABLE accounts ALTER COLUMN owner SET NOT NULL',
  'BEGIN',
  'ALTER TABLE transfers ADD CONSTRAINT transfers_amount_check CHECK (amount > 0)',
  'ALTER TABLE transfers RENAME COLUMN booked_on TO booked_at',
  'COMMIT',
  'CREATE INDEX transfers_account_idx ON transfers (account_id)',
  'SELECT * FROM accounts a JOIN transfers t ON t.account_id = a.id',
  'ALTER TABLE wallets ADD COLUMN fee_minor integer NOT NULL',
  "SELECT * FROM wallets WHERE currency = 'EUR'",
  'ALTER TABLE wallets ALTER COLUMN currency SET NOT NULL',
  'ALTER TABLE accounts DROP COLUMN created_at',
  'CREATE TABLE ledger (LIKE accounts)',
  'SELECT * FROM ledger',
  'INSERT INTO transfers (account_id, amount) SELECT id, balance FROM accounts',
  "SELECT * FROM accounts WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'",
  'ALTER TABLE wallets RENAME COLUMN balance TO balance_minor',
  'ALTER TABLE wallets DROP COLUMN fee_minor',
].join(';\n') + ';\n';

const SNIPPETS = [
  ' ', 'x', ';', '\n', '-- note\n', 'BEGIN;\n', 'COMMIT;\n', ' NOT NULL', ' UNIQUE', ' CHECK (balance > 0)', ', note text', ', created_at timestamptz',
  ', ADD COLUMN paid_at timestamp', ', DROP COLUMN owner', ' date', ' timestamp',
  'ALTER TABLE accounts ADD COLUMN created_at date;\n', 'ALTER TABLE transfers DROP COLUMN amount;\n',
  "SELECT * FROM transfers WHERE booked_at BETWEEN '2024-01-01' AND '2024-01-31';\n",
  'CREATE TABLE accounts_archive (LIKE transfers);\n', 'ALTER TABLE accounts ADD CONSTRAINT accounts_owner_key UNIQUE (owner);\n',
];

const IN_PLACE = [
  'ALTER TABLE accounts ADD COLUMN created_at timestamptz', 'ALTER TABLE transfers DROP COLUMN amount', 'ALTER TABLE accounts RENAME COLUMN owner TO holder',
  'SELECT * FROM accounts', 'ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(19,4)', 'BEGIN', 'COMMIT', 'ALTER TABLE accounts RENAME TO accts',
  'CREATE TABLE accounts (id bigint PRIMARY KEY, created_at date)', 'DROP TABLE transfers', "SELECT * FROM ledger WHERE created_at BETWEEN '2024-01-01' AND '2024-02-01'",
  'ALTER TABLE transfers ADD CONSTRAINT transfers_fk FOREIGN KEY (account_id) REFERENCES accounts (id)', 'ALTER TABLE wallets ALTER COLUMN currency SET NOT NULL',
];

const PATH = 'db/migrations/002_accounts.sql';

/** The migration after another one (a workspace), or a lone file as the bench lints it. */
type Layout = 'workspace' | 'lone';

function project(layout: Layout, text: string): Project {
  const p = new Project(undefined);
  if (layout === 'workspace') {
    p.model.setFile('db/migrations/001_wallets.sql', EARLIER, { order: 0, role: 'plain' });
    p.model.setFile(PATH, text, { order: 1, role: 'plain' });
  }
  return p;
}

function start(layout: Layout): string {
  return layout === 'workspace' ? MIGRATION : EARLIER + MIGRATION;
}

function freshLint(layout: Layout, text: string): string {
  return JSON.stringify(project(layout, text).lint(PATH, text).findings);
}

/** The built schema with every table's content, spans included, in map order. */
function schemaShape(p: Project): string {
  const s: SchemaModel = p.model.schema();
  return JSON.stringify([...s.tables], (_k, v) => (v instanceof Map ? [...v] : v));
}

function sameAsFresh(layout: Layout, p: Project, text: string, compare: 'findings' | 'schema'): boolean {
  if (compare === 'findings') return JSON.stringify(p.lint(PATH, text).findings) === freshLint(layout, text);
  p.lint(PATH, text);
  const fresh = project(layout, text);
  fresh.lint(PATH, text);
  return schemaShape(p) === schemaShape(fresh);
}

/** Random edits linted incrementally; the first round whose findings (or schema) differ from a fresh lint's, if any. */
function firstMismatch(layout: Layout, seed: number, rounds: number, compare: 'findings' | 'schema' = 'findings'): string | undefined {
  const text = start(layout);
  const p = project(layout, text);
  p.lint(PATH, text);
  // Mostly inside DDL: that is what this file tests.
  const edits = { inPlace: IN_PLACE, snippets: SNIPPETS, ddlShare: 0.7, statementDeletes: 0.05 };
  return firstMismatchingEdit(seed, rounds, text, edits, () => p.model.sqlFile(PATH)!.statements, (edited) => sameAsFresh(layout, p, edited, compare));
}

test('the fixture has findings of the per-statement cached rules a DDL edit must re-check', () => {
  const ids = new Set((JSON.parse(freshLint('workspace', MIGRATION)) as Array<{ ruleId: string }>).map((f) => f.ruleId));
  for (const id of ['timestamp-between', 'implicit-columns', 'set-not-null-scan', 'add-column-required', 'rename-column-or-table', 'drop-column-or-table']) {
    assert.ok(ids.has(id), `${id} reports nothing on the fixture`);
  }
});

for (const [layout, seed] of [['workspace', 4], ['workspace', 11], ['lone', 7], ['lone', 29]] as const) {
  test(`random DDL edits (${layout}, seed ${seed}): findings equal a fresh lint after each`, () => {
    assert.equal(firstMismatch(layout, seed, 50), undefined);
  });
}

test('patched checkpoints: after random DDL edits the schema (spans included) equals a fresh replay, and patching happened', () => {
  const before = { ...patchStats };
  for (const [layout, seed] of [['workspace', 3], ['lone', 5], ['lone', 17]] as const) assert.equal(firstMismatch(layout, seed, 60, 'schema'), undefined, `${layout} seed ${seed}`);
  assert.ok(patchStats.patched >= before.patched + 8, `patched ${patchStats.patched - before.patched} times`);
  assert.ok(patchStats.replayed > before.replayed, 'no later statement was replayed onto a patched checkpoint');
});

/** Edits aimed at what per-table reuse must notice, in turn; the first whose findings differ from a fresh lint. */
const DIRECTED: Array<[string, (text: string) => string]> = [
  ['a column type in CREATE TABLE changes what BETWEEN on it means', (t) => t.replace('created_at timestamp)', 'created_at date)')],
  ['and back', (t) => t.replace('created_at date)', 'created_at timestamp)')],
  ['a column renamed in the CREATE TABLE a later SELECT * expands', (t) => t.replace('CREATE TABLE accounts (id bigint PRIMARY KEY, owner text', 'CREATE TABLE accounts (id bigint PRIMARY KEY, holder text')],
  ['a column added by ALTER before the uses', (t) => t.replace('ALTER TABLE accounts ADD COLUMN currency text', 'ALTER TABLE accounts ADD COLUMN currency text, ADD COLUMN region text')],
  ['the table created in this file before its ALTERs turned into a query', (t) => t.replace('CREATE TABLE accounts (id bigint PRIMARY KEY, holder text, balance numeric, created_at timestamp)', 'SELECT 1')],
  ['and back to the CREATE TABLE', (t) => t.replace('SELECT 1;', 'CREATE TABLE accounts (id bigint PRIMARY KEY, holder text, balance numeric, created_at timestamp);')],
  ['a CHECK dropped inside the transaction', (t) => t.replace('ALTER TABLE transfers ADD CONSTRAINT transfers_amount_check CHECK (amount > 0)', 'ALTER TABLE transfers DROP CONSTRAINT transfers_amount_check')],
  ['a column of the LIKE source renamed', (t) => t.replace('balance numeric, created_at', 'amount numeric, created_at')],
  ['the table renamed', (t) => t.replace('ALTER TABLE accounts DROP COLUMN created_at', 'ALTER TABLE accounts RENAME TO accts')],
  ['an edit in another table only', (t) => t.replace('amount numeric, booked_on date', 'amount numeric(19,4), booked_on date')],
];

function firstDirectedMismatch(layout: Layout): string | undefined {
  let text = start(layout);
  const p = project(layout, text);
  p.lint(PATH, text);
  for (const [what, edit] of DIRECTED) {
    const next = edit(text);
    assert.notEqual(next, text, `${what}: the edit changed nothing`);
    text = next;
    if (JSON.stringify(p.lint(PATH, text).findings) !== freshLint(layout, text)) return what;
  }
  return undefined;
}

test('directed DDL edits (column types, renames, ALTERs, CREATE into a query and back, LIKE): findings equal a fresh lint after each', () => {
  assert.equal(firstDirectedMismatch('workspace'), undefined);
  assert.equal(firstDirectedMismatch('lone'), undefined);
});

test('the harness catches reuse that ignores what changed: kept findings after any DDL edit fail it', () => {
  const real = fileRuleCache.tokenHoldsFor;
  (fileRuleCache as { tokenHoldsFor: typeof real }).tokenHoldsFor = (old, next) => !!old.tables && !!next.tables;
  try {
    assert.equal(firstDirectedMismatch('workspace'), 'a column type in CREATE TABLE changes what BETWEEN on it means');
  } finally {
    (fileRuleCache as { tokenHoldsFor: typeof real }).tokenHoldsFor = real;
  }
});

test('the harness catches a stale checkpoint: replaying from the last chunk whatever changed fails it', () => {
  const real = checkpointPolicy.firstChange;
  checkpointPolicy.firstChange = () => Infinity;
  try {
    // timestamp-between reads the file's CREATE TABLEs themselves: the rename is the first edit seen through the schema.
    assert.equal(firstDirectedMismatch('workspace'), 'a column renamed in the CREATE TABLE a later SELECT * expands');
  } finally {
    checkpointPolicy.firstChange = real;
  }
});

/** A file whose later chunks (3 statements each) hold only patchable DDL: a type edit in the first CREATE TABLE is patched through. */
const PATCHABLE_FILE = [
  'CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, created_at timestamp)',
  'SELECT 1',
  'SELECT 2',
  'CREATE TABLE merchants (id bigint PRIMARY KEY)',
  'ALTER TABLE accounts ADD COLUMN currency text',
  'SELECT 3',
  "SELECT * FROM accounts WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'",
  'CREATE TABLE ledger (LIKE accounts)',
  'CREATE INDEX ledger_owner_idx ON ledger (owner)',
  'ALTER TABLE merchants ADD COLUMN name text',
  "SELECT * FROM ledger WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'",
  'SELECT * FROM merchants',
].join(';\n') + ';\n';

/** Type edits in the first CREATE TABLE and back; the first whose findings or schema differ from a fresh lint's. */
function patchedEditMismatch(): string | undefined {
  let text = PATCHABLE_FILE;
  const p = project('lone', text);
  p.lint(PATH, text);
  for (const [from, to] of [['created_at timestamp)', 'created_at date)'], ['created_at date)', 'created_at timestamp)'], ['owner text,', 'holder text,']]) {
    text = text.replace(from, to);
    const patched = patchStats.patched;
    if (!sameAsFresh('lone', p, text, 'findings') || !sameAsFresh('lone', p, text, 'schema')) return to;
    assert.ok(patchStats.patched > patched, `${to}: later checkpoints were rebuilt, not patched`);
  }
  return undefined;
}

test('patched checkpoints: a type edit replays the later ALTER, LIKE and INDEX naming the table, and findings equal a fresh lint', () => {
  const replayed = patchStats.replayed;
  assert.equal(patchedEditMismatch(), undefined);
  assert.ok(patchStats.replayed >= replayed + 3, 'the later statements naming the edited tables were not replayed');
});

test('patched checkpoints: a CREATE TABLE mistyped (the table gone) and typed back equal a fresh lint, findings and schema', () => {
  let text = PATCHABLE_FILE;
  const p = project('lone', text);
  p.lint(PATH, text);
  const patched = patchStats.patched;
  for (const [from, to] of [['CREATE TABLE merchants', 'CREATE TABL merchants'], ['CREATE TABL merchants', 'CREATE TABLE merchants'], ['CREATE TABLE ledger', 'CREATE TABLE ledger x'], ['CREATE TABLE ledger x', 'CREATE TABLE ledger']]) {
    text = text.replace(from, to);
    assert.ok(sameAsFresh('lone', p, text, 'findings') && sameAsFresh('lone', p, text, 'schema'), to);
  }
  assert.ok(patchStats.patched > patched, 'the mistyped CREATE TABLE was not patched through');
});

test('the harness catches a patch that skips the later statements naming a changed table', () => {
  patchPolicy.replayNamed = false;
  try {
    assert.equal(patchedEditMismatch(), 'created_at date)');
  } finally {
    patchPolicy.replayNamed = true;
  }
});

test('schemaBefore inside a file with checkpoints equals a replay from the file start', () => {
  let text = start('lone');
  const p = project('lone', text);
  p.lint(PATH, text);
  text = text.replace('created_at timestamp)', 'created_at date)');
  p.lint(PATH, text);
  const fresh = project('lone', text);
  fresh.lint(PATH, text);
  checkpointPolicy.statements = 1e9;
  try {
    const count = fresh.model.sqlFile(PATH)!.statements.length;
    const plain = project('lone', text);
    plain.lint(PATH, text);
    for (let i = 0; i <= count; i++) {
      const a = p.model.schemaBefore(PATH, i);
      const b = plain.model.schemaBefore(PATH, i);
      assert.deepEqual([...a.tables.keys()], [...b.tables.keys()], `tables before statement ${i}`);
      for (const [key, t] of b.tables) assert.deepEqual(a.tables.get(key), t, `${key} before statement ${i}`);
    }
  } finally {
    checkpointPolicy.statements = 3;
  }
});

test('a query in a function body keeps its cached finding only while the tables it names keep their shape', () => {
  // tokenHoldsFor reads the names of a CREATE FUNCTION's body as well (it fails when it does not).
  const text = [
    'CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, created_at timestamp)',
    'SELECT 1',
    'SELECT 2',
    "CREATE FUNCTION month_accounts() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM * FROM accounts WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'; END $$",
    'SELECT 3',
  ].join(';\n') + ';\n';
  const p = project('workspace', text);
  const ids = (json: string) => (JSON.parse(json) as Array<{ ruleId: string }>).map((f) => f.ruleId);
  assert.ok(ids(JSON.stringify(p.lint(PATH, text).findings)).includes('timestamp-between'), 'the body has no timestamp-between finding');
  const dated = text.replace('created_at timestamp)', 'created_at date)');
  assert.equal(JSON.stringify(p.lint(PATH, dated).findings), freshLint('workspace', dated));
  assert.equal(JSON.stringify(p.lint(PATH, text).findings), freshLint('workspace', text), 'and back');
});

test('a query on a partition, or on a schema-qualified table named with or without its schema, is re-checked when that table changes', () => {
  // tokenHoldsFor judges statements by the names of the tables an edit changed: a partition is
  // changed with its parent, `ledger` finds app.ledger, and app.ledger_copy (LIKE app.ledger) changes
  // with app.ledger, its DDL unchanged (it fails when a table is known by its key alone).
  const text = [
    'CREATE TABLE events (id bigint, created_at timestamp) PARTITION BY RANGE (created_at)',
    'SELECT 1',
    'SELECT 2',
    "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    'SELECT 3',
    "SELECT * FROM events_2024 WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'",
    'CREATE SCHEMA app',
    'CREATE TABLE app.ledger (id bigint, booked_at timestamp)',
    "SELECT * FROM app.ledger WHERE booked_at BETWEEN '2024-01-01' AND '2024-01-31'",
    "SELECT * FROM ledger WHERE booked_at BETWEEN '2024-01-01' AND '2024-01-31'",
    // Changed by the edit of app.ledger with no DDL naming it changed: found by its shape, named without its schema.
    'CREATE TABLE app.ledger_copy (LIKE app.ledger)',
    'SELECT 4',
    "SELECT * FROM ledger_copy WHERE booked_at BETWEEN '2024-01-01' AND '2024-01-31'",
  ].join(';\n') + ';\n';
  const p = project('workspace', text);
  const between = (json: string) => (JSON.parse(json) as Array<{ ruleId: string }>).filter((f) => f.ruleId === 'timestamp-between').length;
  assert.equal(between(JSON.stringify(p.lint(PATH, text).findings)), 4, 'the fixture has four timestamp-between findings');
  let edited = text;
  for (const [from, to] of [['created_at timestamp)', 'created_at date)'], ['booked_at timestamp)', 'booked_at date)'], ['created_at date)', 'created_at timestamp)'], ['booked_at date)', 'booked_at timestamp)']]) {
    edited = edited.replace(from, to);
    assert.equal(JSON.stringify(p.lint(PATH, edited).findings), freshLint('workspace', edited), to);
  }
});
