// Rules whose work is reused between lints (whole-file findings, facts kept per statement text)
// must report what a fresh lint reports, in a migration whose transactions, DDL, CHECKs and
// indexes are edited at random. The harness itself is checked: rules opted into a cache they do
// not qualify for must make it fail.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import type { RuleDefinition } from '../../server/src/engine/rule';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

const EARLIER = 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL, currency text, created_at timestamptz);\nCREATE TABLE merchants (id bigint PRIMARY KEY);\n';

// Statements repeated word for word share one parse entry: kept facts must not leak between them.
const REPEATED = 'ALTER TABLE wallets ADD COLUMN fee_minor integer NOT NULL';

const MIGRATION = [
  'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, amount numeric, currency text, idempotency_key text)',
  "UPDATE wallets SET currency = 'EUR'",
  REPEATED,
  'CREATE INDEX wallets_currency_idx ON wallets (currency)',
  'ALTER TABLE wallets ADD COLUMN ref uuid DEFAULT gen_random_uuid()',
  'BEGIN',
  'ALTER TABLE wallets ADD CONSTRAINT wallets_merchant_fk FOREIGN KEY (id) REFERENCES merchants (id)',
  "UPDATE wallets SET balance = 0 WHERE currency = 'EUR'",
  'ALTER TABLE wallets ALTER COLUMN balance TYPE numeric(20,2), ALTER COLUMN currency SET NOT NULL',
  'COMMIT',
  REPEATED,
  'CREATE TABLE refunds (id bigint PRIMARY KEY, payment_id bigint, refund_amount numeric(19,4) NOT NULL, currency_code char(3))',
  'ALTER TABLE wallets ADD CONSTRAINT wallets_currency_key UNIQUE (currency)',
  'SELECT id FROM payments WHERE merchant_id = 1',
  'VACUUM FULL wallets',
  'ALTER TABLE wallets DROP COLUMN created_at',
  'CREATE INDEX CONCURRENTLY wallets_balance_idx ON wallets (balance)',
  'BEGIN',
  'CREATE INDEX CONCURRENTLY wallets_ref_idx ON wallets (ref)',
  'COMMIT',
  'REINDEX TABLE wallets',
  'CREATE TABLE ledger_parts (id bigint, booked_on date, PRIMARY KEY (id)) PARTITION BY RANGE (booked_on)',
  "CREATE POLICY wallets_owner ON wallets USING (id = current_setting('app.wallet')::bigint)",
].join(';\n') + ';\n';

/** Rules that reuse work after this change; each must report something on MIGRATION. */
const CHANGED_RULES = [
  'idempotency-key-not-unique', 'money-amount-unconstrained', 'currency-code-unconstrained',
  'create-index-non-concurrently', 'add-column-required', 'add-column-table-rewrite', 'add-foreign-key-validating', 'alter-column-type-rewrite',
  'set-not-null-scan', 'add-unique-pk-exclusion-directly', 'blocking-maintenance-ops', 'drop-column-or-table',
  'backfill-in-schema-migration', 'concurrently-in-transaction', 'non-idempotent-ddl', 'partition-key-not-in-unique', 'rls-policy-defects',
  'missing-lock-timeout',
];

/** Rules that keep per-query work between lints; each must report at least twice on QUERIES. */
const QUERY_RULES = ['partial-index-opportunity', 'jsonb-containment-unindexed', 'date-bucket-session-timezone'];

const SNIPPETS = [
  ' ', 'x', ';', '\n', '-- note\n', 'BEGIN;\n', 'COMMIT;\n', ' CHECK (amount > 0)', ' NOT NULL', ' CHECK (currency ~ \'^[A-Z]{3}$\')',
  'CREATE UNIQUE INDEX ON payments (idempotency_key);\n', 'CREATE TABLE wallets_archive (id bigint, fee numeric);\n', REPEATED + ';\n',
  ', ADD COLUMN note text', "DELETE FROM wallets;\n", 'CREATE INDEX ON refunds (payment_id);\n', ' ',
  'ALTER TABLE wallets ADD CONSTRAINT wallets_cur_nn CHECK (currency IS NOT NULL);\n',
  "SET lock_timeout = '2s';\n", 'REINDEX TABLE wallets;\n', 'CREATE INDEX CONCURRENTLY ON wallets (currency);\n', "SET timezone = 'UTC';\n",
];

const IN_PLACE = ['BEGIN', 'COMMIT', 'SELECT 1', 'UPDATE wallets SET balance = 1', REPEATED, "SET lock_timeout = '1s'", 'VACUUM wallets', 'ALTER TABLE wallets ENABLE ROW LEVEL SECURITY'];

const PATH = 'db/migrations/002_payments.sql';

/** A file edited at random: where it lives (migration or query file), its text and what edits insert. */
interface Scenario {
  path: string;
  text: string;
  wraps: boolean;
  snippets: readonly string[];
  inPlace: readonly string[];
}

const migration = (wraps: boolean): Scenario => ({ path: PATH, text: MIGRATION, wraps, snippets: SNIPPETS, inPlace: IN_PLACE });

// Queries whose findings are worked out per statement text (the same query twice shares one entry).
const QUERIES = [
  'CREATE TABLE payouts (id bigint PRIMARY KEY, status text NOT NULL, metadata jsonb, created_at timestamptz NOT NULL, paid_on timestamp)',
  "SELECT id FROM payouts WHERE status = 'pending' ORDER BY created_at",
  "SELECT id FROM payouts WHERE metadata @> '{\"kind\": \"refund\"}'",
  "SELECT id FROM payouts WHERE status = 'pending' ORDER BY created_at",
  "UPDATE payouts SET status = 'sent' WHERE status = 'pending' AND metadata ? 'batch'",
  "SELECT id FROM payouts WHERE metadata @> '{\"kind\": \"refund\"}'",
  "SELECT count(*) FROM payouts GROUP BY date_trunc('day', created_at)",
  "SELECT count(*) FROM payouts GROUP BY date_trunc('day', created_at)",
  // implicit-columns' fix lists the columns in declared order; timestamp-between reads declared types.
  "INSERT INTO payouts VALUES (1, 'pending', '{}', now())",
  "SELECT id FROM payouts WHERE paid_on BETWEEN '2024-06-01' AND '2024-06-30'",
].join(';\n') + ';\n';

const queries: Scenario = {
  path: 'queries/payouts.sql',
  text: QUERIES,
  wraps: false,
  snippets: [
    ' ', 'x', ';', '\n', "CREATE INDEX ON payouts (created_at) WHERE status = 'pending';\n", 'CREATE INDEX ON payouts USING gin (metadata);\n',
    "SELECT 1 FROM payouts WHERE status = 'failed';\n", ' AND id > 10', ' json', "CREATE TABLE payouts_2024 (LIKE payouts);\n",
  ],
  inPlace: [
    "SELECT id FROM payouts WHERE status = 'pending'",
    // The same columns in another order, and a date column that becomes a timestamp.
    'CREATE TABLE payouts (status text NOT NULL, id bigint PRIMARY KEY, created_at timestamptz NOT NULL, metadata jsonb, paid_on timestamp)',
    'CREATE TABLE payouts (id bigint PRIMARY KEY, status text NOT NULL, metadata jsonb, created_at timestamptz NOT NULL, paid_on date)',
    'DROP INDEX payouts_status_idx', 'ALTER TABLE payouts ALTER COLUMN metadata TYPE json', 'ALTER TABLE payouts ALTER COLUMN created_at TYPE timestamp', 'SELECT 1'],
};

function project(rules: readonly RuleDefinition[], sc: Scenario, text: string): Project {
  const p = new Project(undefined, rules);
  p.model.setFile('db/migrations/001_wallets.sql', EARLIER, { order: 0, role: 'plain' });
  if (sc.path === PATH) p.model.setFile(PATH, text, { order: 1, role: 'plain', runnerWrapsTransaction: sc.wraps });
  return p;
}

function freshLint(rules: readonly RuleDefinition[], sc: Scenario, text: string): string {
  return JSON.stringify(project(rules, sc, text).lint(sc.path, text).findings);
}

/** Random edits linted incrementally; the first round whose findings differ from a fresh lint, if any. */
function firstMismatch(rules: readonly RuleDefinition[], seed: number, sc: Scenario, rounds: number): string | undefined {
  const random = rng(seed);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)];
  let text = sc.text;
  const p = project(rules, sc, text);
  p.lint(sc.path, text);
  for (let round = 0; round < rounds; round++) {
    const file = p.model.sqlFile(sc.path)!;
    const stmt = file.statements[Math.floor(random() * file.statements.length)];
    const at = stmt ? stmt.segment.start + Math.floor(random() * (stmt.segment.end - stmt.segment.start + 1)) : 0;
    const r = random();
    if (r < 0.2 && at < text.length) text = text.slice(0, at) + text.slice(at + 1);
    else if (r < 0.3 && stmt) text = text.slice(0, stmt.segment.start) + text.slice(stmt.segment.end);
    // A statement replaced in place: the statements around it keep their index, only their transaction or the DML changes.
    else if (r < 0.4 && stmt) text = text.slice(0, stmt.segment.start) + pick(sc.inPlace) + text.slice(stmt.segment.end);
    else text = text.slice(0, at) + pick(sc.snippets) + text.slice(at);
    if (JSON.stringify(p.lint(sc.path, text).findings) !== freshLint(rules, sc, text)) return `round ${round}, edit at ${at}`;
    // A query edit right after: the case where whole-file findings are reused.
    const query = text.indexOf('SELECT');
    if (query >= 0) {
      text = text.slice(0, query + 6) + ' ' + text.slice(query + 6);
      if (JSON.stringify(p.lint(sc.path, text).findings) !== freshLint(rules, sc, text)) return `round ${round}, query edit after it`;
    }
  }
  return undefined;
}

test('the migration fixture triggers every rule whose work is reused', () => {
  for (const wraps of [false, true]) {
    const ids = new Set((JSON.parse(freshLint(RULES, migration(wraps), MIGRATION)) as Array<{ ruleId: string }>).map((f) => f.ruleId));
    // Inside the runner's transaction nothing commits on its own: nothing to make idempotent.
    for (const id of CHANGED_RULES) if (!(wraps && id === 'non-idempotent-ddl')) assert.ok(ids.has(id), `${id} reports nothing on the fixture (runner wraps: ${wraps})`);
  }
  const ids = (JSON.parse(freshLint(RULES, queries, QUERIES)) as Array<{ ruleId: string }>).map((f) => f.ruleId);
  for (const id of QUERY_RULES) assert.ok(ids.filter((x) => x === id).length >= 2, `${id} reports less than twice on the query fixture`);
  for (const id of ['implicit-columns', 'timestamp-between']) assert.ok(ids.includes(id), `${id} reports nothing on the query fixture`);
});

for (const [seed, wraps] of [[3, false], [17, false], [5, true]] as const) {
  test(`random migration edits (seed ${seed}, runner wraps: ${wraps}): findings equal a fresh lint after each`, () => {
    assert.equal(firstMismatch(RULES, seed, migration(wraps), 60), undefined);
  });
}

for (const seed of [2, 23]) {
  test(`random query-file edits (seed ${seed}: indexes, column types, repeated queries): findings equal a fresh lint after each`, () => {
    assert.equal(firstMismatch(RULES, seed, queries, 60), undefined);
  });
}

test('an edit that moves a statement into a transaction, or adds the CHECK / index a rule looks for, changes the reused findings', () => {
  const p = project(RULES, migration(false), MIGRATION);
  const count = (text: string, id: string) => p.lint(PATH, text).findings.filter((f) => f.ruleId === id).length;
  assert.equal(count(MIGRATION, 'create-index-non-concurrently'), 1);
  const inBlock = MIGRATION.replace('CREATE INDEX wallets_currency_idx', 'BEGIN;\nCREATE INDEX wallets_currency_idx');
  assert.equal(p.lint(PATH, inBlock).findings.find((f) => f.ruleId === 'create-index-non-concurrently')?.messageId, 'blockingInTransaction');
  const money = count(MIGRATION, 'money-amount-unconstrained');
  assert.ok(count(MIGRATION.replace('amount numeric,', 'amount numeric(19,4) NOT NULL CHECK (amount > 0),'), 'money-amount-unconstrained') < money);
  const idem = count(MIGRATION, 'idempotency-key-not-unique');
  assert.ok(count(MIGRATION + 'CREATE UNIQUE INDEX payments_key ON payments (idempotency_key);\n', 'idempotency-key-not-unique') < idem);
  // SET NOT NULL after a validated CHECK (currency IS NOT NULL) needs no scan; a NOT VALID one is named.
  const proven = MIGRATION.replace('BEGIN;\n', "ALTER TABLE wallets ADD CONSTRAINT wallets_currency_nn CHECK (currency IS NOT NULL);\nBEGIN;\n");
  assert.equal(p.lint(PATH, MIGRATION).findings.find((f) => f.ruleId === 'set-not-null-scan')?.messageId, 'scan');
  assert.equal(count(proven, 'set-not-null-scan'), 0);
  assert.equal(p.lint(PATH, proven.replace('IS NOT NULL)', 'IS NOT NULL) NOT VALID')).findings.find((f) => f.ruleId === 'set-not-null-scan')?.messageId, 'notValidated');
  // BEGIN/COMMIT and SET statements are not DDL: whole-file findings must notice them all the same.
  const concurrently = count(MIGRATION, 'concurrently-in-transaction');
  assert.ok(concurrently > 0 && count(MIGRATION.replace('BEGIN;\nCREATE INDEX CONCURRENTLY', 'SELECT 4;\nCREATE INDEX CONCURRENTLY'), 'concurrently-in-transaction') < concurrently);
  assert.equal(count(MIGRATION, 'missing-lock-timeout'), 1);
  assert.equal(count("SET lock_timeout = '3s';\n" + MIGRATION, 'missing-lock-timeout'), 0);
  assert.equal(count(MIGRATION.replace('REINDEX TABLE wallets', 'VACUUM wallets'), 'blocking-maintenance-ops'), count(MIGRATION, 'blocking-maintenance-ops') - 1);
  // A column added to a table this file creates first is no rewrite of existing rows.
  const created = 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL, currency text);\n' + MIGRATION;
  assert.ok(count(MIGRATION, 'add-column-required') > 0 && count(MIGRATION, 'add-column-table-rewrite') > 0);
  assert.equal(count(created, 'add-column-required') + count(created, 'add-column-table-rewrite'), 0);
  const currency = count(MIGRATION, 'currency-code-unconstrained');
  assert.ok(count(MIGRATION.replace('currency text, idem', "currency text CHECK (currency ~ '^[A-Z]{3}$'), idem"), 'currency-code-unconstrained') < currency);
});

/** Edits aimed at what the caches must notice, applied in turn; the first whose findings differ from a fresh lint. */
const DIRECTED: Array<[string, (text: string) => string]> = [
  ['a statement before CREATE INDEX becomes BEGIN in place', (t) => t.replace("UPDATE wallets SET currency = 'EUR'", 'BEGIN')],
  ['the BEGIN goes back to a query', (t) => t.replace('BEGIN;\nALTER TABLE wallets ADD COLUMN fee_minor', 'SELECT 2;\nALTER TABLE wallets ADD COLUMN fee_minor')],
  ['a COMMIT becomes a query in place', (t) => t.replace('COMMIT', 'SELECT 3')],
  ['a whole-table UPDATE gets a WHERE', (t) => t.replace("UPDATE wallets SET balance = 0 WHERE currency = 'EUR'", 'UPDATE wallets SET balance = 0')],
  ['a CHECK on the amount', (t) => t.replace('amount numeric,', 'amount numeric CHECK (amount > 0),')],
  ['a unique index on the idempotency key', (t) => t.replace('SELECT id FROM payments', 'CREATE UNIQUE INDEX payments_key ON payments (idempotency_key);\nSELECT id FROM payments')],
  ['the repeated ALTER edited once', (t) => t.replace('fee_minor integer NOT NULL;', 'fee_minor  integer NOT NULL;')],
  ['a validated CHECK proving currency non-null before SET NOT NULL', (t) => t.replace('ALTER TABLE wallets ADD CONSTRAINT wallets_merchant_fk', 'ALTER TABLE wallets ADD CONSTRAINT wallets_currency_nn CHECK (currency IS NOT NULL);\nALTER TABLE wallets ADD CONSTRAINT wallets_merchant_fk')],
  ['the CHECK made NOT VALID', (t) => t.replace('CHECK (currency IS NOT NULL);', 'CHECK (currency IS NOT NULL) NOT VALID;')],
  ['SET lock_timeout at the top', (t) => "SET lock_timeout = '3s';\n" + t],
  ['SET lock_timeout turned off', (t) => t.replace("lock_timeout = '3s'", 'lock_timeout = 0')],
  ['the CONCURRENTLY index taken out of its transaction', (t) => t.replace('BEGIN;\nCREATE INDEX CONCURRENTLY', 'SELECT 4;\nCREATE INDEX CONCURRENTLY')],
  ['REINDEX becomes a plain VACUUM in place', (t) => t.replace('REINDEX TABLE wallets', 'VACUUM wallets')],
  ['SET timezone to UTC before a timestamp becomes timestamptz', (t) => t.replace('UPDATE wallets SET balance = 0;', "SET timezone = 'UTC';\nALTER TABLE wallets ADD COLUMN paid_at timestamp;\nALTER TABLE wallets ALTER COLUMN paid_at TYPE timestamptz;")],
  ['the SET timezone becomes a query in place', (t) => t.replace("SET timezone = 'UTC';", 'SELECT 5;')],
  ['wallets created in this file before the ALTERs', (t) => t.replace('CREATE TABLE payments (', 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL, currency text);\nCREATE TABLE payments (')],
];

function firstDirectedMismatch(rules: readonly RuleDefinition[], wraps: boolean): string | undefined {
  const sc = migration(wraps);
  let text = MIGRATION;
  const p = project(rules, sc, text);
  p.lint(PATH, text);
  for (const [what, edit] of DIRECTED) {
    const next = edit(text);
    assert.notEqual(next, text, `${what}: the edit changed nothing`);
    text = next;
    if (JSON.stringify(p.lint(PATH, text).findings) !== freshLint(rules, sc, text)) return what;
  }
  return undefined;
}

test('directed edits (transactions, DML, CHECK, unique index, repeated statements): findings equal a fresh lint after each', () => {
  assert.equal(firstDirectedMismatch(RULES, false), undefined);
  assert.equal(firstDirectedMismatch(RULES, true), undefined);
});

/** A copy of the rule opted into a cache it does not qualify for. */
function miscached(id: string, cache: 'file' | 'statement'): readonly RuleDefinition[] {
  return RULES.map((r) => (r.meta.id === id && r.scope === 'file' ? { ...r, cache } : r));
}

test('the harness catches a wrong cache: a transaction-dependent rule reused per statement or for the whole file', () => {
  // The per-statement key covers no BEGIN/COMMIT around the statement; the whole-file key covers
  // them (and SETs), but not the queries backfill-in-schema-migration reads.
  assert.equal(firstDirectedMismatch(miscached('create-index-non-concurrently', 'statement'), false), 'a statement before CREATE INDEX becomes BEGIN in place');
  assert.equal(firstDirectedMismatch(miscached('backfill-in-schema-migration', 'file'), false), 'a whole-table UPDATE gets a WHERE');
});

test("reordering a CREATE TABLE's columns or retyping one changes what cached query rules report, as a fresh lint does", () => {
  const p = project(RULES, queries, QUERIES);
  const fixOf = (text: string) => p.lint(queries.path, text).findings.find((f) => f.ruleId === 'implicit-columns')?.fixes?.[0]?.edits.map((e) => e.newText).join('|');
  const between = (text: string) => p.lint(queries.path, text).findings.filter((f) => f.ruleId === 'timestamp-between').length;
  const before = fixOf(QUERIES);
  assert.ok(before?.includes('id, status, metadata, created_at'), before);
  const reordered = QUERIES.replace('id bigint PRIMARY KEY, status text NOT NULL, metadata jsonb, created_at timestamptz NOT NULL', 'status text NOT NULL, id bigint PRIMARY KEY, created_at timestamptz NOT NULL, metadata jsonb');
  assert.ok(fixOf(reordered)?.includes('status, id, created_at, metadata'));
  assert.equal(JSON.stringify(p.lint(queries.path, reordered).findings), freshLint(RULES, queries, reordered));
  assert.equal(between(reordered), 1);
  const dated = reordered.replace('paid_on timestamp', 'paid_on date');
  assert.equal(between(dated), 0);
  assert.equal(JSON.stringify(p.lint(queries.path, dated).findings), freshLint(RULES, queries, dated));
});

test('whole-file reuse of a fix written after the statement: typing the missing `;` at the end of the file gives the fresh fix', () => {
  // The VALIDATE goes after the `;`, or after `;\n` written by the fix when the last statement has none.
  for (const text of [MIGRATION + 'ALTER TABLE wallets ADD CONSTRAINT wallets_ref_fk FOREIGN KEY (ref) REFERENCES merchants (id)', MIGRATION + 'ALTER TABLE wallets ADD CONSTRAINT wallets_fee_check CHECK (fee_minor >= 0)']) {
    const sc = migration(false);
    const p = project(RULES, sc, text);
    const fixOf = (findings: Array<{ ruleId: string; fixes?: Array<{ edits: Array<{ start: number; newText: string }> }> }>) =>
      JSON.stringify(findings.filter((f) => f.ruleId.endsWith('-validating')).map((f) => f.fixes?.[0]?.edits));
    const before = p.lint(sc.path, text).findings;
    assert.match(fixOf(before), /;\\nALTER TABLE wallets VALIDATE CONSTRAINT/);
    for (const next of [text + ';', text + ';\n', text]) {
      assert.equal(JSON.stringify(p.lint(sc.path, next).findings), freshLint(RULES, sc, next), JSON.stringify(next.slice(-12)));
    }
  }
});
