import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { discoverMigrations } from '../../server/src/workspace/discover';
import { nextMigrationFileName } from '../../server/src/workspace/naming';
import { removeTree, tree } from './tmp-tree';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
const NOW = new Date(Date.UTC(2025, 2, 4, 5, 6, 7));

function next(files: Record<string, string>, slug: string) {
  const root = tree(files);
  roots.push(root);
  const folder = discoverMigrations(root).folders[0];
  const result = nextMigrationFileName(folder, slug, NOW);
  return { ...result, files: result.files.map((f) => path.relative(root, f).split(path.sep).join('/')) };
}

test('new migration names follow each folder convention', () => {
  const drizzle = next({ 'drizzle/0005_a.sql': '', 'drizzle/0006_b.sql': '', 'drizzle/meta/_journal.json': '{"entries":[]}' }, 'Add payouts.merchant_id idx');
  assert.deepEqual(drizzle.files, ['drizzle/0007_add_payouts_merchant_id_idx.sql']);
  assert.match(drizzle.note ?? '', /_journal\.json/);
  assert.deepEqual(next({ 'migrations/2024-01-15-093000_a/up.sql': '' }, 'idx').files, [
    'migrations/2025-03-04-050607_idx/up.sql',
    'migrations/2025-03-04-050607_idx/down.sql',
  ]);
  assert.deepEqual(next({ 'db/V1__a.sql': '', 'db/V1.5__b.sql': '', 'db/R__v.sql': '' }, 'idx').files, ['db/V2__idx.sql']);
  assert.deepEqual(next({ 'm/000009_a.up.sql': '', 'm/000009_a.down.sql': '' }, 'idx').files, ['m/000010_idx.up.sql', 'm/000010_idx.down.sql']);
  assert.deepEqual(next({ 'm/20240101000000_a.up.sql': '' }, 'idx').files, ['m/20250304050607_idx.up.sql', 'm/20250304050607_idx.down.sql']);
  assert.deepEqual(next({ 'prisma/migrations/20240101000000_a/migration.sql': '' }, 'idx').files, ['prisma/migrations/20250304050607_idx/migration.sql']);
  const sqlMigrate = next({ 'sql/3-init.sql': '-- +migrate Up\n' }, 'idx');
  assert.deepEqual(sqlMigrate.files, ['sql/4-idx.sql']);
  assert.match(sqlMigrate.note ?? '', /\+migrate Up/);
});
