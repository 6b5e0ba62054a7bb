import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import rule from '../../server/src/rules/session-advisory-lock';
import { initParser } from '../../server/src/sql/parser';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import { applyEdits, lintWith, ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'SELECT pg_advisory_xact_lock(42)',
    'SELECT pg_try_advisory_xact_lock(hashtext($1))',
    'SELECT pg_advisory_xact_lock_shared(1, 2)',
    { code: 'SELECT pg_advisory_unlock(42)', name: 'unlock alone is not a lock' },
    { code: "SELECT 'pg_advisory_lock(1)' AS doc", name: 'inside a string literal' },
    { code: 'SELECT my_pg_advisory_lock(1)', name: 'other function' },
  ],
  invalid: [
    {
      code: 'SELECT pg_advisory_lock(42);',
      errors: [{ messageId: 'session', line: 1, column: 8, endColumn: 28, includes: ['pg_advisory_lock()', 'pg_advisory_xact_lock()', 'pg_advisory_unlock'] }],
      output: 'SELECT pg_advisory_xact_lock(42);',
    },
    {
      name: 'try + qualified',
      code: 'SELECT 1\nWHERE pg_catalog.pg_try_advisory_lock(hashtext($1));',
      errors: [{ messageId: 'session', line: 2, column: 7, endColumn: 52, includes: 'pg_try_advisory_xact_lock' }],
      output: 'SELECT 1\nWHERE pg_catalog.pg_try_advisory_xact_lock(hashtext($1));',
    },
    {
      name: 'shared variants, quoted name, upper case',
      code: 'SELECT PG_ADVISORY_LOCK_SHARED(1, 2), "pg_try_advisory_lock_shared"(3)',
      errors: [
        { messageId: 'session', column: 8, endColumn: 37, includes: 'pg_advisory_xact_lock_shared' },
        { messageId: 'session', column: 39, includes: 'pg_try_advisory_xact_lock_shared' },
      ],
      output: 'SELECT pg_advisory_xact_lock_shared(1, 2), "pg_try_advisory_xact_lock_shared"(3)',
    },
    {
      name: 'PERFORM inside a PL/pgSQL body',
      code: 'CREATE FUNCTION run_payouts() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM pg_advisory_lock(7);\nEND $$;',
      errors: [{ messageId: 'session', line: 3, column: 11, endColumn: 30 }],
      output: 'CREATE FUNCTION run_payouts() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM pg_advisory_xact_lock(7);\nEND $$;',
    },
    {
      name: 'unlock is left in place',
      code: 'SELECT pg_advisory_lock(7);\nSELECT pg_advisory_unlock(7);',
      errors: [{ messageId: 'session', line: 1, column: 8 }],
      output: 'SELECT pg_advisory_xact_lock(7);\nSELECT pg_advisory_unlock(7);',
    },
  ],
});

// Why the rule exists, on a real PostgreSQL: a session lock survives COMMIT on a (pooled) connection
// and blocks the next worker; the fixed call is released by COMMIT.
describe('session-advisory-lock on PostgreSQL', () => {
  let pg: EmbeddedPostgres | undefined;
  let worker: Client | undefined;
  let other: Client | undefined;
  before(async () => {
    await initParser();
    pg = await startPostgres();
    worker = new Client(pg.connectionConfig);
    other = new Client(pg.connectionConfig);
    await worker.connect();
    await other.connect();
  });
  after(async () => {
    await worker?.end();
    await other?.end();
    await pg?.stop();
  });

  const otherCanLock = async (key: number) => (await other!.query('SELECT pg_try_advisory_xact_lock($1) AS ok', [key])).rows[0].ok as boolean;

  it('the session lock is still held after COMMIT; the fixed xact lock is not', async () => {
    const code = 'SELECT pg_advisory_lock(42)';
    await worker!.query('BEGIN');
    await worker!.query(code);
    await worker!.query('COMMIT');
    assert.equal(await otherCanLock(42), false, 'session lock leaked past COMMIT');
    await worker!.query('SELECT pg_advisory_unlock_all()');

    const { findings } = lintWith(rule, { code: code.replace('42', '43') });
    const fixed = applyEdits(code.replace('42', '43'), findings[0].fixes?.[0]?.edits ?? []);
    assert.equal(fixed, 'SELECT pg_advisory_xact_lock(43)');
    await worker!.query('BEGIN');
    await worker!.query(fixed);
    assert.equal(await otherCanLock(43), false, 'held inside the transaction');
    await worker!.query('COMMIT');
    assert.equal(await otherCanLock(43), true, 'released by COMMIT');
  });
});
