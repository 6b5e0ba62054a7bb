// The claims our rule messages make about money, checked on a real PostgreSQL: a lost update with
// absolute balance writes, none with the relative guarded form, NOT IN with a NULL, and that the
// quick fixes of the PL/pgSQL rules produce SQL PostgreSQL accepts and that behaves as promised.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import type { RuleDefinition } from '../../server/src/engine/rule';
import balanceReadModifyWrite from '../../server/src/rules/balance-read-modify-write';
import securityDefinerUnsafe from '../../server/src/rules/security-definer-unsafe';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { applyEdits } from '../lib/rule-tester';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';

function fixed(rule: RuleDefinition, sql: string): string {
  const { findings } = lintSqlFile({ file: parseSqlFile('t.sql', sql), config: resolveConfig(undefined), rules: [rule] });
  assert.ok(findings.length > 0, 'the rule reports the input');
  return applyEdits(sql, findings.flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.edits ?? []));
}

describe('money claims on a real PostgreSQL', () => {
  let pg: EmbeddedPostgres;
  let a: Client;
  let b: Client;

  before(async () => {
    await initParser();
    pg = await startPostgres();
    a = new Client(pg.connectionConfig);
    b = new Client(pg.connectionConfig);
    await a.connect();
    await b.connect();
  });

  after(async () => {
    await a?.end().catch(() => undefined);
    await b?.end().catch(() => undefined);
    await pg?.stop();
  });

  const reset = async () => {
    await a.query('DROP TABLE IF EXISTS wallets; CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric(19,4) NOT NULL)');
    await a.query('INSERT INTO wallets VALUES (1, 100)');
  };
  const balance = async () => Number((await a.query('SELECT balance FROM wallets WHERE id = 1')).rows[0].balance);

  /** Both sessions are inside a transaction when `second` starts; `second` waits on the row lock until `a` commits. */
  async function interleave(first: string, second: string, params: unknown[]): Promise<void> {
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query(first, params);
    const blocked = b.query(second, params);
    // Let b reach the row lock before a commits (it is waiting in pg_locks).
    for (let i = 0; i < 100; i++) {
      const waiting = new Client(pg.connectionConfig);
      await waiting.connect();
      const r = await waiting.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
      await waiting.end();
      if (r.rows[0].n > 0) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    await a.query('COMMIT');
    await blocked;
    await b.query('COMMIT');
  }

  it('two concurrent absolute writes of a balance read earlier lose one debit (100 -> 90, not 80)', async () => {
    await reset();
    // Each session reads 100 and computes 90 in the application.
    const readA = Number((await a.query('SELECT balance FROM wallets WHERE id = 1')).rows[0].balance);
    const readB = Number((await b.query('SELECT balance FROM wallets WHERE id = 1')).rows[0].balance);
    assert.deepEqual([readA, readB], [100, 100]);
    await interleave('UPDATE wallets SET balance = $2 WHERE id = $1', 'UPDATE wallets SET balance = $2 WHERE id = $1', [1, readA - 10]);
    assert.equal(await balance(), 90);
  });

  it('the relative guarded form ends at 80, and the guard stops an overdraft', async () => {
    await reset();
    const debit = 'UPDATE wallets SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance';
    await interleave(debit, debit, [1, 10]);
    assert.equal(await balance(), 80);
    const over = await a.query(debit, [1, 500]);
    assert.equal(over.rowCount, 0);
    assert.equal(await balance(), 80);
  });

  it('NOT IN (SELECT ...) with one NULL in the subquery returns no rows; NOT EXISTS finds the unmatched payment', async () => {
    await a.query('DROP TABLE IF EXISTS payments, settlements; CREATE TABLE payments (id bigint); CREATE TABLE settlements (payment_id bigint)');
    await a.query('INSERT INTO payments VALUES (1), (2); INSERT INTO settlements VALUES (1), (NULL)');
    const notIn = await a.query('SELECT id FROM payments WHERE id NOT IN (SELECT payment_id FROM settlements)');
    assert.equal(notIn.rowCount, 0);
    const notExists = await a.query('SELECT id FROM payments p WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.payment_id = p.id)');
    assert.deepEqual(notExists.rows.map((r) => Number(r.id)), [2]);
  });

  it('time-type-pitfalls: precision 0 rounds into the next day; a numeric AT TIME ZONE offset has the POSIX (inverted) sign', async () => {
    const r = await a.query(`SELECT ('2024-06-30 23:59:59.6'::timestamp(0))::text AS rounded,
      (('2024-01-01 00:00:00+00'::timestamptz) AT TIME ZONE '+05:00')::text AS posix,
      (('2024-01-01 00:00:00+00'::timestamptz) AT TIME ZONE INTERVAL '+05:00')::text AS iso`);
    assert.deepEqual(r.rows[0], { rounded: '2024-07-01 00:00:00', posix: '2023-12-31 19:00:00', iso: '2024-01-01 05:00:00' });
  });

  it('the balance-read-modify-write fix in a PL/pgSQL body keeps both debits', async () => {
    await reset();
    const source = 'CREATE OR REPLACE FUNCTION debit(p_id bigint, p_amt numeric) RETURNS numeric LANGUAGE plpgsql AS $$\nDECLARE v numeric;\nBEGIN\n  SELECT balance INTO v FROM wallets WHERE id = p_id;\n  v := v - p_amt;\n  UPDATE wallets SET balance = v WHERE id = p_id;\n  RETURN v;\nEND $$;';
    const sql = fixed(balanceReadModifyWrite, source);
    assert.match(sql, /SET balance = balance - p_amt/);
    await a.query(sql);
    // The stale read now only feeds the return value; the write re-reads the row under its lock.
    await interleave('SELECT debit($1, $2)', 'SELECT debit($1, $2)', [1, 10]);
    assert.equal(await balance(), 80);
  });

  it('the security-definer-unsafe fixes are accepted and take EXECUTE away from PUBLIC', async () => {
    const source = 'CREATE FUNCTION credit(p_id bigint, p_amount numeric) RETURNS void\nLANGUAGE plpgsql SECURITY DEFINER\nAS $$\nBEGIN\n  UPDATE public.wallets SET balance = balance + p_amount WHERE id = p_id;\nEND $$;';
    const sql = fixed(securityDefinerUnsafe, source);
    // Without the fix PUBLIC may execute it (PostgreSQL's default), so the assertion below can fail.
    await a.query(source.replace('credit(', 'credit_unfixed('));
    const before = await a.query("SELECT has_function_privilege('public', 'credit_unfixed(bigint, numeric)', 'EXECUTE') AS public_can");
    assert.equal(before.rows[0].public_can, true);
    await a.query(sql);
    const r = await a.query("SELECT proconfig, has_function_privilege('public', 'credit(bigint, numeric)', 'EXECUTE') AS public_can FROM pg_proc WHERE proname = 'credit'");
    assert.deepEqual(r.rows[0].proconfig, ['search_path=""']);
    assert.equal(r.rows[0].public_can, false);
  });
});
