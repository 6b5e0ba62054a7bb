// enum-pitfalls on Drizzle: the pgEnum array against the enum the SQL migrations declare, in a real
// WorkspaceModel (the check has nothing to compare without migrations), findings on the array's labels.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../../server/src/engine/config';
import { lintTypeScriptDocument } from '../../../server/src/drizzle/project';
import check, { diffEnum } from '../../../server/src/drizzle/rules/enum-pitfalls';
import { WorkspaceModel } from '../../../server/src/model/workspace-model';
import { LineIndex } from '../../../server/src/sql/offsets';
import { initParser } from '../../../server/src/sql/parser';

const config = resolveConfig();
const INIT = "CREATE TYPE payment_status AS ENUM ('pending', 'settled', 'refunded');\nCREATE TABLE payments (id bigint PRIMARY KEY, status payment_status NOT NULL DEFAULT 'pending');\n";
const HEAD = "import { bigint, pgEnum, pgTable } from 'drizzle-orm/pg-core';\n";
const table = (status = "paymentStatus('status').notNull().default('pending')") =>
  `export const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  status: ${status},\n});\n`;

let n = 0;
/** Findings of enum-pitfalls for `ts` in a workspace holding `migrations` (in order), as `id line:col text`. */
function lint(ts: string, migrations: string[] = [INIT]) {
  const model = new WorkspaceModel();
  const root = `file:///ws${n++}`;
  migrations.forEach((sql, i) => model.setFile(`${root}/drizzle/000${i}_m.sql`, sql, { order: i, role: 'up', runnerWrapsTransaction: true }));
  const out = lintTypeScriptDocument(`${root}/src/schema.ts`, ts, { config, model, rules: [] });
  assert.deepEqual(out.ruleErrors, []);
  const lines = new LineIndex(ts);
  const found = out.findings.filter((f) => f.ruleId === 'enum-pitfalls');
  return {
    found,
    short: found.map((f) => {
      const p = lines.positionAt(f.span.start);
      return `${f.messageId} ${p.line + 1}:${p.character + 1} ${ts.slice(f.span.start, f.span.end)}`;
    }),
  };
}

describe('enum-pitfalls (Drizzle pgEnum against the SQL migrations)', () => {
  before(() => initParser());

  it('the same labels in the same order, or a label appended last without a default on it: nothing', () => {
    assert.deepEqual(lint(`${HEAD}export const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'refunded']);\n${table()}`).short, []);
    assert.deepEqual(lint(`${HEAD}export const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'refunded', 'chargeback']);\n${table()}`).short, []);
  });

  it('no migration declares the enum (or only alters it): nothing to compare', () => {
    const ts = `${HEAD}export const paymentStatus = pgEnum('payment_status', ['settled', 'pending']);\n${table()}`;
    assert.deepEqual(lint(ts, []).short, []);
    assert.deepEqual(lint(ts, ["ALTER TYPE payment_status ADD VALUE 'x';\n"]).short, []);
  });

  it('a label inserted before existing ones: info on the label, naming what drizzle-kit writes and the columns', () => {
    const ts = `${HEAD}export const paymentStatus = pgEnum('payment_status', ['pending', 'authorized', 'settled', 'refunded']);\n${table()}`;
    const { short, found } = lint(ts);
    assert.deepEqual(short, ["tsInserted 2:67 'authorized'"]);
    assert.equal(found[0].severity, 'info');
    for (const s of ["ADD VALUE 'authorized' BEFORE 'settled'", 'payments.status', "declare 'pending', 'settled', 'refunded'", 'one transaction', '55P04']) assert.ok(found[0].message.includes(s), `${s} in ${found[0].message}`);
  });

  it('a new label the same schema defaults to: the drizzle-kit migrate run fails (55P04), error on the label', () => {
    const ts = `${HEAD}export const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'refunded', 'chargeback']);\n${table("paymentStatus('status').notNull().default('chargeback')")}`;
    const { short, found } = lint(ts);
    assert.deepEqual(short, ["tsDefaultUse 2:90 'chargeback'"]);
    assert.equal(found[0].severity, 'error');
    assert.ok(found[0].message.includes('payments.status defaults to it'));
  });

  it('a removed label: warning on the enum name, with the rewrite and the failing cast', () => {
    const { short, found } = lint(`${HEAD}export const paymentStatus = pgEnum('payment_status', ['pending', 'settled']);\n${table()}`);
    assert.deepEqual(short, ["tsRemoved 2:37 'payment_status'"]);
    assert.equal(found[0].severity, 'warning');
    for (const s of ["'refunded' is gone", 'payments.status', 'ACCESS EXCLUSIVE', '22P02']) assert.ok(found[0].message.includes(s), s);
  });

  it('a renamed label (one out, one in at the same place): warning on the new label, suggesting RENAME VALUE', () => {
    const { short, found } = lint(`${HEAD}export const paymentStatus = pgEnum('payment_status', ['pending', 'captured', 'refunded']);\n${table()}`);
    assert.deepEqual(short, ["tsRenamed 2:67 'captured'"]);
    assert.ok(found[0].message.includes("RENAME VALUE 'settled' TO 'captured'"));
  });

  it('reordered labels: warning on the first moved label', () => {
    assert.deepEqual(lint(`${HEAD}export const paymentStatus = pgEnum('payment_status', ['settled', 'pending', 'refunded']);\n${table()}`).short, ["tsReordered 2:56 'settled'"]);
  });

  it('the migrations as drizzle-kit generates them (DO-wrapped CREATE TYPE, ADD VALUE BEFORE), a const array, a schema enum', () => {
    const generated = [
      `DO $$ BEGIN\n CREATE TYPE "public"."payment_status" AS ENUM('pending', 'settled');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;\n--> statement-breakpoint\nCREATE TYPE "billing"."payout_state" AS ENUM('queued', 'sent');`,
      `ALTER TYPE "public"."payment_status" ADD VALUE 'authorized' BEFORE 'settled';`,
    ];
    const ts = `import { pgEnum, pgSchema } from 'drizzle-orm/pg-core';\nconst STATUSES = ['pending', 'authorized', 'settled'] as const;\nexport const paymentStatus = pgEnum('payment_status', STATUSES);\nconst billing = pgSchema('billing');\nexport const payoutState = billing.enum('payout_state', ['queued', 'paid']);\n`;
    assert.deepEqual(lint(ts, generated).short, ["tsRenamed 5:68 'paid'"]);
  });

  it("the meta's TypeScript examples, in a workspace whose migration declares what their comment says", () => {
    const migration = "CREATE TYPE payment_status AS ENUM ('pending', 'settled', 'refunded');\n";
    const examples = check.meta.examples;
    for (const ex of examples.incorrect.filter((e) => e.language === 'typescript')) assert.ok(lint(ex.code, [migration]).found.length > 0, ex.code);
    for (const ex of examples.correct.filter((e) => e.language === 'typescript')) assert.deepEqual(lint(ex.code, [migration]).short, [], ex.code);
  });

  it('diffEnum pairs renames per gap between kept labels', () => {
    const v = (labels: string[]) => labels.map((label) => ({ label, span: { start: 0, end: 0 } }));
    const d = diffEnum(['a', 'b', 'c', 'd'], v(['a', 'x', 'c', 'y', 'z']));
    assert.deepEqual(d.renamed.map((r) => `${r.old}->${r.now.label}`), ['b->x']);
    assert.deepEqual(d.removed, ['d']);
    assert.deepEqual(d.added.map((x) => x.label), ['y', 'z']);
    assert.equal(d.reordered, undefined);
  });
});
