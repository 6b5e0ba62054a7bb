import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, replaySql, table, where } from './helpers';

before(() => initParser());

const CREATE = `-- ledger tables
CREATE TABLE IF NOT EXISTS public.accounts (
  id bigserial PRIMARY KEY,
  balance numeric(19, 4) NOT NULL DEFAULT 0,
  rate double precision[],
  "OpenedAt" timestamp with time zone DEFAULT now() NOT NULL,
  closed_at timestamp(3) without time zone,
  kind varchar(20) DEFAULT 'x, y' CHECK (kind <> ''),
  n int GENERATED ALWAYS AS IDENTITY,
  doubled int GENERATED ALWAYS AS (n * 2) STORED,
  CONSTRAINT balance_positive CHECK (balance >= 0) NOT VALID
);
`;

test('CREATE TABLE: columns, canonical types, defaults and exact spans', () => {
  const { schema, out } = replaySql(CREATE);
  assert.equal(out.failures, 0);
  const t = table(schema, 'accounts');
  assert.equal(t.schema, 'public');
  assert.equal(where(CREATE, t.nameSpan), '2:28 public.accounts');
  assert.equal(where(CREATE, t.created).split('\n')[0], '2:1 CREATE TABLE IF NOT EXISTS public.accounts (');
  const c = (n: string) => t.columns.get(n)!;
  assert.deepEqual(c('id').type, { name: 'serial8', mods: [], array: false, written: 'bigserial' });
  assert.equal(c('id').notNull, true);
  assert.equal(where(CREATE, c('id').source), '3:3 id bigserial');
  assert.deepEqual(c('balance').type, { name: 'numeric', mods: [19, 4], array: false, written: 'numeric(19, 4)' });
  assert.equal(c('balance').defaultExpr, '0');
  assert.equal(where(CREATE, c('balance').source), '4:3 balance numeric(19, 4)');
  assert.deepEqual(c('rate').type, { name: 'float8', mods: [], array: true, written: 'double precision[]' });
  assert.equal(c('OpenedAt').type.name, 'timestamptz');
  assert.equal(where(CREATE, c('OpenedAt').source), '6:3 "OpenedAt" timestamp with time zone');
  assert.equal(c('OpenedAt').defaultExpr, 'now()');
  assert.equal(c('OpenedAt').notNull, true);
  assert.equal(c('closed_at').type.name, 'timestamp');
  assert.equal(c('closed_at').type.written, 'timestamp(3) without time zone');
  assert.deepEqual(c('closed_at').type.mods, [3]);
  assert.equal(c('kind').defaultExpr, "'x, y'");
  assert.deepEqual(c('kind').type.mods, [20]);
  assert.equal(c('n').identity, true);
  assert.equal(c('doubled').generated, true);
  assert.deepEqual(t.primaryKey?.columns, ['id']);
  assert.equal(t.checks.length, 2);
  const named = t.checks.find((k) => k.name === 'balance_positive')!;
  assert.equal(named.expr, 'balance >= 0');
  assert.deepEqual(named.columns, ['balance']);
  assert.equal(named.validated, false);
  assert.equal(where(CREATE, named.source), '11:3 CONSTRAINT balance_positive CHECK (balance >= 0) NOT VALID');
  assert.equal(t.checks.find((k) => !k.name)!.expr, "kind <> ''");
});

test('type aliases fold to canonical names', () => {
  const sql = 'create table t (a int, b integer, c smallint, d bigint, e real, f float, g decimal(10,2), h boolean, i char(3), j character varying(5), k serial, l smallserial, m money, n text[][], o myschema.mytype, p time with time zone, q interval day to second);';
  const t = table(replaySql(sql).schema, 't');
  const names = [...t.columns.values()].map((c) => c.type.name);
  assert.deepEqual(names, ['int4', 'int4', 'int2', 'int8', 'float4', 'float8', 'numeric', 'bool', 'bpchar', 'varchar', 'serial4', 'serial2', 'money', 'text', 'myschema.mytype', 'timetz', 'interval']);
  assert.equal(t.columns.get('n')!.type.array, true);
  assert.equal(t.columns.get('q')!.type.written, 'interval day to second');
  assert.equal(t.columns.get('o')!.type.written, 'myschema.mytype');
});

test('foreign keys: inline and table-level, ON DELETE explicit or implied, NOT VALID', () => {
  const sql = `create table merchants (id uuid primary key);
create table payouts (
  id bigint primary key,
  merchant_id uuid not null references merchants on delete cascade,
  account_id bigint references accounts (id),
  other uuid,
  constraint payouts_other_fk foreign key (other) references merchants (id) on delete no action not valid
);`;
  const t = table(replaySql(sql).schema, 'payouts');
  const [m, a, o] = t.foreignKeys;
  assert.deepEqual(
    { cols: m.columns, ref: m.refTable, refCols: m.refColumns, del: m.onDelete, explicit: m.onDeleteExplicit, valid: m.validated },
    { cols: ['merchant_id'], ref: 'merchants', refCols: ['id'], del: 'cascade', explicit: true, valid: true },
  );
  assert.equal(where(sql, m.source), '4:29 references merchants on delete cascade');
  assert.equal(a.onDelete, 'no action');
  assert.equal(a.onDeleteExplicit, false);
  assert.equal(o.name, 'payouts_other_fk');
  assert.equal(o.onDelete, 'no action');
  assert.equal(o.onDeleteExplicit, true);
  assert.equal(o.validated, false);
  assert.equal(t.columns.get('merchant_id')!.notNull, true);
});

test('PARTITION BY, PARTITION OF, INHERITS, LIKE, TEMP and CREATE TABLE AS', () => {
  const sql = `create table events (id bigint, at timestamptz not null, amount numeric) partition by range (at);
create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
create temp table scratch (like events);
create table audit (note text) inherits (events);
create table totals as select id, amount as total from events;`;
  const { schema } = replaySql(sql);
  assert.deepEqual(table(schema, 'events').partitionBy, { strategy: 'range', columns: ['at'] });
  const part = table(schema, 'events_2024');
  assert.equal(part.partitionOf, 'events');
  assert.deepEqual([...part.columns.keys()], ['id', 'at', 'amount']);
  assert.equal(where(sql, part.nameSpan), '2:14 events_2024');
  const scratch = table(schema, 'scratch');
  assert.equal(scratch.temporary, true);
  assert.deepEqual([...scratch.columns.keys()], ['id', 'at', 'amount']);
  assert.deepEqual([...table(schema, 'audit').columns.keys()], ['id', 'at', 'amount', 'note']);
  const totals = table(schema, 'totals');
  assert.deepEqual([...totals.columns.keys()], ['id', 'total']);
  assert.ok(totals.created);
});

test('CREATE TABLE IF NOT EXISTS keeps the first definition; quoted names keep their case', () => {
  const sql = `create table "Ledger" (id int);
create table if not exists "Ledger" (other int);
create table plain_Name (X int);`;
  const { schema } = replaySql(sql);
  assert.deepEqual([...table(schema, 'Ledger').columns.keys()], ['id']);
  assert.deepEqual([...table(schema, 'plain_name').columns.keys()], ['x']);
});

test('unparsable statements are skipped and odd input never throws', () => {
  const sql = `create table a (id int);
create tabel broken (;
alter table a add column b text;
create table (;
create table c (id int references);
;;;
alter table nowhere drop column x;
drop policy p on ghosts;`;
  const { schema, out } = replaySql(sql);
  assert.deepEqual([...table(schema, 'a').columns.keys()], ['id', 'b']);
  assert.equal(out.failures, 0);
  assert.doesNotThrow(() => replaySql('\u0000\uFFFF create table "x\u00e9" (é int, "💸" numeric(1)); '));
  const t = table(replaySql('create table "x\u00e9" (é int, "💸" numeric(1));').schema, 'x\u00e9');
  assert.equal(t.columns.get('💸')!.type.written, 'numeric(1)');
});

test('spans stay exact after multi-byte characters earlier in the file', () => {
  const sql = `-- Überweisungen 💸
create table transfers (
  amount_€ float
);`;
  const t = table(replaySql(sql).schema, 'transfers');
  assert.equal(where(sql, t.columns.get('amount_€')!.source), '3:3 amount_€ float');
  assert.equal(t.columns.get('amount_€')!.type.name, 'float8');
});
