// Schema-wide rules on a Drizzle file after a keystroke: findings on the tables whose text did not
// change are reused (moved with them) and only the edited table is checked again, while the file's
// tables declare the same things as before (drizzle/file-rule-reuse.ts). Random edits (characters
// anywhere, and edits that change what a table declares) are linted both ways on a schema that
// trips every schema-wide rule, and the incremental result must equal a fresh lint. With the
// "same declarations" check switched off the comparison must fail: it can catch a wrong reuse.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forgetTypeScriptDocument, lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { fileRuleReuseStats, fileRuleReuseTesting, reusableRule } from '../../server/src/drizzle/file-rule-reuse';
import type { TsLintOutput } from '../../server/src/drizzle/lint';
import { resolveConfig } from '../../server/src/engine/config';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { seededRandom } from '../lib/seeded-random';

const config = resolveConfig();

/** A table per shape each schema-wide rule reports on: money, currency, idempotency, tenant, keys, references, lengths. */
function schema(count: number): string {
  const out = [
    "import { sql } from 'drizzle-orm';",
    "import { bigint, check, index, integer, numeric, pgTable, serial, text, uuid, varchar } from 'drizzle-orm/pg-core';",
    '',
  ];
  for (let i = 0; i < count; i++) {
    const ref = i > 0 ? `.references(() => payments${i - 1}.id)` : '';
    out.push(
      `export const payments${i} = pgTable('payments_${i}', {`,
      i % 3 === 0 ? "  id: integer('id').primaryKey()," : i % 3 === 1 ? "  id: uuid('id').primaryKey().defaultRandom()," : "  id: bigint('id', { mode: 'number' }).primaryKey(),",
      `  parentId: bigint('parent_id', { mode: 'number' })${ref},`,
      "  merchantId: bigint('merchant_id', { mode: 'number' }),",
      "  tenantId: bigint('tenant_id', { mode: 'number' }).notNull(),",
      "  amount: numeric('amount'),",
      "  currency: text('currency').notNull(),",
      "  idempotencyKey: text('idempotency_key'),",
      "  reference: varchar('reference', { length: 20 }),",
      i % 2 === 0 ? '}, (t) => [' : '});',
    );
    if (i % 2 === 0) out.push(`  index('payments_${i}_tenant_idx').on(t.tenantId),`, `  check('payments_${i}_amount_check', sql\`\${t.amount} > 0\`),`, ']);');
    out.push(`export const ledger${i} = pgTable('ledger_entries_${i}', {`, "  accountId: bigint('account_id', { mode: 'number' }),", "  amountMinor: bigint('amount_minor', { mode: 'number' }),", '});', '');
  }
  return out.join('\n');
}

/** Edits that change what a table declares (its columns, types, keys, references, indexes). */
const SWAPS: Array<[string, string]> = [
  ["numeric('amount')", "numeric('amount', { precision: 19, scale: 4 }).notNull()"],
  ["text('currency')", "text('currency_code')"],
  ["idempotencyKey: text('idempotency_key')", "idempotencyKey: text('idempotency_key').unique()"],
  ["integer('id').primaryKey()", "serial('id').primaryKey()"],
  ['.references(() => payments', '.references(() => ledger'],
  ["index('payments_0_tenant_idx').on(t.tenantId)", "index('payments_0_parent_idx').on(t.parentId)"],
  ["tenantId: bigint('tenant_id'", "shopId: bigint('shop_id'"],
  ["pgTable('ledger_entries_1'", "pgTable('ledger_entries_1').enableRLS(), x = pgTable('ledger_entries_1b'"],
  ["varchar('reference', { length: 20 })", "text('reference')"],
  ['primaryKey().defaultRandom()', 'defaultRandom()'],
];
const NOISE = [' ', '\n', ',', '(', ')', "'", 'a', '.', '{', '}', '/', '  '];

function randomEdit(text: string, random: () => number): string {
  const r = random();
  if (r < 0.3) {
    const present = SWAPS.flatMap(([a, b]) => [...(text.includes(a) ? [[a, b]] : []), ...(text.includes(b) ? [[b, a]] : [])]);
    if (present.length) {
      const [from, to] = present[Math.floor(random() * present.length)];
      return text.replace(from, to);
    }
  }
  // Mostly inside the tables: whitespace keeps what they declare, other characters may not.
  const at = Math.floor(random() * (text.length + 1));
  if (r < 0.85) return text.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)] + text.slice(at);
  return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 2));
}

const observed = (out: TsLintOutput) => JSON.parse(JSON.stringify(out.findings));

function freshLint(text: string): TsLintOutput {
  forgetTypeScriptDocument('file:///fresh/schema.ts');
  return lintTypeScriptDocument('file:///fresh/schema.ts', text, { config, model: new WorkspaceModel() });
}

/** Lints `steps` random edits both ways; returns the first step whose findings differ, or -1. */
function compare(seed: number, steps: number, onStep?: (incremental: TsLintOutput) => void): number {
  const random = seededRandom(seed);
  const uri = `file:///file-rule-reuse/${seed}/schema.ts`;
  const model = new WorkspaceModel();
  const base = schema(6);
  let text = base;
  lintTypeScriptDocument(uri, text, { config, model });
  try {
    for (let step = 0; step < steps; step++) {
      // Now and then back to the start: a quote or a slash in the wrong place can leave no table to check.
      text = step % 10 === 9 ? base : randomEdit(text, random);
      const incremental = lintTypeScriptDocument(uri, text, { config, model });
      onStep?.(incremental);
      try {
        assert.deepEqual(observed(incremental), observed(freshLint(text)));
      } catch {
        return step;
      }
    }
    return -1;
  } finally {
    forgetTypeScriptDocument(uri);
  }
}

describe('Drizzle schema-wide rules reused across keystrokes', () => {
  before(async () => {
    await initParser();
  });

  it('the schema trips every schema-wide rule that checks TypeScript', () => {
    const ids = new Set(freshLint(schema(6)).findings.map((f) => f.ruleId));
    const schemaWide = RULES.filter((r) => reusableRule(r) && r.meta.languages.includes('typescript')).map((r) => r.meta.id);
    assert.ok(schemaWide.length >= 9);
    assert.deepEqual(schemaWide.filter((id) => !ids.has(id)), []);
  });

  it('what a table declares is compared field by field: every field of a table and a column is known', () => {
    // A new field must join tableShape (file-rule-reuse.ts) and then this list.
    const tableFields = ['varName', 'name', 'schema', 'nameSpan', 'span', 'columns', 'foreignKeys', 'indexes', 'primaryKey', 'uniques', 'checks', 'policies', 'rlsEnabled', 'call', 'extra'];
    const columnFields = ['table', 'key', 'dbName', 'type', 'builder', 'mode', 'modeValueSpan', 'modeRemoval', 'tsType', 'customJsNumber', 'nameSpan', 'typeSpan', 'span', 'notNull', 'primaryKey', 'unique', 'defaultExpr', 'identity', 'generated', 'retype'];
    const tables = freshLint(schema(3)).analysis.tables;
    assert.ok(tables.length > 0);
    for (const t of tables) {
      assert.deepEqual(Object.keys(t).filter((k) => !tableFields.includes(k)), []);
      for (const c of t.columns) assert.deepEqual(Object.keys(c).filter((k) => !columnFields.includes(k)), []);
    }
  });

  for (const seed of [11, 12, 13, 14, 15]) {
    it(`random edits, seed ${seed}: incremental findings equal fresh ones`, () => {
      const reused = fileRuleReuseStats.reused;
      assert.equal(compare(seed, 50), -1);
      // The comparison would say nothing about the reuse if there was none.
      assert.ok(fileRuleReuseStats.reused > reused, 'findings were reused');
    });
  }

  it('reusing findings without comparing what the tables declare is caught', () => {
    fileRuleReuseTesting.ignoreShape = true;
    try {
      const failedAt = [11, 12, 13].map((seed) => compare(seed, 50));
      assert.ok(failedAt.some((step) => step >= 0), 'a wrong reuse made different findings');
    } finally {
      fileRuleReuseTesting.ignoreShape = false;
    }
  });

  it('a keystroke in one table of a big schema runs the schema-wide rules on that table only', () => {
    const uri = 'file:///file-rule-reuse/big.ts';
    const model = new WorkspaceModel();
    let text = schema(40);
    lintTypeScriptDocument(uri, text, { config, model });
    const at = text.indexOf("currency: text('currency')", text.indexOf("'payments_20'"));
    const before = { ...fileRuleReuseStats };
    text = text.slice(0, at) + ' ' + text.slice(at);
    const out = lintTypeScriptDocument(uri, text, { config, model });
    const rules = RULES.filter((r) => reusableRule(r) && r.meta.languages.includes('typescript')).length;
    assert.equal(fileRuleReuseStats.reused - before.reused, rules);
    assert.equal(fileRuleReuseStats.whole - before.whole, 0);
    assert.deepEqual(observed(out), observed(freshLint(text)));
    // A change to what a table declares runs every rule on the whole file again.
    text = text.replace("numeric('amount')", "numeric('amount', { precision: 19, scale: 4 })");
    const whole = fileRuleReuseStats.whole;
    const again = lintTypeScriptDocument(uri, text, { config, model });
    assert.equal(fileRuleReuseStats.whole - whole, rules);
    assert.deepEqual(observed(again), observed(freshLint(text)));
    forgetTypeScriptDocument(uri);
  });
});
