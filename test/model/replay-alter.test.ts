import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, replaySql, table, where } from './helpers';

before(() => initParser());

const BASE = `create table accounts (id bigint primary key, email text, balance numeric(12,2), legacy text);\n`;

test('ALTER TABLE: add/drop/alter column, not null, defaults, each command its own span', () => {
  const sql =
    BASE +
    `ALTER TABLE accounts
  ADD COLUMN IF NOT EXISTS currency char(3) NOT NULL DEFAULT 'EUR',
  DROP COLUMN legacy,
  ALTER COLUMN balance TYPE numeric(19, 4) USING balance::numeric(19,4),
  ALTER COLUMN email SET NOT NULL,
  ALTER COLUMN email SET DEFAULT lower('X'),
  ADD CONSTRAINT balance_nonneg CHECK (balance >= 0) NOT VALID;
alter table accounts validate constraint balance_nonneg;
alter table accounts alter column email drop not null, alter column email drop default;`;
  const { schema, out } = replaySql(sql);
  assert.equal(out.failures, 0);
  const t = table(schema, 'accounts');
  assert.deepEqual([...t.columns.keys()], ['id', 'email', 'balance', 'currency']);
  const currency = t.columns.get('currency')!;
  assert.equal(where(sql, currency.source), '3:28 currency char(3)');
  assert.equal(currency.type.name, 'bpchar');
  assert.equal(currency.notNull, true);
  assert.equal(currency.defaultExpr, "'EUR'");
  assert.deepEqual(t.columns.get('balance')!.type.mods, [19, 4]);
  const email = t.columns.get('email')!;
  assert.equal(email.notNull, false);
  assert.equal(email.defaultExpr, undefined);
  const check = t.checks[0];
  assert.equal(check.validated, true);
  assert.equal(where(sql, check.source), '8:7 CONSTRAINT balance_nonneg CHECK (balance >= 0) NOT VALID');
});

test('SET DEFAULT keeps the expression as written', () => {
  const { schema } = replaySql(BASE + `alter table accounts alter column email set default concat('a', 'b'), alter column balance set default 0;`);
  assert.equal(table(schema, 'accounts').columns.get('email')!.defaultExpr, "concat('a', 'b')");
  assert.equal(table(schema, 'accounts').columns.get('balance')!.defaultExpr, '0');
});

test('ADD/DROP CONSTRAINT: foreign key NOT VALID then VALIDATE, unique, primary key', () => {
  const sql =
    BASE +
    `create table payouts (id bigint, account_id bigint);
alter table payouts add constraint payouts_account_fk foreign key (account_id) references accounts (id) on delete restrict not valid;
alter table payouts add primary key (id), add constraint payouts_uq unique (account_id);`;
  let t = table(replaySql(sql).schema, 'payouts');
  assert.equal(t.foreignKeys[0].validated, false);
  assert.equal(t.foreignKeys[0].onDelete, 'restrict');
  assert.equal(t.foreignKeys[0].onDeleteExplicit, true);
  assert.equal(where(sql, t.foreignKeys[0].source).slice(0, 40), '3:25 constraint payouts_account_fk forei');
  assert.deepEqual(t.primaryKey?.columns, ['id']);
  assert.equal(t.columns.get('id')!.notNull, true);
  assert.deepEqual(t.uniques.map((u) => u.name), ['payouts_uq']);
  t = table(replaySql(sql + `\nalter table payouts validate constraint payouts_account_fk;`).schema, 'payouts');
  assert.equal(t.foreignKeys[0].validated, true);
  t = table(replaySql(sql + `\nalter table payouts drop constraint payouts_account_fk, drop constraint if exists payouts_uq;`).schema, 'payouts');
  assert.equal(t.foreignKeys.length, 0);
  assert.equal(t.uniques.length, 0);
});

test('RENAME table and column follow through foreign keys and indexes; DROP removes', () => {
  const sql =
    BASE +
    `create table payouts (id bigint, account_id bigint references accounts (id));
create index payouts_account_idx on payouts (account_id);
alter table accounts rename to wallets;
alter table wallets rename column id to wallet_id;
alter table payouts rename column account_id to wallet_id;
alter index payouts_account_idx rename to payouts_wallet_idx;`;
  const { schema } = replaySql(sql);
  assert.equal(schema.table('accounts'), undefined);
  const w = table(schema, 'wallets');
  assert.equal(w.name, 'wallets');
  assert.deepEqual(w.primaryKey?.columns, ['wallet_id']);
  const p = table(schema, 'payouts');
  assert.deepEqual(p.foreignKeys[0].refTable, 'wallets');
  assert.deepEqual(p.foreignKeys[0].refColumns, ['wallet_id']);
  assert.deepEqual(p.foreignKeys[0].columns, ['wallet_id']);
  assert.deepEqual(p.indexes.map((i) => [i.name, i.columns]), [['payouts_wallet_idx', ['wallet_id']]]);
  const dropped = replaySql(sql + `\ndrop index payouts_wallet_idx;\ndrop table if exists wallets cascade;\nalter table payouts drop column wallet_id;`).schema;
  assert.equal(dropped.table('wallets'), undefined);
  const p2 = table(dropped, 'payouts');
  assert.equal(p2.indexes.length, 0);
  assert.equal(p2.foreignKeys.length, 0);
  assert.deepEqual([...p2.columns.keys()], ['id']);
});

test('CREATE INDEX: columns, expressions, method, partial predicate, unique, concurrently', () => {
  const sql =
    BASE +
    `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_uq ON public.accounts USING btree (lower(email), (balance + 1) DESC, id) INCLUDE (legacy) WHERE legacy IS NULL;
create index on accounts using gin (email gin_trgm_ops);`;
  const t = table(replaySql(sql).schema, 'accounts');
  const [uq, gin] = t.indexes;
  assert.deepEqual(uq.columns, ['(lower(email)', '(balance + 1', 'id']);
  assert.equal(uq.where, 'legacy IS NULL');
  assert.equal(uq.unique, true);
  assert.equal(uq.concurrently, true);
  assert.equal(uq.table, 'accounts');
  assert.equal(where(sql, uq.source).slice(0, 30), '2:1 CREATE UNIQUE INDEX CONCUR');
  assert.deepEqual(t.uniques.map((u) => [u.name, u.where]), [['accounts_email_uq', 'legacy IS NULL']]);
  assert.equal(gin.method, 'gin');
  assert.equal(gin.name, undefined);
  assert.deepEqual(gin.columns, ['email']);
  assert.equal(gin.concurrently, false);
});

test('RLS switches, policies, triggers', () => {
  const sql =
    BASE +
    `alter table accounts enable row level security;
alter table accounts force row level security;
create policy tenant_read on accounts for select to app using (email = current_setting('app.email'));
create policy tenant_write on accounts for insert with check (balance >= 0);
create policy everything on accounts using (true) with check (false);
drop policy if exists everything on accounts;
create constraint trigger ledger_balanced after insert or update on accounts deferrable initially deferred for each row execute function check_balanced();
create trigger stamp before update on accounts for each row execute procedure util.touch();
create trigger gone after delete on accounts for each statement execute function f();
drop trigger gone on accounts;`;
  const t = table(replaySql(sql).schema, 'accounts');
  assert.equal(t.rlsEnabled, true);
  assert.equal(t.rlsForced, true);
  assert.deepEqual(
    t.policies.map((p) => [p.name, p.command, p.using, p.withCheck]),
    [
      ['tenant_read', 'select', "email = current_setting('app.email')", undefined],
      ['tenant_write', 'insert', undefined, 'balance >= 0'],
    ],
  );
  assert.deepEqual(
    t.triggers.map((x) => [x.name, x.timing, x.events, x.level, x.func, x.constraint, x.deferrable]),
    [
      ['ledger_balanced', 'after', ['insert', 'update'], 'row', 'check_balanced', true, true],
      ['stamp', 'before', ['update'], 'row', 'util.touch', false, false],
    ],
  );
  const off = table(replaySql(sql + `\nalter table accounts disable row level security, no force row level security;`).schema, 'accounts');
  assert.equal(off.rlsEnabled, false);
  assert.equal(off.rlsForced, false);
});

test('GRANT/REVOKE on tables and ON ALL TABLES IN SCHEMA; REVOKE EXECUTE FROM PUBLIC; functions', () => {
  const sql =
    BASE +
    `create table journal (id bigint);
grant select, update (email) on table accounts to app, public;
revoke all on accounts from public;
grant all on all tables in schema public to reporting;
create or replace function transfer(a bigint) returns void language plpgsql security definer set search_path = pg_catalog, public as $$ begin end $$;
create function plain() returns int as $$ select 1 $$ language sql;
revoke execute on function transfer(bigint) from public;
alter function plain() security definer;
comment on table accounts is 'money';`;
  const { schema, out } = replaySql(sql);
  assert.equal(out.failures, 0);
  const grants = table(schema, 'accounts').grants.map((g) => [g.privileges, g.grantees, g.revoke]);
  assert.deepEqual(grants, [
    [['select', 'update'], ['app', 'public'], false],
    [['all'], ['public'], true],
    [['all'], ['reporting'], false],
  ]);
  assert.deepEqual(table(schema, 'journal').grants.map((g) => g.grantees), [['reporting']]);
  const transfer = schema.functions.get('transfer')!;
  assert.deepEqual([transfer.language, transfer.securityDefiner, transfer.setsSearchPath], ['plpgsql', true, true]);
  const plain = schema.functions.get('plain')!;
  assert.deepEqual([plain.language, plain.securityDefiner, plain.setsSearchPath], ['sql', true, false]);
  assert.deepEqual([...schema.revokedExecute], ['transfer']);
});

test('ATTACH PARTITION and tables only altered in this workspace', () => {
  const sql = `create table events (at date) partition by list (at);
create table events_a (at date);
alter table events attach partition events_a for values in ('2024-01-01');
alter table legacy_ledger add column note text;`;
  const { schema, out } = replaySql(sql);
  assert.equal(table(schema, 'events_a').partitionOf, 'events');
  const legacy = table(schema, 'legacy_ledger');
  assert.equal(legacy.created, undefined);
  assert.deepEqual([...legacy.columns.keys()], ['note']);
  assert.deepEqual([...out.newTables.keys()], ['events', 'events_a']);
});

test('ADD COLUMN ... REFERENCES in ALTER TABLE, and constraints USING INDEX take the index columns', () => {
  const sql =
    BASE +
    `create table payouts (id bigint, account_id bigint);
alter table payouts add column merchant_id bigint references accounts on delete set null;
create unique index concurrently payouts_account_uq on payouts (account_id);
create unique index concurrently payouts_pk_idx on payouts (id);
alter table payouts add constraint payouts_account_key unique using index payouts_account_uq, add primary key using index payouts_pk_idx;`;
  const t = table(replaySql(sql).schema, 'payouts');
  const fk = t.foreignKeys[0];
  assert.deepEqual([fk.columns, fk.refTable, fk.refColumns, fk.onDelete, fk.onDeleteExplicit], [['merchant_id'], 'accounts', ['id'], 'set null', true]);
  assert.equal(where(sql, fk.source), '3:51 references accounts on delete set null');
  assert.deepEqual(t.uniques.find((u) => u.name === 'payouts_account_key')?.columns, ['account_id']);
  assert.deepEqual(t.primaryKey?.columns, ['id']);
  assert.equal(t.columns.get('id')!.notNull, true);
});
