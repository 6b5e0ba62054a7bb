/**
 * The facade the language server calls: one warm connection, reconnect after the server dropped it,
 * clear markdown (never an exception) when there is no database, cache invalidation by table.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import { resolveConnection, type ResolvedConnection } from '../../server/src/explain/connection-sources';
import { ExplainService } from '../../server/src/explain/explain-service';

let pg: EmbeddedPostgres;
let admin: Client;
let connection: ResolvedConnection;

before(async () => {
  pg = await startPostgres();
  admin = new Client(pg.connectionConfig);
  await admin.connect();
  await admin.query(`CREATE TABLE ledger_entries (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount numeric NOT NULL);
    INSERT INTO ledger_entries SELECT i, i % 100, i FROM generate_series(1, 5000) i; ANALYZE ledger_entries;`);
  connection = resolveConnection({ envFileText: `DATABASE_URL=${pg.url}` })!;
});

after(async () => {
  await admin?.end().catch(() => undefined);
  await pg?.stop();
});

async function ledgerlintBackends(): Promise<number[]> {
  const r = await admin.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'ledgerlint'");
  return r.rows.map((row) => row.pid as number);
}

test('no connection configured: a "how to connect" hover, not an error', async () => {
  const service = new ExplainService({ resolveConnection: () => undefined });
  const result = await service.hover('SELECT 1');
  assert.equal(result.error?.kind, 'no-connection');
  assert.match(result.markdown, /no database connection/);
  assert.match(result.markdown, /DATABASE_URL/);
  await service.dispose();
});

test('hovers reuse one warm read-only connection and the cache; invalidateTables forces a new EXPLAIN', async () => {
  const service = new ExplainService({ resolveConnection: () => connection });
  const first = await service.hover('SELECT * FROM ledger_entries WHERE account_id = 7');
  assert.equal(first.error, undefined, first.markdown);
  assert.match(first.markdown, /`postgres@127\.0\.0\.1:\d+\/postgres`/);
  const pids = await ledgerlintBackends();
  assert.equal(pids.length, 1);
  const second = await service.hover('SELECT * FROM ledger_entries   WHERE account_id = 7');
  assert.equal(second.result, first.result, 'served from the cache');
  assert.equal(service.invalidateTables(['ledger_entries']), 1);
  const third = await service.hover('SELECT * FROM ledger_entries WHERE account_id = 7');
  assert.notEqual(third.result, first.result);
  assert.deepEqual(await ledgerlintBackends(), pids, 'still the same backend');
  // Concurrent hovers are serialised on the one connection (ANALYZE transactions must not interleave).
  const many = await Promise.all([1, 2, 3, 4, 5].map((n) => service.hover(`SELECT * FROM ledger_entries WHERE id = ${n}`, { analyze: 'select' })));
  assert.ok(many.every((r) => r.result?.analyzed), many.map((r) => r.markdown).join('\n'));
  await service.dispose();
  assert.deepEqual(await ledgerlintBackends(), [], 'dispose closes the connection');
});

test('a connection killed by the server is replaced on the next hover', async () => {
  const logs: string[] = [];
  const service = new ExplainService({ resolveConnection: () => connection, log: (m) => logs.push(m) });
  await service.hover('SELECT count(*) FROM ledger_entries');
  const [pid] = await ledgerlintBackends();
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = await service.hover('SELECT sum(amount) FROM ledger_entries');
  assert.equal(after.error, undefined, after.markdown);
  const [newPid] = await ledgerlintBackends();
  assert.notEqual(newPid, pid);
  await service.dispose();
});

test('an ANALYZE that hits the statement timeout falls back to the estimated plan, with a note', async () => {
  // A later `-c` wins, so the test can shorten the 3 s timeout.
  const service = new ExplainService({ resolveConnection: () => connection, sessionOptions: { settings: { statement_timeout: '200' } } });
  const result = await service.hover('SELECT pg_sleep(2), id FROM ledger_entries WHERE id = 1', { analyze: 'select' });
  assert.equal(result.error, undefined, result.markdown);
  assert.equal(result.result?.analyzed, false);
  assert.match(result.markdown, /EXPLAIN ANALYZE was cancelled after the 3 s statement timeout; this is the estimated plan/);
  await service.dispose();
});

// Runs last: the file's server dies under the service (after() then stops it again, which must be harmless).
test('the database disappears mid-session: a clear message, never a crash; stop() of a dead server does not hang', async () => {
  const logs: string[] = [];
  const service = new ExplainService({ resolveConnection: () => connection, log: (m) => logs.push(m) });
  try {
    assert.equal((await service.hover('SELECT 1 AS x')).error, undefined);
    const dataDir = (await admin.query("SELECT current_setting('data_directory') AS d")).rows[0].d as string;
    const postmasterPid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    await admin.end();
    // The server this file started, ended by its own pid: as if it crashed or was shut down by someone else.
    process.kill(postmasterPid, 'SIGINT');
    for (let i = 0; i < 100 && fs.existsSync(path.join(dataDir, 'postmaster.pid')); i++) await new Promise((r) => setTimeout(r, 50));
    const gone = await service.hover('SELECT 2 AS x');
    assert.equal(gone.error?.kind, 'connect', gone.markdown);
    assert.match(gone.markdown, /could not connect to postgres@127\.0\.0\.1:\d+\/postgres \(from \.env\): nothing is listening there/);
    assert.ok(logs.some((line) => /EXPLAIN failed \(connect ECONNREFUSED\)/.test(line)), logs.join('\n'));
    for (const text of [gone.markdown, ...logs]) assert.ok(!text.includes(pg.connectionConfig.password), text);
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('stop() hung on a dead server')), 15_000).unref());
    await Promise.race([pg.stop().then(() => pg.stop()), timeout]);
    assert.equal(fs.existsSync(dataDir), false, 'the data directory is removed');
  } finally {
    await service.dispose();
  }
});
