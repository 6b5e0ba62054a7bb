import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import rule from '../../server/src/rules/not-in-subquery';
import { initParser } from '../../server/src/sql/parser';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import { applyEdits, lintWith, ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'SELECT p.id FROM payments p WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.payment_id = p.id)',
    "SELECT * FROM payments WHERE status NOT IN ('failed', 'voided')",
    'SELECT * FROM payments WHERE id IN (SELECT payment_id FROM settlements)',
    'SELECT * FROM payments WHERE NOT (amount > 10)',
    'SELECT * FROM payments WHERE id <> ANY (SELECT payment_id FROM settlements)',
    { code: "SELECT 'x NOT IN (SELECT 1)'", name: 'inside a string' },
  ],
  invalid: [
    {
      name: 'qualified outer column, subquery with WHERE',
      code: 'SELECT p.id\nFROM payments p\nWHERE p.id NOT IN (SELECT payment_id FROM settlements WHERE status = \'done\');',
      errors: [{ messageId: 'notIn', line: 3, column: 7, endLine: 3, endColumn: 77, includes: ['p.id NOT IN (SELECT payment_id', 'NULL payment_id'] }],
      output: "SELECT p.id\nFROM payments p\nWHERE NOT EXISTS (SELECT 1 FROM settlements WHERE (status = 'done') AND payment_id = p.id);",
    },
    {
      name: 'unqualified outer column is qualified with the only outer table',
      code: 'SELECT id FROM payments WHERE id NOT IN (SELECT s.payment_id FROM settlements s) AND amount > 0',
      errors: [{ messageId: 'notIn', column: 31, endColumn: 81 }],
      output: 'SELECT id FROM payments WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.payment_id = payments.id) AND amount > 0',
    },
    {
      name: 'NOT (x IN (...)) in a DELETE, quoted names, alias of the outer table',
      code: 'DELETE FROM "Holds" h WHERE NOT (h."walletId" IN (SELECT w.id FROM wallets w WHERE w.active OR w.frozen))',
      errors: [{ messageId: 'notIn', column: 29, endColumn: 106, includes: 'h."walletId" NOT IN' }],
      output: 'DELETE FROM "Holds" h WHERE NOT EXISTS (SELECT 1 FROM wallets w WHERE (w.active OR w.frozen) AND w.id = h."walletId")',
    },
    {
      name: 'parameter on the left, UPDATE',
      code: 'UPDATE accounts SET flagged = true WHERE $1 NOT IN (SELECT account_id FROM allowlist)',
      errors: [{ messageId: 'notIn', column: 42 }],
      output: 'UPDATE accounts SET flagged = true WHERE NOT EXISTS (SELECT 1 FROM allowlist WHERE account_id = $1)',
    },
    {
      name: '<> ALL has the same NULL trap',
      code: 'SELECT * FROM payments p WHERE p.id <> ALL (SELECT payment_id FROM refunds)',
      errors: [{ messageId: 'notIn', column: 32, includes: '<> ALL' }],
      output: 'SELECT * FROM payments p WHERE NOT EXISTS (SELECT 1 FROM refunds WHERE payment_id = p.id)',
    },
    {
      name: 'inside a PL/pgSQL body',
      code: 'CREATE FUNCTION orphans() RETURNS SETOF bigint LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY SELECT p.id FROM payments p WHERE p.id NOT IN (SELECT payment_id FROM settlements);\nEND $$;',
      errors: [{ messageId: 'notIn', line: 3, column: 50 }],
      output: 'CREATE FUNCTION orphans() RETURNS SETOF bigint LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY SELECT p.id FROM payments p WHERE NOT EXISTS (SELECT 1 FROM settlements WHERE payment_id = p.id);\nEND $$;',
    },
    {
      name: 'no fix: unqualified outer column with a join (owner unknown)',
      code: 'SELECT 1 FROM payments JOIN accounts a ON a.id = account_id WHERE merchant_id NOT IN (SELECT id FROM merchants)',
      errors: [{ messageId: 'notIn', column: 67 }],
      output: null,
    },
    {
      name: 'no fix: outer qualifier shadowed by the subquery, DISTINCT, GROUP BY, LIMIT, UNION, row value, expression target',
      code: [
        'SELECT 1 FROM payments p WHERE p.id NOT IN (SELECT p.payment_id FROM refunds p);',
        'SELECT 1 FROM payments p WHERE p.id NOT IN (SELECT DISTINCT payment_id FROM refunds);',
        'SELECT 1 FROM payments p WHERE p.id NOT IN (SELECT payment_id FROM refunds GROUP BY payment_id);',
        'SELECT 1 FROM payments p WHERE p.id NOT IN (SELECT payment_id FROM refunds LIMIT 10);',
        'SELECT 1 FROM payments p WHERE p.id NOT IN (SELECT payment_id FROM refunds UNION SELECT payment_id FROM chargebacks);',
        'SELECT 1 FROM payments p WHERE (p.id, p.currency) NOT IN (SELECT payment_id, currency FROM refunds);',
        'SELECT 1 FROM payments p WHERE p.id NOT IN (SELECT payment_id + 0 FROM refunds);',
      ].join('\n'),
      errors: [1, 2, 3, 4, 5, 6, 7].map((line) => ({ messageId: 'notIn', line, column: 32 })),
      output: null,
    },
  ],
});

// The fact behind the rule and the quick fix's meaning, checked on a real PostgreSQL: with one NULL
// in the subquery NOT IN finds nothing, while the rewritten query finds the unsettled payment.
describe('not-in-subquery on PostgreSQL', () => {
  let pg: EmbeddedPostgres | undefined;
  let client: Client | undefined;
  before(async () => {
    await initParser();
    pg = await startPostgres();
    client = new Client(pg.connectionConfig);
    await client.connect();
    await client.query(`
      CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL);
      CREATE TABLE settlements (id bigint PRIMARY KEY, payment_id bigint, status text NOT NULL);
      INSERT INTO payments VALUES (1, 10), (2, 20), (3, 30);
      INSERT INTO settlements VALUES (1, 1, 'done'), (2, NULL, 'done'), (3, 2, 'pending');`);
  });
  after(async () => {
    await client?.end();
    await pg?.stop();
  });

  const ids = async (sql: string) => (await client!.query(sql)).rows.map((r) => Number(r.id));
  const fixed = (code: string) => {
    const { findings } = lintWith(rule, { code });
    assert.equal(findings.length, 1, code);
    return applyEdits(code, findings[0].fixes?.[0]?.edits ?? []);
  };

  it('NOT IN returns zero rows with one NULL; the NOT EXISTS rewrite returns the unmatched ones', async () => {
    const code = 'SELECT p.id FROM payments p WHERE p.id NOT IN (SELECT payment_id FROM settlements) ORDER BY 1';
    assert.deepEqual(await ids(code), []);
    assert.deepEqual(await ids(fixed(code)), [3]);
  });

  it('the rewrite keeps the subquery WHERE and qualifies an unqualified outer column', async () => {
    const code = "SELECT id FROM payments WHERE id NOT IN (SELECT payment_id FROM settlements WHERE status = 'done' AND payment_id IS NOT NULL) ORDER BY 1";
    const before = await ids(code);
    assert.deepEqual(before, [2, 3]);
    assert.deepEqual(await ids(fixed(code)), before, 'same rows when the subquery has no NULL');
  });
});
