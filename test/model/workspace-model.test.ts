import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from './helpers';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { emptyTable } from '../../server/src/model/schema-builder';

before(() => initParser());

const M1 = `create table merchants (id uuid primary key);
create table payouts (id bigint primary key, amount numeric(19,4) not null);`;
const M2 = `alter table payouts add column merchant_id uuid;
alter table payouts add constraint payouts_merchant_fk foreign key (merchant_id) references merchants (id) not valid;`;
const M3 = `create index concurrently payouts_merchant_idx on payouts (merchant_id);
create table refunds (id bigint, payout_id bigint references payouts);
alter table refunds add column note text;`;

function workspace(): WorkspaceModel {
  const ws = new WorkspaceModel();
  ws.setFile('m/0003_idx.sql', M3, { order: 2, role: 'plain' });
  ws.setFile('m/0001_init.sql', M1, { order: 0, role: 'plain' });
  ws.setFile('m/0002_fk.sql', M2, { order: 1, role: 'plain' });
  ws.setFile('queries/report.sql', 'select * from payouts join refunds on true;');
  return ws;
}

test('migrations replay in order: a foreign key and its index added by later files', () => {
  const ws = workspace();
  const payouts = ws.schema().table('payouts')!;
  assert.deepEqual([...payouts.columns.keys()], ['id', 'amount', 'merchant_id']);
  assert.deepEqual(payouts.foreignKeys.map((f) => [f.name, f.refTable, f.validated, f.source.file, f.source.order]), [
    ['payouts_merchant_fk', 'merchants', false, 'm/0002_fk.sql', 1],
  ]);
  assert.deepEqual(payouts.indexes.map((i) => [i.name, i.columns, i.source.file]), [['payouts_merchant_idx', ['merchant_id'], 'm/0003_idx.sql']]);
  assert.equal(payouts.created?.file, 'm/0001_init.sql');
  assert.deepEqual(ws.schema().table('refunds')!.foreignKeys[0].refColumns, ['id']);
  assert.deepEqual(ws.files().map((f) => f.path), ['m/0001_init.sql', 'm/0002_fk.sql', 'm/0003_idx.sql', 'queries/report.sql']);
  assert.equal(ws.fileInfo('queries/report.sql')!.order, Infinity);
});

test('existing table: created by an earlier file or never; new when created earlier in the same file', () => {
  const ws = workspace();
  assert.equal(ws.isExistingTable('payouts', 'm/0002_fk.sql', 0), true);
  assert.equal(ws.isExistingTable('payouts', 'm/0003_idx.sql', 0), true);
  assert.equal(ws.isExistingTable('refunds', 'm/0003_idx.sql', 2), false);
  assert.equal(ws.isExistingTable('refunds', 'm/0003_idx.sql', 1), false);
  assert.equal(ws.isExistingTable('refunds', 'm/0003_idx.sql', 0), true);
  assert.equal(ws.isExistingTable('public.payouts', 'm/0001_init.sql', 1), false);
  assert.equal(ws.isExistingTable('legacy', 'm/0001_init.sql', 1), true);
  assert.equal(ws.isExistingTable('payouts', 'unknown.sql', 0), true);
});

test('a table created then renamed in the same file stays new under its new name', () => {
  const ws = new WorkspaceModel();
  ws.setFile('a.sql', 'create table tmp_x (id int);\nalter table tmp_x rename to wallets;\nalter table wallets add column b int;', { order: 0, role: 'plain' });
  assert.equal(ws.isExistingTable('wallets', 'a.sql', 2), false);
});

test('editing one file re-parses only that file and changes the model', () => {
  const ws = workspace();
  ws.schema();
  const parsesBefore = ws.stats().fileParses;
  assert.equal(parsesBefore, 4);
  ws.setFile('m/0002_fk.sql', M2 + '\nalter table payouts add column currency char(3);', { order: 1, role: 'plain' });
  const payouts = ws.schema().table('payouts')!;
  assert.ok(payouts.columns.has('currency'));
  assert.equal(ws.stats().fileParses, parsesBefore + 1);
  assert.equal(ws.stats().rebuilds, 2);
  // Same text again: nothing to do, no rebuild.
  ws.setFile('m/0002_fk.sql', M2 + '\nalter table payouts add column currency char(3);', { order: 1, role: 'plain' });
  ws.schema();
  assert.equal(ws.stats().rebuilds, 2);
  ws.removeFile('m/0003_idx.sql');
  assert.equal(ws.schema().table('refunds'), undefined);
  assert.equal(ws.stats().fileParses, parsesBefore + 1);
});

test('dependents: the other files touching the same tables, earlier ones and query files included', () => {
  const ws = workspace();
  assert.deepEqual(ws.dependents('m/0001_init.sql'), ['m/0002_fk.sql', 'm/0003_idx.sql', 'queries/report.sql']);
  // Earlier files too: the index 0003 adds clears unindexed-foreign-key on 0002's payouts.merchant_id.
  assert.deepEqual(ws.dependents('m/0003_idx.sql'), ['m/0001_init.sql', 'm/0002_fk.sql', 'queries/report.sql']);
  ws.setFile('m/0004_other.sql', 'create table unrelated (id int);', { order: 3, role: 'plain' });
  assert.deepEqual(ws.dependents('m/0002_fk.sql'), ['m/0001_init.sql', 'm/0003_idx.sql', 'queries/report.sql']);
  assert.deepEqual(ws.dependents('m/0004_other.sql'), []);
  // A table the edit stopped touching still counts: findings about it may disappear.
  ws.setFile('m/0004_other.sql', 'create table refunds_archive (id int);', { order: 3, role: 'plain' });
  ws.setFile('m/0002_fk.sql', 'select 1;', { order: 1, role: 'plain' });
  assert.deepEqual(ws.dependents('m/0002_fk.sql'), ['m/0001_init.sql', 'm/0003_idx.sql', 'queries/report.sql']);
});

test('dependents: files whose *_id column guesses a table the file creates or drops (id-column-without-fk)', () => {
  const ws = new WorkspaceModel();
  ws.setFile('m/0001_init.sql', 'create table payments (id bigint primary key);', { order: 0, role: 'plain' });
  ws.setFile('m/0002_payouts.sql', 'create table payouts (id bigint primary key, payment_id bigint not null);', { order: 1, role: 'plain' });
  ws.setFile('m/0003_other.sql', 'create table ledgers (id bigint primary key, payer_account_id bigint);', { order: 2, role: 'plain' });
  // 0002 shares no table with 0001, but whether payments exists decides its REFERENCES suggestion.
  assert.deepEqual(ws.dependents('m/0001_init.sql'), ['m/0002_payouts.sql']);
  ws.setFile('m/0001_init.sql', 'select 1;', { order: 0, role: 'plain' });
  assert.deepEqual(ws.dependents('m/0001_init.sql'), ['m/0002_payouts.sql']);
  // payer_account_id guesses payer_accounts and accounts; payment_id guesses nothing 0001 touches now.
  ws.setFile('m/0001_init.sql', 'create table accounts (id bigint primary key);', { order: 0, role: 'plain' });
  assert.deepEqual(ws.dependents('m/0001_init.sql'), ['m/0003_other.sql']);
});

test('down files and sql-migrate Down sections do not shape the schema', () => {
  const ws = new WorkspaceModel();
  ws.setFile('d/1/up.sql', 'create table a (id int);', { order: 0, role: 'up' });
  ws.setFile('d/1/down.sql', 'drop table a;', { order: 1, role: 'down' });
  ws.setFile('s/2_b.sql', '-- +migrate Up\ncreate table b (id int);\n-- +migrate Down\ndrop table b;\ndrop table a;\n', { order: 2, role: 'up', convention: 'sql-migrate' });
  const schema = ws.schema();
  assert.ok(schema.table('a'));
  assert.ok(schema.table('b'));
  assert.deepEqual(ws.fileInfo('s/2_b.sql')!.sections?.down !== undefined, true);
});

test('a non-SQL front-end can contribute tables (the Drizzle entry point)', () => {
  const ws = workspace();
  ws.setContribution('src/schema.ts', (schema, out, ref) => {
    const t = emptyTable('wallets');
    t.created = ref({ start: 10, end: 20 });
    schema.setTable('wallets', t);
    out.newTables.set('wallets', 0);
    out.touched.add('wallets');
  });
  const wallets = ws.schema().table('wallets')!;
  assert.deepEqual(wallets.created, { file: 'src/schema.ts', span: { start: 10, end: 20 }, order: Infinity });
  ws.setContribution('src/schema.ts', () => {
    throw new Error('front-end bug');
  });
  assert.equal(ws.schema().table('wallets'), undefined);
  assert.ok(ws.schema().table('payouts'));
});
