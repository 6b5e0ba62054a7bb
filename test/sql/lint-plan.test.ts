// The budget for huge files: what part of a file is checked, and the notice for the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planLint, readLimits, skippedNotice, DEFAULT_LIMITS, SLICE_ABOVE_CHARS } from '../../server/src/lsp/lint-scheduler';

const stmts = (n: number) => Array.from({ length: n }, (_, i) => `SELECT ${i};`).join('\n') + '\n';

describe('large-file budget', () => {
  it('checks a file under the budget whole, without splitting a small one', () => {
    const text = stmts(10);
    const plan = planLint(text, { maxStatements: 20, maxFileSize: 1000 });
    assert.equal(plan.text, text);
    assert.equal(plan.skipped, undefined);
    assert.equal(plan.statements, undefined);
    assert.equal(skippedNotice(plan, 0), undefined);
  });

  it('cuts after maxStatements statements, at the start of the first skipped one', () => {
    const text = '-- header\n' + stmts(10);
    const plan = planLint(text, { maxStatements: 4, maxFileSize: 1e6 });
    assert.equal(plan.text, '-- header\nSELECT 0;\nSELECT 1;\nSELECT 2;\nSELECT 3;\n');
    assert.deepEqual(plan.skipped, { checked: 4, total: 10, checkedChars: plan.text.length, totalChars: text.length, reason: 'statements' });
    assert.deepEqual(plan.statements?.map((s) => [s.text, s.start]), [['SELECT 0', 10], ['SELECT 1', 20], ['SELECT 2', 30], ['SELECT 3', 40]]);
    const notice = skippedNotice(plan, 4)!;
    assert.equal(notice.severity, 3);
    assert.deepEqual(notice.range.start, { line: 0, character: 0 });
    assert.match(String(notice.message), /first 4 of 10 statements \(up to line 5\).*more than ledgerlint\.maxStatements \(4\)/);
  });

  it('cuts by size at a statement boundary, never inside a statement', () => {
    const text = stmts(100);
    const plan = planLint(text, { maxStatements: 1000, maxFileSize: 100 });
    assert.equal(plan.skipped?.reason, 'size');
    assert.ok(plan.text.length <= 100);
    assert.match(plan.text, /;\n$/);
    assert.equal(plan.skipped?.checked, plan.text.split(';').length - 1);
    assert.match(String(skippedNotice(plan, 3)!.message), /over ledgerlint\.maxFileSize/);
  });

  it('counts statements, not semicolons inside strings or bodies', () => {
    const text = `SELECT ';;;;;;';\nDO $$ BEGIN PERFORM 1; PERFORM 2; PERFORM 3; END $$;\n`;
    const plan = planLint(text, { maxStatements: 2, maxFileSize: 1e6 });
    assert.equal(plan.skipped, undefined);
    assert.equal(plan.text, text);
  });

  it('splits a big file under the budget so it can be parsed in slices', () => {
    const text = stmts(Math.ceil(SLICE_ABOVE_CHARS / 8));
    const plan = planLint(text, { maxStatements: 1e6, maxFileSize: 1e7 });
    assert.equal(plan.skipped, undefined);
    assert.equal(plan.statements?.length, Math.ceil(SLICE_ABOVE_CHARS / 8));
  });

  it('reads the settings, falling back on wrong shapes', () => {
    assert.deepEqual(readLimits({ maxStatements: 5000, maxFileSize: 1e6 }), { maxStatements: 5000, maxFileSize: 1e6 });
    assert.deepEqual(readLimits({ maxStatements: '5000', maxFileSize: -1 }), DEFAULT_LIMITS);
    assert.deepEqual(readLimits(null), DEFAULT_LIMITS);
  });
});
