import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { exclusiveShare, parsePlan } from '../../server/src/explain/plan-model';

// Hand-written EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) documents: the numbers are chosen so every
// product and difference can be checked by hand.

const nestedLoop = [{
  Plan: {
    'Node Type': 'Nested Loop', 'Total Cost': 500, 'Plan Rows': 100, 'Actual Rows': 1000, 'Actual Loops': 1, 'Actual Total Time': 50,
    Plans: [
      { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'customers', 'Total Cost': 100, 'Plan Rows': 10,
        'Actual Rows': 200, 'Actual Loops': 1, 'Actual Total Time': 10, 'Rows Removed by Filter': 800, 'Shared Hit Blocks': 40 },
      { 'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', 'Relation Name': 'payments', 'Index Name': 'payments_customer_id_idx',
        'Total Cost': 4, 'Plan Rows': 1, 'Actual Rows': 5, 'Actual Loops': 200, 'Actual Total Time': 0.15,
        'Rows Removed by Filter': 2, 'Shared Hit Blocks': 600, 'Shared Read Blocks': 10, 'Heap Fetches': 7 },
    ],
  },
  'Planning Time': 0.5,
  'Execution Time': 51,
}];

test('per-loop rows, time and removed rows are multiplied by loops; buffers are totals', () => {
  const plan = parsePlan(nestedLoop);
  const inner = plan.nodes[2];
  assert.equal(inner.actualRows, 1000);
  assert.equal(inner.totalTime, 30);
  assert.equal(inner.rowsRemovedByFilter, 400);
  assert.equal(inner.buffers.sharedHit, 600);
  assert.equal(inner.buffers.sharedRead, 10);
  assert.equal(inner.heapFetches, 7);
});

test('exclusive time is the node time minus its children', () => {
  const plan = parsePlan(nestedLoop);
  assert.equal(plan.analyzed, true);
  assert.equal(plan.nodes[0].exclusiveTime, 50 - 10 - 30);
  assert.equal(plan.nodes[1].exclusiveTime, 10);
  assert.equal(plan.total, 51);
  assert.ok(Math.abs(exclusiveShare(plan, plan.nodes[2]) - 30 / 51) < 1e-9);
  // Cost is not per loop in the parent's arithmetic: 500 - 100 - 4.
  assert.equal(plan.nodes[0].exclusiveCost, 396);
});

test('under Gather the summed per-loop time is divided by workers launched + 1', () => {
  const plan = parsePlan([{
    Plan: {
      'Node Type': 'Gather', 'Total Cost': 1000, 'Plan Rows': 3000, 'Workers Planned': 2, 'Workers Launched': 2,
      'Actual Rows': 3000, 'Actual Loops': 1, 'Actual Total Time': 120,
      Plans: [{
        'Node Type': 'Parallel Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'payments', 'Total Cost': 900, 'Plan Rows': 1000,
        'Actual Rows': 1000, 'Actual Loops': 3, 'Actual Total Time': 100, 'Rows Removed by Filter': 9000,
      }],
    },
    'Execution Time': 121,
  }]);
  const scan = plan.nodes[1];
  assert.equal(scan.actualRows, 3000, 'rows are counted over all processes');
  assert.equal(scan.rowsRemovedByFilter, 27000);
  assert.equal(scan.totalTime, 100, '3 loops of 100 ms in parallel take 100 ms, not 300');
  assert.equal(plan.nodes[0].exclusiveTime, 20);
});

test('a worker divisor uses launched workers, not planned ones', () => {
  const plan = parsePlan({
    Plan: {
      'Node Type': 'Gather', 'Workers Planned': 4, 'Workers Launched': 1, 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 90,
      Plans: [{ 'Node Type': 'Parallel Seq Scan', 'Relation Name': 't', 'Actual Rows': 5, 'Actual Loops': 2, 'Actual Total Time': 80 }],
    },
  });
  assert.equal(plan.nodes[1].totalTime, 80);
  assert.equal(plan.nodes[1].actualRows, 10);
});

test('init plans are not subtracted from their parent; CTE time moves into the CTE scans by rows read', () => {
  const plan = parsePlan([{
    Plan: {
      'Node Type': 'Hash Join', 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 100, 'Total Cost': 300,
      Plans: [
        { 'Node Type': 'Seq Scan', 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE recent', 'Relation Name': 'payments',
          'Actual Rows': 400, 'Actual Loops': 1, 'Actual Total Time': 40, 'Total Cost': 100 },
        { 'Node Type': 'CTE Scan', 'Parent Relationship': 'Outer', 'CTE Name': 'recent', 'Alias': 'a',
          'Actual Rows': 300, 'Actual Loops': 1, 'Actual Total Time': 45, 'Total Cost': 80 },
        { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 25, 'Total Cost': 90,
          Plans: [{ 'Node Type': 'CTE Scan', 'Parent Relationship': 'Outer', 'CTE Name': 'recent', 'Alias': 'b',
            'Actual Rows': 100, 'Actual Loops': 1, 'Actual Total Time': 20, 'Total Cost': 80 }] },
      ],
    },
    'Execution Time': 100,
  }]);
  const [join, cte, scanA, hash, scanB] = plan.nodes;
  assert.equal(join.exclusiveTime, 100 - 45 - 25, 'the InitPlan (CTE body) is not taken off the join');
  assert.equal(cte.exclusiveTime, 40);
  assert.equal(scanA.exclusiveTime, 45 - 40 * 0.75);
  assert.equal(scanB.exclusiveTime, 20 - 40 * 0.25);
  assert.equal(hash.exclusiveTime, 5);
  // Init plan cost is charged to the parent, so it is subtracted from cost.
  assert.equal(join.exclusiveCost, 300 - 100 - 80 - 90);
});

test('a plain plan has no timing and uses cost for shares; never-executed nodes do not break it', () => {
  const plan = parsePlan(JSON.stringify([{
    Plan: { 'Node Type': 'Limit', 'Total Cost': 200, 'Plan Rows': 10,
      Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'payments', 'Total Cost': 150, 'Plan Rows': 10 }] },
    Settings: { work_mem: '64kB' },
  }]));
  assert.equal(plan.analyzed, false);
  assert.equal(plan.total, 200);
  assert.equal(plan.nodes[0].exclusiveCost, 50);
  assert.equal(exclusiveShare(plan, plan.nodes[1]), 0.75);
  assert.deepEqual(plan.settings, { work_mem: '64kB' });

  const never = parsePlan({ Plan: { 'Node Type': 'Seq Scan', 'Actual Rows': 0, 'Actual Loops': 0, 'Actual Total Time': 0 }, 'Execution Time': 0 });
  assert.equal(never.nodes[0].actualRows, 0);
  assert.equal(exclusiveShare(never, never.nodes[0]), 0);
});

test('input that is not a plan is rejected with a clear message', () => {
  assert.throws(() => parsePlan({ rows: [] }), /not EXPLAIN \(FORMAT JSON\) output/);
  assert.throws(() => parsePlan('[]'), /not EXPLAIN/);
});
