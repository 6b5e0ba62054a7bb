/**
 * Insight families that need plans a small seeded database does not produce reliably (lossy bitmaps,
 * JIT, missing workers, triggers, forced plans), on hand-written EXPLAIN JSON.
 */
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { analysePlan } from '../../server/src/explain/insights';
import { filterColumns, createIndexFix, sortColumns } from '../../server/src/explain/insights/index-fix';
import { codeLensTitle, hoverMarkdown, MAX_HOVER_FINDINGS } from '../../server/src/explain/markdown';
import { parsePlan } from '../../server/src/explain/plan-model';
import { ensureParserLoaded } from '../../server/src/explain/statement-check';

// Fixes are derived by parsing filter texts with libpg-query, which loads its WASM module once.
before(ensureParserLoaded);

const analyzed = (plan: object, extra: object = {}) => parsePlan([{ Plan: plan, 'Planning Time': 0.2, 'Execution Time': 100, ...extra }]);
const idsOf = (plan: ReturnType<typeof parsePlan>) => analysePlan(plan).map((f) => f.id);

test('filter and sort texts become index columns: equality first, then one range, then sort keys', () => {
  const cols = filterColumns("((p.created_at >= '2024-01-01'::timestamptz) AND ((status)::text = 'pending'::text) AND (currency = ANY ('{EUR,USD}'::text[])))");
  assert.deepEqual(cols, { equality: ['status', 'currency'], range: ['created_at'] });
  assert.deepEqual(sortColumns(['p.created_at DESC', 'id', 'lower(email)']), ['created_at DESC', 'id']);
  assert.equal(createIndexFix('payments', ['status', 'created_at']), 'CREATE INDEX CONCURRENTLY payments_status_created_at_idx ON payments (status, created_at);');
  assert.deepEqual(filterColumns('not sql at all ((('), { equality: [], range: [] });
});

test('lossy bitmap, index-only heap fetches, hash batches', () => {
  const plan = analyzed({
    'Node Type': 'Hash Join', 'Total Cost': 5000, 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 99,
    Plans: [
      { 'Node Type': 'Bitmap Heap Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'payments', 'Total Cost': 3000, 'Plan Rows': 100,
        'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 60, 'Exact Heap Blocks': 100, 'Lossy Heap Blocks': 900, 'Rows Removed by Index Recheck': 50000,
        Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Parent Relationship': 'Outer', 'Index Name': 'payments_status_idx', 'Total Cost': 10, 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 5 }] },
      { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Total Cost': 1000, 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 30,
        'Hash Batches': 8, 'Original Hash Batches': 1, 'Peak Memory Usage': 4096,
        Plans: [{ 'Node Type': 'Index Only Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'customers', 'Index Name': 'customers_pkey',
          'Total Cost': 900, 'Plan Rows': 1000, 'Actual Rows': 1000, 'Actual Loops': 1, 'Actual Total Time': 25, 'Heap Fetches': 800 }] },
    ],
  });
  const ids = idsOf(plan);
  for (const id of ['lossy-bitmap', 'hash-batches', 'index-only-heap-fetches']) assert.ok(ids.includes(id), ids.join());
  const fetches = analysePlan(plan).find((f) => f.id === 'index-only-heap-fetches')!;
  assert.equal(fetches.fix, 'VACUUM (ANALYZE) customers; -- and check autovacuum keeps up on it');
});

test('JIT share, planning time share, workers launched < planned', () => {
  const plan = parsePlan([{
    Plan: { 'Node Type': 'Gather', 'Workers Planned': 4, 'Workers Launched': 0, 'Total Cost': 90000, 'Plan Rows': 10, 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 20,
      Plans: [{ 'Node Type': 'Parallel Seq Scan', 'Relation Name': 'ledger_entries', 'Total Cost': 89000, 'Plan Rows': 3, 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 19 }] },
    'Planning Time': 30,
    'Execution Time': 40,
    JIT: { Functions: 12, Timing: { Total: 18 } },
  }]);
  const findings = analysePlan(plan);
  const ids = findings.map((f) => f.id);
  for (const id of ['jit-share', 'planning-time-share', 'workers-not-launched']) assert.ok(ids.includes(id), ids.join());
  assert.equal(findings.find((f) => f.id === 'jit-share')!.share, 18 / 40);
});

test('slow foreign key check and slow trigger', () => {
  const plan = analyzed(
    { 'Node Type': 'ModifyTable', Operation: 'Delete', 'Relation Name': 'customers', 'Total Cost': 10, 'Plan Rows': 1, 'Actual Rows': 0, 'Actual Loops': 1, 'Actual Total Time': 2 },
    { Triggers: [
      { 'Trigger Name': 'RI_ConstraintTrigger_a_16400', 'Constraint Name': 'payments_customer_id_fkey', Relation: 'customers', Time: 90, Calls: 1000 },
      { 'Trigger Name': 'audit_row', Relation: 'customers', Time: 5, Calls: 1000 },
    ] },
  );
  const findings = analysePlan(plan);
  assert.equal(findings[0].id, 'slow-fk-check');
  assert.equal(findings[0].share, 0.9);
  assert.ok(!findings.some((f) => f.id === 'slow-trigger'), 'a 5 % trigger is not worth a finding');
});

test('forced plan: enable_* settings, disabled nodes (18) and 1e10 costs (before 18)', () => {
  const forced = parsePlan([{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'payments', 'Total Cost': 100, 'Plan Rows': 1 }, Settings: { enable_indexscan: 'off', work_mem: '8MB' } }]);
  const finding = analysePlan(forced).find((f) => f.id === 'forced-plan')!;
  assert.match(finding.title, /enable_indexscan=off/);
  assert.equal(finding.fix, 'RESET enable_indexscan; -- and remove it from the role or session defaults');
  const disabled = parsePlan({ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'payments', 'Total Cost': 100, 'Plan Rows': 1, Disabled: true } });
  assert.ok(idsOf(disabled).includes('forced-plan'));
  const oldStyle = parsePlan({ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'payments', 'Total Cost': 10000000100, 'Plan Rows': 1 } });
  assert.ok(idsOf(oldStyle).includes('forced-plan'));
  const normal = parsePlan({ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'payments', 'Total Cost': 100, 'Plan Rows': 1 }, Settings: { work_mem: '8MB' } });
  assert.ok(!idsOf(normal).includes('forced-plan'));
});

test('row estimate is reported once, where it starts, with 10x/100x/1000x severities', () => {
  const plan = analyzed({
    'Node Type': 'Hash Join', 'Total Cost': 100, 'Plan Rows': 10, 'Actual Rows': 50000, 'Actual Loops': 1, 'Actual Total Time': 99,
    Plans: [
      { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'payments', 'Total Cost': 50, 'Plan Rows': 10, 'Actual Rows': 50000, 'Actual Loops': 1, 'Actual Total Time': 40,
        Filter: "((country = 'DE'::text) AND (currency = 'EUR'::text))", 'Rows Removed by Filter': 10 },
      { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Total Cost': 20, 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 3,
        Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'customers', 'Total Cost': 10, 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 2 }] },
    ],
  });
  const estimates = analysePlan(plan).filter((f) => f.id === 'row-estimate-off');
  assert.equal(estimates.length, 1, 'not repeated at the Hash Join above');
  assert.equal(estimates[0].nodeId, 1);
  assert.equal(estimates[0].severity, 'error');
  assert.match(estimates[0].title, /5,000x under/);
});

test('hover shows at most three findings, ranked; code lens names the top one', () => {
  const plan = analyzed({
    'Node Type': 'Limit', 'Total Cost': 50000, 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Actual Total Time': 99,
    Plans: [{ 'Node Type': 'Sort', 'Parent Relationship': 'Outer', 'Sort Key': ['created_at DESC'], 'Sort Method': 'external merge', 'Sort Space Type': 'Disk', 'Sort Space Used': 9000,
      'Total Cost': 49000, 'Plan Rows': 200000, 'Actual Rows': 100020, 'Actual Loops': 1, 'Actual Total Time': 95, 'Temp Written Blocks': 1125,
      Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'payments', 'Total Cost': 5000, 'Plan Rows': 2000, 'Actual Rows': 200000, 'Actual Loops': 1, 'Actual Total Time': 30,
        Filter: "(status = 'settled'::text)", 'Rows Removed by Filter': 800000 }] }],
  }, { Settings: { enable_hashjoin: 'off' } });
  const findings = analysePlan(plan);
  assert.ok(findings.length > MAX_HOVER_FINDINGS);
  const markdown = hoverMarkdown(plan, findings, { serverVersion: '18.4', connectionLabel: 'app@db:5432/pay', planKind: 'literal' });
  assert.equal(markdown.match(/^\d\. \*\*/gm)?.length, MAX_HOVER_FINDINGS);
  assert.equal(findings[0].id, 'forced-plan');
  assert.ok(findings.some((f) => f.id === 'large-offset' && /created_at/.test(f.fix)));
  assert.equal(codeLensTitle(plan, findings), 'EXPLAIN 100 ms · Plan forced by enable_hashjoin=off');
  assert.ok(!/command:/.test(markdown), 'no links without a document position');
});

test('index scan that still filters most rows, and temp files written outside sorts and hashes', () => {
  const plan = analyzed({
    'Node Type': 'Aggregate', 'Total Cost': 9000, 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 99,
    Plans: [
      { 'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'payments', 'Index Name': 'payments_customer_id_idx',
        'Index Cond': '(customer_id = 42)', Filter: "(status = 'failed'::text)", 'Rows Removed by Filter': 9900,
        'Total Cost': 8000, 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 90 },
    ],
  });
  const finding = analysePlan(plan).find((f) => f.id === 'index-scan-filters-rows')!;
  assert.equal(finding.fix, 'CREATE INDEX CONCURRENTLY payments_customer_id_status_idx ON payments (customer_id, status);');
  assert.equal(finding.severity, 'warning');

  const material = analyzed({
    'Node Type': 'Materialize', 'Total Cost': 100, 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 99, 'Temp Written Blocks': 128,
    Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'ledger_entries', 'Total Cost': 90, 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 10 }],
  });
  const temp = analysePlan(material).find((f) => f.id === 'temp-blocks-written')!;
  assert.match(temp.title, /Materialize wrote 1,024 kB of temporary files/);
  assert.match(temp.fix, /^SET LOCAL work_mem = '4MB'/);
});
