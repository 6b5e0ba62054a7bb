/**
 * The SQL snippets do what their descriptions promise, on a real PostgreSQL: the ledger refuses
 * UPDATE/DELETE/TRUNCATE and unbalanced journals, the audit trigger records changes, RLS isolates
 * tenants, and the index migration leaves a valid index.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';

const pgQuery = require('libpg-query') as {
  loadModule(): Promise<void>;
  parseSync(sql: string): { stmts: { stmt_location?: number; stmt_len?: number }[] };
};

function fixturesDir(): string {
  let dir = __dirname;
  // Look for the repo root (out/test/fixtures/snippets also exists: tsc compiles the .ts fixtures).
  while (!fs.existsSync(path.join(dir, 'snippets', 'sql.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no test/fixtures/snippets above ${__dirname}`);
    dir = parent;
  }
  return path.join(dir, 'test', 'fixtures', 'snippets');
}

const fixtures = fixturesDir();
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

let pg: EmbeddedPostgres;
let owner: Client;

before(async () => {
  await pgQuery.loadModule();
  pg = await startPostgres();
  owner = new Client(pg.connectionConfig);
  await owner.connect();
  // The tables the fixtures reference (parents.ts in SQL), then the snippets in file order.
  await owner.query(`
    CREATE TABLE merchants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, legal_name text NOT NULL);
    CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL, currency text NOT NULL);
    CREATE TABLE journals (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, memo text NOT NULL);
    CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT);
  `);
  for (const f of fs.readdirSync(fixtures).filter((n) => n.endsWith('.sql')).sort()) {
    const text = fixture(f);
    if (/\bCONCURRENTLY\b/.test(text)) {
      // Sent one statement at a time, as a migration runner that does not wrap a transaction would.
      const bytes = Buffer.from(text, 'utf8');
      for (const s of pgQuery.parseSync(text).stmts) {
        const start = s.stmt_location ?? 0;
        await owner.query(bytes.subarray(start, s.stmt_len ? start + s.stmt_len : bytes.length).toString('utf8'));
      }
    } else {
      await owner.query(text);
    }
  }
  await owner.query(`
    INSERT INTO merchants (legal_name) VALUES ('m1'), ('m2');
    INSERT INTO accounts (code, currency) VALUES ('cash', 'EUR'), ('customer', 'EUR');
    INSERT INTO journals (memo) VALUES ('top-up'), ('broken');
    INSERT INTO ledger_entries (journal_id, account_id, amount_minor, currency)
      VALUES (1, 1, -500, 'EUR'), (1, 2, 500, 'EUR');
  `);
});

after(async () => {
  await owner?.end();
  await pg?.stop();
});

test('ll-ledger-table: UPDATE, DELETE and TRUNCATE are refused', async () => {
  await assert.rejects(owner.query('UPDATE ledger_entries SET amount_minor = 1 WHERE id = 1'), /append-only: UPDATE/);
  await assert.rejects(owner.query('DELETE FROM ledger_entries WHERE id = 1'), /append-only: DELETE/);
  await assert.rejects(owner.query('TRUNCATE ledger_entries'), /append-only: TRUNCATE/);
});

test('ll-ledger-table: a journal that does not sum to zero fails at commit', async () => {
  await owner.query('BEGIN');
  await owner.query("INSERT INTO ledger_entries (journal_id, account_id, amount_minor, currency) VALUES (2, 1, -100, 'EUR')");
  await assert.rejects(owner.query('COMMIT'), /journal 2 does not balance/);
  const { rows } = await owner.query('SELECT count(*)::int AS n FROM ledger_entries WHERE journal_id = 2');
  assert.equal(rows[0].n, 0);
});

test('ll-ledger-table: money and currency CHECKs reject bad rows', async () => {
  await assert.rejects(owner.query("INSERT INTO ledger_entries (journal_id, account_id, amount_minor, currency) VALUES (1, 1, 0, 'EUR')"), /check/);
  await assert.rejects(owner.query("INSERT INTO ledger_entries (journal_id, account_id, amount_minor, currency) VALUES (1, 1, 5, 'eu')"), /check/);
});

test('ll-append-only: journals refuse DELETE and TRUNCATE', async () => {
  await assert.rejects(owner.query('DELETE FROM journals'), /append-only: DELETE/);
  await assert.rejects(owner.query('TRUNCATE journals CASCADE'), /append-only: TRUNCATE/);
});

test('ll-audit-trigger: changes to accounts land in audit_log with old and new rows', async () => {
  await owner.query("UPDATE accounts SET code = 'cash-eur' WHERE id = 1");
  const { rows } = await owner.query(
    "SELECT old_row->>'code' AS old_code, new_row->>'code' AS new_code FROM audit_log WHERE operation = 'UPDATE'",
  );
  assert.deepEqual(rows, [{ old_code: 'cash', new_code: 'cash-eur' }]);
  const { rows: inserts } = await owner.query("SELECT count(*)::int AS n FROM audit_log WHERE operation = 'INSERT'");
  assert.equal(inserts[0].n, 2);
});

test('ll-idempotency-key: a NULL key and a repeated key per merchant are rejected', async () => {
  await owner.query(
    "INSERT INTO payment_requests (merchant_id, amount_minor, currency, idempotency_key) VALUES (1, 100, 'EUR', 'k1'), (2, 100, 'EUR', 'k1')",
  );
  await assert.rejects(
    owner.query("INSERT INTO payment_requests (merchant_id, amount_minor, currency, idempotency_key) VALUES (1, 100, 'EUR', 'k1')"),
    /duplicate key/,
  );
  await assert.rejects(
    owner.query("INSERT INTO payment_requests (merchant_id, amount_minor, currency, idempotency_key) VALUES (1, 100, 'EUR', NULL)"),
    /null value/,
  );
});

test('ll-rls-policy: a tenant sees and writes only its own rows', async () => {
  // Superusers bypass RLS even under FORCE, so run as an ordinary role.
  await owner.query(`
    CREATE ROLE app_user LOGIN PASSWORD 'app';
    GRANT SELECT, INSERT ON payments TO app_user;
  `);
  const app = new Client({ ...pg.connectionConfig, user: 'app_user', password: 'app' });
  await app.connect();
  try {
    for (const tenant of ['1', '2']) {
      await app.query('BEGIN');
      await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
      await app.query('INSERT INTO payments (merchant_id) VALUES ($1)', [tenant]);
      await app.query('COMMIT');
    }
    await app.query('BEGIN');
    await app.query("SELECT set_config('app.tenant_id', '1', true)");
    const { rows } = await app.query('SELECT merchant_id FROM payments');
    assert.deepEqual(rows.map((r) => String(r.merchant_id)), ['1']);
    await assert.rejects(app.query('INSERT INTO payments (merchant_id) VALUES (2)'), /row-level security/);
    await app.query('ROLLBACK');
  } finally {
    await app.end();
  }
});

test('ll-safe-index: the concurrently built index is valid', async () => {
  const { rows } = await owner.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'payments_merchant_id_idx'::regclass");
  assert.deepEqual(rows, [{ indisvalid: true }]);
});
