/**
 * The examples/ workspace is what the demo and the end-to-end tests lint, so it must stay what
 * it claims to be: valid PostgreSQL that really applies (migrations in order, functions, queries
 * as PREPAREd statements) on a real PostgreSQL, and broken inputs that are broken in exactly the
 * advertised way.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import {
  applyExampleMigrations,
  createExamplesPrerequisites,
  examplesDbDir,
  exampleSqlFiles as sqlFiles,
  splitStatements as statements,
} from '../../scripts/lib/apply-examples';

const pgQuery = require('libpg-query') as {
  loadModule(): Promise<void>;
  parseSync(sql: string): { stmts: { stmt: object; stmt_location?: number; stmt_len?: number }[] };
  parsePlPgSQLSync(sql: string): unknown;
};

const db = examplesDbDir();

let pg: EmbeddedPostgres;
let client: Client;

before(async () => {
  await pgQuery.loadModule();
  pg = await startPostgres();
  client = new Client(pg.connectionConfig);
  await client.connect();
  await createExamplesPrerequisites(client);
});

after(async () => {
  await client?.end();
  await pg?.stop();
});

test('every example SQL file outside db/broken parses, PL/pgSQL bodies included', () => {
  for (const file of [...sqlFiles('migrations'), ...sqlFiles('functions'), ...sqlFiles('queries')]) {
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(pgQuery.parseSync(text).stmts.length > 0, file);
    if (/language\s+plpgsql/i.test(text)) pgQuery.parsePlPgSQLSync(text);
  }
});

test('migrations apply in name order on a real PostgreSQL, then functions and queries', async () => {
  const migrations = sqlFiles('migrations');
  assert.ok(migrations.length >= 10, `expected 10+ migrations, found ${migrations.length}`);
  await applyExampleMigrations(client).catch((error: Error) => assert.fail(error.message));
  for (const file of sqlFiles('functions')) await client.query(fs.readFileSync(file, 'utf8'));
  let n = 0;
  for (const file of sqlFiles('queries')) {
    for (const s of statements(fs.readFileSync(file, 'utf8'))) {
      await client.query(`PREPARE example_query_${n++} AS ${s}`).catch((error: Error) => {
        assert.fail(`${path.basename(file)}: ${error.message}\n${s}`);
      });
    }
  }
  assert.ok(n >= 10, `expected 10+ queries, prepared ${n}`);
});

test('the well-written transfer function moves money and refuses an overdraft', async () => {
  await client.query(`
    INSERT INTO merchants (legal_name, country_code) VALUES ('Acme Ltd', 'GB');
    INSERT INTO customers (merchant_id, email) VALUES (1, 'a@example.com'), (1, 'b@example.com');
    INSERT INTO accounts (merchant_id, code, kind, currency) VALUES (1, 'wallet-a', 'liability', 'GBP'), (1, 'wallet-b', 'liability', 'GBP');
    INSERT INTO wallets (merchant_id, customer_id, account_id, currency, balance) VALUES (1, 1, 1, 'GBP', 1000), (1, 2, 2, 'GBP', 0);
  `);
  await client.query("SELECT post_wallet_transfer(1, 2, 250, 'p2p')");
  const { rows } = await client.query<{ balance: string }>('SELECT balance FROM wallets ORDER BY id');
  assert.deepEqual(rows.map((r) => r.balance), ['750', '250']);
  await assert.rejects(client.query("SELECT post_wallet_transfer(1, 2, 10000, 'too much')"), /insufficient funds/);
  await assert.rejects(client.query('UPDATE postings SET amount_minor = 1'), /append-only/);
});

test('db/broken holds the advertised inputs', () => {
  const read = (f: string) => fs.readFileSync(path.join(db, 'broken', f));
  assert.throws(() => pgQuery.parseSync(read('syntax_error.sql').toString('utf8')), /syntax error/);
  const crlf = read('crlf_line_endings.sql').toString('latin1');
  assert.ok(crlf.includes('\r\n') && !/[^\r]\n/.test(crlf), 'CRLF on every line');
  assert.deepEqual([...read('byte_order_mark.sql').subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const bad = read('invalid_utf8.sql');
  assert.ok(bad.includes(0xff));
  assert.notEqual(Buffer.from(bad.toString('utf8'), 'utf8').length, bad.length, 'not valid UTF-8');
});
