// A run of one-shot lints (the CLI) keeps statement rules' visitors and file rules' contexts from one
// file to the next (engine/one-shot-rules.ts): every rule must report on each file exactly what it
// reports with visitors and contexts made for that file alone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { defineRule, type RuleDefinition } from '../../server/src/engine/rule';
import { RULES } from '../../server/src/rules';
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

const config = resolveConfig();

function lint(file: string, text: string, rules: readonly RuleDefinition[]) {
  const out = lintSqlFile({ file: parseSqlFile(file, text), config, rules, oneShot: true });
  return { findings: out.findings, ruleErrors: out.ruleErrors };
}

const meta = (id: string) => ({ id, severity: 'warning' as const, category: 'correctness' as const, description: id, messages: { m: 'm {{n}}' } }) as unknown as RuleDefinition['meta'];

describe('one-shot lints: visitors and contexts kept from file to file', () => {
  before(() => initParser());

  it('every rule reports on each file what visitors made for that file alone report', () => {
    const files = [...QUOTING.map((text, i) => ({ file: `quoting-${i}.sql`, text })), ...sqlFilesUnder(path.join(repo, 'examples')).map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }))];
    assert.ok(files.length > 40, 'the examples are there');
    // Twice over, so that each file is also linted after every other one.
    const rules = [...RULES];
    let compared = 0;
    for (const { file, text } of [...files, ...files]) {
      const kept = lint(file, text, rules);
      // A new rules array is a new rule plan: nothing kept from an earlier lint.
      const fresh = lint(file, text, [...RULES]);
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
