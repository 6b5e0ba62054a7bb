/**
 * EXPLAIN must never change data, run a second statement, or show a password: checked against a real
 * PostgreSQL with checksums of every row before and after.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import type { ResolvedConnection } from '../../server/src/explain/connection-sources';
import { resolveConnection } from '../../server/src/explain/connection-sources';
import { ExplainService } from '../../server/src/explain/explain-service';
import { explain } from '../../server/src/explain/runner';
import { ExplainError, openSession, type ExplainSession } from '../../server/src/explain/session';

let pg: EmbeddedPostgres;
let admin: Client;
let connection: ResolvedConnection;
let session: ExplainSession;

const SCHEMA = `
CREATE SEQUENCE payment_numbers;
CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, status text NOT NULL);
CREATE TABLE audit_log (payment_id bigint, note text);
INSERT INTO payments SELECT i, i / 100.0, CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'settled' END FROM generate_series(1, 20000) i;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit_log VALUES (OLD.id, 'changed'); RETURN NEW; END $$;
CREATE TRIGGER payments_audit AFTER UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION audit();
ANALYZE payments;
CREATE ROLE app_user LOGIN PASSWORD 'Correct-Horse-77';
GRANT SELECT, UPDATE, DELETE ON payments TO app_user;
`;

async function checksum(): Promise<string> {
  const r = await admin.query(`SELECT
    (SELECT count(*) || ':' || md5(string_agg(p::text, ',' ORDER BY id)) FROM payments p) AS payments,
    (SELECT count(*) FROM audit_log) AS audit,
    (SELECT last_value FROM payment_numbers) AS seq`);
  return JSON.stringify(r.rows[0]);
}

before(async () => {
  pg = await startPostgres();
  admin = new Client(pg.connectionConfig);
  await admin.connect();
  await admin.query(SCHEMA);
  connection = resolveConnection({ settings: { ...pg.connectionConfig }, settingsPassword: pg.connectionConfig.password })!;
  session = await openSession(connection);
});

after(async () => {
  await session?.close();
  await admin?.end().catch(() => undefined);
  await pg?.stop();
});

test('plain EXPLAIN of UPDATE and DELETE changes nothing', async () => {
  const before = await checksum();
  const del = await explain(session, 'DELETE FROM payments WHERE status = \'failed\'');
  assert.equal(del.plan.root.raw.Operation, 'Delete');
  assert.equal(del.analyzed, false);
  await explain(session, 'UPDATE payments SET amount = 0;');
  assert.equal(await checksum(), before);
});

test('EXPLAIN ANALYZE of DML runs only when confirmed, and is rolled back (rows, triggers)', async () => {
  const before = await checksum();
  await assert.rejects(explain(session, 'DELETE FROM payments', { analyze: 'select' }), (e: ExplainError) => e.kind === 'refused' && /confirm/.test(e.message));
  const result = await explain(session, 'UPDATE payments SET amount = amount + 1 WHERE id <= 5000', { analyze: 'dml-confirmed' });
  assert.equal(result.analyzed, true);
  assert.equal(result.plan.root.raw.Operation, 'Update');
  assert.ok(result.plan.triggers.some((t) => t.name === 'payments_audit' && t.calls === 5000), 'the trigger ran inside the transaction');
  await explain(session, 'DELETE FROM payments', { analyze: 'dml-confirmed' });
  assert.equal(await checksum(), before);
  // The session is back to read-only after the confirmed transaction.
  await assert.rejects(session.client.query('DELETE FROM payments'), { code: '25006' });
});

test('a failing EXPLAIN ANALYZE still rolls back and leaves the session usable', async () => {
  const before = await checksum();
  await assert.rejects(explain(session, 'UPDATE payments SET amount = amount / 0 WHERE id > 10', { analyze: 'dml-confirmed' }), { code: '22012' });
  const txStatus = await session.client.query('SELECT 1 AS ok');
  assert.equal(txStatus.rows[0].ok, 1);
  assert.equal(await checksum(), before);
});

test('multi-statement text is refused before reaching the server; nothing is deleted', async () => {
  const before = await checksum();
  const attempts = [
    'SELECT 1; DELETE FROM payments',
    'SELECT * FROM payments WHERE id = $1; DELETE FROM payments',
    "SELECT 'a\\'; DELETE FROM payments; --'",
    'SELECT 1;; ',
    'EXPLAIN ANALYZE DELETE FROM payments',
    'DROP TABLE payments',
  ];
  for (const text of attempts) {
    await assert.rejects(explain(session, text), (e: ExplainError) => e instanceof ExplainError && e.kind === 'refused', text);
    await assert.rejects(explain(session, text, { analyze: 'dml-confirmed' }), ExplainError, text);
  }
  await assert.rejects(explain(session, '-- just a comment\n'), /no statement here/);
  // Semicolons inside comments and strings are not statement separators.
  const ok = await explain(session, "SELECT ';' AS x /* ; */ -- ;\n;");
  assert.equal(ok.plan.root.nodeType, 'Result');
  assert.equal(await checksum(), before);
});

test('writes through the session fail with 25006, also via nextval() and FOR UPDATE under ANALYZE', async () => {
  const before = await checksum();
  await assert.rejects(session.client.query("INSERT INTO audit_log VALUES (1, 'x')"), { code: '25006' });
  await assert.rejects(explain(session, "SELECT nextval('payment_numbers')", { analyze: 'select' }), { code: '25006' });
  await assert.rejects(explain(session, 'SELECT * FROM payments WHERE id = 1 FOR UPDATE', { analyze: 'select' }), { code: '25006' });
  await assert.rejects(explain(session, 'WITH d AS (DELETE FROM payments RETURNING id) SELECT count(*) FROM d', { analyze: 'select' }), ExplainError);
  assert.equal(await checksum(), before);
});

test('a table locked by a migration: EXPLAIN gives up after lock_timeout instead of queueing', async () => {
  const locker = new Client(pg.connectionConfig);
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    await assert.rejects(explain(session, 'SELECT * FROM payments WHERE id = 1'), (e: ExplainError) => e.code === '55P03' && /locked by another session/.test(e.message));
    assert.ok(Date.now() - started < 2500, 'waited about lock_timeout, not statement_timeout');
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
  assert.equal((await explain(session, 'SELECT * FROM payments WHERE id = 1')).analyzed, false);
});

test('no password in any message or log line, also when authentication fails', async () => {
  const logs: string[] = [];
  const originals = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  for (const name of Object.keys(originals) as Array<keyof typeof originals>) console[name] = (...args: unknown[]) => logs.push(args.join(' '));
  try {
    const wrong = 'Wrong-Battery-99';
    const sources: ResolvedConnection[] = [
      resolveConnection({ settings: { host: '127.0.0.1', port: pg.port, database: 'postgres', user: 'app_user' }, settingsPassword: wrong })!,
      resolveConnection({ envFileText: `DATABASE_URL=postgres://app_user:${wrong}@127.0.0.1:${pg.port}/postgres` })!,
      resolveConnection({ env: { PGHOST: '127.0.0.1', PGPORT: String(pg.port), PGUSER: 'app_user', PGPASSWORD: wrong, PGDATABASE: 'postgres' } })!,
    ];
    for (const source of sources) {
      const service = new ExplainService({ resolveConnection: () => source, log: (m) => logs.push(m) });
      const result = await service.hover('SELECT * FROM payments');
      await service.dispose();
      assert.equal(result.error?.kind, 'connect');
      assert.match(result.markdown, /could not connect to app_user@127\.0\.0\.1:\d+\/postgres \(from [^)]+\): the server rejected the password/);
      assert.ok(!result.markdown.includes(wrong) && !result.error!.message.includes(wrong), result.markdown);
      assert.ok(!/at \w+ \(|\.js:\d+/.test(result.markdown), 'no stack trace');
    }
    // A successful session with a server error: the right password is not echoed either.
    const right = resolveConnection({ settings: { host: '127.0.0.1', port: pg.port, database: 'postgres', user: 'app_user' }, settingsPassword: 'Correct-Horse-77' })!;
    const service = new ExplainService({ resolveConnection: () => right, log: (m) => logs.push(m) });
    const ok = await service.hover('SELECT * FROM payments WHERE id = 1');
    assert.equal(ok.error, undefined, ok.markdown);
    const bad = await service.hover('SELECT * FROM audit_log');
    assert.match(bad.markdown, /permission denied for table audit_log/);
    await service.dispose();
    const everything = logs.join('\n');
    assert.ok(logs.length > 0, 'the service logged something to check');
    for (const secret of [wrong, 'Correct-Horse-77', pg.connectionConfig.password]) {
      assert.ok(!everything.includes(secret), `log contains a password: ${everything}`);
    }
  } finally {
    Object.assign(console, originals);
  }
});
