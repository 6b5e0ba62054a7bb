import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { initParser } from '../../server/src/sql/parser';
import { discoverMigrations } from '../../server/src/workspace/discover';
import { migrationInfo, WorkspaceModel } from '../../server/src/model/workspace-model';
import { removeTree, tree } from './tmp-tree';

const roots: string[] = [];
before(() => initParser());
after(() => roots.forEach(removeTree));

test('a discovered Diesel repository builds a model; down.sql files are ignored, order is the runner order', () => {
  const root = tree({
    'migrations/2024-01-15-093000_accounts/up.sql': 'create table accounts (id bigint primary key);',
    'migrations/2024-01-15-093000_accounts/down.sql': 'drop table accounts;',
    'migrations/2024-02-01-120000_payouts/up.sql': 'create table payouts (id bigint, account_id bigint);\nalter table payouts add constraint payouts_account_fk foreign key (account_id) references accounts (id);',
    'migrations/2024-02-01-120000_payouts/down.sql': 'drop table payouts;',
    'migrations/2024-03-01-000000_idx/up.sql': 'create index payouts_account_idx on payouts (account_id);',
  });
  roots.push(root);
  const found = discoverMigrations(root);
  const ws = new WorkspaceModel();
  for (const f of found.files) ws.setFile(f.path, fs.readFileSync(f.path, 'utf8'), migrationInfo(f, found.folders[0]));
  const payouts = ws.schema().table('payouts')!;
  assert.equal(payouts.foreignKeys[0].refTable, 'accounts');
  assert.deepEqual(payouts.indexes.map((i) => i.name), ['payouts_account_idx']);
  assert.ok(ws.schema().table('accounts'));
  const idx = found.files.find((f) => f.path.endsWith('idx/up.sql'))!;
  assert.equal(ws.isExistingTable('payouts', idx.path, 0), true);
  assert.equal(ws.fileInfo(idx.path)!.runnerWrapsTransaction, true);
  assert.deepEqual(ws.files().map((f) => f.info.role), ['up', 'down', 'up', 'down', 'up']);
});
