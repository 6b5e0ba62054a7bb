// The shortcuts a DDL edit in a long file takes, each against a fresh lint of the same text:
// schema-wide rules re-judge only the tables the edit changed (rules/lib/per-table-findings.ts),
// and an edit that changes no table's effect (whitespace, a comment) keeps the old table objects
// at their new spans and the later checkpoints as they are (model/checkpoint-patch.ts). Each
// shortcut, broken on purpose, must fail these tests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { checkpointPolicy } from '../../server/src/model/file-checkpoints';
import { patchPolicy, patchStats } from '../../server/src/model/checkpoint-patch';
import { perTablePolicy, perTableStats } from '../../server/src/rules/lib/per-table-findings';
import { initParser } from '../../server/src/sql/parser';
import { watchMovedFindings } from '../../server/src/engine/relative-findings';
import type { Finding } from '../../server/src/engine/types';

const PATH = 'db/migrations/001_ledger.sql';
const EVERY = checkpointPolicy.statements;
const MIN = perTablePolicy.minStatements;
const REUSE = perTablePolicy.reuse;

before(async () => {
  await initParser();
  // A checkpoint every 3 statements and per-table reuse in short files: the fixture behaves like a long file.
  checkpointPolicy.statements = 3;
  perTablePolicy.minStatements = 0;
  perTablePolicy.reuse = true;
});

after(() => {
  checkpointPolicy.statements = EVERY;
  perTablePolicy.minStatements = MIN;
  perTablePolicy.reuse = REUSE;
});

// Findings of all five schema-wide rules: unindexed foreign keys, tenant tables without RLS,
// money columns, an idempotency key, a fee table without an audit trigger.
const FILE = [
  'CREATE TABLE merchants (id bigint PRIMARY KEY, name text)',
  'CREATE TABLE accounts (id bigint PRIMARY KEY, merchant_id bigint REFERENCES merchants, tenant_id bigint, balance numeric)',
  'SELECT 1',
  'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, tenant_id bigint, amount numeric, idempotency_key text)',
  'SELECT 2',
  'SELECT 3',
  'CREATE TABLE fee_schedules (id bigint PRIMARY KEY, merchant_id bigint REFERENCES merchants, fee_bps integer NOT NULL)',
  'ALTER TABLE payments ADD COLUMN fee_minor bigint',
  'SELECT * FROM payments',
  'CREATE INDEX payments_tenant_idx ON payments (tenant_id)',
  'SELECT 4',
  'ALTER TABLE fee_schedules ADD COLUMN amount numeric',
].join(';\n') + ';\n';

const FIVE = ['unindexed-foreign-key', 'rls-missing-on-tenant-table', 'money-amount-unconstrained', 'idempotency-key-not-unique', 'audit-trigger-missing'];

/** Every rule judging tables one by one (rules/lib/per-table-findings.ts): the five, and three without a finding here. */
const PER_TABLE = [...FIVE, 'currency-code-unconstrained', 'index-hygiene', 'random-uuid-primary-key'];

function project(text: string): Project {
  const p = new Project(undefined);
  p.model.setFile(PATH, text, { order: 0, role: 'plain' });
  return p;
}

function findings(p: Project, text: string): string {
  return JSON.stringify(p.lint(PATH, text).findings);
}

function schemaShape(p: Project): string {
  return JSON.stringify([...p.model.schema().tables], (_k, v) => (v instanceof Map ? [...v] : v));
}

/** Lints `text` in `p` and in a fresh project: findings and schema (spans included) must be equal. */
function sameAsFresh(p: Project, text: string, stats?: { reused: number; judged: number }): boolean {
  const before = { ...perTableStats };
  const mine = findings(p, text);
  if (stats) Object.assign(stats, { reused: perTableStats.reused - before.reused, judged: perTableStats.judged - before.judged });
  const fresh = project(text);
  return mine === findings(fresh, text) && schemaShape(p) === schemaShape(fresh);
}

const edits: Array<[string, string, string]> = [
  // The money findings of payments lie in its CREATE TABLE, whose text this does not change.
  ['payments.amount set NOT NULL by a later statement', 'SELECT 4', 'ALTER TABLE payments ALTER COLUMN amount SET NOT NULL'],
  ['a change to accounts', 'balance numeric)', 'balance numeric NOT NULL CHECK (balance >= 0))'],
  ['and back', 'balance numeric NOT NULL CHECK (balance >= 0))', 'balance numeric)'],
  ['a NOT NULL on accounts.tenant_id', 'tenant_id bigint, balance', 'tenant_id bigint NOT NULL, balance'],
  ['the referenced merchants changed', 'name text)', 'name text, tenant_id bigint)'],
];

test('the fixture has findings of the five schema-wide rules', () => {
  const ids = new Set((JSON.parse(findings(project(FILE), FILE)) as Array<{ ruleId: string }>).map((f) => f.ruleId));
  for (const id of FIVE) assert.ok(ids.has(id), `${id} reports nothing on the fixture`);
});

test('a change to one table re-judges it alone; the tables referencing it keep their findings, and all equal a fresh lint', () => {
  let text = FILE;
  const p = project(text);
  p.lint(PATH, text);
  for (const [what, from, to] of edits) {
    assert.ok(text.includes(from), what);
    text = text.replace(from, to);
    const stats = { reused: 0, judged: 0 };
    assert.ok(sameAsFresh(p, text, stats), what);
    // Tables before the edited one, and those after it that do not name it, are reused by every rule.
    assert.ok(stats.reused >= FIVE.length, `${what}: reused ${stats.reused}`);
    assert.ok(stats.judged < 3 * PER_TABLE.length, `${what}: judged ${stats.judged}`);
  }
});

test('reuse that recognises tables by name, not by identity, fails it', () => {
  perTablePolicy.byName = true;
  try {
    const p = project(FILE);
    p.lint(PATH, FILE);
    assert.equal(sameAsFresh(p, FILE.replace(edits[0][1], edits[0][2])), false);
  } finally {
    perTablePolicy.byName = false;
  }
});

/** The five rules' findings lying in the CREATE TABLE accounts statement of `text`. */
function inAccounts(text: string, all: readonly Finding[]): Finding[] {
  const start = text.indexOf('CREATE TABLE accounts');
  const end = text.indexOf(';', start);
  return all.filter((f) => FIVE.includes(f.ruleId) && f.span.start >= start && f.span.end <= end);
}

test('a table judged before is handed its findings of the last lint (the same objects) while its statement stays where it was; equal to a fresh lint', () => {
  let text = FILE;
  const p = project(text);
  const kept = inAccounts(text, p.lint(PATH, text).findings);
  assert.ok(kept.length >= 2, `accounts has ${kept.length} findings`);
  // A change to the last statement's table: accounts and its CREATE TABLE stay as they were.
  text = text.replace('ADD COLUMN amount numeric', 'ADD COLUMN amount numeric NOT NULL');
  const again = p.lint(PATH, text).findings;
  for (const f of kept) assert.ok(again.includes(f), `${f.ruleId}: made again`);
  assert.ok(sameAsFresh(p, text));
});

test('findings of tables judged before that an edit above moves are moved copies the language server is told of; equal to a fresh lint', () => {
  const moved = new Map<Finding, Finding>();
  watchMovedFindings((from, to) => moved.set(from, to));
  let text = FILE;
  const p = project(text);
  const kept = inAccounts(text, p.lint(PATH, text).findings);
  // A change to merchants, above accounts: accounts reads merchants only through its foreign key.
  text = text.replace('CREATE TABLE merchants (id bigint PRIMARY KEY, name text)', 'CREATE TABLE merchants (id bigint PRIMARY KEY, name text, code text)');
  const again = inAccounts(text, p.lint(PATH, text).findings);
  assert.equal(again.length, kept.length);
  const told = kept.map((f) => moved.get(f));
  assert.ok(told.some((f) => f !== undefined), 'no moved copy');
  for (const f of told) if (f) assert.ok(again.includes(f), `${f.ruleId}: moved copy not handed on`);
  assert.ok(sameAsFresh(p, text));
});

/** Edits inside DDL that change no table's effect: whitespace, comments, then restored. */
const NO_EFFECT: Array<[string, string]> = [
  ['CREATE TABLE accounts (id', 'CREATE TABLE accounts (  id'],
  ['merchant_id bigint REFERENCES merchants, tenant_id', 'merchant_id bigint /* owner */ REFERENCES merchants,\n  tenant_id'],
  ['ALTER TABLE payments ADD', 'ALTER  TABLE payments -- more\nADD'],
  ['CREATE TABLE accounts (  id', 'CREATE TABLE accounts (id'],
  ['ALTER  TABLE payments -- more\nADD', 'ALTER TABLE payments ADD'],
];

test('whitespace and comments inside DDL keep the tables (same objects, moved spans) and the later checkpoints; equal to a fresh lint', () => {
  let text = FILE;
  const p = project(text);
  p.lint(PATH, text);
  const accounts = p.model.schema().table('accounts');
  const payments = p.model.schema().table('payments');
  assert.ok(accounts && payments);
  for (const [from, to] of NO_EFFECT) {
    text = text.replace(from, to);
    const patched = patchStats.patched;
    const stats = { reused: 0, judged: 0 };
    assert.ok(sameAsFresh(p, text, stats), to);
    assert.ok(patchStats.patched > patched, `${to}: not patched`);
    assert.equal(p.model.schema().table('accounts'), accounts, `${to}: accounts is a new object`);
    assert.equal(p.model.schema().table('payments'), payments, `${to}: payments is a new object`);
    // Only tables with a report in the edited statement are judged again (its text changed).
    assert.ok(stats.judged <= FIVE.length, `${to}: judged ${stats.judged}`);
  }
});

test('kept tables left at their old spans fail it', () => {
  patchPolicy.moveSpans = false;
  try {
    const p = project(FILE);
    p.lint(PATH, FILE);
    assert.equal(sameAsFresh(p, FILE.replace(NO_EFFECT[0][0], NO_EFFECT[0][1])), false);
  } finally {
    patchPolicy.moveSpans = true;
  }
});

test('the patch path taken when nothing changed gives the same as keeping the later chunks', () => {
  patchPolicy.keepUnchanged = false;
  try {
    let text = FILE;
    const p = project(text);
    p.lint(PATH, text);
    for (const [from, to] of NO_EFFECT) {
      text = text.replace(from, to);
      assert.ok(sameAsFresh(p, text), to);
    }
  } finally {
    patchPolicy.keepUnchanged = true;
  }
});

test('a mistyped repeat of an ALTER in a later chunk patches the table as changed, not a replay of the whole file', () => {
  // The column's declaration moves back to the first ALTER (chunk 0) when the repeat in chunk 1
  // stops parsing: equal but for a span outside the edited chunk.
  const text = [
    'CREATE TABLE ledger (id bigint PRIMARY KEY)',
    'ALTER TABLE ledger ADD COLUMN fee_minor integer',
    'SELECT 1',
    'ALTER TABLE ledger ADD COLUMN fee_minor integer',
    'SELECT 2',
    'SELECT 3',
    'SELECT fee_minor FROM ledger',
    'ALTER TABLE ledger ADD COLUMN amount numeric',
  ].join(';\n') + ';\n';
  const p = project(text);
  p.lint(PATH, text);
  const mistyped = text.replace('SELECT 1;\nALTER TABLE', 'SELECT 1;\nALTER T ABLE');
  const before = { ...patchStats };
  assert.ok(sameAsFresh(p, mistyped));
  assert.equal(patchStats.refused, before.refused, 'patch refused: the whole file was replayed');
  assert.ok(patchStats.patched > before.patched);
  assert.ok(sameAsFresh(p, text), 'and back');
});
