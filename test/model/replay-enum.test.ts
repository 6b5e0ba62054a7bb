// Enum types in the workspace model: CREATE TYPE, ADD VALUE (placed as PostgreSQL places it),
// RENAME VALUE, RENAME TO, DROP TYPE, drizzle-kit's DO-wrapped CREATE TYPE, and a pgEnum that
// joins the same model; columns typed with an enum resolve to it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import ts from 'typescript';
import { MutableSchema } from '../../server/src/model/schema-builder';
import { enumColumns } from '../../server/src/model/replay-enum';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { collectImports } from '../../server/src/drizzle/imports';
import { collectScope } from '../../server/src/drizzle/scope';
import { drizzleContribution } from '../../server/src/drizzle/model';
import { initParser, replaySql, where } from './helpers';

const labels = (schema: MutableSchema, key: string) => schema.enumType(key)?.values.map((v) => v.label);

describe('enum types in the schema model', () => {
  before(() => initParser());

  it('CREATE TYPE and ADD VALUE BEFORE/AFTER/at the end keep PostgreSQL order, each label with its literal', () => {
    const sql = [
      "CREATE TYPE payment_status AS ENUM ('pending', 'settled');",
      "ALTER TYPE payment_status ADD VALUE 'refunded';",
      "ALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'authorized' BEFORE 'settled';",
      "ALTER TYPE public.payment_status ADD VALUE 'disputed' AFTER 'settled';",
      "ALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'pending';",
      'CREATE TABLE payments (id bigint PRIMARY KEY, status payment_status NOT NULL, history payment_status[]);',
    ].join('\n');
    const { schema } = replaySql(sql);
    assert.deepEqual(labels(schema, 'payment_status'), ['pending', 'authorized', 'settled', 'disputed', 'refunded']);
    const e = schema.enumType('payment_status')!;
    assert.equal(where(sql, e.values[1].source), "3:51 'authorized'");
    assert.equal(where(sql, e.values[0].source), "1:37 'pending'", 'IF NOT EXISTS on an existing label changes nothing');
    assert.equal(e.front, 'sql');
    assert.deepEqual(enumColumns(schema, e), ['payments.status', 'payments.history']);
    assert.equal(schema.enumType(schema.table('payments')!.columns.get('status')!.type.name), e);
  });

  it('schema-qualified names, RENAME VALUE, RENAME TO (columns follow), DROP TYPE', () => {
    const sql = [
      "CREATE TYPE billing.payout_state AS ENUM ('queued', 'sent');",
      'CREATE TABLE billing.payouts (id bigint PRIMARY KEY, state billing.payout_state);',
      "ALTER TYPE billing.payout_state RENAME VALUE 'sent' TO 'paid';",
      'ALTER TYPE billing.payout_state RENAME TO payout_status;',
      "CREATE TYPE old_kind AS ENUM ('a');",
      'DROP TYPE IF EXISTS old_kind, never_created;',
    ].join('\n');
    const { schema, out } = replaySql(sql);
    assert.equal(schema.enumType('billing.payout_state'), undefined);
    assert.equal(schema.enumType('payout_state'), undefined, 'not in public');
    assert.deepEqual(labels(schema, 'billing.payout_status'), ['queued', 'paid']);
    assert.equal(where(sql, schema.enumType('billing.payout_status')!.values[1].source), "3:56 'paid'");
    assert.deepEqual(enumColumns(schema, schema.enumType('billing.payout_status')!), ['payouts.state']);
    assert.equal(schema.enumType('old_kind'), undefined);
    assert.ok(out.touched.has('type:billing.payout_status') && out.touched.has('type:old_kind'));
  });

  it("drizzle-kit's DO $$ ... EXCEPTION WHEN duplicate_object wrapper creates the type, with label spans", () => {
    const sql = `DO $$ BEGIN\n CREATE TYPE "public"."ledger_side" AS ENUM('debit', 'credit');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;\n--> statement-breakpoint\nALTER TYPE "public"."ledger_side" ADD VALUE 'reversal';`;
    const { schema } = replaySql(sql);
    const e = schema.enumType('ledger_side')!;
    assert.deepEqual(e.values.map((v) => v.label), ['debit', 'credit', 'reversal']);
    assert.equal(where(sql, e.values[1].source), "2:54 'credit'");
  });

  it('ADD VALUE on a type the workspace never created records what it can; odd input does not throw', () => {
    const { schema, out } = replaySql("ALTER TYPE external_state ADD VALUE 'x' AFTER 'nope';\nALTER TYPE ADD VALUE;\nDROP TYPE;\nALTER TYPE t RENAME VALUE 'a' TO 'b';");
    assert.deepEqual(labels(schema, 'external_state'), ['x']);
    assert.equal(schema.enumType('external_state')!.created, undefined);
    assert.equal(out.failures, 0);
  });

  it('forks share enums until one changes them (copy on write)', () => {
    const { schema } = replaySql("CREATE TYPE s AS ENUM ('a');");
    const fork = schema.fork();
    replaySql("ALTER TYPE s ADD VALUE 'b';", fork);
    assert.deepEqual(labels(schema, 's'), ['a']);
    assert.deepEqual(labels(fork, 's'), ['a', 'b']);
  });

  it('a pgEnum joins the model over the migrations, which stay reachable as `migrated`; Drizzle columns resolve to it', () => {
    const text = `import { pgEnum, pgSchema, pgTable, bigint } from 'drizzle-orm/pg-core';
const STATES = ['queued', 'paid'] as const;
export const billing = pgSchema('billing');
export const payoutState = billing.enum('payout_state', STATES);
export const paymentStatus = pgEnum('payment_status', ['pending', 'authorized', 'settled']);
export const payments = pgTable('payments', { id: bigint('id', { mode: 'number' }).primaryKey(), status: paymentStatus('status').notNull() });
`;
    const sf = ts.createSourceFile('schema.ts', text, ts.ScriptTarget.Latest, true);
    const scope = collectScope(sf, collectImports(sf));
    assert.equal(scope.enums.get('payoutState'), 'billing.payout_state');
    assert.deepEqual(scope.enumDecls.get('payoutState')?.values.map((v) => v.label), ['queued', 'paid']);
    const pay = scope.enumDecls.get('paymentStatus')!;
    assert.equal(text.slice(pay.values[1].span.start, pay.values[1].span.end), "'authorized'");

    const model = new WorkspaceModel();
    model.setFile('/ws/drizzle/0000_init.sql', "CREATE TYPE payment_status AS ENUM ('pending', 'settled');\n", { order: 0, role: 'up' });
    model.setContribution('/ws/src/schema.ts', drizzleContribution([], scope.enumDecls.values()));
    const schema = model.schema();
    const e = schema.enumType('payment_status')!;
    assert.equal(e.front, 'drizzle');
    assert.deepEqual(e.values.map((v) => v.label), ['pending', 'authorized', 'settled']);
    assert.equal(e.values[1].source.file, '/ws/src/schema.ts');
    assert.deepEqual(e.migrated?.values.map((v) => v.label), ['pending', 'settled']);
    assert.deepEqual(schema.enumType('billing.payout_state')?.values.map((v) => v.label), ['queued', 'paid']);
    assert.equal(schema.enumType('billing.payout_state')?.migrated, undefined);
  });

  it('pgEnum over a TypeScript enum or a const object reads the labels in declaration order; computed labels are not guessed', () => {
    const text = `import { pgEnum } from 'drizzle-orm/pg-core';
enum Side { Debit = 'debit', Credit = 'credit' }
const Kind = { Card: 'card', Bank: 'bank' } as const;
export const side = pgEnum('ledger_side', Side);
export const kind = pgEnum('payout_kind', Kind);
export const dynamic = pgEnum('dynamic_kind', Object.values(Kind) as [string, ...string[]]);
`;
    const sf = ts.createSourceFile('schema.ts', text, ts.ScriptTarget.Latest, true);
    const scope = collectScope(sf, collectImports(sf));
    assert.deepEqual(scope.enumDecls.get('side')?.values.map((v) => text.slice(v.span.start, v.span.end)), ["'debit'", "'credit'"]);
    assert.deepEqual(scope.enumDecls.get('kind')?.values.map((v) => v.label), ['card', 'bank']);
    assert.equal(scope.enumDecls.has('dynamic'), false);
    assert.equal(scope.enums.get('dynamic'), 'dynamic_kind', 'columns still resolve to its name');
  });

  it('a migration changing an enum makes later files using that enum dependents', () => {
    const model = new WorkspaceModel();
    model.setFile('/ws/m/0001.sql', "CREATE TYPE st AS ENUM ('a');\n", { order: 0, role: 'up' });
    model.setFile('/ws/m/0002.sql', "ALTER TYPE st ADD VALUE 'b' AFTER 'a';\n", { order: 1, role: 'up' });
    model.setFile('/ws/m/0003.sql', 'CREATE TABLE unrelated (id bigint);\n', { order: 2, role: 'up' });
    model.schema();
    model.setFile('/ws/m/0001.sql', "CREATE TYPE st AS ENUM ('a', 'c');\n", { order: 0, role: 'up' });
    assert.deepEqual(model.dependents('/ws/m/0001.sql'), ['/ws/m/0002.sql']);
    assert.deepEqual(model.schema().enumType('st')?.values.map((v) => v.label), ['a', 'b', 'c']);
  });

  it('a file declaring a column of an enum makes the file declaring the enum a dependent (its checks list the columns using it)', () => {
    const model = new WorkspaceModel();
    model.setFile('/ws/m/0001.sql', "CREATE TYPE st AS ENUM ('a');\n", { order: 0, role: 'up' });
    model.setFile('/ws/m/0002.sql', 'CREATE TABLE t (id bigint);\n', { order: 1, role: 'up' });
    model.setFile('/ws/m/0003.sql', 'CREATE TABLE plain (note text, amount numeric(19,4), at timestamptz, id uuid);\n', { order: 2, role: 'up' });
    model.schema();
    // A column of the enum added (the case a long differential run found: a migration's edit made a
    // table with an enum column appear, and the pgEnum file kept saying no column used the enum).
    model.setFile('/ws/m/0002.sql', 'CREATE TABLE t (id bigint, s st);\n', { order: 1, role: 'up' });
    assert.deepEqual(model.dependents('/ws/m/0002.sql'), ['/ws/m/0001.sql']);
    // ... and taken away again: the enum's file follows that too.
    model.setFile('/ws/m/0002.sql', 'CREATE TABLE t (id bigint);\n', { order: 1, role: 'up' });
    assert.deepEqual(model.dependents('/ws/m/0002.sql'), ['/ws/m/0001.sql']);
    model.setFile('/ws/m/0002.sql', 'CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN s text;\nALTER TABLE t ALTER COLUMN s TYPE st USING s::st;\n', { order: 1, role: 'up' });
    assert.deepEqual(model.dependents('/ws/m/0002.sql'), ['/ws/m/0001.sql']);
    // Built-in types link no files.
    model.setFile('/ws/m/0003.sql', 'CREATE TABLE plain (note text, amount numeric(19,4), at timestamptz, id uuid, n bigint);\n', { order: 2, role: 'up' });
    assert.deepEqual(model.dependents('/ws/m/0003.sql'), []);
  });
});
