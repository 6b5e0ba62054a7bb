// A run of one-shot lints (the CLI) keeps statement rules' visitors and file rules' contexts from one
// file to the next (engine/one-shot-rules.ts): every rule must report on each file exactly what it
// reports with visitors and contexts made for that file alone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile, type LintInput } from '../../server/src/engine/linter';
import { replayFile } from '../../server/src/model/replay';
import { MutableSchema } from '../../server/src/model/schema-builder';
import { defineRule, type RuleDefinition } from '../../server/src/engine/rule';
import { RULES } from '../../server/src/rules';
import { statementsWith } from '../../server/src/rules/lib/statements-with';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';

const repo = path.join(__dirname, '../../..');

function sqlFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

// Statements whose findings quote the file's text (a type as written, a value), each file with a
// different lead-in, so that visitors reading an earlier file's text would report other words or spans.
const QUOTING = [
  `SELECT amount::money FROM payments;\nALTER TABLE payments ALTER COLUMN amount TYPE integer;\n`,
  `-- a longer lead-in, so that every offset below differs from the file before\nUPDATE wallets SET balance = 100 WHERE id = 1;\nALTER TABLE events ALTER COLUMN payload TYPE json;\n`,
  `CREATE DOMAIN price AS money;\nALTER TABLE ledger_entries ALTER COLUMN posted_at TYPE timestamp;\nSELECT '2024-01-01'::timestamp;\n`,
  `CREATE FUNCTION pay(amount money) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE b numeric;\nBEGIN\n  SELECT balance INTO b FROM wallets WHERE id = 1;\n  UPDATE wallets SET balance = b - amount WHERE id = 1;\nEND $$;\n`,
  `UPDATE accounts SET balance = 5 WHERE id = 9;\nSELECT x::json, y::timestamp(0) FROM t;\n`,
];

// Migrations that leave state open at their end (a BEGIN without COMMIT, a SET, a new table with an
// index, a partitioned table, a policy, an enum value added in a transaction, a NOT VALID key),
// each followed by one whose findings that state would change: rules made once per run
// (`stateless`) must start each file afresh. Linted over CARRIED_SCHEMA, as migrations.
const CARRYING = [
  `BEGIN;\nALTER TYPE payment_status ADD VALUE 'held';\nSET lock_timeout = '3s';\nSET timezone = 'UTC';\nCREATE TABLE fresh_t (id integer PRIMARY KEY, merchant_id bigint, seen timestamp);\nCREATE INDEX fresh_idx ON fresh_t (id);\nSELECT id FROM fresh_t WHERE seen BETWEEN '2024-01-01' AND '2024-01-31';\n`,
  `CREATE INDEX CONCURRENTLY ledger_posted_idx ON ledger_entries (posted_at);\nCREATE INDEX ledger_idx ON ledger_entries (account_id);\nSELECT 'held'::payment_status;\nSELECT id FROM fresh_t WHERE seen BETWEEN '2024-01-01' AND '2024-01-31';\nALTER TABLE payments ADD CONSTRAINT amount_positive CHECK (amount_minor > 0);\nALTER TABLE payments ALTER COLUMN created_at TYPE timestamptz;\nDROP INDEX fresh_idx;\nBEGIN;\n`,
  `CREATE TABLE measurements (id bigint, taken date) PARTITION BY RANGE (taken);\nCREATE POLICY p ON accounts USING (true);\nALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nBEGIN;\n`,
  `ALTER TABLE measurements ADD PRIMARY KEY (id);\nALTER TABLE payments VALIDATE CONSTRAINT payments_account_fk;\nALTER TABLE payments ADD CONSTRAINT payments_ref_key UNIQUE (ref);\nUPDATE payments SET fee_minor = 0;\nCOMMIT;\n`,
];

const CARRIED_SCHEMA = `CREATE TYPE payment_status AS ENUM ('new', 'paid');
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint, amount_minor bigint, fee_minor bigint, ref text, note text, created_at timestamp);
CREATE TABLE ledger_entries (id bigint PRIMARY KEY, account_id bigint, posted_at timestamptz);
`;

/** What a migration is linted with: the schema before it (CARRIED_SCHEMA) and a migration's file info. */
function carriedInput(): Partial<LintInput> {
  const schema = new MutableSchema();
  replayFile(parseSqlFile('migrations/schema.sql', CARRIED_SCHEMA), schema, { order: 0 });
  return { schema, schemaBefore: () => schema, isExistingTable: (table) => schema.table(table) !== undefined, fileInfo: { role: 'up', migration: true, runnerWrapsTransaction: false } };
}

const config = resolveConfig();

function lint(file: string, text: string, rules: readonly RuleDefinition[], more: Partial<LintInput> = {}) {
  const out = lintSqlFile({ ...more, file: parseSqlFile(file, text), config, rules, oneShot: true });
  return { findings: out.findings, ruleErrors: out.ruleErrors };
}

const meta = (id: string) => ({ id, severity: 'warning' as const, category: 'correctness' as const, description: id, messages: { m: 'm {{n}}' } }) as unknown as RuleDefinition['meta'];

describe('one-shot lints: visitors and contexts kept from file to file', () => {
  before(() => initParser());

  it('every rule reports on each file what visitors made for that file alone report', () => {
    const carried = carriedInput();
    const files: Array<{ file: string; text: string; more?: Partial<LintInput> }> = [
      ...QUOTING.map((text, i) => ({ file: `quoting-${i}.sql`, text })),
      ...CARRYING.map((text, i) => ({ file: `migrations/000${i}_carrying.sql`, text, more: carried })),
      ...sqlFilesUnder(path.join(repo, 'examples')).map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })),
    ];
    assert.ok(files.length > 40, 'the examples are there');
    // Twice over, so that each file is also linted after every other one.
    const rules = [...RULES];
    let compared = 0;
    for (const { file, text, more } of [...files, ...files]) {
      const kept = lint(file, text, rules, more);
      // A new rules array is a new rule plan: nothing kept from an earlier lint.
      const fresh = lint(file, text, [...RULES], more);
      assert.deepEqual(kept, fresh, file);
      compared += fresh.findings.length;
    }
    assert.ok(compared > 200, `findings compared: ${compared}`);
    // The statements quoting their text are reported (the rules under test here).
    const quoted = new Set(QUOTING.flatMap((text, i) => lint(`quoting-${i}.sql`, text, [...RULES]).findings.map((f) => f.ruleId)));
    for (const id of ['money-type', 'money-int32-overflow', 'json-not-jsonb', 'timestamp-without-time-zone', 'balance-read-modify-write', 'time-type-pitfalls']) assert.ok(quoted.has(id), id);
  });

  it('makes statement rules once per run, and anew after a lint in which one threw', () => {
    let made = 0;
    const rule = defineRule({
      meta: meta('kept-visitors'),
      scope: 'statement',
      create(ctx) {
        made++;
        return {
          SelectStmt(ref, stmt) {
            if (ctx.text.slice(stmt.segment.start, stmt.segment.end).includes("boom")) throw new Error('boom');
            ctx.report({ messageId: 'm', span: { start: stmt.segment.start, end: stmt.segment.start + 6 }, data: { n: ctx.text.length } });
          },
        };
      },
    });
    const rules = [rule];
    const a = lint('a.sql', 'SELECT 1;\n', rules);
    const b = lint('b.sql', '\n\nSELECT 1;\nSELECT 2;\n', rules);
    assert.equal(made, 1);
    // The context reads each file's text.
    assert.deepEqual(
      a.findings.map((f) => [f.message, f.span.start]),
      [['m 10', 0]],
    );
    assert.deepEqual(
      b.findings.map((f) => [f.message, f.span.start]),
      [
        ['m 22', 2],
        ['m 22', 12],
      ],
    );
    assert.equal(lint('c.sql', "SELECT 'boom';\n", rules).ruleErrors.length, 1);
    assert.equal(made, 1);
    lint('d.sql', 'SELECT 3;\n', rules);
    assert.equal(made, 2, 'new visitors after the lint in which the rule threw');
    lint('e.sql', 'SELECT 4;\n', rules);
    assert.equal(made, 2);
  });

  it('makes file rules for each file, on contexts pointed at that file', () => {
    let made = 0;
    const rule = defineRule({
      meta: meta('file-contexts'),
      scope: 'file',
      create(ctx) {
        made++;
        let selects = 0;
        return {
          SelectStmt: () => void selects++,
          endFile: () => ctx.report({ messageId: 'm', span: { start: 0, end: 1 }, data: { n: `${ctx.file.path}:${selects}` } }),
        };
      },
    });
    const rules = [rule];
    assert.deepEqual(
      lint('a.sql', 'SELECT 1;\n', rules).findings.map((f) => f.message),
      ['m a.sql:1'],
    );
    assert.deepEqual(
      lint('b.sql', 'SELECT 1;\nSELECT 2;\n', rules).findings.map((f) => f.message),
      ['m b.sql:2'],
    );
    assert.equal(made, 2);
  });

  it('starts each file of a `stateless` file rule with its startFile hook, before the first statement', () => {
    let made = 0;
    const rule = defineRule({
      meta: meta('stateless-per-file-state'),
      scope: 'file',
      stateless: true,
      create(ctx) {
        made++;
        let selects = -1;
        return {
          startFile: () => void (selects = 0),
          SelectStmt: () => void selects++,
          endFile: () => ctx.report({ messageId: 'm', span: { start: 0, end: 1 }, data: { n: `${ctx.file.path}:${selects}` } }),
        };
      },
    });
    const rules = [rule];
    const messages = (file: string, text: string) => lint(file, text, rules).findings.map((f) => f.message);
    assert.deepEqual(messages('a.sql', 'SELECT 1;\n'), ['m a.sql:1']);
    assert.deepEqual(messages('b.sql', 'SELECT 1;\nSELECT 2;\n'), ['m b.sql:2']);
    assert.deepEqual(messages('c.sql', 'UPDATE t SET a = 1;\n'), ['m c.sql:0']);
    assert.equal(made, 1);
  });

  it('statementsWith visitors kept for a run see each statement of a file linted again', () => {
    const seen: number[] = [];
    const rule = defineRule({
      meta: meta('statements-with-again'),
      scope: 'file',
      stateless: true,
      create: () => statementsWith(['SelectStmt'], (stmt) => void seen.push(stmt.index)),
    });
    const file = parseSqlFile('again.sql', 'SELECT 1;\n');
    const rules = [rule];
    lintSqlFile({ file, config, rules, oneShot: true });
    lintSqlFile({ file, config, rules, oneShot: true });
    assert.deepEqual(seen, [0, 0]);
  });

  it('makes `stateless` file rules once per run, on a context pointed at each file, and anew after a throw', () => {
    let made = 0;
    const rule = defineRule({
      meta: meta('stateless-file-rule'),
      scope: 'file',
      stateless: true,
      create(ctx) {
        made++;
        return {
          SelectStmt(ref, stmt) {
            if (ctx.file.text.includes('boom')) throw new Error('boom');
            ctx.report({ messageId: 'm', span: { start: stmt.segment.start, end: stmt.segment.start + 1 }, data: { n: ctx.file.path } });
          },
        };
      },
    });
    const rules = [rule];
    assert.deepEqual(
      lint('a.sql', 'SELECT 1;\n', rules).findings.map((f) => f.message),
      ['m a.sql'],
    );
    assert.deepEqual(
      lint('b.sql', 'SELECT 1;\nSELECT 2;\n', rules).findings.map((f) => f.message),
      ['m b.sql', 'm b.sql'],
    );
    assert.equal(made, 1);
    assert.equal(lint('c.sql', "SELECT 'boom';\n", rules).ruleErrors.length, 1);
    lint('d.sql', 'SELECT 3;\n', rules);
    assert.equal(made, 2, 'new visitors after the lint in which the rule threw');
  });
});
