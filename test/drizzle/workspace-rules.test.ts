// Schema-wide rules on Drizzle documents in the language server's flow: the document's tables join
// the workspace model before the rules read it, so findings sit at this version's offsets, and what
// a SQL migration adds to the same table (an index built CONCURRENTLY, RLS) counts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';

const config = resolveConfig();
const rules = RULES.filter((r) => ['unindexed-foreign-key', 'rls-missing-on-tenant-table'].includes(r.meta.id));

const SCHEMA = `import { bigint, pgTable } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => payments.id, { onDelete: 'restrict' }),
});
export const refunds = pgTable('refunds', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  paymentId: bigint('payment_id', { mode: 'number' }).notNull().references(() => payments.id, { onDelete: 'restrict' }),
});
`;

describe('schema-wide rules on a Drizzle document in a workspace', () => {
  before(() => initParser());

  it('an index from a later SQL migration serves the Drizzle foreign key; findings move with edits', () => {
    const model = new WorkspaceModel();
    model.setFile('file:///ws/drizzle/0000_init.sql', 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL);\n', { order: 0, role: 'up' });
    model.setFile('file:///ws/drizzle/0001_idx.sql', 'CREATE INDEX CONCURRENTLY payments_account_id_idx ON payments (account_id);\n', { order: 1, role: 'up' });
    const uri = 'file:///ws/src/schema.ts';
    const spans = (text: string) =>
      lintTypeScriptDocument(uri, text, { config, model, rules })
        .findings.filter((f) => f.ruleId === 'unindexed-foreign-key')
        .map((f) => text.slice(f.span.start, f.span.end));
    assert.deepEqual(spans(SCHEMA), ["references(() => payments.id, { onDelete: 'restrict' })"]);
    const edited = `// a comment that shifts every offset\n${SCHEMA}`;
    const out = lintTypeScriptDocument(uri, edited, { config, model, rules }).findings.filter((f) => f.ruleId === 'unindexed-foreign-key');
    assert.equal(out.length, 1);
    assert.equal(edited.slice(out[0].span.start, out[0].span.end), "references(() => payments.id, { onDelete: 'restrict' })");
    assert.ok(out[0].span.start > edited.indexOf('paymentId'), 'the finding is on refunds.payment_id, at the edited offsets');
  });

  it('without the migration, both foreign keys are reported', () => {
    const model = new WorkspaceModel();
    const out = lintTypeScriptDocument('file:///ws2/src/schema.ts', SCHEMA, { config, model, rules });
    assert.equal(out.findings.filter((f) => f.ruleId === 'unindexed-foreign-key').length, 2);
  });
});
