// An edit to an old migration takes the later chunks of files from the last build when their replay
// cannot change (model/later-chunks.ts): in an editor those files are dormant and would be parsed
// again. Whatever is taken or replayed, the model must equal one that replayed everything: the same
// workspace schema (spans included), schema before later files and their statements, and
// dependents, for edits changing a table a later dormant file alters, one none alters, a rename, a
// drop, an index a later DROP INDEX names, an enum, a function and a name in two schemas.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../server/src/sql/parser';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { laterChunkPolicy, laterChunkStats } from '../../server/src/model/later-chunks';
import type { SchemaModel } from '../../server/src/model/schema';

before(() => initParser());

const FILES = 200;
const EDITED = 40;
const name = (i: number) => `/ws/drizzle/${String(i).padStart(4, '0')}_m${i}.sql`;

function dump(schema: SchemaModel): string {
  return JSON.stringify(
    { tables: [...schema.tables].sort(), functions: [...schema.functions].sort(), enums: [...schema.enums].sort(), revoked: [...schema.revokedExecute].sort() },
    (_k, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v].sort() : v === Infinity ? 'inf' : v),
  );
}

/** Tables t0-t9 are changed up to file 64 (chunks 0 and 1 of 32 files), u0-u6 after; only files 150, 170, 175 and 190 reach back. */
function migration(i: number): string {
  if (i === EDITED) return `select * from t1 where id = 1;\ncreate table x40 (id int, t_id bigint references t0 (id));\nalter table t4 add column c40 int;\n`;
  if (i < 10) return `create table t${i} (id bigint primary key, amount numeric(19,4), name text);\ncreate index t${i}_name_idx on t${i} (name);\n`;
  if (i === 50) return `create type e50 as enum ('a', 'b');\n`;
  if (i === 150) return `alter table t3 add column late150 int;\n`;
  if (i === 160) return `alter type e50 add value 'z';\n`;
  if (i === 170) return `drop index shared_idx;\n`;
  if (i === 175) return `grant select on t8 to app;\n`;
  if (i === 190) return `select * from t3 where amount > 0;\n`;
  if (i >= 64 && i < 71) return `create table u${i - 64} (id bigint primary key, t_id bigint, memo text);\n`;
  const t = i < 64 ? `t${i % 10}` : `u${i % 7}`;
  switch (i % 4) {
    case 0:
      return `alter table ${t} add column c${i} int;\ncreate index ${t}_c${i}_idx on ${t} (c${i});\n`;
    case 1:
      return `select * from ${t} where id = ${i};\n`;
    case 2:
      return `create table x${i} (id int, ref bigint references ${t} (id));\n`;
    default:
      return `alter table ${t} add constraint ck${i} check (id > 0) not valid;\n`;
  }
}

function fresh(texts: Map<number, string>): WorkspaceModel {
  const m = new WorkspaceModel();
  for (let i = 0; i < FILES; i++) m.setFile(name(i), texts.get(i) ?? migration(i), { order: i, role: 'up' });
  return m;
}

function editor(): WorkspaceModel {
  const m = fresh(new Map());
  m.retainParses((p) => p === name(EDITED));
  m.schema();
  return m;
}

/** Equal dumps, or a failure that shows where they part. */
function same(a: string, b: string, what: string): void {
  if (a === b) return;
  let i = 0;
  while (a[i] === b[i]) i++;
  assert.fail(`${what} differs at ${i}: ${a.slice(Math.max(0, i - 150), i + 100)}\n  full replay: ${b.slice(Math.max(0, i - 150), i + 100)}`);
}

function compare(m: WorkspaceModel, texts: Map<number, string>, step: string, schemaChanged = true): void {
  const cli = fresh(texts);
  same(dump(m.schema()), dump(cli.schema()), `${step}: workspace schema`);
  for (const i of [EDITED, 70, 130, 150, 151, 170, 171, 190, 199]) {
    same(dump(m.schemaBefore(name(i))), dump(cli.schemaBefore(name(i))), `${step}: schema before ${i}`);
    same(dump(m.schemaBefore(name(i), 1)), dump(cli.schemaBefore(name(i), 1)), `${step}: schema before statement 1 of ${i}`);
  }
  // After a query edit nothing depends on the change (WorkspaceModel.dependents), unlike a first
  // build; after a DDL edit the files sharing tables before or after it do, a first build's among them.
  if (schemaChanged) {
    const deps = new Set(m.dependents(name(EDITED)));
    for (const d of cli.dependents(name(EDITED))) assert.ok(deps.has(d), `${step}: ${d} is a dependent`);
  }
}

const EDITS: Array<[string, string, number]> = [
  // [label, statements appended to file 40, files replayed at most: the edited chunk (32-63), the
  // chunk of 150 (128-159) when t3 changed, the chunk of 160-191 (170 is a DROP INDEX, which looks
  // at every table); a full replay from the edited chunk is 168 files]
  ['a table a later dormant file alters', 'alter table t3 add column edited int;\n', 96],
  ['a table no later file touches', 'alter table t7 add column edited int;\n', 64],
  ['a rename', 'alter table t3 rename to t3r;\n', 96],
  ['a drop', 'drop table t8;\n', 64],
  ['an index a later DROP INDEX names', 'create index shared_idx on t5 (name);\n', 64],
  ['an enum label', "alter type e50 add value 'y';\n", 64],
  ['a column rename', 'alter table t4 rename column c40 to c40r;\n', 64],
  ['a function', "create function f1() returns int language sql as 'select 1';\n", Infinity],
  ['a table name in two schemas', 'create table billing.t3 (id int);\n', Infinity],
];

for (const [label, ddl, most] of EDITS) {
  test(`editing an old migration: ${label} gives the schema of a full replay`, () => {
    const m = editor();
    const texts = new Map<number, string>();
    const replayed = m.stats().filesReplayed;
    const reused = laterChunkStats.reused;
    texts.set(EDITED, migration(EDITED) + ddl);
    m.setFile(name(EDITED), texts.get(EDITED)!);
    m.schema();
    const count = m.stats().filesReplayed - replayed;
    assert.ok(count <= most, `${label}: ${count} files replayed`);
    if (most < Infinity) assert.ok(laterChunkStats.reused > reused, `${label}: later chunks were taken from the last build`);
    compare(m, texts, label);
    // A query edit moving the file's statements keeps the schema: its refs must be the ones the schema holds.
    texts.set(EDITED, texts.get(EDITED)!.replace('id = 1;', 'id = 12345;'));
    m.setFile(name(EDITED), texts.get(EDITED)!);
    compare(m, texts, `${label}, then a query edit`, false);
    // Back to the text on disk, then the edit again: reuse from a build that was itself reused.
    texts.delete(EDITED);
    m.setFile(name(EDITED), migration(EDITED));
    compare(m, texts, `${label}, undone`);
    texts.set(EDITED, migration(EDITED) + ddl);
    m.setFile(name(EDITED), texts.get(EDITED)!);
    compare(m, texts, `${label}, again`);
  });
}

test('a shortcut that skips the later chunks touching a changed table fails the comparison', () => {
  laterChunkPolicy.replayTouching = false;
  try {
    const m = editor();
    const texts = new Map([[EDITED, migration(EDITED) + 'alter table t3 add column edited int;\n']]);
    m.setFile(name(EDITED), texts.get(EDITED)!);
    assert.throws(() => compare(m, texts, 'broken'), /schema/);
  } finally {
    laterChunkPolicy.replayTouching = true;
  }
});

test('a shortcut that counts DROP INDEX as narrow fails the comparison', () => {
  laterChunkPolicy.wideIsNarrow = true;
  try {
    const m = editor();
    const texts = new Map([[EDITED, migration(EDITED) + 'create index shared_idx on t5 (name);\n']]);
    m.setFile(name(EDITED), texts.get(EDITED)!);
    assert.throws(() => compare(m, texts, 'broken'), /schema/);
  } finally {
    laterChunkPolicy.wideIsNarrow = false;
  }
});
