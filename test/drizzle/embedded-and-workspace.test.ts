// SQL inside TypeScript, files mid-edit, incremental re-checks, and a workspace where Drizzle
// schemas and SQL migrations build one model.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { lintTypeScriptFile } from '../../server/src/drizzle/lint';
import { lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { RULES } from '../../server/src/rules';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { applyEdits } from '../lib/rule-tester';
import { preferredEdits } from '../lib/ts-rule-tester';

const config = resolveConfig();
// The rules under test only: others added to the registry later must not change these expectations.
const TESTED = new Set(['not-in-subquery', 'unbounded-update-delete', 'syntax-error', 'money-float-type', 'timestamp-between']);
const rules = RULES.filter((r) => TESTED.has(r.meta.id));
const lint = (code: string, path = 'service.ts') => lintTypeScriptFile(path, code, { config, rules });
const at = (code: string, needle: string) => code.indexOf(needle);

const SERVICE = `import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

export const payments = pgTable('payments', { id: bigint('id', { mode: 'number' }).primaryKey(), status: text('status') });
const db = drizzle('');

export async function report(since: Date) {
  // 💸 unmatched payments
  await db.execute(sql\`SELECT p.id FROM payments p WHERE p.id NOT IN (SELECT payment_id FROM settlements) AND p.created_at > \${since}\`);
  await db.execute(sql\`UPDATE \${payments} SET status = 'void'\`);
  // ledgerlint-disable-next-line unbounded-update-delete
  await db.execute(sql\`DELETE FROM payments\`);
  await db.execute(sql\`SELEC id FROM payments\`);
  return sql\`\${payments.id} = \${1}\`;
}
`;

describe('SQL embedded in TypeScript', () => {
  before(() => initParser());

  it('runs the SQL rules and maps findings onto the template text (after an emoji, across interpolations)', () => {
    const { findings } = lint(SERVICE);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, SERVICE.slice(f.span.start, f.span.end)]),
      [
        ['not-in-subquery', 'p.id NOT IN (SELECT payment_id FROM settlements)'],
        ['unbounded-update-delete', "UPDATE ${payments} SET status = 'void'"],
        ['syntax-error', 'SELEC'],
      ],
    );
    const update = findings.find((f) => f.ruleId === 'unbounded-update-delete')!;
    assert.match(update.message, /UPDATE payments/, 'a table object becomes its name in the SQL');
  });

  it('maps SQL quick fixes into the template', () => {
    const notIn = lint(SERVICE).findings.filter((f) => f.ruleId === 'not-in-subquery');
    const fixed = applyEdits(SERVICE, preferredEdits(notIn));
    assert.ok(fixed.includes('sql`SELECT p.id FROM payments p WHERE NOT EXISTS (SELECT 1 FROM settlements WHERE payment_id = p.id) AND p.created_at > ${since}`'), fixed);
  });

  it('ignores SQL fragments and files that use neither drizzle-orm nor pg', () => {
    const fragmentOnly = `import { sql } from 'drizzle-orm';\nexport const f = sql\`amount > \${1} OR true\`;\n`;
    assert.deepEqual(lint(fragmentOnly).findings, []);
    const plain = `import { sql } from './not-drizzle';\nexport const q = sql\`UPDATE payments SET amount = 0\`;\n`;
    assert.deepEqual(lint(plain).findings, []);
  });

  it('keeps analysing a file with a TypeScript syntax error (mid-edit)', () => {
    const code = `import { doublePrecision, pgTable } from 'drizzle-orm/pg-core';
export const payouts = pgTable('payouts', {
  amount: doublePrecision('amount').notNull(),
  fee: doublePrecision('fee').
});
export function broken( {
`;
    const { findings } = lint(code, 'schema.ts');
    assert.deepEqual(findings.filter((f) => f.ruleId === 'money-float-type').map((f) => code.slice(f.span.start, f.span.end)), ["amount: doublePrecision('amount').notNull()", "fee: doublePrecision('fee')."]);
  });
});

describe('TypeScript documents', () => {
  before(() => initParser());

  it('an incremental re-check after edits gives the same findings as a fresh lint', () => {
    const uri = 'file:///ws/service.ts';
    let text = SERVICE;
    lintTypeScriptDocument(uri, text, { config, rules });
    for (const [needle, replacement] of [
      ["SET status = 'void'", "SET status = 'void' WHERE id = 1"],
      ['SELEC id', 'SELECT id'],
      ['// 💸 unmatched payments\n', ''],
    ]) {
      text = text.replace(needle, replacement);
      const incremental = lintTypeScriptDocument(uri, text, { config, rules });
      const fresh = lint(text);
      assert.deepEqual(incremental.findings, fresh.findings);
    }
    assert.deepEqual(lint(text).findings.map((f) => f.ruleId), ['not-in-subquery']);
  });
});

describe('a workspace with a Drizzle schema and SQL migrations', () => {
  before(() => initParser());
  const schemaTs = `import { bigint, index, pgTable, timestamp } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  capturedAt: timestamp('captured_at', { withTimezone: true }).notNull(),
}, (t) => [index('payments_captured_at_idx').on(t.capturedAt)]);
`;
  const migration = 'CREATE TABLE settlements (id bigint PRIMARY KEY, payment_id bigint NOT NULL, settled_at date NOT NULL);\n';

  function workspace() {
    const model = new WorkspaceModel();
    model.setFile('file:///ws/db/migrations/0001_settlements.sql', migration, { order: 0, role: 'up' });
    lintTypeScriptDocument('file:///ws/src/schema.ts', schemaTs, { config, model });
    return model;
  }

  it('joins both front-ends in one schema, with TypeScript source ranges', () => {
    const schema = workspace().schema();
    const payments = schema.table('payments')!;
    const settlements = schema.table('settlements')!;
    assert.equal(settlements.created?.file, 'file:///ws/db/migrations/0001_settlements.sql');
    assert.equal(payments.created?.file, 'file:///ws/src/schema.ts');
    const col = payments.columns.get('captured_at')!;
    assert.equal(col.type.name, 'timestamptz');
    assert.equal(schemaTs.slice(col.source.span.start, col.source.span.end), "capturedAt: timestamp('captured_at', { withTimezone: true }).notNull()");
    assert.deepEqual(payments.indexes.map((i) => i.columns), [['captured_at']]);
    assert.equal(schemaTs.slice(payments.nameSpan!.span.start, payments.nameSpan!.span.end), "'payments'");
  });

  it('SQL rules read Drizzle-declared column types, and TypeScript templates read migration-declared ones', () => {
    const schema = workspace().schema();
    const query = parseSqlFile('file:///ws/db/queries/q.sql', 'SELECT id FROM payments WHERE captured_at BETWEEN $1 AND $2;');
    const withSchema = lintSqlFile({ file: query, config, rules, schema }).findings.find((f) => f.ruleId === 'timestamp-between');
    assert.match(withSchema!.message, /declared timestamptz/);
    const service = `import { sql } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nexport const daily = (db: NodePgDatabase) => db.execute(sql\`SELECT id FROM settlements WHERE settled_at BETWEEN \${1} AND \${2}\`);\n`;
    const ts = lintTypeScriptFile('file:///ws/src/daily.ts', service, { config, rules, schema }).findings.map((f) => f.ruleId);
    // settled_at is a date in the migration: BETWEEN on dates is inclusive and correct, so nothing is reported;
    // without the workspace the name alone makes it look like a timestamp.
    assert.deepEqual(ts, []);
    const withoutSchema = lintTypeScriptFile('file:///ws/src/daily.ts', service, { config, rules }).findings.map((f) => f.ruleId);
    assert.deepEqual(withoutSchema, ['timestamp-between']);
  });
});
