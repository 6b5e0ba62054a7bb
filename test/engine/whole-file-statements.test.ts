// The per-statement combination of file-rule findings with reused whole-file groups
// (engine/whole-file-statements.ts) is kept on the statement's memo: it must be made again when any
// part changes, and kept (the same object, which the language server's reuse relies on) otherwise.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { AnchoredFindings } from '../../server/src/engine/relative-findings';
import { lintRunsOf } from '../../server/src/engine/statement-findings';
import type { Finding } from '../../server/src/engine/types';
import { withWholeFile } from '../../server/src/engine/whole-file-statements';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';

before(async () => {
  await initParser();
});

function finding(ruleId: string, start: number, end: number): Finding {
  return { ruleId, messageId: 'm', message: ruleId, severity: 'warning', span: { start, end }, data: undefined, fixes: undefined };
}

test('the combined source is kept while its parts are the same objects, and made again when one changes', () => {
  const file = parseSqlFile('a.sql', 'SELECT 1;\nCREATE TABLE payouts (id bigint, merchant_id bigint);\n');
  const stmt = file.statements[1];
  const base = stmt.segment.start;
  const own = new AnchoredFindings([finding('b-rule', base + 13, base + 20)], base);
  const a = new AnchoredFindings([finding('a-rule', base, base + 5), finding('c-rule', base + 13, base + 20)], base);
  // The statement's groups: the same array from lint to lint while the same rules' groups are reused.
  const groups = [a];
  const first = withWholeFile(stmt, own, groups);
  assert.deepEqual(first.findings.at(base).map((f) => f.ruleId), ['a-rule', 'b-rule', 'c-rule']);
  assert.equal(withWholeFile(stmt, own, groups), first);
  // A new group (the rule ran again after a DDL edit) with the same source: made again.
  const settled = [new AnchoredFindings([finding('a-rule', base, base + 5)], base)];
  assert.deepEqual(withWholeFile(stmt, own, settled).findings.at(base).map((f) => f.ruleId), ['a-rule', 'b-rule']);
  // A new source with the same groups: made again too.
  assert.deepEqual(withWholeFile(stmt, undefined, settled).findings.at(base).map((f) => f.ruleId), ['a-rule']);
});

test('whole-file findings reaching past their statement are handed on apart, so the statement converts on its own', () => {
  const file = parseSqlFile('a.sql', 'CREATE TABLE payouts (id bigint, merchant_id bigint);\nSELECT 1;\n');
  const stmt = file.statements[0];
  const { start, end } = stmt.segment;
  const within = finding('a-rule', start, start + 5);
  // A fix adding a statement after this one (an index, a trigger) edits past its end.
  const past = { ...finding('b-rule', start, start + 5), fixes: [{ title: 'add', edits: [{ start: end + 1, end: end + 1, newText: 'x' }] }] };
  const combined = withWholeFile(stmt, undefined, [new AnchoredFindings([within], start), new AnchoredFindings([past], start)]);
  assert.deepEqual(combined.findings.at(start).map((f) => f.ruleId), ['a-rule']);
  assert.deepEqual(combined.outside?.at(start).map((f) => f.ruleId), ['b-rule']);
  // One rule's findings on the same span keep the order it reported them in: its group goes apart whole.
  const first = { ...past, messageId: 'first' };
  const second = { ...finding('b-rule', start, start + 5), messageId: 'second' };
  const together = withWholeFile(stmt, undefined, [new AnchoredFindings([first, second], start)]);
  assert.deepEqual(together.findings.at(start), []);
  assert.deepEqual(together.outside?.at(start).map((f) => f.messageId), ['first', 'second']);
});

const MIGRATION = [
  'CREATE TABLE payouts (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, amount numeric NOT NULL, currency text NOT NULL)',
  'SELECT id FROM payouts WHERE tenant_id = $1',
  'CREATE TABLE refunds (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, amount numeric NOT NULL)',
  'SELECT id FROM refunds WHERE tenant_id = $1',
].join(';\n') + ';\n';

test('a lint that runs the whole-file rules hands their findings on per statement, as the next lint reuses them', () => {
  const project = new Project(undefined);
  const typed = (text: string, after: string, insert: string) => text.replace(after, after + insert);
  const versions = [
    MIGRATION,
    // A query edit, then a DDL edit (the whole-file rules run again), then a query edit after it.
    typed(MIGRATION, 'SELECT id', ' '),
    typed(typed(MIGRATION, 'SELECT id', ' '), 'CREATE TABLE refunds', ' '),
    typed(typed(typed(MIGRATION, 'SELECT id', ' '), 'CREATE TABLE refunds', ' '), 'FROM refunds', ' '),
  ];
  const fresh = (text: string) => new Project(undefined).lint('m.sql', text).findings;
  let last: ReturnType<Project['lint']> | undefined;
  for (const [k, text] of versions.entries()) {
    const result = project.lint('m.sql', text);
    const runs = lintRunsOf(result)!;
    // Whole-file rules reporting in the CREATE TABLEs, fixes included (rls-missing-on-tenant-table's
    // fix adds statements after it: its findings go across statements either way).
    const wholeRules = new Set(['money-amount-unconstrained', 'currency-code-unconstrained']);
    assert.ok(result.findings.some((f) => wholeRules.has(f.ruleId)), 'no whole-file finding: the test proves nothing');
    // Not among the findings across statements: the lint that ran them (the first, the DDL edit) hands them per statement too.
    assert.deepEqual(runs.others.filter((f) => wholeRules.has(f.ruleId)), [], `version ${k}`);
    if (last && k !== 2) {
      // A query edit: the CREATE TABLEs' lists are the last lint's objects, not made again (the
      // first keystroke after a full lint or a DDL edit rebuilt every such statement's list).
      const before = lintRunsOf(last)!;
      for (const i of [0, 2]) assert.equal(runs.fileOwn[i], before.fileOwn[i], `version ${k}, statement ${i}`);
    }
    assert.deepEqual(result.findings, fresh(text), `version ${k}`);
    last = result;
  }
});

test('a DDL edit keeps the per-statement lists of the statements whose whole-file findings it left equal', () => {
  const project = new Project(undefined);
  const first = project.lint('m.sql', MIGRATION);
  void first.findings;
  const before = lintRunsOf(first)!;
  // A column typed into the refunds table: the payouts table and its findings stay as they were.
  const edited = MIGRATION.replace('amount numeric NOT NULL)', 'amount numeric NOT NULL, fee numeric)');
  const result = project.lint('m.sql', edited);
  const runs = lintRunsOf(result)!;
  assert.ok(result.findings.some((f) => f.ruleId === 'money-amount-unconstrained' && f.span.start < edited.indexOf(';')), 'no whole-file finding on payouts: the test proves nothing');
  // The payouts CREATE TABLE: its combined list is the last lint's object (the language server reuses its diagnostics).
  assert.equal(runs.fileOwn[0], before.fileOwn[0]);
  // The refunds CREATE TABLE, edited, is made again.
  assert.notEqual(runs.fileOwn[2], before.fileOwn[2]);
  assert.deepEqual(result.findings, new Project(undefined).lint('m.sql', edited).findings);
});
