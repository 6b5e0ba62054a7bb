// The Drizzle front-end on schemas written in every supported form: what it extracts is what a
// reviewer would read (DB names, PostgreSQL types, keys, references, indexes, policies, RLS).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseTypeScript } from '../../server/src/drizzle/analysis';
import type { DrizzleTable } from '../../server/src/drizzle/schema-types';

function tables(code: string): Map<string, DrizzleTable> {
  return new Map(analyseTypeScript('schema.ts', code).tables.map((t) => [t.schema ? `${t.schema}.${t.name}` : t.name, t]));
}

const cols = (t: DrizzleTable | undefined) => Object.fromEntries((t?.columns ?? []).map((c) => [c.dbName, c.type.written]));

describe('Drizzle schema front-end', () => {
  it('object columns, every common builder and its options', () => {
    const t = tables(`import { bigint, bigserial, boolean, char, date, decimal, doublePrecision, integer, json, jsonb, numeric, pgTable, real, serial, smallint, text, time, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
export const everything = pgTable('everything', {
  a: integer('a'), b: bigint('b', { mode: 'bigint' }), c: numeric('c', { precision: 19, scale: 4, mode: 'string' }),
  d: decimal('d', { precision: 12 }), e: real('e'), f: doublePrecision('f'), g: timestamp('g', { withTimezone: true, precision: 6 }),
  h: timestamp('h', { mode: 'string' }), i: text('i'), j: varchar('j', { length: 64 }), k: char('k', { length: 3 }), l: json('l'),
  m: jsonb('m'), n: uuid('n').defaultRandom(), o: serial('o'), p: bigserial('p', { mode: 'number' }), q: boolean('q'), r: date('r'),
  s: smallint('s'), u: time('u'), v: integer('v').array(),
});`).get('everything');
    assert.deepEqual(cols(t), {
      a: 'integer', b: 'bigint', c: 'numeric(19,4)', d: 'numeric(12)', e: 'real', f: 'double precision', g: 'timestamp with time zone',
      h: 'timestamp', i: 'text', j: 'varchar(64)', k: 'char(3)', l: 'json', m: 'jsonb', n: 'uuid', o: 'serial', p: 'bigserial', q: 'boolean',
      r: 'date', s: 'smallint', u: 'time', v: 'integer[]',
    });
    const names = Object.fromEntries(t!.columns.map((c) => [c.dbName, c.type.name]));
    assert.equal(names.g, 'timestamptz');
    assert.equal(names.c, 'numeric');
    assert.deepEqual(t!.columns.find((c) => c.dbName === 'g')!.type.mods, [6]);
    assert.equal(t!.columns.find((c) => c.dbName === 'n')!.defaultExpr, 'gen_random_uuid()');
    assert.equal(t!.columns.find((c) => c.dbName === 'v')!.type.array, true);
  });

  it('columns callback, keys as names, modifiers, self and forward references', () => {
    const code = `import { pgTable, type AnyPgColumn } from 'drizzle-orm/pg-core';
export const accounts = pgTable('accounts', (t) => ({
  id: t.bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  parentId: t.bigint({ mode: 'number' }).references((): AnyPgColumn => accounts.id),
  ownerId: t.bigint({ mode: 'number' }).notNull().references(() => owners.id, { onDelete: 'set null', onUpdate: 'cascade' }),
  email: t.text().unique().notNull(),
}));
export const owners = pgTable('owners', { id: serial('id').primaryKey() });
import { serial } from 'drizzle-orm/pg-core';`;
    const t = tables(code).get('accounts')!;
    assert.deepEqual(t.columns.map((c) => [c.dbName, c.type.name, c.notNull, c.primaryKey, c.unique, c.identity]), [
      ['id', 'int8', true, true, false, true],
      ['parentId', 'int8', false, false, false, false],
      ['ownerId', 'int8', true, false, false, false],
      ['email', 'text', true, false, true, false],
    ]);
    assert.deepEqual(t.foreignKeys.map((f) => [f.columns, f.refTable, f.refColumns, f.onDelete, f.onDeleteExplicit]), [
      [['parentId'], 'accounts', ['id'], 'no action', false],
      [['ownerId'], 'owners', ['id'], 'set null', true],
    ]);
    const prop = t.columns[3];
    assert.equal(code.slice(prop.span.start, prop.span.end), 'email: t.text().unique().notNull()');
    assert.equal(code.slice(prop.typeSpan.start, prop.typeSpan.end), 't.text()');
    assert.equal(code.slice(t.nameSpan.start, t.nameSpan.end), "'accounts'");
  });

  it('extra config as an array and in the older object form, every kind of entry', () => {
    const arrayForm = tables(`import { bigint, check, foreignKey, index, pgPolicy, pgTable, primaryKey, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
export const merchants = pgTable('merchants', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable('payments', {
  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),
  ref: text('ref').notNull(),
  status: text('status'),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.ref] }),
  uniqueIndex('payments_ref_key').on(t.ref),
  index('payments_status_idx').using('btree', t.status.desc()).where(sql\`\${t.status} <> 'done'\`).concurrently(),
  foreignKey({ columns: [t.merchantId], foreignColumns: [merchants.id], name: 'payments_merchant_fk' }).onDelete('restrict'),
  unique('payments_merchant_ref').on(t.merchantId, t.ref),
  check('status_check', sql\`\${t.status} IN ('new', 'done')\`),
  pgPolicy('tenant', { for: 'select', using: sql\`true\` }),
]);`).get('payments')!;
    assert.deepEqual(arrayForm.primaryKey?.columns, ['merchant_id', 'ref']);
    assert.deepEqual(arrayForm.indexes.map((i) => [i.name, i.columns, i.unique, i.method, !!i.where, i.concurrently]), [
      ['payments_ref_key', ['ref'], true, 'btree', false, false],
      ['payments_status_idx', ['status'], false, 'btree', true, true],
    ]);
    assert.deepEqual(arrayForm.foreignKeys.map((f) => [f.columns, f.refTable, f.onDelete]), [[['merchant_id'], 'merchants', 'restrict']]);
    assert.deepEqual(arrayForm.uniques.map((u) => u.columns), [['merchant_id', 'ref']]);
    assert.deepEqual(arrayForm.checks.map((c) => c.name), ['status_check']);
    assert.deepEqual(arrayForm.policies.map((p) => [p.name, p.command]), [['tenant', 'select']]);
    assert.equal(arrayForm.rlsEnabled, true, 'a policy enables RLS');
    assert.equal(arrayForm.extra?.form, 'array');

    const objectForm = tables(`import { bigint, index, pgTable, primaryKey } from 'drizzle-orm/pg-core';
export const ledgerEntries = pgTable('ledger_entries', {
  accountId: bigint('account_id', { mode: 'number' }),
  seq: bigint('seq', { mode: 'number' }),
}, (table) => {
  return {
    pk: primaryKey(table.accountId, table.seq),
    byAccount: index('ledger_entries_account_idx').on(table.accountId),
  };
});`).get('ledger_entries')!;
    assert.equal(objectForm.extra?.form, 'object');
    assert.deepEqual(objectForm.primaryKey?.columns, ['account_id', 'seq']);
    assert.deepEqual(objectForm.indexes.map((i) => i.columns), [['account_id']]);
  });

  it('pgSchema().table, pgTableCreator, namespace imports, aliases, enableRLS and withRLS', () => {
    const t = tables(`import * as p from 'drizzle-orm/pg-core';
import { pgTable, pgTableCreator, text as txt } from 'drizzle-orm/pg-core';
const billing = p.pgSchema('billing');
const createTable = pgTableCreator((name) => \`acme_\${name}\`);
export const invoices = billing.table('invoices', { id: p.uuid('id').primaryKey() });
export const notes = createTable('notes', { body: txt('body') }).enableRLS();
export const secrets = pgTable.withRLS('secrets', { value: p.text('value') });
const pgTableLocal = (n: string, c: object) => c;
export const fake = pgTableLocal('fake', {});`);
    assert.deepEqual([...t.keys()].sort(), ['acme_notes', 'billing.invoices', 'secrets']);
    assert.equal(t.get('billing.invoices')!.schema, 'billing');
    assert.equal(t.get('acme_notes')!.rlsEnabled, true);
    assert.equal(t.get('secrets')!.rlsEnabled, true);
    assert.equal(t.get('billing.invoices')!.rlsEnabled, false);
    assert.deepEqual(cols(t.get('acme_notes')), { body: 'text' });
  });

  it('pgEnum, customType (dataType and a fromDriver to number), local helpers, snake_case casing', () => {
    const a = analyseTypeScript('schema.ts', `import { customType, numeric, pgEnum, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/node-postgres';
export const status = pgEnum('payment_status', ['new', 'done']);
const amountNum = customType<{ data: number }>({ dataType() { return 'numeric(19, 4)'; }, fromDriver(v) { return parseFloat(String(v)); } });
const stringy = customType<{ data: string }>({ dataType: () => 'money', fromDriver: (v) => String(v) });
const money = (name: string) => numeric(name, { precision: 19, scale: 4 }).notNull();
function createdAt() { return timestamp({ withTimezone: true }).defaultNow(); }
export const payments = pgTable('payments', {
  status: status('status').notNull(),
  feeAmount: amountNum(),
  legacyTotal: stringy('legacy_total'),
  grossAmount: money('gross_amount'),
  createdAt: createdAt(),
});
export const db = drizzle('', { casing: 'snake_case' });`);
    const t = a.tables[0];
    assert.deepEqual(t.columns.map((c) => [c.dbName, c.type.name, c.type.mods, c.customJsNumber, c.notNull]), [
      ['status', 'payment_status', [], false, true],
      ['fee_amount', 'numeric', [19, 4], true, false],
      ['legacy_total', 'money', [], false, false],
      ['gross_amount', 'numeric', [19, 4], false, true],
      ['created_at', 'timestamptz', [], false, false],
    ]);
    assert.equal(t.columns[4].defaultExpr, 'now()');
    assert.equal(t.columns[3].retype('numeric(19,4)'), undefined, 'no retype through a helper');
  });

  it('files that import neither drizzle-orm nor pg are not analysed', () => {
    const a = analyseTypeScript('x.ts', `import { pgTable, text } from './my-orm';\nexport const t = pgTable('t', { a: text('a') });`);
    assert.equal(a.relevant, false);
    assert.deepEqual(a.tables, []);
  });
});
