// The files of a CONCURRENTLY index migration per tool, and the DROP INDEX that undoes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Convention } from '../../server/src/workspace/conventions';
import { dropIndexFor, indexMigrationFiles } from '../../server/src/workspace/index-migration';

const NOW = new Date(Date.UTC(2025, 2, 4, 5, 6, 7));
const STATEMENT = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS payouts_merchant_id_idx ON billing.payouts (merchant_id);';

function files(convention: Convention, names: string[], runnerWrapsTransaction = false, configuredWraps = false) {
  const folder = { path: 'db', convention, runnerWrapsTransaction, files: names.map((n, order) => ({ path: `db/${n}`, order, role: 'up' as const, folder: 'db', convention })) };
  return indexMigrationFiles({ folder, slug: 'index payouts merchant_id', comment: ['Why.'], statement: STATEMENT, configuredWraps, now: NOW });
}

test('the DROP INDEX of a CREATE INDEX CONCURRENTLY keeps the table schema and quoting', () => {
  assert.equal(dropIndexFor(STATEMENT), 'DROP INDEX CONCURRENTLY IF EXISTS billing.payouts_merchant_id_idx;');
  assert.equal(dropIndexFor('CREATE UNIQUE INDEX CONCURRENTLY "Pay Idx" ON "Sales"."Pay" (id);'), 'DROP INDEX CONCURRENTLY IF EXISTS "Sales"."Pay Idx";');
  assert.equal(dropIndexFor('create index concurrently i on t (a)'), 'DROP INDEX CONCURRENTLY IF EXISTS i;');
  assert.equal(dropIndexFor('CREATE INDEX i ON t (a)'), undefined, 'not a CONCURRENTLY build');
});

test('each tool gets the files it runs, outside a transaction', () => {
  const golang = files('golang-migrate', ['000007_a.up.sql', '000007_a.down.sql']);
  assert.deepEqual(golang.map((f) => f.path), ['db/000008_index_payouts_merchant_id.up.sql', 'db/000008_index_payouts_merchant_id.down.sql']);
  assert.match(golang[1].text, /^DROP INDEX CONCURRENTLY IF EXISTS billing\.payouts_merchant_id_idx;$/m);

  const diesel = files('diesel', ['2024-01-01-000000_a/up.sql'], true);
  assert.deepEqual(diesel.map((f) => f.path), [
    'db/2025-03-04-050607_index_payouts_merchant_id/up.sql',
    'db/2025-03-04-050607_index_payouts_merchant_id/down.sql',
    'db/2025-03-04-050607_index_payouts_merchant_id/metadata.toml',
  ]);
  assert.equal(diesel[2].text, 'run_in_transaction = false\n');
  assert.doesNotMatch(diesel[0].text, /psql/, 'Diesel has its own switch');

  const sqlMigrate = files('sql-migrate', ['1_a.sql'], true);
  assert.deepEqual(sqlMigrate.map((f) => f.path), ['db/2_index_payouts_merchant_id.sql']);
  assert.equal(sqlMigrate[0].text.split('\n')[0], '-- +migrate Up notransaction');
  assert.match(sqlMigrate[0].text, /^-- \+migrate Down notransaction\nDROP INDEX CONCURRENTLY IF EXISTS billing\.payouts_merchant_id_idx;\n$/m);

  const drizzle = files('drizzle-kit', ['0000_a.sql'], true);
  assert.deepEqual(drizzle.map((f) => f.path), ['db/0001_index_payouts_merchant_id.sql']);
  assert.match(drizzle[0].text, /_journal\.json/);
  assert.match(drizzle[0].text, /psql -f/);

  const flyway = files('flyway', ['V1__a.sql'], true);
  assert.deepEqual(flyway.map((f) => f.path), ['db/V2__index_payouts_merchant_id.sql']);
  assert.doesNotMatch(flyway[0].text, /psql/);

  const prisma = files('prisma', ['20240101000000_a/migration.sql']);
  assert.deepEqual(prisma.map((f) => f.path), ['db/20250304050607_index_payouts_merchant_id/migration.sql']);
  assert.match(prisma[0].text, /only statement of the file/);

  assert.deepEqual(files('plain', ['0001_a.sql']).map((f) => f.text.includes('psql')), [false]);
  assert.deepEqual(files('plain', ['0001_a.sql'], true).map((f) => f.text.includes('psql')), [true]);
  assert.deepEqual(files('flyway', ['V1__a.sql'], true, true).map((f) => f.text.includes('psql')), [true], 'configured wrapping overrides what the tool does');
  for (const convention of ['golang-migrate', 'diesel', 'sql-migrate', 'drizzle-kit', 'flyway', 'prisma', 'plain'] as const) {
    assert.match(files(convention, [])[0].text, /^CREATE INDEX CONCURRENTLY IF NOT EXISTS payouts_merchant_id_idx ON billing\.payouts \(merchant_id\);$/m, convention);
  }
});
