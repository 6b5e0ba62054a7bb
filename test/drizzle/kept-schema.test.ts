// A keystroke in a Drizzle schema that leaves every table and enum declaring what it did (a space,
// a comment, a line break) keeps the workspace schema: the model moves the source refs of the last
// replay to the new spans instead of replaying the file (model/kept-contribution.ts). The refs are
// moved in the order the contribution handed them out, which contributionSpans must follow. And a
// table the keystroke moved completes (foreign keys, extra config) as it did (table-completion.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forgetTypeScriptDocument, lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { analyseTypeScript } from '../../server/src/drizzle/analysis';
import { contributionSpans, drizzleContribution } from '../../server/src/drizzle/model';
import type { DrizzleTable } from '../../server/src/drizzle/schema-types';
import { tableCompletionStats } from '../../server/src/drizzle/table-completion';
import { resolveConfig } from '../../server/src/engine/config';
import type { Span } from '../../server/src/engine/types';
import { emptyContribution } from '../../server/src/model/replay-context';
import { MutableSchema } from '../../server/src/model/schema-builder';
import type { SchemaModel } from '../../server/src/model/schema';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { initParser } from '../../server/src/sql/parser';

const config = resolveConfig();

// Every kind of thing a contribution hands a ref out for: enum values, keys on columns and on the
// table, unique columns and constraints, references, indexes (unique ones twice), checks, policies.
const SCHEMA = `import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, numeric, pgEnum, pgPolicy, pgTable, primaryKey, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';

export const status = pgEnum('payment_status', ['pending', 'settled']);

export const accounts = pgTable('accounts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  email: text('email').unique(),
});

export const payments = pgTable(
  'payments',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id),
    payerId: bigint('payer_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'set null' }),
    ref: text('ref').notNull(),
    amount: numeric('amount', { precision: 19, scale: 4 }).notNull(),
    state: status('state'),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.ref] }),
    unique('payments_ref_key').on(t.ref),
    foreignKey({ columns: [t.accountId], foreignColumns: [accounts.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.ref], foreignColumns: [accounts.email] }),
    index('payments_account_idx').on(t.accountId),
    uniqueIndex('payments_amount_key').on(t.amount),
    check('payments_amount_positive', sql\`\${t.amount} > 0\`),
    pgPolicy('payments_tenant', { for: 'all', using: sql\`true\` }),
  ],
);
`;

/** Every source ref of the schema's tables and enums, as comparable data. */
function sources(schema: SchemaModel): unknown {
  return JSON.parse(JSON.stringify({ tables: [...schema.tables.entries()], enums: [...schema.enums.entries()] }));
}

describe('Drizzle schema kept through a keystroke', () => {
  before(async () => {
    await initParser();
  });

  it('contributionSpans lists the spans in the order the contribution asks for refs', () => {
    const analysis = analyseTypeScript('file:///kept/order.ts', SCHEMA);
    const asked: Span[] = [];
    drizzleContribution(analysis.tables, analysis.scope.enumDecls.values())(new MutableSchema(), emptyContribution(), (span) => {
      asked.push(span);
      return { file: 'file:///kept/order.ts', span, order: Infinity };
    });
    assert.ok(asked.length > 20, `refs asked: ${asked.length}`);
    assert.deepEqual(contributionSpans(analysis.tables, analysis.scope.enumDecls.values()), asked);
  });

  it('a space or a line break in a table keeps the schema, with every ref where a fresh build puts it', () => {
    const uri = 'file:///kept/schema.ts';
    const model = new WorkspaceModel();
    let text = SCHEMA;
    lintTypeScriptDocument(uri, text, { config, model });
    const built = model.schema();
    const edits = ["  email: text('email')", 'export const payments', "    ref: text('ref')", "uniqueIndex('payments_amount_key')"];
    for (const [i, anchor] of edits.entries()) {
      const at = text.indexOf(anchor);
      text = text.slice(0, at) + (i % 2 ? '\n' : ' ') + text.slice(at);
      const kept = model.stats().schemaKept;
      const out = lintTypeScriptDocument(uri, text, { config, model });
      assert.equal(model.stats().schemaKept, kept + 1, `edit ${i} kept the schema`);
      assert.equal(model.schema(), built, 'the same schema object');
      assert.deepEqual(model.dependents(uri), [], 'no other file depends on a kept schema');
      assert.deepEqual(sources(model.schema()), freshSources(uri, text));
      forgetTypeScriptDocument('file:///kept/fresh-lint.ts');
      const fresh = lintTypeScriptDocument('file:///kept/fresh-lint.ts', text, { config, model: new WorkspaceModel() });
      assert.deepEqual(JSON.parse(JSON.stringify(out.findings)), JSON.parse(JSON.stringify(fresh.findings)));
    }
    forgetTypeScriptDocument(uri);
  });

  it('a table moved by a keystroke completes as before: its keys and extra config moved, the lazy edits on the new text', () => {
    const uri = 'file:///kept/completion.ts';
    let text = SCHEMA;
    const model = new WorkspaceModel();
    lintTypeScriptDocument(uri, text, { config, model });
    for (const [i, anchor] of ["  email: text('email')", '    amount: numeric', "uniqueIndex('payments_amount_key')"].entries()) {
      const at = text.indexOf(anchor);
      text = text.slice(0, at) + (i === 1 ? '\n' : '  ') + text.slice(at);
      const reused = tableCompletionStats.reused;
      const out = lintTypeScriptDocument(uri, text, { config, model });
      assert.ok(tableCompletionStats.reused > reused, `edit ${i}: a completion was reused`);
      forgetTypeScriptDocument('file:///kept/fresh-completion.ts');
      const fresh = lintTypeScriptDocument('file:///kept/fresh-completion.ts', text, { config, model: new WorkspaceModel() });
      assert.deepEqual(completed(out.analysis.tables), completed(fresh.analysis.tables), `edit ${i}`);
    }
    forgetTypeScriptDocument(uri);
  });

  it('a keystroke below a table hands out the same objects for its findings with fixes (imports added)', () => {
    const uri = 'file:///kept/same-findings.ts';
    const model = new WorkspaceModel();
    // Fixes on payouts write check(...) and sql`...`, which the file does not import: the fixes add the imports.
    const table = (name: string) => `export const ${name} = pgTable('${name}', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  amount: numeric('amount'),\n});\n`;
    const text = "import { bigint, numeric, pgTable } from 'drizzle-orm/pg-core';\n\n" + table('payouts') + table('refunds');
    const before = lintTypeScriptDocument(uri, text, { config, model });
    const at = text.indexOf("  amount: numeric('amount'),", text.indexOf('export const refunds'));
    const after = lintTypeScriptDocument(uri, text.slice(0, at) + ' ' + text.slice(at), { config, model });
    const above = (out: typeof before) => out.findings.filter((f) => f.fixes?.length && f.span.end < text.indexOf('export const refunds'));
    assert.ok(above(before).some((f) => f.fixes?.some((x) => x.edits.some((e) => e.newText.includes('check')))), 'a fix adding an import above the edit');
    assert.equal(above(after).length, above(before).length);
    above(after).forEach((f, i) => assert.equal(f, above(before)[i], `${f.ruleId} at ${f.span.start}`));
    forgetTypeScriptDocument(uri);
  });

  it('an edit that changes what a table declares replays the file', () => {
    const uri = 'file:///kept/changed.ts';
    const model = new WorkspaceModel();
    lintTypeScriptDocument(uri, SCHEMA, { config, model });
    model.schema();
    const { rebuilds, schemaKept } = model.stats();
    const text = SCHEMA.replace("text('ref').notNull()", "text('ref')");
    lintTypeScriptDocument(uri, text, { config, model });
    assert.equal(model.stats().rebuilds, rebuilds + 1);
    assert.equal(model.stats().schemaKept, schemaKept);
    assert.deepEqual(sources(model.schema()), freshSources(uri, text));
    forgetTypeScriptDocument(uri);
  });
});

/** A table's foreign keys (with the edits they make on request) and extra config, as comparable data. */
function completed(tables: readonly DrizzleTable[]): unknown {
  return JSON.parse(
    JSON.stringify(
      tables.map((t) => ({
        foreignKeys: t.foreignKeys.map((f) => ({ ...f, setOnDelete: undefined, restrict: f.setOnDelete('restrict'), cascade: f.setOnDelete('cascade') })),
        indexes: t.indexes,
        primaryKey: t.primaryKey,
        uniques: t.uniques,
        checks: t.checks,
        policies: t.policies,
        rlsEnabled: t.rlsEnabled,
        extra: t.extra && { form: t.extra.form, param: t.extra.param, start: t.extra.node.pos, end: t.extra.node.end },
      })),
    ),
  );
}

/** The sources of the schema a new model builds for `text` (its refs named as if the file were `uri`). */
function freshSources(uri: string, text: string): unknown {
  const other = uri.replace('file:///kept/', 'file:///kept-fresh/');
  forgetTypeScriptDocument(other);
  const model = new WorkspaceModel();
  lintTypeScriptDocument(other, text, { config, model });
  forgetTypeScriptDocument(other);
  return JSON.parse(JSON.stringify(sources(model.schema())).split(other).join(uri));
}
