// The file rules whose findings the engine reuses (per statement, or for the whole file while its
// schema-changing statements are unchanged) must report what a fresh lint reports, after edits to
// queries, to the DDL they depend on, to line breaks (CRLF) and to statement boundaries.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { wholeFileStats } from '../../server/src/engine/whole-file-cache';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

const EARLIER = 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL, created_at timestamptz);\n';

const FILE = [
  'CREATE TABLE ledger_entries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, journal_id bigint NOT NULL, account_id bigint NOT NULL, amount_minor bigint NOT NULL)',
  'SELECT 1',
  'CREATE TABLE payouts (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), merchant_id int REFERENCES merchants (id), tenant_id bigint NOT NULL, code char(3), note varchar(40), created_at timestamptz)',
  "UPDATE payouts SET note = 'x' WHERE id = $1",
  'CREATE TABLE merchants (id integer PRIMARY KEY, name text)',
  'CREATE TABLE scratch (customer_id bigint, label text)',
  'SELECT * FROM payouts',
  'CREATE INDEX payouts_merchant_idx ON payouts (merchant_id)',
  'CREATE INDEX payouts_merchant_again_idx ON payouts (merchant_id)',
  'CREATE INDEX payouts_created_hash ON payouts USING hash (created_at)',
  'ALTER TABLE wallets DROP COLUMN created_at',
  'ALTER TABLE wallets RENAME COLUMN balance TO amount',
  'DELETE FROM scratch WHERE label IS NULL',
].join(';\n') + ';\n';

/** Rules the engine caches; each must report something on FILE, or the comparison proves little. */
const CACHED_RULES = [
  'no-primary-key', 'audit-trigger-missing', 'rls-missing-on-tenant-table', 'index-hygiene', 'double-entry-balance-unenforced',
  'ledger-append-only-not-enforced', 'random-uuid-primary-key', 'id-column-without-fk', 'prefer-bigint-keys',
  'text-type-choice', 'drop-column-or-table', 'rename-column-or-table', 'hash-index-misuse',
];

const SNIPPETS = [
  ' ', 'x', ';', '\r\n', '-- note\n', ' PRIMARY KEY', ' REFERENCES merchants (id)', ', tenant_id bigint', ' USING hash',
  'CREATE INDEX ON payouts (merchant_id);\n', 'ALTER TABLE payouts ENABLE ROW LEVEL SECURITY;\n', 'SELECT * FROM scratch;\n', "char(2)",
];

/** Copies of the rules are not marked for whole-file caching: the reference never reuses anything. */
const UNCACHED_RULES = RULES.map((r) => ({ ...r }));

function freshLint(text: string): string {
  const p = new Project(undefined, UNCACHED_RULES);
  p.lint('earlier.sql', EARLIER);
  return JSON.stringify(p.lint('edited.sql', text).findings);
}

test('the fixture triggers every cached rule', () => {
  const ids = new Set((JSON.parse(freshLint(FILE)) as Array<{ ruleId: string }>).map((f) => f.ruleId));
  for (const id of CACHED_RULES) assert.ok(ids.has(id), `${id} reports nothing on the fixture`);
});

for (const seed of [11, 29]) {
  test(`random edits (seed ${seed}): cached rules' findings equal a fresh lint after each`, () => {
    const random = rng(seed);
    let text = FILE;
    const project = new Project(undefined);
    project.lint('earlier.sql', EARLIER);
    project.lint('edited.sql', text);
    const reusedBefore = wholeFileStats.reused;
    for (let round = 0; round < 80; round++) {
      const file = project.model.sqlFile('edited.sql')!;
      const stmt = file.statements[Math.floor(random() * file.statements.length)];
      const at = stmt ? stmt.segment.start + Math.floor(random() * (stmt.segment.end - stmt.segment.start + 1)) : 0;
      const r = random();
      if (r < 0.25 && at < text.length) text = text.slice(0, at) + text.slice(at + 1);
      else if (r < 0.3 && stmt) text = text.slice(0, stmt.segment.start) + text.slice(stmt.segment.end); // a statement deleted (its ; stays)
      else text = text.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + text.slice(at);
      const incremental = JSON.stringify(project.lint('edited.sql', text).findings);
      assert.equal(incremental, freshLint(text), `round ${round}: edit at ${at}`);
      // A query edit right after reuses the whole-file rules' findings; checked against a fresh lint too.
      const query = text.indexOf('SELECT');
      if (query >= 0) {
        text = text.slice(0, query + 6) + ' ' + text.slice(query + 6);
        assert.equal(JSON.stringify(project.lint('edited.sql', text).findings), freshLint(text), `round ${round}: query edit after it`);
      }
    }
    assert.ok(wholeFileStats.reused > reusedBefore, 'whole-file findings were never reused');
  });
}

test('whitespace between a statement and its ; moves the fixes inserted after the ; (reused findings are not)', () => {
  const project = new Project(undefined);
  project.lint('earlier.sql', EARLIER);
  project.lint('edited.sql', FILE);
  const end = FILE.indexOf(';', FILE.indexOf('CREATE TABLE payouts'));
  const spaced = FILE.slice(0, end) + '  ' + FILE.slice(end);
  const findings = project.lint('edited.sql', spaced).findings;
  assert.equal(JSON.stringify(findings), freshLint(spaced));
  const audit = findings.find((f) => f.ruleId === 'audit-trigger-missing');
  assert.equal(audit?.fixes?.[0].edits[0].start, end + 3);
});

test('an edit that brings CRLF into the file re-runs rules whose fixes insert line breaks', () => {
  const project = new Project(undefined);
  project.lint('earlier.sql', EARLIER);
  project.lint('edited.sql', FILE);
  const crlf = FILE.replace('SELECT 1', 'SELECT 1\r\n');
  const findings = project.lint('edited.sql', crlf).findings;
  assert.equal(JSON.stringify(findings), freshLint(crlf));
  const audit = findings.find((f) => f.ruleId === 'audit-trigger-missing');
  assert.ok(audit?.fixes?.[0].edits[0].newText.includes('\r\n'));
});
