// The migration-safety rules' claims and quick fixes, checked on a real PostgreSQL: every fixed
// migration runs statement by statement (as a runner without a wrapping transaction does) and leaves
// the catalog as the message promises; the statements the rules call failing really fail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import type { RuleDefinition } from '../../server/src/engine/rule';
import addCheckValidating from '../../server/src/rules/add-check-validating';
import addColumnRequired from '../../server/src/rules/add-column-required';
import addForeignKeyValidating from '../../server/src/rules/add-foreign-key-validating';
import addUniquePkExclusionDirectly from '../../server/src/rules/add-unique-pk-exclusion-directly';
import concurrentlyInTransaction from '../../server/src/rules/concurrently-in-transaction';
import createIndexNonConcurrently from '../../server/src/rules/create-index-non-concurrently';
import missingLockTimeout from '../../server/src/rules/missing-lock-timeout';
import setNotNullScan from '../../server/src/rules/set-not-null-scan';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { applyEdits } from '../lib/rule-tester';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';

const UP = { role: 'up' as const, migration: true, runnerWrapsTransaction: false };

function fixed(rule: RuleDefinition, sql: string): string {
  const { findings } = lintSqlFile({ file: parseSqlFile('m.sql', sql), config: resolveConfig(undefined), rules: [rule], fileInfo: UP });
  assert.ok(findings.length > 0, `${rule.meta.id} reports:\n${sql}`);
  const out = applyEdits(sql, findings.flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.edits ?? []));
  assert.notEqual(out, sql, `${rule.meta.id} offers a fix`);
  const again = lintSqlFile({ file: parseSqlFile('m.sql', out), config: resolveConfig(undefined), rules: [rule], fileInfo: UP });
  assert.deepEqual(again.findings.map((f) => f.message), [], 'the fixed migration is clean');
  return out;
}

describe('migration safety on a real PostgreSQL', () => {
  let pg: EmbeddedPostgres;
  let db: Client;
  /** Runs each statement on its own, like a migration runner that does not wrap the file. */
  const run = async (sql: string) => {
    for (const s of parseSqlFile('m.sql', sql).statements) await db.query(s.segment.text);
  };
  const one = async (sql: string) => (await db.query(sql)).rows[0];

  before(async () => {
    await initParser();
    pg = await startPostgres();
    db = new Client(pg.connectionConfig);
    await db.connect();
    await db.query(`
      CREATE TABLE accounts (id bigint PRIMARY KEY);
      INSERT INTO accounts SELECT g FROM generate_series(1, 100) g;
      CREATE TABLE payments (id bigint NOT NULL, account_id bigint, amount_minor bigint, currency text, reference text);
      INSERT INTO payments SELECT g, 1 + g % 100, g * 10, 'EUR', 'ref-' || g FROM generate_series(1, 5000) g;`);
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    await pg?.stop();
  });

  it('create-index-non-concurrently: the CONCURRENTLY IF NOT EXISTS fix builds a valid index and can be re-run', async () => {
    const sql = fixed(createIndexNonConcurrently, 'CREATE INDEX payments_account_idx ON payments (account_id);');
    await run(sql);
    await run(sql);
    assert.equal((await one(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'payments_account_idx'::regclass`)).indisvalid, true);
  });

  it('concurrently-in-transaction: what it reports really fails inside BEGIN..COMMIT', async () => {
    const sql = 'BEGIN;\nCREATE INDEX CONCURRENTLY payments_ref_idx ON payments (reference);\nCOMMIT;';
    assert.equal(lintSqlFile({ file: parseSqlFile('m.sql', sql), config: resolveConfig(undefined), rules: [concurrentlyInTransaction], fileInfo: UP }).findings.length, 1);
    await db.query('BEGIN');
    await assert.rejects(db.query('CREATE INDEX CONCURRENTLY payments_ref_idx ON payments (reference)'), (e: any) => e.code === '25001');
    await db.query('ROLLBACK');
  });

  it('add-foreign-key-validating: the fix adds NOT VALID and a VALIDATE that leaves the FK validated', async () => {
    const sql = fixed(addForeignKeyValidating, 'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);');
    assert.match(sql, /NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT payments_account_fk;$/);
    await run(sql);
    assert.equal((await one(`SELECT convalidated FROM pg_constraint WHERE conname = 'payments_account_fk'`)).convalidated, true);
  });

  it('add-check-validating and set-not-null-scan: the NOT VALID/VALIDATE recipe, then SET NOT NULL', async () => {
    const sql = fixed(addCheckValidating, 'ALTER TABLE payments ADD CONSTRAINT payments_currency_nn CHECK (currency IS NOT NULL);');
    const recipe = `${sql}\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;\nALTER TABLE payments DROP CONSTRAINT payments_currency_nn;`;
    const lint = lintSqlFile({ file: parseSqlFile('m.sql', recipe), config: resolveConfig(undefined), rules: [setNotNullScan], fileInfo: UP });
    assert.deepEqual(lint.findings.map((f) => f.message), []);
    await run(recipe);
    assert.equal((await one(`SELECT attnotnull FROM pg_attribute WHERE attrelid = 'payments'::regclass AND attname = 'currency'`)).attnotnull, true);
  });

  it('add-unique-pk-exclusion-directly: the two-step fix ends with the constraint on a concurrently built index', async () => {
    const sql = fixed(addUniquePkExclusionDirectly, 'ALTER TABLE payments ADD CONSTRAINT payments_reference_key UNIQUE (reference);');
    await run(sql);
    const row = await one(`SELECT c.contype, i.indisvalid FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid WHERE c.conname = 'payments_reference_key'`);
    assert.deepEqual(row, { contype: 'u', indisvalid: true });
  });

  it('add-column-required: the reported ADD COLUMN really fails on a table with rows', async () => {
    const sql = 'ALTER TABLE payments ADD COLUMN settled_at timestamptz NOT NULL;';
    assert.equal(lintSqlFile({ file: parseSqlFile('m.sql', sql), config: resolveConfig(undefined), rules: [addColumnRequired], fileInfo: UP }).findings.length, 1);
    await assert.rejects(db.query(sql), (e: any) => e.code === '23502');
  });

  it('missing-lock-timeout: with the fix, an ALTER behind a long transaction gives up instead of queueing', async () => {
    const sql = fixed(missingLockTimeout, '-- 0009\nALTER TABLE payments ADD COLUMN note text;').replace("'3s'", "'200ms'");
    const holder = new Client(pg.connectionConfig);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM payments');
      const started = Date.now();
      await assert.rejects(run(sql), (e: any) => e.code === '55P03');
      assert.ok(Date.now() - started < 3000, 'gave up quickly');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await db.query('RESET lock_timeout');
    }
  });
});
