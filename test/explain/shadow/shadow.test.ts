// The shadow database on a real PostgreSQL (the system's 15, as the machine's own installation):
// migrations applied in order, the statement PostgreSQL rejects reported where it is, incremental
// rebuilds, and plans labelled as coming from empty tables.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ExplainService } from '../../../server/src/explain/explain-service';
import { failureMessage, migrationsDigest } from '../../../server/src/explain/shadow/apply-migrations';
import { findPostgresBinaries } from '../../../server/src/explain/shadow/postgres-binaries';
import { SHADOW_LABEL, ShadowServer } from '../../../server/src/explain/shadow/shadow-server';
import { migrationHash } from '../../../server/src/explain/shadow/applied-record';
import { Client } from 'pg';
import { initParser } from '../../../server/src/sql/parser';

const PG15 = '/usr/lib/postgresql/15/bin';
const skip = fs.existsSync(path.join(PG15, 'pg_ctl')) || process.env.CI ? undefined : `no PostgreSQL 15 server binaries in ${PG15}: apt-get install postgresql-15 to run the shadow database tests`;

const M1 = { path: 'migrations/0001_init.sql', text: 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id),\n  amount numeric(12,2) NOT NULL\n);\n' };
const M2_BAD = { path: 'migrations/0002_index.sql', text: '-- speed up statements\nCREATE INDEX payments_merchant_idx ON payments (merchant_id);\n' };
const M2_GOOD = { path: 'migrations/0002_index.sql', text: '-- speed up statements\nCREATE INDEX CONCURRENTLY payments_account_idx ON payments (account_id);\n' };
const M3 = { path: 'migrations/0003_status.sql', text: "ALTER TABLE payments ADD COLUMN status text NOT NULL DEFAULT 'pending';\n" };
const M4 = { path: 'migrations/0004_note.sql', text: 'ALTER TABLE payments ADD COLUMN note text;\n' };
const M5 = { path: 'migrations/0005_type.sql', text: 'ALTER TABLE payments ALTER COLUMN status TYPE integer;\n' };

describe('shadow database (PostgreSQL 15 binaries)', { skip }, () => {
  let parent: string;
  let shadow: ShadowServer;
  const root = process.getuid?.() === 0;

  before(async () => {
    await initParser();
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-shadow-'));
    fs.chmodSync(parent, 0o777);
    shadow = newServer();
  });
  // A restarted language server makes a new ShadowServer on the same folder.
  const newServer = () => new ShadowServer({ storageDir: path.join(parent, 'storage'), binaries: { bin: PG15, major: 15 }, runAs: root ? 'postgres' : undefined });
  const restart = async () => {
    await shadow.stop();
    shadow = newServer();
    return shadow;
  };
  const record = async () => {
    const c = new Client(shadow.connection().config);
    await c.connect();
    try {
      const rows = (await c.query('SELECT path, sha256 FROM _ledgerlint.applied_migrations ORDER BY position')).rows as Array<{ path: string; sha256: string }>;
      const dirty = (await c.query('SELECT dirty FROM _ledgerlint.state')).rows[0]?.dirty as boolean;
      return { rows, dirty };
    } finally {
      await c.end();
    }
  };
  after(async () => {
    await shadow?.stop();
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
  });

  it('finds the installed PostgreSQL', () => {
    const found = findPostgresBinaries({ PATH: '' });
    assert.ok(found && found.major >= 15, JSON.stringify(found));
  });

  it('reports the statement PostgreSQL rejects, at its place, and skips the later migrations', async () => {
    const started = performance.now();
    const result = await shadow.rebuild([M1, M2_BAD, M3]);
    console.log(`# first start (initdb + start + 2 statements): ${Math.round(performance.now() - started)} ms`);
    assert.ok(result.failure, 'a failure');
    assert.equal(result.failure.path, M2_BAD.path);
    assert.equal(M2_BAD.text.slice(result.failure.start, result.failure.end), 'CREATE INDEX payments_merchant_idx ON payments (merchant_id)');
    assert.equal(result.failure.code, '42703');
    assert.equal(result.failure.skipped, 1);
    assert.match(failureMessage(result.failure), /column "merchant_id" does not exist \(SQLSTATE 42703\).*1 later migration/);
    assert.equal(result.applied, 1);
  });

  it('rebuilds from scratch after a failure, then applies only new migrations', async () => {
    const fixed = await shadow.rebuild([M1, M2_GOOD, M3]);
    assert.equal(fixed.failure, undefined);
    assert.equal(fixed.rebuiltFromScratch, true);
    assert.equal(fixed.applied, 3);
    const next = await shadow.rebuild([M1, M2_GOOD, M3, M4]);
    assert.equal(next.rebuiltFromScratch, false);
    assert.equal(next.statements, 1, 'only the new migration ran');
    assert.equal(next.failure, undefined);
    const typed = await shadow.rebuild([M1, M2_GOOD, M3, M4, M5]);
    assert.equal(typed.failure?.path, M5.path);
    assert.equal(typed.failure?.code, '42804', 'text -> integer needs USING');
    assert.notEqual(migrationsDigest([M1, M2_GOOD]), migrationsDigest([M1, M2_BAD]));
  });

  it('gives plans labelled as coming from empty tables', async () => {
    await shadow.rebuild([M1, M2_GOOD, M3]);
    const service = new ExplainService({ resolveConnection: () => shadow.connection() });
    try {
      const r = await service.hover('SELECT id FROM payments WHERE account_id = 42');
      assert.equal(r.error, undefined, r.markdown);
      assert.ok(r.markdown.includes(SHADOW_LABEL), r.markdown);
      assert.ok(r.plan?.nodes.some((n) => n.indexName === 'payments_account_idx'), 'an index that can serve the condition shows up');
    } finally {
      await service.dispose();
    }
  });

  it('restarts from its folder without initdb', async () => {
    await shadow.stop();
    const started = performance.now();
    const again = await shadow.rebuild([M1, M2_GOOD, M3]);
    console.log(`# restart from the storage folder + rebuild of 3 migrations: ${Math.round(performance.now() - started)} ms`);
    assert.equal(again.failure, undefined);
  });

  it('a restarted server resumes from the database\'s own record: nothing unchanged is re-applied', async () => {
    await shadow.rebuild([M1, M2_GOOD, M3]);
    assert.deepEqual(await record(), { rows: [M1, M2_GOOD, M3].map((m) => ({ path: m.path, sha256: migrationHash(m.text) })), dirty: false });
    const started = performance.now();
    const again = await (await restart()).rebuild([M1, M2_GOOD, M3]);
    console.log(`# restart, nothing changed: ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual(shadow.resumed, { applied: 3 });
    assert.equal(again.rebuiltFromScratch, false);
    assert.equal(again.statements, 0, 'no statement ran');
    assert.equal(again.applied, 3);
    const appended = await (await restart()).rebuild([M1, M2_GOOD, M3, M4]);
    assert.equal(appended.rebuiltFromScratch, false);
    assert.equal(appended.statements, 1, 'only the appended migration ran');
    assert.equal((await record()).rows.length, 4);
  });

  it('after a restart, a changed migration rebuilds from scratch, and so does a half-applied batch', async () => {
    const M3_CHANGED = { path: M3.path, text: "ALTER TABLE payments ADD COLUMN status text NOT NULL DEFAULT 'new';\n" };
    const changed = await (await restart()).rebuild([M1, M2_GOOD, M3_CHANGED, M4]);
    assert.equal(changed.rebuiltFromScratch, true);
    assert.equal(changed.applied, 4);
    assert.equal((await record()).rows[2].sha256, migrationHash(M3_CHANGED.text));
    const failed = await shadow.rebuild([M1, M2_GOOD, M3_CHANGED, M4, M5]);
    assert.equal(failed.failure?.path, M5.path);
    assert.equal((await record()).dirty, true, 'the failed batch is recorded as dirty');
    const after = await (await restart()).rebuild([M1, M2_GOOD, M3_CHANGED, M4]);
    assert.equal(shadow.resumed, undefined, 'a dirty record is not trusted');
    assert.equal(after.rebuiltFromScratch, true);
    assert.equal(after.failure, undefined);
    assert.deepEqual(await record(), { rows: [M1, M2_GOOD, M3_CHANGED, M4].map((m) => ({ path: m.path, sha256: migrationHash(m.text) })), dirty: false });
  });
});
