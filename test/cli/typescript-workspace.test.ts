// `ledgerlint check` lints TypeScript against the same workspace model as the SQL files: the
// migrations' schema plus every Drizzle schema, so an index or RLS that only a SQL migration
// declares counts for a pgTable, single-threaded or with SQL linted in worker threads, and a
// changed migration invalidates the cached TypeScript findings.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../server/src/cli/main';
import { onlyRules } from '../lib/only-rules';

const SCHEMA = `import { bigint, pgTable } from 'drizzle-orm/pg-core';
export const accounts = pgTable('accounts', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),
  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id, { onDelete: 'restrict' }),
});
export const refunds = pgTable('refunds', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),
  paymentId: bigint('payment_id', { mode: 'number' }).notNull().references(() => payments.id, { onDelete: 'restrict' }),
});
`;

/** Writes `content` to `rel` under `root`, making the folders. */
function writeUnder(root: string, rel: string, content: string): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
}

/** The files of `ledgerlint check . --format json` run in `root`. */
async function checkFiles(root: string, args: string[]): Promise<any[]> {
  let stdout = '';
  const cwd = process.cwd();
  process.chdir(root);
  try {
    await run(['check', '.', '--format', 'json', ...args], (s) => (stdout += s));
  } finally {
    process.chdir(cwd);
  }
  return JSON.parse(stdout).files;
}

describe('ledgerlint check: TypeScript sees the SQL migrations', () => {
  let root: string;
  const write = (rel: string, content: string) => writeUnder(root, rel, content);
  /** The TypeScript findings of a JSON run, as `rule line:col`. */
  const tsFindings = async (...args: string[]) => {
    const schema = (await checkFiles(root, args)).find((f) => String(f.path).endsWith('src/schema.ts'));
    return (schema?.findings ?? []).map((f: any) => `${f.ruleId} ${f.line}:${f.column}`).sort();
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-ts-workspace-'));
    write('ledgerlint.json', JSON.stringify({ rules: onlyRules(['unindexed-foreign-key', 'rls-missing-on-tenant-table']) }));
    // drizzle-kit's generated migration, then hand-written ones it cannot express.
    write('drizzle/0000_init.sql', 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT);\nCREATE TABLE refunds (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, payment_id bigint NOT NULL REFERENCES payments (id) ON DELETE RESTRICT);\nCREATE INDEX refunds_payment_id_idx ON refunds (payment_id);\nALTER TABLE refunds ENABLE ROW LEVEL SECURITY;\nALTER TABLE refunds FORCE ROW LEVEL SECURITY;\n');
    write('drizzle/0001_payments_account_idx.sql', 'CREATE INDEX CONCURRENTLY payments_account_id_idx ON payments (account_id);\n');
    write('drizzle/0002_payments_rls.sql', 'ALTER TABLE payments ENABLE ROW LEVEL SECURITY;\nALTER TABLE payments FORCE ROW LEVEL SECURITY;\n');
    write('src/schema.ts', SCHEMA);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('an index or RLS declared only in a migration counts for the pgTable', async () => {
    assert.deepEqual(await tsFindings(), []);
  });

  it('without those migrations the pgTable is reported (the rules do run on it)', async () => {
    const hidden = path.join(os.tmpdir(), `ledgerlint-hidden-${process.pid}.sql`);
    fs.renameSync(path.join(root, 'drizzle/0001_payments_account_idx.sql'), hidden);
    try {
      assert.deepEqual(await tsFindings(), ['unindexed-foreign-key 6:65']);
    } finally {
      fs.renameSync(hidden, path.join(root, 'drizzle/0001_payments_account_idx.sql'));
    }
  });

  it('with SQL linted in worker threads, TypeScript still sees the migrations', async () => {
    const before = process.env.LEDGERLINT_WORKERS;
    process.env.LEDGERLINT_WORKERS = '2';
    try {
      assert.deepEqual(await tsFindings(), []);
    } finally {
      if (before === undefined) delete process.env.LEDGERLINT_WORKERS;
      else process.env.LEDGERLINT_WORKERS = before;
    }
  });

  it('--cache: a changed migration re-checks the TypeScript files', async () => {
    const cache = path.join(root, '.cache-test');
    assert.deepEqual(await tsFindings('--cache', '--cache-location', cache), []);
    write('drizzle/0002_payments_rls.sql', '-- RLS moved to a later migration\n');
    assert.deepEqual(await tsFindings('--cache', '--cache-location', cache), ['rls-missing-on-tenant-table 3:33']);
  });
});

// The other direction: a .sql file sees the tables of the Drizzle schemas, as in the editor (where a
// closed schema file counts as an open one). Before, the CLI linted .sql files against the
// migrations alone, so a query of a Drizzle-only table had no column list to offer, and the
// findings differed from the editor's.
describe('ledgerlint check: SQL sees the Drizzle schemas', () => {
  let root: string;
  const write = (rel: string, content: string) => writeUnder(root, rel, content);
  /** The fix titles of the query file's findings in a JSON run. */
  const queryFixes = async (...args: string[]) => {
    const query = (await checkFiles(root, args)).find((f) => f.path === 'queries/holds.sql');
    return query.findings.map((f: any) => `${f.ruleId} ${f.line}:${f.column} ${f.fixes.map((x: any) => x.title).join(' | ')}`);
  };
  const HOLDS = (extra: string) =>
    `import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\nexport const holds = pgTable('ledger_holds', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: bigint('account_id', { mode: 'number' }).notNull(),${extra}\n  reason: text('reason'),\n});\n`;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-sql-sees-drizzle-'));
    write('ledgerlint.json', JSON.stringify({ rules: onlyRules(['implicit-columns']) }));
    write('drizzle/0000_init.sql', 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n');
    write('src/holds.ts', HOLDS(''));
    write('queries/holds.sql', 'SELECT * FROM ledger_holds WHERE account_id = $1;\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a query of a table only a pgTable declares gets its columns listed', async () => {
    assert.deepEqual(await queryFixes(), ['implicit-columns 1:8 List the columns: id, account_id, reason']);
  });

  it('also when worker threads are asked for (they replay SQL only, so the run keeps to one thread)', async () => {
    const before = process.env.LEDGERLINT_WORKERS;
    process.env.LEDGERLINT_WORKERS = '2';
    try {
      assert.deepEqual(await queryFixes(), ['implicit-columns 1:8 List the columns: id, account_id, reason']);
    } finally {
      if (before === undefined) delete process.env.LEDGERLINT_WORKERS;
      else process.env.LEDGERLINT_WORKERS = before;
    }
  });

  it('--cache: a changed pgTable re-checks the SQL files', async () => {
    const cache = path.join(root, '.cache-test');
    assert.deepEqual(await queryFixes('--cache', '--cache-location', cache), ['implicit-columns 1:8 List the columns: id, account_id, reason']);
    write('src/holds.ts', HOLDS("\n  amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),"));
    assert.deepEqual(await queryFixes('--cache', '--cache-location', cache), ['implicit-columns 1:8 List the columns: id, account_id, amount_minor, reason']);
    write('src/holds.ts', HOLDS(''));
  });
});
