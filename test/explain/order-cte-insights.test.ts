/**
 * The ORDER BY + LIMIT and CTE insights on estimated plans and odd shapes, and the rule that a fix
 * never suggests an index that is already there: hand-written EXPLAIN JSON (the seeded database
 * cases are in plan-insights-db.test.ts).
 */
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { analysePlan } from '../../server/src/explain/insights';
import { createIndexFix, findExistingIndex } from '../../server/src/explain/insights/index-fix';
import { parsePlan, type ExistingIndex } from '../../server/src/explain/plan-model';
import { ensureParserLoaded } from '../../server/src/explain/statement-check';

before(ensureParserLoaded);

const index = (name: string, columns: string[], extra: Partial<ExistingIndex> = {}): ExistingIndex =>
  ({ table: 'payments', name, columns, method: 'btree', unique: false, valid: true, source: 'database', ...extra });

test('an index with the same leading columns is found; partial, other methods and other tables are not', () => {
  const existing = [
    index('payments_status_created_at_idx', ['status', 'created_at DESC']),
    index('payments_country_idx', ['country'], { predicate: "(status = 'failed'::text)" }),
    index('payments_currency_idx', ['currency'], { method: 'hash' }),
    index('customers_status_idx', ['status'], { table: 'customers' }),
  ];
  assert.equal(findExistingIndex('payments', ['status'], existing)?.name, 'payments_status_created_at_idx');
  assert.equal(findExistingIndex('payments', ['status', 'created_at'], existing)?.name, 'payments_status_created_at_idx', 'a btree reads backwards too');
  assert.equal(findExistingIndex('payments', ['created_at'], existing), undefined, 'not a leading column');
  assert.equal(findExistingIndex('payments', ['status', 'created_at', 'id'], existing), undefined, 'longer than the index');
  assert.equal(findExistingIndex('payments', ['country'], existing), undefined, 'a partial index serves only its WHERE');
  assert.equal(findExistingIndex('payments', ['currency'], existing), undefined, 'a hash index cannot serve ranges or order');
  assert.equal(findExistingIndex('customers', ['status'], existing)?.name, 'customers_status_idx');
});

test('the fix says what to do with the index that is there', () => {
  const valid = [index('payments_status_idx', ['status'])];
  assert.equal(createIndexFix('payments', ['status'], valid),
    'ANALYZE payments; -- payments_status_idx on payments (status) already exists; the planner judged it slower, so refresh the statistics and compare with EXPLAIN ANALYZE');
  const workspace = [index('payments_status_idx', ['status'], { source: 'workspace', file: '0042_status.sql' })];
  assert.equal(createIndexFix('payments', ['status'], workspace), 'payments_status_idx on payments (status) is created by 0042_status.sql but not in this database: apply that migration.');
  // The database's index wins over the migration that creates it (the migration was applied).
  assert.match(createIndexFix('payments', ['status'], [...workspace, ...valid]) ?? '', /^ANALYZE payments;/);
  assert.equal(createIndexFix('payments', ['status', 'amount'], valid), 'CREATE INDEX CONCURRENTLY payments_status_amount_idx ON payments (status, amount);');
});

const limitOverIndexWalk = (extra: object, top: object = {}) => parsePlan([{
  Plan: {
    'Node Type': 'Limit', 'Startup Cost': 0.42, 'Total Cost': 1887, 'Plan Rows': 20,
    Plans: [{
      'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', 'Scan Direction': 'Backward', 'Index Name': 'payments_created_at_idx',
      'Relation Name': 'payments', Alias: 'payments', 'Startup Cost': 0.42, 'Total Cost': 10096, 'Plan Rows': 107,
      Filter: "((status = 'failed'::text) AND (amount > 100.0))", ...extra,
    }],
  },
  ...top,
}]);

test('estimated plan: a LIMIT betting that rare rows come early in index order is flagged as info', () => {
  const plan = limitOverIndexWalk({});
  plan.tableRows = { payments: 250_000 };
  plan.existingIndexes = [index('payments_created_at_idx', ['created_at'])];
  const finding = analysePlan(plan).find((f) => f.id === 'order-by-limit-wrong-index');
  assert.equal(finding?.severity, 'info');
  assert.match(finding!.title, /bets that \(\(status = 'failed'::text\) AND \(amount > 100\.0\)\) matches early/);
  assert.equal(finding!.fix, 'CREATE INDEX CONCURRENTLY payments_status_created_at_idx ON payments (status, created_at);');
  // Without the index's columns (no pg_index lookup), the fix still names table, filter and index.
  plan.existingIndexes = undefined;
  assert.match(analysePlan(plan).find((f) => f.id === 'order-by-limit-wrong-index')!.fix, /^Create an index on payments with the equality columns of .* then the columns of payments_created_at_idx\.$/);
  // A filter that keeps 5 % of the table is a fair bet: nothing to say.
  const common = limitOverIndexWalk({ 'Plan Rows': 12_500 });
  common.tableRows = { payments: 250_000 };
  assert.ok(!analysePlan(common).some((f) => f.id === 'order-by-limit-wrong-index'));
});

test('analyzed index walk that found its rows quickly is fine; a range-only filter gets a partial index', () => {
  const walk = (removed: number) => parsePlan([{
    Plan: { 'Node Type': 'Limit', 'Total Cost': 19, 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Actual Total Time': 2.2,
      Plans: [{ 'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', 'Index Name': 'payments_created_at_idx', 'Relation Name': 'payments',
        'Total Cost': 9471, 'Plan Rows': 9975, 'Actual Rows': 20, 'Actual Loops': 1, 'Actual Total Time': 2.1,
        Filter: "(country = 'DE'::text)", 'Rows Removed by Filter': removed }] },
    'Execution Time': 2.3,
  }]);
  assert.ok(!analysePlan(walk(474)).some((f) => f.id === 'order-by-limit-wrong-index'), '474 rows read to find 20 is the bet paying off');
  assert.ok(analysePlan(walk(47_400)).some((f) => f.id === 'order-by-limit-wrong-index'), 'the same plan reading 47,400 rows is not');
  const rangeOnly = parsePlan([{
    Plan: { 'Node Type': 'Limit', 'Total Cost': 100, 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Actual Total Time': 80,
      Plans: [{ 'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', 'Index Name': 'payments_created_at_idx', 'Relation Name': 'payments',
        'Total Cost': 9000, 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Actual Total Time': 79,
        Filter: "(amount > '990'::numeric)", 'Rows Removed by Filter': 90000 }] },
    'Execution Time': 80,
  }]);
  rangeOnly.existingIndexes = [index('payments_created_at_idx', ['created_at'])];
  const finding = analysePlan(rangeOnly).find((f) => f.id === 'order-by-limit-wrong-index')!;
  assert.equal(finding.severity, 'warning');
  assert.equal(finding.fix, "CREATE INDEX CONCURRENTLY payments_created_at_partial_idx ON payments (created_at) WHERE (amount > '990'::numeric);");
});

test('Sort after a range lookup is left alone: no composite index keeps that order', () => {
  const plan = parsePlan([{
    Plan: { 'Node Type': 'Limit', 'Total Cost': 2351, 'Plan Rows': 10,
      Plans: [{ 'Node Type': 'Sort', 'Parent Relationship': 'Outer', 'Sort Key': ['amount DESC'], 'Total Cost': 2350, 'Plan Rows': 17100,
        Plans: [{ 'Node Type': 'Bitmap Heap Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'payments', 'Total Cost': 2300, 'Plan Rows': 17100,
          'Recheck Cond': '((customer_id >= 100) AND (customer_id <= 4000))' }] }] },
  }]);
  assert.ok(!analysePlan(plan).some((f) => f.id.startsWith('order-by-limit')));
});

test('CTE scans: estimated waste, loops, and odd shapes never throw', () => {
  const plan = parsePlan([{
    Plan: { 'Node Type': 'Nested Loop', 'Total Cost': 90000, 'Plan Rows': 10,
      Plans: [
        { 'Node Type': 'Seq Scan', 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE totals', 'Relation Name': 'ledger_entries', 'Total Cost': 5000, 'Plan Rows': 100000 },
        { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'accounts', 'Total Cost': 10, 'Plan Rows': 10 },
        { 'Node Type': 'CTE Scan', 'Parent Relationship': 'Inner', 'CTE Name': 'totals', 'Total Cost': 2500, 'Plan Rows': 1, Filter: '(account_id = accounts.id)' },
      ] },
  }]);
  const finding = analysePlan(plan).find((f) => f.id === 'cte-scan-filters-rows')!;
  assert.match(finding.title, /^CTE Scan on totals discards 99,999 of 100,000 rows/);
  assert.equal(finding.fix, 'Write WITH totals AS NOT MATERIALIZED (or drop MATERIALIZED) so (account_id = accounts.id) is applied inside it to ledger_entries, then CREATE INDEX CONCURRENTLY ledger_entries_account_id_idx ON ledger_entries (account_id);');
  for (const odd of [{ 'Node Type': 'CTE Scan', Filter: 'x' }, { 'Node Type': 'CTE Scan', 'CTE Name': 'nope', Filter: 42 }, { 'Node Type': 'Limit', Plans: [{ 'Node Type': 'Index Scan', Filter: '(((' }] }]) {
    assert.doesNotThrow(() => analysePlan(parsePlan({ Plan: odd })));
  }
});

test('the CTE finding covers the CTE body: no separate slow-node finding for the work inlining saves', () => {
  const plan = parsePlan([{
    Plan: { 'Node Type': 'Aggregate', 'Total Cost': 9000, 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 100,
      Plans: [
        { 'Node Type': 'Seq Scan', 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE recent', 'Relation Name': 'payments', 'Total Cost': 5000,
          'Plan Rows': 160000, 'Actual Rows': 160000, 'Actual Loops': 1, 'Actual Total Time': 70 },
        { 'Node Type': 'CTE Scan', 'Parent Relationship': 'Outer', 'CTE Name': 'recent', 'Total Cost': 3600, 'Plan Rows': 5, 'Actual Rows': 4, 'Actual Loops': 1,
          'Actual Total Time': 99, Filter: '(customer_id = 42)', 'Rows Removed by Filter': 159996 },
      ] },
    'Execution Time': 100,
  }]);
  const findings = analysePlan(plan);
  assert.deepEqual(findings.map((f) => f.id), ['cte-scan-filters-rows'], findings.map((f) => `${f.id}: ${f.title}`).join('\n'));
  assert.deepEqual(findings[0].relatedNodeIds, [1]);
});
