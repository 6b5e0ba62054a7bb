// rangeVarNames takes the RangeVars the node index's walk found instead of walking the tree again.
// Its answer must stay the one of the walk it replaced (below, as it was): the same keys and bare
// names in the same order, for wrapped and bare RangeVars, schema-qualified names, nested
// queries, PL/pgSQL bodies, and trees deeper than that walk went (it stopped at depth 500).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { rangeVarNames } from '../../server/src/model/range-var-names';
import { rangeVarKey } from '../../server/src/model/schema-builder';
import { parseSqlFile } from '../../server/src/sql/document';
import { embeddedStatements } from '../../server/src/sql/plpgsql';
import { initParser } from '../../server/src/sql/parser';

/** The walk rangeVarNames made before. */
function walked(ast: unknown): { keys: string[]; bare: string[] } {
  const keys = new Set<string>();
  const bare = new Set<string>();
  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 500) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    if (typeof o.relname === 'string') {
      keys.add(rangeVarKey(o));
      bare.add(o.relname.toLowerCase());
    }
    for (const k in o) walk(o[k], depth + 1);
  };
  walk(ast, 0);
  return { keys: [...keys], bare: [...bare] };
}

/** `depth` nested additions with a subquery at the bottom: the subquery's table lies ~4 levels deeper per addition. */
function deepQuery(depth: number, table: string): string {
  return `SELECT ${'1 + ('.repeat(depth)}(SELECT count(*) FROM ${table})${')'.repeat(depth)} FROM outer_t`;
}

describe('rangeVarNames', () => {
  before(() => initParser());

  const sql = [
    'SELECT * FROM payments p JOIN ledger.entries e ON e.id = p.id WHERE p.x IN (SELECT y FROM "Refunds")',
    'UPDATE public.wallets SET balance = balance + 1 FROM accounts a WHERE a.id = wallets.account_id',
    'INSERT INTO ledger.entries (a) SELECT a FROM staging',
    'DELETE FROM payouts USING merchants m WHERE m.id = payouts.merchant_id',
    'CREATE TABLE refunds (id bigint PRIMARY KEY, payment_id bigint REFERENCES payments (id))',
    'ALTER TABLE ONLY billing.invoices ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES billing.accounts (id)',
    'CREATE INDEX ON payments (created_at)',
    'WITH x AS (SELECT * FROM a1) MERGE INTO t1 USING x ON t1.id = x.id WHEN MATCHED THEN DELETE',
    'SELECT 1',
    deepQuery(60, 'shallow_t'),
    // The walk reached the subquery's table through 244 additions, not through 245.
    deepQuery(244, 'edge_t'),
    deepQuery(245, 'past_edge_t'),
    deepQuery(400, 'deeper_t'),
    "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE wallets SET b = 1; INSERT INTO audit.log SELECT * FROM payments; END $$",
  ];

  for (const text of sql) {
    it(`answers as the tree walk did: ${text.slice(0, 70)}`, () => {
      const file = parseSqlFile('q.sql', text + ';\n');
      const stmt = file.statements[0];
      assert.ok(stmt.ast, 'parsed');
      assert.deepEqual(rangeVarNames(stmt), walked(stmt.ast));
      for (const inner of embeddedStatements(stmt)) assert.deepEqual(rangeVarNames(inner), walked(inner.ast));
    });
  }

  it('finds bare and wrapped RangeVars, in tree order', () => {
    const stmt = parseSqlFile('q.sql', 'UPDATE public.wallets SET b = 1 FROM Accounts a, ledger.entries e WHERE true;\n').statements[0];
    assert.deepEqual(rangeVarNames(stmt), { keys: ['wallets', 'accounts', 'ledger.entries'], bare: ['wallets', 'accounts', 'entries'] });
  });

  it('leaves out what lies deeper than the walk went, and keeps what it reached', () => {
    const edge = parseSqlFile('q.sql', deepQuery(244, 'edge_t') + ';\n').statements[0];
    assert.deepEqual(rangeVarNames(edge).keys, ['edge_t', 'outer_t']);
    const past = parseSqlFile('q.sql', deepQuery(245, 'past_edge_t') + ';\n').statements[0];
    assert.deepEqual(rangeVarNames(past).keys, ['outer_t']);
    const deep = parseSqlFile('q.sql', deepQuery(400, 'deeper_t') + ';\n').statements[0];
    assert.deepEqual(rangeVarNames(deep).keys, ['outer_t']);
  });
});
