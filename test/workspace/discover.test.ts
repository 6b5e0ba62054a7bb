import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { discoverMigrations, type Discovery } from '../../server/src/workspace/discover';
import { removeTree, tree } from './tmp-tree';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

function discover(files: Record<string, string>, config = {}): Discovery & { rel: (p: string) => string } {
  const root = tree(files);
  roots.push(root);
  const d = discoverMigrations(root, config);
  return { ...d, rel: (p: string) => path.relative(d.root, p).split(path.sep).join('/') };
}

function summary(d: ReturnType<typeof discover>): string[] {
  return d.files.map((f) => `${f.order} ${f.role} ${d.rel(f.path)}`);
}

test('drizzle-kit: the journal decides the order; files missing from it come last by number', () => {
  const d = discover({
    'drizzle/0000_init.sql': 'select 1;',
    'drizzle/0001_b.sql': 'select 1;',
    'drizzle/0002_a.sql': 'select 1;',
    'drizzle/0003_extra.sql': 'select 1;',
    'drizzle/meta/_journal.json': JSON.stringify({ entries: [
      { idx: 0, tag: '0000_init' }, { idx: 2, tag: '0001_b' }, { idx: 1, tag: '0002_a' },
    ] }),
    'src/queries.sql': 'select 1;',
  });
  assert.deepEqual(d.folders.map((f) => [d.rel(f.path), f.convention, f.runnerWrapsTransaction]), [['drizzle', 'drizzle-kit', true]]);
  assert.deepEqual(summary(d), ['0 plain drizzle/0000_init.sql', '1 plain drizzle/0002_a.sql', '2 plain drizzle/0001_b.sql', '3 plain drizzle/0003_extra.sql']);
});

test('drizzle-kit without a journal sorts numerically', () => {
  const d = discover({ 'migrations/0010_c.sql': '', 'migrations/0002_b.sql': '', 'migrations/0001_a.sql': '' });
  assert.equal(d.folders[0].convention, 'drizzle-kit');
  assert.deepEqual(summary(d), ['0 plain migrations/0001_a.sql', '1 plain migrations/0002_b.sql', '2 plain migrations/0010_c.sql']);
});

test('Diesel: timestamped folders with up.sql and down.sql', () => {
  const d = discover({
    'migrations/00000000000000_diesel_initial_setup/up.sql': '',
    'migrations/2024-02-01-120000_add_payouts/up.sql': '',
    'migrations/2024-02-01-120000_add_payouts/down.sql': '',
    'migrations/2024-01-15-093000_create_accounts/up.sql': '',
    'migrations/2024-01-15-093000_create_accounts/down.sql': '',
  });
  assert.equal(d.folders[0].convention, 'diesel');
  assert.deepEqual(summary(d), [
    '0 up migrations/00000000000000_diesel_initial_setup/up.sql',
    '1 up migrations/2024-01-15-093000_create_accounts/up.sql',
    '2 down migrations/2024-01-15-093000_create_accounts/down.sql',
    '3 up migrations/2024-02-01-120000_add_payouts/up.sql',
    '4 down migrations/2024-02-01-120000_add_payouts/down.sql',
  ]);
});

test('Flyway: version-aware ordering, undo files are down, repeatables last', () => {
  const d = discover({
    'db/migration/V1__init.sql': '',
    'db/migration/V1.10__later.sql': '',
    'db/migration/V1.2__minor.sql': '',
    'db/migration/V2__next.sql': '',
    'db/migration/U2__undo_next.sql': '',
    'db/migration/R__views.sql': '',
    'db/migration/R__a_functions.sql': '',
  });
  assert.equal(d.folders[0].convention, 'flyway');
  assert.deepEqual(summary(d), [
    '0 up db/migration/V1__init.sql',
    '1 up db/migration/V1.2__minor.sql',
    '2 up db/migration/V1.10__later.sql',
    '3 up db/migration/V2__next.sql',
    '4 down db/migration/U2__undo_next.sql',
    '5 repeatable db/migration/R__a_functions.sql',
    '6 repeatable db/migration/R__views.sql',
  ]);
});

test('golang-migrate: numbered .up.sql / .down.sql pairs', () => {
  const d = discover({
    'db/migrations/000002_payouts.up.sql': '',
    'db/migrations/000002_payouts.down.sql': '',
    'db/migrations/000001_init.down.sql': '',
    'db/migrations/000001_init.up.sql': '',
    'db/migrations/000010_late.up.sql': '',
  });
  assert.equal(d.folders[0].convention, 'golang-migrate');
  assert.equal(d.folders[0].runnerWrapsTransaction, false);
  assert.deepEqual(summary(d), [
    '0 up db/migrations/000001_init.up.sql',
    '1 down db/migrations/000001_init.down.sql',
    '2 up db/migrations/000002_payouts.up.sql',
    '3 down db/migrations/000002_payouts.down.sql',
    '4 up db/migrations/000010_late.up.sql',
  ]);
});

test('sql-migrate: Up and Down sections in one file', () => {
  const text = '-- +migrate Up\ncreate table a (id int);\n\n-- +migrate Down\ndrop table a;\n';
  const d = discover({ 'sql/2_second.sql': '-- +migrate Up\nselect 1;\n', 'sql/1_first.sql': text });
  assert.equal(d.folders[0].convention, 'sql-migrate');
  assert.deepEqual(summary(d), ['0 up sql/1_first.sql', '1 up sql/2_second.sql']);
  const { up, down } = d.files[0].sections!;
  assert.equal(text.slice(up!.start, up!.end), '\ncreate table a (id int);\n\n');
  assert.equal(text.slice(down!.start, down!.end), '\ndrop table a;\n');
  assert.equal(d.files[1].sections!.down, undefined);
});

test('Prisma: <timestamp>_name/migration.sql', () => {
  const d = discover({
    'prisma/migrations/20240301000000_b/migration.sql': '',
    'prisma/migrations/20240101000000_a/migration.sql': '',
    'prisma/migrations/migration_lock.toml': '',
    'prisma/schema.prisma': '',
  });
  assert.deepEqual(d.folders.map((f) => f.convention), ['prisma']);
  assert.deepEqual(summary(d), ['0 up prisma/migrations/20240101000000_a/migration.sql', '1 up prisma/migrations/20240301000000_b/migration.sql']);
});

test('.gitignore, node_modules and .git are skipped; negation re-includes', () => {
  const d = discover({
    '.gitignore': '# build output\nout/\n/legacy/**\n*.tmp.sql\nvendor/*\n!vendor/keep\n',
    'migrations/0001_a.sql': '',
    'migrations/0002_scratch.tmp.sql': '',
    'out/migrations/0001_a.sql': '',
    'legacy/migrations/0001_a.sql': '',
    'node_modules/pkg/migrations/0001_a.sql': '',
    '.git/migrations/0001_a.sql': '',
    'vendor/skip/migrations/0001_a.sql': '',
    'vendor/keep/migrations/0001_a.sql': '',
  });
  assert.deepEqual(d.folders.map((f) => d.rel(f.path)), ['migrations', 'vendor/keep/migrations']);
  assert.deepEqual(summary(d), ['0 plain migrations/0001_a.sql', '1 plain vendor/keep/migrations/0001_a.sql']);
});

test('config: named folders, explicit order, order by name, runnerWrapsTransaction', () => {
  const files = { 'schema/b.sql': '', 'schema/a.sql': '', 'schema/c.sql': '', 'migrations/0001_x.sql': '' };
  const named = discover(files, { folders: ['schema'], runnerWrapsTransaction: false });
  assert.deepEqual(named.folders.map((f) => [named.rel(f.path), f.convention, f.runnerWrapsTransaction]), [['schema', 'plain', false]]);
  assert.deepEqual(summary(named), ['0 plain schema/a.sql', '1 plain schema/b.sql', '2 plain schema/c.sql']);
  const ordered = discover(files, { folders: ['./schema/'], order: ['schema/c.sql', 'schema/a.sql'] });
  assert.deepEqual(summary(ordered), ['0 plain schema/c.sql', '1 plain schema/a.sql', '2 plain schema/b.sql']);
  const byName = discover({ 'drizzle/0001_b.sql': '', 'drizzle/0000_a.sql': '', 'drizzle/meta/_journal.json': '{"entries":[{"idx":0,"tag":"0001_b"},{"idx":1,"tag":"0000_a"}]}' }, { order: 'name' });
  assert.deepEqual(summary(byName), ['0 plain drizzle/0000_a.sql', '1 plain drizzle/0001_b.sql']);
});

test('folders that are not migrations are not reported; an empty or missing root is fine', () => {
  const d = discover({ 'queries/report.sql': 'select 1;', 'src/db/functions.sql': '' });
  assert.deepEqual(d.files, []);
  assert.deepEqual(discoverMigrations(path.join(d.root, 'does-not-exist')).files, []);
});
