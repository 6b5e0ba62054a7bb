// Two language servers on one workspace with the shadow database (issue 10), over JSON-RPC with
// real PostgreSQL 15 clusters: neither stops the other's cluster, the second gets a temporary one
// that is deleted when it shuts down, and a server that exits without the shutdown request (its
// client died) does not leave its cluster running.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver';
import { SHADOW_LABEL } from '../../server/src/explain/shadow/shadow-server';
import { startServer, type TestClient } from '../lib/lsp-client';

const skip = fs.existsSync('/usr/lib/postgresql/15/bin/pg_ctl') || process.env.CI ? undefined : 'no PostgreSQL 15 server binaries in /usr/lib/postgresql/15/bin';
const INIT = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id)\n);\nCREATE INDEX payments_account_idx ON payments (account_id);\n';

function postmasterOf(storageDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(storageDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (a container's init may not reap the daemonised postmaster at once). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('two servers with the shadow database on one workspace', { skip }, () => {
  let dir: string;
  let storage: string;
  let first: TestClient | undefined;
  let second: TestClient | undefined;
  let q: string;
  const privateDir = (pid: number) => path.join(os.tmpdir(), 'ledgerlint-shadow-private', `${path.basename(storage)}-${pid}`);

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-shadow-two-')));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'migrations', '0001_init.sql'), INIT);
    storage = path.join(os.tmpdir(), 'ledgerlint-shadow', createHash('sha256').update(dir).digest('hex').slice(0, 16));
    q = pathToFileURL(path.join(dir, 'q.sql')).href;
  });
  after(async () => {
    await first?.stop();
    await second?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
    fs.rmSync(`${storage}.owner`, { force: true });
  });

  /** Each call plans a statement not asked before, so the plan cache cannot answer for the database. */
  let n = 0;
  const planFrom = async (client: TestClient) => {
    n++;
    const text = `SELECT id FROM payments WHERE account_id = ${n};\n`;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: q, languageId: 'sql', version: n, text } });
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: q }, position: { line: 0, character: 3 } })) as Hover | null;
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: q } });
    return (hover?.contents as { value: string } | undefined)?.value ?? '';
  };

  it('both plan on a shadow database; the second gets its own cluster instead of stopping the first one', async () => {
    first = await startServer(pathToFileURL(dir).href, { explain: { shadowDatabase: true } });
    const md1 = await planFrom(first);
    assert.ok(md1.includes(SHADOW_LABEL), md1);
    assert.match(md1, /payments_account_idx/);
    const firstPostmaster = postmasterOf(storage);
    assert.ok(firstPostmaster && isRunning(firstPostmaster), 'the first server runs the folder cluster');

    second = await startServer(pathToFileURL(dir).href, { explain: { shadowDatabase: true } });
    const md2 = await planFrom(second);
    assert.ok(md2.includes(SHADOW_LABEL), md2);
    assert.match(md2, /payments_account_idx/);
    assert.equal(postmasterOf(storage), firstPostmaster, 'the folder cluster was not taken over');
    assert.ok(fs.existsSync(path.join(privateDir(second.process.pid!), 'pgdata')), 'the second server has a temporary cluster');

    // The first server's cluster still answers (a statement it has not planned yet).
    assert.match(await planFrom(first), /payments_account_idx/);
  });

  it('the second shutting down removes its temporary cluster and leaves the first one running', async () => {
    const pid = second!.process.pid!;
    await second!.stop();
    second = undefined;
    assert.equal(fs.existsSync(privateDir(pid)), false);
    assert.match(await planFrom(first!), /payments_account_idx/);
  });

  it('a server that exits without shutdown (its client died) stops its cluster', async () => {
    const postmaster = postmasterOf(storage)!;
    assert.ok(isRunning(postmaster));
    const exited = new Promise((r) => first!.process.once('exit', r));
    await first!.connection.sendNotification('exit');
    await exited;
    first!.connection.dispose();
    first = undefined;
    const started = Date.now();
    while (isRunning(postmaster) && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 100));
    assert.equal(isRunning(postmaster), false, 'the cluster stopped with its language server');
    assert.equal(fs.existsSync(`${storage}.owner`), false, 'the folder cluster is free for the next server');
  });

  it('a server killed with SIGTERM (a client that stopped waiting for shutdown) stops its cluster too', async () => {
    first = await startServer(pathToFileURL(dir).href, { explain: { shadowDatabase: true } });
    assert.match(await planFrom(first), /payments_account_idx/, 'the next server took the folder cluster back');
    const postmaster = postmasterOf(storage)!;
    assert.ok(isRunning(postmaster));
    const exited = new Promise((r) => first!.process.once('exit', r));
    first.process.kill('SIGTERM');
    await exited;
    first.connection.dispose();
    first = undefined;
    const started = Date.now();
    while (isRunning(postmaster) && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 100));
    assert.equal(isRunning(postmaster), false, 'the cluster stopped with its language server');
  });
});
