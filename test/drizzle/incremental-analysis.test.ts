// Keystrokes in a Drizzle file re-use what did not change: the syntax tree (incremental re-parse),
// each top-level statement's node list, each pgTable's extraction and its statement-rule findings
// (moved with the table). Random edits (characters anywhere, names the cached tables depend on:
// enum, customType, pgSchema, creator, imports, casing, referenced tables) are linted both ways, and
// the incremental result must equal a fresh one: findings with their fixes, the tables, and the edits
// columns and references make lazily (retype, setOnDelete) on the current text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import ts from 'typescript';
import { forgetTypeScriptDocument, lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { declRuleStats } from '../../server/src/drizzle/decl-rules';
import { tableCacheStats } from '../../server/src/drizzle/table-cache';
import type { TsLintOutput } from '../../server/src/drizzle/lint';
import { resolveConfig } from '../../server/src/engine/config';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { initParser } from '../../server/src/sql/parser';
import { seededRandom } from '../lib/seeded-random';

const FIXTURE = path.resolve(__dirname, '../../../test/drizzle/fixtures/incremental/schema.ts');
const BASE = fs.readFileSync(FIXTURE, 'utf8');
const config = resolveConfig();

/** Edits that change what cached tables depend on without touching them, and edits inside them. */
const SWAPS: Array<[string, string]> = [
  ["pgEnum('payment_status'", "pgEnum('pay_state'"],
  ["'pending', 'settled'", "'pending', 'settled', 'failed'"],
  ["dataType: () => 'numeric(19, 4)'", "dataType: () => 'float8'"],
  ['Number(value)', 'value'],
  ["pgSchema('billing')", "pgSchema('ledger')"],
  ['`app_${name}`', '`v2_${name}`'],
  ['bigint, check,', 'check,'],
  ['import { bigint,', 'import { bigint as int8, bigint,'],
  ["drizzle(process.env.DATABASE_URL ?? '')", "drizzle(process.env.DATABASE_URL ?? '', { casing: 'snake_case' })"],
  ["createdAt: timestamp('created_at')", 'createdAt: timestamp()'],
  ["pgTable('accounts'", "pgTable('wallets'"],
  ["id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),", "id: bigint('account_no', { mode: 'number' }).primaryKey(),"],
  ['export const accounts', 'export const wallets'],
  ["onDelete: 'cascade'", "onDelete: 'restrict'"],
  ["doublePrecision('balance')", "numeric('balance')"],
  ['amount: amountColumn(),', "amount: numeric('amount'),"],
  ['const amountColumn = () => numeric', 'const amountColumn = () => doublePrecision'],
  ['.enableRLS()', ''],
  ["export const payments = pgTable(", "export const other = pgTable('other', { id: integer('id') });\nexport const payments = pgTable("],
  ['(t) => [index(', '(t) => [uniqueIndex('],
  ["real('fee')", "real('fee'), // ledgerlint-disable-line money-float-type"],
];
const NOISE = [' ', '\n', ',', '(', ')', "'", 'a', '.', '{', '}', '`', '/'];

/** What a lint says, as comparable data: findings (spans, messages, fixes), tables, and lazily made edits. */
function observed(out: TsLintOutput): unknown {
  const tables = out.analysis.tables.map((t) => ({
    ...t,
    call: undefined,
    extra: t.extra?.form,
    columns: t.columns.map((c) => ({ ...c, retype: undefined, retyped: [c.retype('numeric(19,4)'), c.retype('timestamptz'), c.retype('int8')] })),
    foreignKeys: t.foreignKeys.map((f) => ({ ...f, setOnDelete: undefined, restrict: f.setOnDelete('restrict') })),
  }));
  return JSON.parse(JSON.stringify({ findings: out.findings, tables }));
}

function freshLint(text: string): TsLintOutput {
  forgetTypeScriptDocument('file:///fresh/schema.ts');
  return lintTypeScriptDocument('file:///fresh/schema.ts', text, { config, model: new WorkspaceModel() });
}

function randomEdit(text: string, random: () => number): string {
  const r = random();
  if (r < 0.45) {
    const present = SWAPS.flatMap(([a, b]) => [...(text.includes(a) ? [[a, b]] : []), ...(text.includes(b) && b ? [[b, a]] : [])]);
    if (present.length) {
      const [from, to] = present[Math.floor(random() * present.length)];
      return text.replace(from, to);
    }
  }
  const at = Math.floor(random() * (text.length + 1));
  if (r < 0.8) return text.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)] + text.slice(at);
  return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
}

describe('Drizzle incremental analysis', () => {
  before(async () => {
    await initParser();
  });

  it('the fixture passes strict tsc against drizzle-orm', () => {
    const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: ['node'], skipLibCheck: true };
    const program = ts.createProgram([FIXTURE], options);
    assert.deepEqual(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`random edits, seed ${seed}: incremental lints equal fresh ones`, () => {
      const random = seededRandom(seed);
      const uri = `file:///incremental/${seed}/schema.ts`;
      const model = new WorkspaceModel();
      let text = BASE;
      const reusedBefore = tableCacheStats.reused;
      const rulesReusedBefore = declRuleStats.reused;
      lintTypeScriptDocument(uri, text, { config, model });
      for (let step = 0; step < 60; step++) {
        // Now and then back to the fixture: noise piles up, and the whole text changes at once.
        text = step % 20 === 19 ? BASE : randomEdit(text, random);
        const incremental = lintTypeScriptDocument(uri, text, { config, model });
        assert.deepEqual(observed(incremental), observed(freshLint(text)), `seed ${seed}, step ${step}:\n${text}`);
      }
      forgetTypeScriptDocument(uri);
      // The comparison would be empty if nothing was reused.
      assert.ok(tableCacheStats.reused > reusedBefore, 'tables were reused');
      assert.ok(declRuleStats.reused > rulesReusedBefore, 'statement-rule findings were reused');
    });
  }

  it('a keystroke in one table of a big schema re-reads only that table', () => {
    const tables = Array.from({ length: 40 }, (_, i) => `export const t${i} = pgTable('t${i}', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  amount: doublePrecision('amount'),\n});\n`);
    let text = "import { bigint, doublePrecision, pgTable } from 'drizzle-orm/pg-core';\n" + tables.join('');
    const uri = 'file:///incremental/big.ts';
    const model = new WorkspaceModel();
    lintTypeScriptDocument(uri, text, { config, model });
    const made = tableCacheStats.made;
    const rulesMade = declRuleStats.made;
    const at = text.indexOf("amount: doublePrecision('amount')", text.indexOf("'t20'"));
    text = text.slice(0, at) + ' ' + text.slice(at);
    const out = lintTypeScriptDocument(uri, text, { config, model });
    assert.equal(tableCacheStats.made - made, 1);
    assert.equal(declRuleStats.made - rulesMade, 1);
    assert.deepEqual(observed(out), observed(freshLint(text)));
    forgetTypeScriptDocument(uri);
  });
});
