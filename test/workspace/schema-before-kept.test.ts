// The schema before a file (WorkspaceModel.schemaBefore) is kept for the files checked last only
// (model/recent-map.ts): 200 open migrations kept one fork with up to 31 replayed files each. A file
// asked again after its answer went must get the same answer, made anew.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../server/src/sql/parser';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { RecentMap } from '../../server/src/model/recent-map';

before(() => initParser());

const name = (i: number) => `/ws/drizzle/${String(i).padStart(4, '0')}_m${i}.sql`;
const text = (i: number) => (i < 5 ? `create table t${i} (id bigint primary key, amount numeric(19,4));\n` : `alter table t${i % 5} add column c${i} int;\nselect * from t${(i + 1) % 5};\n`);

function model(): WorkspaceModel {
  const m = new WorkspaceModel();
  for (let i = 0; i < 120; i++) m.setFile(name(i), text(i), { order: i, role: 'up' });
  m.retainParses(() => false);
  m.schema();
  return m;
}

const columns = (m: WorkspaceModel, i: number, statement?: number) =>
  JSON.stringify([...m.schemaBefore(name(i), statement).tables].map(([k, t]) => [k, [...t.columns.keys()], t.columns.get(`c${i - 5}`)?.source]));

test('schemaBefore answers are kept for the 8 files asked last, and one asked again equals a fresh answer', () => {
  const m = model();
  const first = columns(m, 50, 1);
  for (let i = 51; i < 90; i++) columns(m, i, 1);
  const kept = m as unknown as { before: Map<string, unknown>; within: Map<string, unknown> };
  assert.ok(kept.before.size <= 8, `${kept.before.size} schemas before a file kept`);
  assert.ok(kept.within.size <= 8, `${kept.within.size} schemas before a statement kept`);
  assert.ok(!kept.before.has(name(50)), 'the first file asked is no longer kept');
  assert.equal(columns(m, 50, 1), first);
  assert.equal(columns(m, 50, 1), columns(model(), 50, 1));
  assert.equal(columns(m, 50), columns(model(), 50));
});

test('RecentMap drops the key set longest ago, and a key set again counts as new', () => {
  const r = new RecentMap<string, number>(2);
  r.set('a', 1).set('b', 2).set('a', 3).set('c', 4);
  assert.deepEqual([...r], [
    ['a', 3],
    ['c', 4],
  ]);
});
