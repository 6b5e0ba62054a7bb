// Fix-all takes the preferred fix of every diagnostic; an edit two fixes share (the `numeric` import
// each Drizzle money fix adds) is sent once instead of making the later fixes clash. Before, only
// the first float money column of a schema was fixed per fix-all.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import moneyFloatRule from '../../server/src/rules/money-float-type';
import { fixAllEdits } from '../../server/src/lsp/code-actions';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { initParser } from '../../server/src/sql/parser';
import { typeErrors } from '../drizzle/n-plus-one/harness';
import { lintTs } from '../lib/ts-rule-tester';

const SCHEMA = `import { bigint, doublePrecision, pgTable, real } from 'drizzle-orm/pg-core';
export const payouts = pgTable('payouts', { id: bigint('id', { mode: 'number' }).primaryKey(), amount: doublePrecision('amount') });
export const refunds = pgTable('refunds', { id: bigint('id', { mode: 'number' }).primaryKey(), amount: real('amount') });
export const fees = pgTable('fees', { id: bigint('id', { mode: 'number' }).primaryKey(), amount: doublePrecision('amount').notNull() });
`;

describe('fix-all with edits shared between fixes', () => {
  before(() => initParser());

  it('fixes every float money column of a Drizzle schema at once, importing numeric once', () => {
    const { findings, lines } = lintTs(moneyFloatRule, { code: SCHEMA });
    assert.equal(findings.length, 3);
    assert.ok(findings.every((f) => f.fixes?.[0].preferred), 'each money fix is preferred');
    const edits = fixAllEdits(findings.map((f) => toDiagnostic(lines, f)));
    assert.equal(edits.length, 4, 'one shared import and one edit per column');
    const fixed = TextDocument.applyEdits(TextDocument.create('file:///schema.ts', 'typescript', 1, SCHEMA), edits);
    assert.equal(fixed.split('\n')[0], "import { bigint, doublePrecision, pgTable, real, numeric } from 'drizzle-orm/pg-core';");
    assert.deepEqual(lintTs(moneyFloatRule, { code: fixed }).findings, [], fixed);
    assert.deepEqual(typeErrors({ 'fix-all-shared.ts': fixed }), []);
  });
});
