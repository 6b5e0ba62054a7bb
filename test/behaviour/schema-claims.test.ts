// The schema rules' claims (non-idempotent-ddl, enum-pitfalls, text-type-choice, identifier-hygiene,
// legacy-constructs) checked on a real PostgreSQL: what they report really fails or misbehaves, and
// their quick fixes run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import type { FileInfo, RuleDefinition } from '../../server/src/engine/rule';
import enumPitfalls from '../../server/src/rules/enum-pitfalls';
import identifierHygiene from '../../server/src/rules/identifier-hygiene';
import legacyConstructs from '../../server/src/rules/legacy-constructs';
import nonIdempotentDdl from '../../server/src/rules/non-idempotent-ddl';
import textTypeChoice from '../../server/src/rules/text-type-choice';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { applyEdits } from '../lib/rule-tester';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';

const UP: FileInfo = { role: 'up', migration: true, runnerWrapsTransaction: false };

function lint(rule: RuleDefinition, sql: string, fileInfo = UP) {
  return lintSqlFile({ file: parseSqlFile('m.sql', sql), config: resolveConfig(undefined), rules: [rule], fileInfo }).findings;
}

function fixed(rule: RuleDefinition, sql: string): string {
  const findings = lint(rule, sql);
  assert.ok(findings.length > 0, `${rule.meta.id} reports:\n${sql}`);
  const out = applyEdits(sql, findings.flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.edits ?? []));
  assert.notEqual(out, sql, `${rule.meta.id} offers a fix`);
  return out;
}

const code = (sqlState: string) => (e: any) => e?.code === sqlState;

describe('schema rules on a real PostgreSQL', () => {
  let pg: EmbeddedPostgres;
  let db: Client;
  const one = async (sql: string) => (await db.query(sql)).rows[0];

  before(async () => {
    await initParser();
    pg = await startPostgres();
    db = new Client(pg.connectionConfig);
    await db.connect();
    await db.query(`
      CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint, idempotency_key text, status text);
      INSERT INTO payments SELECT g, 1, 'k' || (g % 10), 'settled' FROM generate_series(1, 100) g;
      CREATE TYPE payment_status AS ENUM ('pending', 'settled');`);
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    await pg?.stop();
  });

  it('non-idempotent-ddl: a failed CONCURRENTLY build leaves an INVALID index; the retry fails, IF NOT EXISTS alone keeps the INVALID one', async () => {
    const sql = 'CREATE UNIQUE INDEX CONCURRENTLY payments_key_idx ON payments (merchant_id, idempotency_key);';
    const guarded = fixed(nonIdempotentDdl, sql);
    assert.equal(guarded, 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payments_key_idx ON payments (merchant_id, idempotency_key);');
    await assert.rejects(db.query(sql), code('23505'));
    assert.equal((await one(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'payments_key_idx'::regclass`)).indisvalid, false);
    await assert.rejects(db.query(sql), code('42P07'));
    await db.query('UPDATE payments SET idempotency_key = id::text');
    await db.query(guarded);
    assert.equal((await one(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'payments_key_idx'::regclass`)).indisvalid, false, 'IF NOT EXISTS skipped the leftover');
    // The message's recipe: drop the INVALID leftover, then the guarded statement builds a valid index.
    await db.query('DROP INDEX CONCURRENTLY IF EXISTS payments_key_idx');
    await db.query(guarded);
    assert.equal((await one(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'payments_key_idx'::regclass`)).indisvalid, true);
  });

  it('non-idempotent-ddl: the guarded DROP INDEX and ADD VALUE run twice; unguarded they fail the second time', async () => {
    await db.query('CREATE INDEX payments_status_idx ON payments (status)');
    const drop = 'DROP INDEX CONCURRENTLY payments_status_idx;';
    await db.query(drop);
    await assert.rejects(db.query(drop), code('42704'));
    const guardedDrop = fixed(nonIdempotentDdl, drop);
    await db.query(guardedDrop);
    await db.query(guardedDrop);
    const add = "ALTER TYPE payment_status ADD VALUE 'failed' AFTER 'pending';";
    await db.query(add);
    await assert.rejects(db.query(add), code('42710'));
    const guardedAdd = fixed(nonIdempotentDdl, add);
    await db.query(guardedAdd);
    await db.query(guardedAdd);
  });

  it('enum-pitfalls: a new value used in the same transaction fails with 55P04 where the rule points; the values it allows work', async () => {
    const sql = "BEGIN;\nALTER TYPE payment_status ADD VALUE 'voided' AFTER 'settled';\nSELECT count(*) FROM payments WHERE status::payment_status = 'voided';\nCOMMIT;";
    const findings = lint(enumPitfalls, sql);
    assert.deepEqual(findings.map((f) => f.messageId), ['unsafeUse']);
    await db.query('BEGIN');
    await db.query("ALTER TYPE payment_status ADD VALUE 'voided' AFTER 'settled'");
    await assert.rejects(db.query("SELECT count(*) FROM payments WHERE status::payment_status = 'voided'"), code('55P04'));
    await db.query('ROLLBACK');

    const sameTx = "BEGIN;\nCREATE TYPE payout_state AS ENUM ('queued');\nALTER TYPE payout_state ADD VALUE 'sent' AFTER 'queued';\nSELECT 'sent'::payout_state;\nCOMMIT;";
    assert.deepEqual(lint(enumPitfalls, sameTx), []);
    await db.query(sameTx);
    const autocommit = "ALTER TYPE payment_status ADD VALUE 'disputed' AFTER 'settled';\nSELECT 'disputed'::payment_status;";
    assert.deepEqual(lint(enumPitfalls, autocommit), []);
    for (const s of parseSqlFile('m.sql', autocommit).statements) await db.query(s.segment.text);
    assert.equal((await one("SELECT 'disputed'::payment_status > 'settled'::payment_status AS after")).after, true);
  });

  it('text-type-choice: char(3) hands the application a padded string; the fixed table keeps the limit without padding', async () => {
    const sql = 'CREATE TABLE fx_quotes (id bigint PRIMARY KEY, base char(3) NOT NULL);';
    await db.query(sql);
    await db.query("INSERT INTO fx_quotes VALUES (1, 'US')");
    assert.equal((await one('SELECT base FROM fx_quotes')).base, 'US ');
    const out = fixed(textTypeChoice, sql.replace('fx_quotes', 'fx_quotes2'));
    await db.query(out);
    await db.query("INSERT INTO fx_quotes2 VALUES (1, 'US')");
    assert.equal((await one('SELECT base FROM fx_quotes2')).base, 'US');
    await assert.rejects(db.query("INSERT INTO fx_quotes2 VALUES (2, 'USDT')"), code('23514'));
  });

  it('identifier-hygiene: two reported long index names collide; with IF NOT EXISTS the second index silently does not exist', async () => {
    const a = 'payments_merchant_id_idempotency_key_status_including_refunds_idx_a';
    const b = a.replace(/_a$/, '_b');
    const sql = `CREATE INDEX ${a} ON payments (merchant_id);\nCREATE INDEX IF NOT EXISTS ${b} ON payments (status);`;
    assert.deepEqual(lint(identifierHygiene, sql).map((f) => f.messageId), ['tooLong', 'tooLong']);
    await db.query(`CREATE INDEX ${a} ON payments (merchant_id)`);
    await assert.rejects(db.query(`CREATE INDEX ${b} ON payments (status)`), code('42P07'));
    await db.query(`CREATE INDEX IF NOT EXISTS ${b} ON payments (status)`);
    const { n } = await one(`SELECT count(*)::int AS n FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = 'payments'::regclass AND a.attname = 'status'`);
    assert.equal(n, 0, 'no index on status');

    const quoted = 'CREATE TABLE "Refunds" (id bigint);';
    assert.deepEqual(lint(identifierHygiene, quoted).map((f) => f.messageId), ['mixedCase']);
    await db.query(quoted);
    await assert.rejects(db.query('SELECT * FROM Refunds'), code('42P01'));
  });

  it('legacy-constructs: DO INSTEAD NOTHING reports success and writes nothing; INHERITS lets a primary key repeat', async () => {
    const rule = 'CREATE RULE ledger_no_update AS ON UPDATE TO ledger DO INSTEAD NOTHING;';
    assert.equal(lint(legacyConstructs, rule).length, 1);
    await db.query('CREATE TABLE ledger (id bigint PRIMARY KEY, amount_minor bigint NOT NULL)');
    await db.query('INSERT INTO ledger VALUES (1, 100)');
    await db.query(rule);
    const r = await db.query('UPDATE ledger SET amount_minor = 0 WHERE id = 1');
    assert.equal(r.rowCount, 0);
    assert.equal((await one('SELECT amount_minor FROM ledger')).amount_minor, '100');

    const child = 'CREATE TABLE ledger_2025 () INHERITS (ledger);';
    assert.equal(lint(legacyConstructs, child).length, 1);
    await db.query(child);
    await db.query('INSERT INTO ledger_2025 VALUES (1, 50)');
    assert.equal((await one('SELECT count(*)::int AS n FROM ledger WHERE id = 1')).n, 2);
  });
});
