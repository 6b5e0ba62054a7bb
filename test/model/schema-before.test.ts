// WorkspaceModel.schemaBefore: the schema as the migration about to run sees it, across the
// checkpoints the model keeps every 32 files, and kept correct after an edit.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { initParser } from '../../server/src/sql/parser';

const name = (i: number) => `db/${String(i).padStart(4, '0')}_m.sql`;

/** 100 migrations: the first creates `wallets`, each later one widens `memo` to varchar(100 + i). */
function model(): WorkspaceModel {
  const m = new WorkspaceModel();
  m.setFile(name(0), 'CREATE TABLE wallets (id bigint, memo varchar(100));', { order: 0, role: 'up' });
  for (let i = 1; i < 100; i++) m.setFile(name(i), `ALTER TABLE wallets ALTER COLUMN memo TYPE varchar(${100 + i});`, { order: i, role: 'up' });
  return m;
}

const memoLength = (s: ReturnType<WorkspaceModel['schemaBefore']>) => s.table('wallets')?.columns.get('memo')?.type.mods[0];

describe('WorkspaceModel.schemaBefore', () => {
  before(() => initParser());

  it('is the schema after every earlier file and none of the later ones, at and between checkpoints', () => {
    const m = model();
    assert.equal(memoLength(m.schema()), 199);
    assert.equal(m.schemaBefore(name(0)).table('wallets'), undefined);
    for (const i of [1, 31, 32, 33, 64, 70, 99]) assert.equal(memoLength(m.schemaBefore(name(i))), 100 + i - 1, `before file ${i}`);
    // Asking did not change the end state or the checkpoints.
    assert.equal(memoLength(m.schema()), 199);
    assert.equal(memoLength(m.schemaBefore(name(40))), 139);
  });

  it('with a statement index, includes the file\'s own earlier statements only', () => {
    const m = new WorkspaceModel();
    m.setFile('db/0001_a.sql', 'CREATE TABLE t (a int);', { order: 0, role: 'up' });
    m.setFile('db/0002_b.sql', 'ALTER TABLE t ADD COLUMN b text;\nALTER TABLE t ALTER COLUMN b TYPE varchar(5);\nALTER TABLE t DROP COLUMN a;', { order: 1, role: 'up' });
    const cols = (i?: number) => [...(m.schemaBefore('db/0002_b.sql', i).table('t')?.columns.values() ?? [])].map((c) => `${c.name}:${c.type.written}`);
    assert.deepEqual(cols(), ['a:int']);
    assert.deepEqual(cols(1), ['a:int', 'b:text']);
    assert.deepEqual(cols(2), ['a:int', 'b:varchar(5)']);
    assert.deepEqual(cols(3), ['b:varchar(5)']);
    assert.deepEqual(cols(), ['a:int'], 'the cached before-file schema was not changed by the statement replays');
    // Out of order: an earlier index after a later one, the same index twice.
    assert.deepEqual(cols(1), ['a:int', 'b:text']);
    assert.deepEqual(cols(3), ['b:varchar(5)']);
    assert.deepEqual(cols(3), ['b:varchar(5)']);
    assert.deepEqual(cols(2), ['a:int', 'b:varchar(5)']);
  });

  it('follows edits: an earlier file changed, a file removed', () => {
    const m = model();
    assert.equal(memoLength(m.schemaBefore(name(50))), 149);
    m.setFile(name(45), 'ALTER TABLE wallets ALTER COLUMN memo TYPE varchar(7);');
    assert.equal(memoLength(m.schemaBefore(name(46))), 7);
    assert.equal(memoLength(m.schemaBefore(name(50))), 149, 'file 49 still sets 149');
    m.removeFile(name(49));
    assert.equal(memoLength(m.schemaBefore(name(50))), 148);
    assert.equal(memoLength(m.schema()), 199);
  });

  it('an unknown file gets an empty schema', () => {
    assert.equal(model().schemaBefore('db/nope.sql').tables.size, 0);
  });
});
