// What-if indexes on a real PostgreSQL 15 with hypopg: the proposed index lowers the estimated cost,
// creating it for real confirms the plan change, hypothetical indexes never outlive an estimate,
// and code action titles carry the estimate (or say why there is none).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { CodeAction } from 'vscode-languageserver';
import type { ResolvedConnection } from '../../../server/src/explain/connection-sources';
import { explain } from '../../../server/src/explain/runner';
import { openSession, type ExplainSession } from '../../../server/src/explain/session';
import { ensureParserLoaded } from '../../../server/src/explain/statement-check';
import { withIndexEstimates } from '../../../server/src/explain/whatif/code-action-estimates';
import { drizzleIndexReader } from '../../../server/src/explain/whatif/drizzle-index-action';
import { detectHypopg, estimateWithIndex } from '../../../server/src/explain/whatif/hypopg';
import { lookupFor, parseIndexStatement } from '../../../server/src/explain/whatif/index-statement';
import { WhatIfService } from '../../../server/src/explain/whatif/what-if-service';
import { skipReason, startPg15, type Pg15 } from './pg15';

const skip = skipReason();
if (skip) console.log(`# skipped: ${skip}`);

const SEED = `
CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  status text NOT NULL,
  amount numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO accounts SELECT g, 'account ' || g FROM generate_series(1, 5000) g;
INSERT INTO payments (account_id, status, amount, created_at)
SELECT 1 + g % 5000, CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 7 = 0 THEN 'failed' ELSE 'settled' END, g % 1000, timestamptz '2026-01-01' + g * interval '1 minute'
FROM generate_series(1, 200000) g;
ANALYZE accounts; ANALYZE payments;`;

function connectionOf(pg: Pg15, database = 'postgres'): ResolvedConnection {
  return { source: 'settings', config: { ...pg.config, database }, label: `postgres@pg15:${pg.port}/${database}` };
}

function indexAction(title: string, sql: string): CodeAction {
  return { title, kind: 'quickfix', edit: { changes: { 'file:///m.sql': [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `-- comment\n${sql}\n` }] } } };
}

describe('what-if indexes (PostgreSQL 15 + hypopg)', { skip }, () => {
  let pg: Pg15;
  let admin: Client;
  let session: ExplainSession;

  before(async () => {
    await ensureParserLoaded();
    pg = await startPg15();
    admin = new Client(pg.config);
    await admin.connect();
    await admin.query('CREATE EXTENSION hypopg');
    await admin.query(SEED);
    await admin.query('CREATE DATABASE plain');
    session = await openSession(connectionOf(pg));
  });

  after(async () => {
    await session?.close();
    await admin?.end().catch(() => undefined);
    await pg?.stop();
  });

  it('detects hypopg, and a read-only session can create hypothetical indexes', async () => {
    const state = await detectHypopg(session);
    assert.equal(state.state, 'installed');
    const readOnly = await session.client.query('SHOW default_transaction_read_only');
    assert.equal(readOnly.rows[0].default_transaction_read_only, 'on');
  });

  it('estimates the foreign key lookup with the unindexed-foreign-key fix, and resets hypopg afterwards', async () => {
    const index = parseIndexStatement('CREATE INDEX CONCURRENTLY IF NOT EXISTS "payments_account_id_idx" ON public.payments ("account_id");');
    assert.ok(index);
    assert.equal(lookupFor(index), 'SELECT 1 FROM public.payments WHERE account_id = $1');
    const e = await estimateWithIndex(session, lookupFor(index)!, index.sql);
    assert.ok(e.usesIndex, 'the plan with the hypothetical index uses it');
    assert.ok(e.after < e.before / 10, `cost ${e.before} -> ${e.after}`);
    console.log(`# foreign key lookup: estimated cost ${e.before} -> ${e.after}`);
    assert.equal(e.beforePlan.planKind, 'generic');
    const left = await session.client.query('SELECT count(*)::int AS n FROM hypopg_list_indexes');
    assert.equal(left.rows[0].n, 0, 'no hypothetical index outlives the estimate');
    const plain = await explain(session, 'SELECT 1 FROM payments WHERE account_id = 42');
    assert.equal(plain.plan.root.totalCost, e.before, 'the next plain EXPLAIN plans without it');
  });

  it('refuses index texts that are not exactly one CREATE INDEX', async () => {
    assert.equal(parseIndexStatement('CREATE INDEX x ON payments (account_id); DROP TABLE payments'), undefined);
    assert.equal(parseIndexStatement('DROP TABLE payments'), undefined);
    await assert.rejects(estimateWithIndex(session, 'SELECT 1', 'DROP TABLE payments'), /not a single CREATE INDEX/);
    const still = await admin.query('SELECT count(*)::int AS n FROM payments');
    assert.equal(still.rows[0].n, 200000);
  });

  it('reads the partial predicate of a CREATE INDEX', () => {
    const index = parseIndexStatement("CREATE INDEX payments_pending_idx ON payments (created_at) WHERE status = 'pending'");
    assert.deepEqual(index && { columns: index.columns, where: index.where }, { columns: ['created_at'], where: "status = 'pending'" });
    assert.equal(lookupFor(index!), "SELECT 1 FROM payments WHERE created_at = $1 AND (status = 'pending')");
  });

  it('puts the estimate in code action titles, and says why when hypopg is missing from the database', async () => {
    const withHypopg = new WhatIfService({ resolveConnection: () => connectionOf(pg) });
    const without = new WhatIfService({ resolveConnection: () => connectionOf(pg, 'plain') });
    try {
      const actions = [indexAction('Create the index on payments (account_id)', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments (account_id);'), { title: 'Disable x for this line', kind: 'quickfix' }];
      const titled = await withIndexEstimates(actions, { estimate: (s, i, t) => withHypopg.estimate(s, i, t), timeoutMs: 5000 });
      assert.match(titled[0].title, /^Create the index on payments \(account_id\) \(estimated cost [\d,]+ -> \d+(\.\d)?\)$/);
      assert.equal(titled[1].title, 'Disable x for this line');
      assert.deepEqual(titled[0].edit, actions[0].edit, 'the action still inserts the same index');
      const plain = await withIndexEstimates(actions, { estimate: (s, i, t) => without.estimate(s, i, t), timeoutMs: 5000 });
      assert.match(plain[0].title, /cost estimate unavailable: hypopg is available on postgres@pg15:\d+\/plain but not created/);
      assert.ok(plain[0].edit, 'without hypopg the action still works');
      const none = new WhatIfService({ resolveConnection: () => undefined });
      const unconnected = await withIndexEstimates(actions, { estimate: (s, i, t) => none.estimate(s, i, t) });
      assert.match(unconnected[0].title, /cost estimate unavailable: no database connection is configured/);
    } finally {
      await withHypopg.dispose();
      await without.dispose();
    }
  });

  it('estimates a Drizzle index fix (index().on() inserted into the pgTable) on the SQL columns it creates', async () => {
    const text = "import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: bigint('account_id', { mode: 'number' }).notNull(),\n  status: text('status'),\n});\n";
    const uri = 'file:///w/schema.ts';
    const at = { line: 5, character: 1 };
    const action: CodeAction = { title: 'Create the index on payments (account_id)', kind: 'quickfix', edit: { changes: { [uri]: [{ range: { start: at, end: at }, newText: ", (t) => [index('payments_account_id_idx').on(t.accountId)]" }] } } };
    const reader = drizzleIndexReader('/w/schema.ts', text, uri);
    assert.equal(reader(action)?.sql, 'CREATE INDEX "payments_account_id_idx" ON "payments" ("account_id")');
    const service = new WhatIfService({ resolveConnection: () => connectionOf(pg) });
    try {
      const [titled] = await withIndexEstimates([action], { estimate: (s, i, t) => service.estimate(s, i, t), indexFor: reader, timeoutMs: 5000 });
      assert.match(titled.title, /\(estimated cost [\d,]+ -> [\d.]+\)$/);
    } finally {
      await service.dispose();
    }
    const elsewhere: CodeAction = { ...action, edit: { changes: { [uri]: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: "index('x').on(t.accountId)" }] } } };
    assert.equal(reader(elsewhere), undefined, 'outside a pgTable there is no table to index');
  });

  it('answers "unavailable" past its deadline, then serves the finished estimate from the cache', async () => {
    const service = new WhatIfService({ resolveConnection: () => connectionOf(pg) });
    try {
      const sql = 'SELECT 1 FROM payments WHERE status = $1';
      const index = 'CREATE INDEX ON payments (status)';
      const late = await service.estimate(sql, index, 1);
      assert.equal(late.status, 'unavailable');
      assert.match(late.status === 'unavailable' ? late.reason : '', /longer than 1 ms/);
      await new Promise((r) => setTimeout(r, 1500));
      const started = performance.now();
      const cached = await service.estimate(sql, index, 1000);
      assert.equal(cached.status, 'ok');
      assert.ok(performance.now() - started < 50, 'served from the cache');
    } finally {
      await service.dispose();
    }
  });

  it('a database that cannot be reached gives "unavailable" with the reason, never an exception', async () => {
    const dead = new WhatIfService({ resolveConnection: () => ({ source: 'settings', config: { host: '127.0.0.1', port: 1, user: 'x', database: 'x' }, label: 'x@127.0.0.1:1/x' }) });
    try {
      const e = await dead.estimate('SELECT 1', 'CREATE INDEX ON t (a)', 5000);
      assert.equal(e.status, 'unavailable');
      assert.match(e.status === 'unavailable' ? e.reason : '', /could not connect to x@127\.0\.0\.1:1\/x/);
      assert.deepEqual(await dead.proposeFor('SELECT 1'), []);
    } finally {
      await dead.dispose();
    }
  });

  it('creates the extension only when the user allowed it', async () => {
    const allowed = new WhatIfService({ resolveConnection: () => connectionOf(pg, 'plain'), allowCreateExtension: () => true });
    try {
      const e = await allowed.estimate('SELECT * FROM pg_class WHERE relname = $1', 'CREATE INDEX ON pg_class (relname)', 5000);
      assert.notEqual(e.status === 'unavailable' && /not created/.test(e.reason), true, JSON.stringify(e));
      const c = new Client({ ...pg.config, database: 'plain' });
      await c.connect();
      const ext = await c.query("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'");
      await c.end();
      assert.equal(ext.rows.length, 1);
    } finally {
      await allowed.dispose();
    }
  });
});
