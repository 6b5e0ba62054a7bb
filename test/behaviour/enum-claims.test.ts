// On a real PostgreSQL 18: the enum facts enum-pitfalls cites, each checked next to the rule's
// verdict on the same SQL. A new value is unusable until its ADD VALUE commits (55P04, what makes a
// drizzle-kit migrate run fail); ADD VALUE of an existing label or next to a missing one fails;
// BEFORE places the label in sort order; and drizzle-kit's way of removing a value (columns to
// text, drop and recreate the type, columns back) rewrites every table using it under ACCESS
// EXCLUSIVE and fails for rows still holding the removed label.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import rule from '../../server/src/rules/enum-pitfalls';
import { lintWith } from '../lib/rule-tester';
import { initParser } from '../../server/src/sql/parser';

const CREATE = "CREATE TYPE payment_status AS ENUM ('pending', 'settled', 'refunded');\nCREATE TABLE payments (id bigint PRIMARY KEY, status payment_status NOT NULL DEFAULT 'pending');";

describe('enum facts on PostgreSQL 18, as enum-pitfalls says', () => {
  let pg: EmbeddedPostgres;
  let client: Client;
  before(async () => {
    await initParser();
    pg = await startPostgres();
    client = new Client(pg.connectionConfig);
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await pg?.stop();
  });

  const reset = async () => {
    await client.query('DROP TABLE IF EXISTS payments; DROP TYPE IF EXISTS payment_status;');
    await client.query(CREATE);
    await client.query("INSERT INTO payments VALUES (1, 'settled'), (2, 'refunded')");
  };
  const sqlState = async (sql: string): Promise<string | undefined> => {
    try {
      await client.query(sql);
      return undefined;
    } catch (e: any) {
      await client.query('ROLLBACK').catch(() => undefined);
      return e.code;
    }
  };
  const verdict = (code: string) => lintWith(rule, { files: [{ path: 'migrations/0001_create.sql', code: CREATE }], path: 'migrations/0002_change.sql', code }).findings.map((f) => f.messageId);

  it('a value added in a transaction cannot be used (UPDATE, SET DEFAULT) before it commits: 55P04; after COMMIT it can', async () => {
    await reset();
    const update = "BEGIN;\nALTER TYPE payment_status ADD VALUE 'chargeback' AFTER 'settled';\nUPDATE payments SET status = 'chargeback' WHERE id = 2;\nCOMMIT;";
    assert.equal(await sqlState(update), '55P04');
    assert.deepEqual(verdict(update), ['unsafeUse']);
    const setDefault = "BEGIN;\nALTER TYPE payment_status ADD VALUE 'chargeback' AFTER 'settled';\nALTER TABLE payments ALTER COLUMN status SET DEFAULT 'chargeback';\nCOMMIT;";
    assert.equal(await sqlState(setDefault), '55P04');
    assert.deepEqual(verdict(setDefault), ['unsafeUse']);
    const separate = "ALTER TYPE payment_status ADD VALUE 'chargeback' AFTER 'settled';\nUPDATE payments SET status = 'chargeback' WHERE id = 2;";
    // Statement by statement, as a runner that does not wrap files sends them (one multi-statement query would be one transaction).
    for (const s of separate.split('\n')) assert.equal(await sqlState(s), undefined, s);
    assert.deepEqual(verdict(separate), []);
  });

  it('ADD VALUE of an existing label fails without IF NOT EXISTS (42710); next to a missing label it fails (22023)', async () => {
    await reset();
    const duplicate = "ALTER TYPE payment_status ADD VALUE 'refunded' AFTER 'settled';";
    assert.equal(await sqlState(duplicate), '42710');
    assert.deepEqual(verdict(duplicate), ['duplicateValue']);
    const skipped = "ALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'settled';";
    assert.equal(await sqlState(skipped), undefined);
    assert.deepEqual(verdict(skipped), []);
    const missing = "ALTER TYPE payment_status ADD VALUE 'voided' AFTER 'captured';";
    assert.equal(await sqlState(missing), '22023');
    assert.deepEqual(verdict(missing), ['missingNeighbor']);
  });

  it('BEFORE places the label in sort order; without it the label sorts last', async () => {
    await reset();
    await client.query("ALTER TYPE payment_status ADD VALUE 'authorized' BEFORE 'settled'");
    await client.query("ALTER TYPE payment_status ADD VALUE 'disputed'");
    const { rows } = await client.query<{ l: string }>("SELECT unnest(enum_range(NULL::payment_status))::text AS l");
    assert.deepEqual(rows.map((r) => r.l), ['pending', 'authorized', 'settled', 'refunded', 'disputed']);
    assert.equal((await client.query("SELECT 'disputed'::payment_status > 'refunded' AS gt")).rows[0].gt, true);
  });

  it("drizzle-kit's recreate for a removed value rewrites the table under ACCESS EXCLUSIVE and fails on rows holding it (22P02)", async () => {
    await reset();
    const filenode = async () => (await client.query<{ f: string }>("SELECT pg_relation_filenode('payments') AS f")).rows[0].f;
    const start = await filenode();
    // The statements drizzle-kit 0.31 generates when 'refunded' leaves the pgEnum array.
    const recreate = [
      'ALTER TABLE payments ALTER COLUMN status SET DATA TYPE text',
      "ALTER TABLE payments ALTER COLUMN status SET DEFAULT 'pending'::text",
      'DROP TYPE payment_status',
      "CREATE TYPE payment_status AS ENUM ('pending', 'settled')",
      "ALTER TABLE payments ALTER COLUMN status SET DEFAULT 'pending'::payment_status",
      'ALTER TABLE payments ALTER COLUMN status SET DATA TYPE payment_status USING status::payment_status',
    ];
    await client.query('BEGIN');
    await client.query(recreate[0]);
    const locks = await client.query<{ mode: string }>("SELECT mode FROM pg_locks WHERE relation = 'payments'::regclass AND pid = pg_backend_pid()");
    assert.ok(locks.rows.some((r) => r.mode === 'AccessExclusiveLock'), JSON.stringify(locks.rows));
    assert.notEqual(await filenode(), start, 'enum -> text rewrote the table');
    let failed: string | undefined;
    try {
      for (const s of recreate.slice(1)) await client.query(s);
    } catch (e: any) {
      failed = e.code;
    }
    await client.query('ROLLBACK');
    assert.equal(failed, '22P02', "the row holding 'refunded' fails the cast back");
    // Without such rows it goes through, rewriting the table again.
    await client.query('DELETE FROM payments WHERE id = 2');
    const before2 = await filenode();
    for (const s of recreate) await client.query(s);
    assert.notEqual(await filenode(), before2);
  });
});
