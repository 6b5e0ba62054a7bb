import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, replaySql } from './helpers';

before(() => initParser());

const CORPUS = `create table a ();
create table b of some_type;
create table c partition of a default;
create unlogged table d (x int) with (fillfactor = 70) tablespace fast;
create table e (x int, exclude using gist (x with =));
create table f (x int collate "C" not null, y int default -1 null, z text check (z ~ '^a'), w int unique deferrable initially deferred);
alter table all in tablespace a set tablespace b;
alter table a alter column x set statistics 100, alter column x set storage plain, cluster on idx, set without cluster;
alter table if exists ghost add column x int;
alter table only a * add column y int;
alter table a detach partition c concurrently;
alter table a owner to app, set schema other;
alter table a add column if not exists y int;
alter table a drop column if exists nope cascade;
alter table a alter column nope type text, alter column nope set not null, alter column nope set default 1;
alter table a validate constraint nope, drop constraint if exists nope;
alter index if exists i set (fillfactor = 50);
alter index nope rename to nope2;
alter table a rename constraint x to y;
alter policy p on a rename to q;
alter trigger t on a rename to u;
alter table a rename column nope to other;
create index on only a (x);
create index if not exists i2 on a using hash (x);
reindex index concurrently i2;
drop index concurrently if exists i2, i3;
drop table if exists nope1, nope2;
drop policy nope on nope;
drop trigger if exists nope on nope;
drop function if exists f(int), g;
grant select on sequence s to app;
grant usage on schema public to app;
grant execute on all functions in schema public to public;
revoke execute on all functions in schema public from public;
revoke all on all tables in schema nope from app;
grant select on a to current_user, session_user;
create policy p on a as restrictive for all to public;
create or replace trigger t instead of insert on v for each row execute function f();
create trigger t2 after truncate on a execute function f();
create function h() returns void as 'select 1' language sql;
create procedure pr() language plpgsql as $$ begin end $$;
alter function nope() reset search_path;
alter function h() set search_path from current;
comment on column a.x is 'note';
create view v as select 1;
create materialized view mv as select 1 with no data;
create table ctas (a, b) as values (1, 2);
create table ctas2 as table a;
select * into new_t from a;
begin; set lock_timeout = '3s'; commit;`;

test('a corpus of unusual DDL replays without a single failed statement', () => {
  const { out, schema } = replaySql(CORPUS);
  assert.equal(out.failures, 0);
  assert.ok(schema.table('a'));
  assert.deepEqual([...schema.table('ctas')!.columns.keys()], ['a', 'b']);
  // PARTITION OF ... DEFAULT attaches; the later DETACH PARTITION detaches.
  assert.equal(replaySql(CORPUS.split('\n').slice(0, 3).join('\n')).schema.table('c')!.partitionOf, 'a');
  assert.equal(schema.table('c')!.partitionOf, undefined);
  assert.equal(schema.table('f')!.columns.get('x')!.notNull, true);
  assert.equal(schema.table('f')!.columns.get('y')!.defaultExpr, '-1');
  assert.equal(schema.table('f')!.columns.get('y')!.notNull, false);
  assert.equal(schema.table('f')!.checks[0].expr, "z ~ '^a'");
});

test('every prefix of a migration replays without throwing', () => {
  const text = CORPUS.slice(0, 1200);
  for (let i = 0; i <= text.length; i += 7) {
    assert.doesNotThrow(() => replaySql(text.slice(0, i)), `prefix ${i}`);
  }
});
