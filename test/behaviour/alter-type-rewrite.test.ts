// On a real PostgreSQL 18: which ALTER COLUMN ... TYPE changes rewrite the table (a new
// relfilenode) and which only touch the catalog, checked against alter-column-type-rewrite's
// verdict for the same two migrations; and that SET NOT NULL skips its scan exactly when the
// schema before it holds a validated CHECK (col IS NOT NULL), as set-not-null-scan assumes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import alterType from '../../server/src/rules/alter-column-type-rewrite';
import setNotNull from '../../server/src/rules/set-not-null-scan';
import { lintWith } from '../lib/rule-tester';
import { initParser } from '../../server/src/sql/parser';

/** [old type, new type]: each pair is tried on PostgreSQL and through the rule. */
const CHANGES: Array<[string, string]> = [
  ['varchar(22)', 'varchar(64)'],
  ['varchar(22)', 'varchar'],
  ['varchar(22)', 'text'],
  ['text', 'varchar'],
  ['numeric(12,2)', 'numeric(18,2)'],
  ['numeric(12,2)', 'numeric'],
  ['cidr', 'inet'],
  ['varchar(64)', 'varchar(22)'],
  ['text', 'varchar(10)'],
  ['numeric(12,2)', 'numeric(12,4)'],
  ['numeric', 'numeric(7,4)'],
  ['int', 'bigint'],
  ['char(3)', 'text'],
];

const VALUE: Record<string, string> = { cidr: "'10.0.0.0/8'", numeric: '1.5' };
const valueFor = (type: string) => VALUE[type.replace(/\(.*/, '')] ?? "'7'";

describe('ALTER COLUMN TYPE rewrites on PostgreSQL 18, as alter-column-type-rewrite says', () => {
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

  const filenode = async () => (await client.query<{ f: string }>("SELECT pg_relation_filenode('payments') AS f")).rows[0].f;

  for (const [from, to] of CHANGES) {
    it(`${from} -> ${to}`, async () => {
      await client.query('DROP TABLE IF EXISTS payments');
      const create = `CREATE TABLE payments (id bigint PRIMARY KEY, col ${from});`;
      const alter = `ALTER TABLE payments ALTER COLUMN col TYPE ${to};`;
      await client.query(create);
      await client.query(`INSERT INTO payments VALUES (1, ${valueFor(from)})`);
      const before = await filenode();
      await client.query(alter);
      const rewrote = (await filenode()) !== before;
      const { findings } = lintWith(alterType, { files: [{ path: 'migrations/0001_create.sql', code: create }], code: alter });
      assert.deepEqual(findings.map((f) => f.messageId), rewrote ? ['rewrite'] : [], `PostgreSQL ${rewrote ? 'rewrote' : 'did not rewrite'} the table`);
    });
  }

  it('SET NOT NULL skips its scan only after a validated CHECK (col IS NOT NULL)', async () => {
    await client.query('DROP TABLE IF EXISTS payments');
    const create = 'CREATE TABLE payments (id bigint PRIMARY KEY, currency text);';
    await client.query(create);
    await client.query("INSERT INTO payments VALUES (1, 'EUR')");
    const notices: string[] = [];
    client.on('notice', (n) => notices.push(n.message ?? ''));
    await client.query('SET client_min_messages = debug1');
    const proved = async (sql: string) => {
      notices.length = 0;
      await client.query(sql);
      return notices.some((m) => /sufficient to prove that it does not contain nulls/.test(m));
    };
    const addCheck = 'ALTER TABLE payments ADD CONSTRAINT payments_currency_nn CHECK (currency IS NOT NULL) NOT VALID;';
    const validate = 'ALTER TABLE payments VALIDATE CONSTRAINT payments_currency_nn;';
    const setNn = 'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;';
    const files = [{ path: 'migrations/0001_create.sql', code: create }, { path: 'migrations/0002_check.sql', code: addCheck }];
    try {
      await client.query(addCheck);
      assert.equal(await proved(`BEGIN; ${setNn} ROLLBACK;`), false, 'a NOT VALID CHECK proves nothing');
      assert.deepEqual(lintWith(setNotNull, { files, code: setNn }).findings.map((f) => f.messageId), ['notValidated']);
      await client.query(validate);
      assert.equal(await proved(setNn), true, 'the validated CHECK lets SET NOT NULL skip the scan');
      assert.deepEqual(lintWith(setNotNull, { files: [...files, { path: 'migrations/0003_validate.sql', code: validate }], code: setNn }).findings, []);
    } finally {
      await client.query('RESET client_min_messages');
    }
  });
});
