// Indexing a workspace reads each SQL file once: discovery reads a plain migration folder's files
// (to tell sql-migrate files apart) and hands their bytes to the index, which read them again before.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Project } from '../../server/src/engine/project';
import { discoverMigrations } from '../../server/src/workspace/discover';
import { removeTree, tree } from './tmp-tree';

// The module object itself (not an import's copy of it), so the project's reads go through the counter.
const nodeFs = require('node:fs') as typeof import('node:fs');

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('Project.index reads each SQL file once, and a sql-migrate folder keeps its sections', () => {
  const root = tree({
    'migrations/0001_accounts.sql': 'create table accounts (id bigint primary key);',
    'migrations/0002_payouts.sql': 'create table payouts (id bigint primary key, account_id bigint references accounts (id));',
    'db/sql-migrate/0001_fees.sql': '-- +migrate Up\ncreate table fees (id bigint primary key);\n-- +migrate Down\ndrop table fees;\n',
    'queries/report.sql': 'select id from payouts;',
  });
  roots.push(root);
  const reads = new Map<string, number>();
  const original = nodeFs.readFileSync;
  nodeFs.readFileSync = function (this: unknown, file: unknown, ...rest: unknown[]) {
    if (typeof file === 'string' && file.endsWith('.sql')) reads.set(file, (reads.get(file) ?? 0) + 1);
    return (original as (...a: unknown[]) => unknown).call(this, file, ...rest);
  } as typeof nodeFs.readFileSync;
  let files: string[];
  const project = new Project(root);
  try {
    files = project.index();
  } finally {
    nodeFs.readFileSync = original;
  }
  assert.equal(files.length, 4);
  for (const f of files) assert.ok((reads.get(f) ?? 0) <= 1, `${f} read ${reads.get(f)} times`);
  // The bytes discovery read decide the conventions as reading on its own does.
  const fees = files.find((f) => f.endsWith('0001_fees.sql'))!;
  assert.equal(project.model.fileInfo(fees)?.convention, 'sql-migrate');
  assert.ok(project.model.fileInfo(fees)?.sections?.up);
  const alone = discoverMigrations(root);
  assert.equal(alone.files.length, 3);
  for (const m of alone.files) assert.equal(project.model.fileInfo(m.path)?.convention, m.convention, m.path);
});
