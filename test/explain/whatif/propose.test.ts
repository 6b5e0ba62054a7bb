// Indexes proposed from plan findings: the column order (equality, range, sort), partial indexes for
// constants on low-cardinality columns, and on a real PostgreSQL 15 with hypopg: the proposal lowers
// the estimated cost, and creating it for real gives the plan change the estimate promised.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { ResolvedConnection } from '../../../server/src/explain/connection-sources';
import { explain } from '../../../server/src/explain/runner';
import { openSession, type ExplainSession } from '../../../server/src/explain/session';
import { ensureParserLoaded } from '../../../server/src/explain/statement-check';
import { estimateWithIndex } from '../../../server/src/explain/whatif/hypopg';
import { constantConditions, proposeIndex } from '../../../server/src/explain/whatif/propose';
import { WhatIfService } from '../../../server/src/explain/whatif/what-if-service';
import { parsePlan } from '../../../server/src/explain/plan-model';
import { skipReason, startPg15, type Pg15 } from './pg15';

const skip = skipReason();

function scanPlan(filter: string, sortKey?: string[]) {
  const scan = { 'Node Type': 'Seq Scan', 'Relation Name': 'payments', Alias: 'payments', 'Startup Cost': 0, 'Total Cost': 4000, 'Plan Rows': 10, 'Plan Width': 8, Filter: filter };
  const root = sortKey ? { 'Node Type': 'Sort', 'Startup Cost': 4000, 'Total Cost': 4001, 'Plan Rows': 10, 'Plan Width': 8, 'Sort Key': sortKey, Plans: [{ ...scan, 'Parent Relationship': 'Outer' }] } : scan;
  const plan = parsePlan([{ Plan: root }]);
  return { plan, node: plan.nodes.find((n) => n.nodeType === 'Seq Scan')! };
}

describe('index proposals from plan findings', () => {
  before(() => ensureParserLoaded());

  it('orders equality columns, then one range column, then the sort keys', () => {
    const { plan, node } = scanPlan("((created_at >= '2026-01-01'::date) AND (account_id = 42) AND (amount > 10))", ['payments.created_at DESC']);
    const p = proposeIndex(plan, node);
    assert.deepEqual(p?.columns, ['account_id', 'created_at'], 'the sort key repeats the range column');
    assert.equal(p?.where, undefined);
  });

  it('makes the index partial on a constant of a low-cardinality column', () => {
    const { plan, node } = scanPlan("((status = 'pending'::text) AND (account_id = 42))", ['payments.created_at']);
    const p = proposeIndex(plan, node, (_t, c) => (c === 'status' ? 3 : -0.5));
    assert.equal(p?.sql, "CREATE INDEX CONCURRENTLY payments_account_id_created_at_status_pending_idx ON payments (account_id, created_at) WHERE status = 'pending';");
  });

  it('keeps a constant on a high-cardinality column as a key column', () => {
    const { plan, node } = scanPlan("((reference = 'abc'::text) AND (account_id = 42))");
    const p = proposeIndex(plan, node, (_t, c) => (c === 'reference' ? -1 : 5000));
    assert.deepEqual(p?.columns, ['reference', 'account_id']);
    assert.equal(p?.where, undefined);
  });

  it('treats IS NULL and boolean flags as partial predicates without statistics', () => {
    assert.deepEqual(constantConditions('((deleted_at IS NULL) AND is_test AND (NOT archived))').map((c) => c.predicate), ['deleted_at IS NULL', 'is_test', 'NOT archived']);
    const { plan, node } = scanPlan('((deleted_at IS NULL) AND (account_id = 7))');
    assert.equal(proposeIndex(plan, node)?.where, 'deleted_at IS NULL');
  });

  it('proposes nothing for an OR or an unparsable filter', () => {
    assert.equal(proposeIndex(scanPlan('((account_id = 1) OR (status = \'x\'::text))').plan, scanPlan('((account_id = 1) OR (status = \'x\'::text))').node), undefined);
    const broken = scanPlan('((( garbage');
    assert.equal(proposeIndex(broken.plan, broken.node), undefined);
  });
});

describe('proposed indexes on PostgreSQL 15 + hypopg', { skip }, () => {
  let pg: Pg15;
  let admin: Client;
  let session: ExplainSession;
  const connection = (): ResolvedConnection => ({ source: 'settings', config: pg.config, label: `postgres@pg15:${pg.port}/postgres` });

  before(async () => {
    await ensureParserLoaded();
    pg = await startPg15();
    admin = new Client(pg.config);
    await admin.connect();
    await admin.query(`CREATE EXTENSION hypopg;
      CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL, status text NOT NULL, amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL);
      INSERT INTO payments (account_id, status, amount, created_at)
      SELECT 1 + g % 5000, CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 7 = 0 THEN 'failed' ELSE 'settled' END, g % 1000, timestamptz '2026-01-01' + g * interval '1 minute'
      FROM generate_series(1, 200000) g;
      ANALYZE payments;`);
    session = await openSession(connection());
  });

  after(async () => {
    await session?.close();
    await admin?.end().catch(() => undefined);
    await pg?.stop();
  });

  const cases = [
    {
      name: 'a pending-payments queue: partial on status, ordered by created_at',
      sql: "SELECT id, amount FROM payments WHERE status = 'pending' ORDER BY created_at LIMIT 50",
      expected: "ON payments (created_at) WHERE status = 'pending'",
    },
    {
      name: 'an account statement: equality then range',
      sql: "SELECT id, amount FROM payments WHERE account_id = 42 AND created_at >= '2026-03-01'",
      expected: 'ON payments (account_id, created_at)',
    },
  ];

  for (const c of cases) {
    it(`${c.name}: the proposal lowers the estimated cost and the real index confirms it`, async () => {
      const service = new WhatIfService({ resolveConnection: connection });
      let proposals;
      try {
        proposals = await service.proposeFor(c.sql);
      } finally {
        await service.dispose();
      }
      assert.equal(proposals.length, 1, JSON.stringify(proposals));
      const p = proposals[0];
      assert.ok(p.sql.includes(c.expected), p.sql);
      const estimate = await estimateWithIndex(session, c.sql, p.sql);
      assert.ok(estimate.usesIndex, 'the hypothetical plan uses the index');
      assert.ok(estimate.after < estimate.before / 5, `estimated cost ${estimate.before} -> ${estimate.after}`);
      // Now for real (outside the read-only session), then compare.
      const realName = `real_${Date.now()}`;
      await admin.query(p.sql.replace(/CONCURRENTLY \S+/, `CONCURRENTLY ${realName}`));
      try {
        const real = await explain(session, c.sql);
        const used = real.plan.nodes.some((n) => n.indexName === realName);
        assert.ok(used, `the plan uses the created index: ${JSON.stringify(real.plan.nodes.map((n) => [n.nodeType, n.indexName]))}`);
        const cost = real.plan.root.totalCost;
        assert.ok(cost < estimate.before / 5, `real cost ${cost} vs before ${estimate.before}`);
        // hypopg estimates the index size from statistics; the real plan should be close.
        assert.ok(Math.abs(cost - estimate.after) <= Math.max(5, estimate.after * 0.5), `hypothetical ${estimate.after} vs real ${cost}`);
        console.log(`# ${c.name}: cost ${estimate.before.toFixed(0)} -> hypothetical ${estimate.after.toFixed(1)}, real ${cost.toFixed(1)}`);
      } finally {
        await admin.query(`DROP INDEX ${realName}`);
      }
    });
  }
});
