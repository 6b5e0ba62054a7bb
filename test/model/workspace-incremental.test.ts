import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from './helpers';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import type { SchemaModel } from '../../server/src/model/schema';

before(() => initParser());

/** A comparable dump of a schema: Maps and Sets as sorted entries. */
function dump(schema: SchemaModel): string {
  return JSON.stringify(
    { tables: [...schema.tables].sort(), functions: [...schema.functions].sort(), revoked: [...schema.revokedExecute].sort() },
    (_k, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v].sort() : v === Infinity ? 'inf' : v),
  );
}

function migration(i: number, variant = 0): string {
  const t = `t${i % 7}`;
  switch ((i + variant) % 6) {
    case 0:
      return `create table if not exists ${t} (id bigint primary key, amount numeric(19,4));\ncreate table x${i} (id int, ${t}_id bigint references ${t} (id));`;
    case 1:
      return `alter table ${t} add column c${i} text not null default 'a';\ncreate index ${t}_c${i}_idx on ${t} (c${i});`;
    case 2:
      return `alter table ${t} rename column amount to amount_${i};\nalter table ${t} enable row level security;`;
    case 3:
      return `create policy p${i} on ${t} using (true);\ngrant select on ${t} to app;\ncreate trigger tr${i} after insert on ${t} for each row execute function f${i}();`;
    case 4:
      return `alter table ${t} add constraint ck${i} check (id > 0) not valid;\ndrop index if exists t${(i + 3) % 7}_c${i - 3}_idx;`;
    default:
      return `alter table ${t} rename to ${t}_tmp;\nalter table ${t}_tmp rename to ${t};\ncreate function f${i}() returns trigger language plpgsql as $$ begin return new; end $$;`;
  }
}

test('incremental rebuilds from checkpoints give the same schema as a fresh build', () => {
  const N = 150;
  const ws = new WorkspaceModel();
  const texts: string[] = [];
  for (let i = 0; i < N; i++) {
    texts.push(migration(i));
    ws.setFile(`m/${i}.sql`, texts[i], { order: i, role: 'plain' });
  }
  ws.schema();
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  for (let round = 0; round < 12; round++) {
    const i = round === 0 ? N - 1 : rand(N);
    texts[i] = migration(i, 1 + rand(5));
    ws.setFile(`m/${i}.sql`, texts[i], { order: i, role: 'plain' });
    if (round % 4 === 3) ws.removeFile(`m/${rand(N)}.sql`);
    const fresh = new WorkspaceModel();
    for (const f of ws.files()) fresh.setFile(f.path, texts[Number(f.path.slice(2, -4))], f.info);
    assert.equal(dump(ws.schema()), dump(fresh.schema()), `round ${round}, edited file ${i}`);
  }
});

test('editing the newest migration replays only the files after the last checkpoint', () => {
  const ws = new WorkspaceModel();
  for (let i = 0; i < 100; i++) ws.setFile(`m/${i}.sql`, migration(i), { order: i, role: 'plain' });
  ws.schema();
  const before = ws.stats().filesReplayed;
  assert.equal(before, 100);
  ws.setFile('m/99.sql', 'alter table t1 add column late int;', { order: 99, role: 'plain' });
  assert.ok(ws.schema().table('t1')!.columns.has('late'));
  const replayed = ws.stats().filesReplayed - before;
  assert.ok(replayed <= 32 && replayed >= 1, `replayed ${replayed} files`);
  // Undoing the edit must not see the column: checkpoints were not changed by the previous build.
  ws.setFile('m/99.sql', migration(99), { order: 99, role: 'plain' });
  assert.equal(ws.schema().table('t1')!.columns.has('late'), false);
});
