// The per-statement combination of file-rule findings with reused whole-file groups
// (engine/whole-file-statements.ts) is kept on the statement's memo: it must be made again when any
// part changes, and kept (the same object, which the language server's reuse relies on) otherwise.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AnchoredFindings } from '../../server/src/engine/relative-findings';
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
