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
  assert.deepEqual(first.at(base).map((f) => f.ruleId), ['a-rule', 'b-rule', 'c-rule']);
  assert.equal(withWholeFile(stmt, own, groups), first);
  // A new group (the rule ran again after a DDL edit) with the same source: made again.
  const settled = [new AnchoredFindings([finding('a-rule', base, base + 5)], base)];
  assert.deepEqual(withWholeFile(stmt, own, settled).at(base).map((f) => f.ruleId), ['a-rule', 'b-rule']);
  // A new source with the same groups: made again too.
  assert.deepEqual(withWholeFile(stmt, undefined, settled).at(base).map((f) => f.ruleId), ['a-rule']);
});
