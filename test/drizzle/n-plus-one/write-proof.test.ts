// The write rewrites added for issue 6's follow-up keep behaviour on a real PostgreSQL: writes
// under `await Promise.all(items.map(...))`, updates whose SET value differs per item (one UPDATE
// ... FROM (VALUES ...)), and upserts (onConflictDoUpdate, rows merged per key first). Original and
// rewritten fixtures run on the same seed and must return deep-equal results, leave deep-equal
// tables and write the same rows, with 0-3 statements instead of one per item; both type-check
// (strict). Each shape has a deliberately broken variant that the same comparison rejects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { initParser } from '../../../server/src/sql/parser';
import { startPostgres, type EmbeddedPostgres } from '../../helpers/embedded-pg';
import { applyEdits } from '../../lib/rule-tester';
import { lintTs, preferredEdits } from '../../lib/ts-rule-tester';
import check from '../../../server/src/drizzle/n-plus-one/n-plus-one-query';
import { loadFixture, runOnce, SCHEMA_SQL, typeErrors, type Fixture } from './harness';

interface Case {
  name: string;
  input: unknown[];
  batchedQueries: number;
  /** A sanity check on the original's effect, so an empty comparison cannot pass by accident. */
  expect?: (tables: Record<string, unknown>) => void;
}

const range = (n: number, f: (i: number) => number = (i) => i + 1) => Array.from({ length: n }, (_, i) => f(i));
type Row = { id: number; [k: string]: unknown };
const rowsOf = (t: Record<string, unknown>, table: string) => (t[table] ?? []) as Row[];
const byId = (t: Record<string, unknown>, table: string, id: number) => rowsOf(t, table).find((r) => r.id === id);

const SHAPES: Record<string, Case[]> = {
  'insert-promise-all': [
    { name: 'Promise.all of inserts in a transaction: rows and serial ids in input order', input: [{ account: 3, cents: 10 }, { account: 1, cents: 20 }, { account: 3, cents: 10 }], batchedQueries: 1, expect: (t) => assert.equal(rowsOf(t, 'ledger_entries').length, 3) },
    { name: 'empty input', input: [], batchedQueries: 0 },
    { name: '2,500 rows: three INSERTs of at most 1,000', input: range(2_500).map((i) => ({ account: i % 11, cents: i })), batchedQueries: 3, expect: (t) => assert.equal(rowsOf(t, 'ledger_entries').length, 2_500) },
  ],
  'update-promise-all': [
    { name: 'Promise.all of updates with one value: duplicates and a missing id', input: [1, 2, 2, 99, 3], batchedQueries: 1, expect: (t) => assert.equal(rowsOf(t, 'invoices').filter((r) => r.status === 'void').length, 3) },
    { name: 'empty input', input: [], batchedQueries: 0 },
    { name: '6,000 keys (8 of them invoices): two UPDATEs of at most 5,000', input: range(6_000), batchedQueries: 2, expect: (t) => assert.equal(rowsOf(t, 'invoices').filter((r) => r.status === 'void').length, 8) },
  ],
  'delete-promise-all': [
    { name: 'Promise.all of deletes: duplicates and a missing key', input: [1, 1, 40, 3], batchedQueries: 1, expect: (t) => assert.ok(rowsOf(t, 'payments').length < 30) },
    { name: 'empty input', input: [], batchedQueries: 0 },
    { name: '6,000 keys: two DELETEs of at most 5,000', input: range(6_000), batchedQueries: 2, expect: (t) => assert.equal(rowsOf(t, 'payments').length, 4) },
  ],
  'update-per-item': [
    {
      name: 'per-item values: a repeated id takes its last line, a missing id changes nothing, an unchanged value is still written',
      input: [
        { id: 2, status: 'disputed', totalCents: 1 },
        { id: 5, status: 'paid', totalCents: 5000 },
        { id: 2, status: 'refunded', totalCents: 2 },
        { id: 404, status: 'lost', totalCents: 9 },
        { id: 2, status: 'written-off', totalCents: 3 },
      ],
      batchedQueries: 1,
      expect: (t) => {
        assert.deepEqual([byId(t, 'invoices', 2)?.status, byId(t, 'invoices', 2)?.total_cents], ['written-off', 3]);
        assert.equal(byId(t, 'invoices', 5)?.total_cents, 5000);
      },
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
    {
      name: '6,000 items: 100 over the 8 invoices, 5,900 missing ids; two UPDATEs, the last item per id wins',
      input: range(6_000, (i) => i).map((i) => ({ id: i < 100 ? (i % 8) + 1 : i + 1_000, status: `s${i}`, totalCents: i })),
      batchedQueries: 2,
      expect: (t) => assert.equal(byId(t, 'invoices', 8)?.status, 's95'),
    },
  ],
  'update-per-item-tx': [
    {
      name: 'classic for loop in a transaction, a fixed SET value and another condition: repeated, missing and unmatched ids',
      input: [
        { invoiceId: 3, cents: 1 },
        { invoiceId: 1, cents: 2 },
        { invoiceId: 3, cents: 3 },
        { invoiceId: 77, cents: 4 },
        { invoiceId: 5, cents: 5 },
      ],
      batchedQueries: 1,
      expect: (t) => {
        assert.deepEqual(byId(t, 'invoices', 3), { id: 3, customer_id: 4, status: 'adjusted', total_cents: 3 });
        assert.equal(byId(t, 'invoices', 1)?.status, 'open', 'customer 2 is not above 2');
      },
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'upsert-for-of': [
    {
      name: 'new and existing keys, each repeated: the first row inserted, the last name kept, email only from the insert',
      input: [
        { id: 10, name: 'first', email: 'first@crm' },
        { id: 3, name: 'renamed', email: 'ignored@crm' },
        { id: 10, name: 'second', email: 'second@crm' },
        { id: 3, name: 'renamed again', email: 'ignored@crm' },
        { id: 10, name: 'third', email: 'third@crm' },
      ],
      batchedQueries: 1,
      expect: (t) => {
        assert.deepEqual(byId(t, 'customers', 10), { id: 10, name: 'third', email: 'first@crm' });
        assert.deepEqual(byId(t, 'customers', 3), { id: 3, name: 'renamed again', email: 'c3@example.com' });
      },
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
    {
      name: '6,000 items over 2,500 keys: three INSERTs of at most 1,000 rows',
      input: range(6_000, (i) => i).map((i) => ({ id: (i % 2_500) + 1, name: `n${i}`, email: `e${i}@crm` })),
      batchedQueries: 3,
      expect: (t) => assert.deepEqual(byId(t, 'customers', 2_500), { id: 2_500, name: 'n4999', email: 'e2499@crm' }),
    },
  ],
  'upsert-element': [
    {
      name: 'values(record) with the loop element: repeated new and existing ids, extra non-column properties',
      input: [
        { id: 12, name: 'a', email: 'a@crm', segment: 'x' },
        { id: 2, name: 'b', email: 'b@crm', segment: 'y' },
        { id: 12, name: 'c', email: 'c@crm', segment: 'z' },
        { id: 2, name: 'd', email: 'd@crm', segment: 'w' },
      ],
      batchedQueries: 1,
      expect: (t) => {
        assert.deepEqual(byId(t, 'customers', 12), { id: 12, name: 'c', email: 'c@crm' });
        assert.deepEqual(byId(t, 'customers', 2), { id: 2, name: 'd', email: 'd@crm' });
      },
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'upsert-fixed-value': [
    {
      name: 'a fixed SET value is applied on a repeated new key too (the loop inserted, then updated)',
      input: [
        { invoice: 20, customer: 1, cents: 5 },
        { invoice: 3, customer: 2, cents: 7 },
        { invoice: 20, customer: 9, cents: 6 },
        { invoice: 21, customer: 5, cents: 8 },
      ],
      batchedQueries: 1,
      expect: (t) => {
        assert.deepEqual(byId(t, 'invoices', 20), { id: 20, customer_id: 1, status: 'revised', total_cents: 6 });
        assert.deepEqual(byId(t, 'invoices', 3), { id: 3, customer_id: 4, status: 'revised', total_cents: 7 });
        assert.deepEqual(byId(t, 'invoices', 21), { id: 21, customer_id: 5, status: 'open', total_cents: 8 });
      },
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
};

describe('n-plus-one-query: write rewrites (Promise.all, per-item SET, upserts) keep behaviour on a real PostgreSQL', () => {
  let pg: EmbeddedPostgres;
  let pool: Pool;
  const fixtures = new Map<string, Fixture>();

  before(async () => {
    await initParser();
    for (const name of Object.keys(SHAPES)) fixtures.set(name, loadFixture(name));
    pg = await startPostgres();
    pool = new Pool(pg.connectionConfig);
    await pool.query(SCHEMA_SQL);
  });

  after(async () => {
    await pool?.end();
    await pg?.stop();
  });

  it('each fixture has one finding with a "Batch into one query" fix, and the rewritten file has none', () => {
    for (const [name, f] of fixtures) {
      assert.equal(f.findings.length, 1, name);
      assert.equal(f.findings[0].messageId, 'batchable', `${name}: ${f.findings[0].message}`);
      assert.notEqual(f.rewritten, f.original);
      assert.deepEqual(lintTs(check, { code: f.rewritten }).findings.map((x) => x.message), [], `${name} rewritten:\n${f.rewritten}`);
    }
  });

  it('original and rewritten files type-check with strict tsc; a per-item SET value that may be undefined does not', () => {
    const files: Record<string, string> = {};
    for (const [name, f] of fixtures) {
      files[`${name}.ts`] = f.original;
      files[`${name}.rewritten.ts`] = f.rewritten;
    }
    // set() skips undefined values, a VALUES list would write NULL: the rewrite's row type refuses them.
    const optional = loadFixtureText('update-per-item', (s) => s.replace('  status: string;', '  status?: string;'));
    files['optional.ts'] = optional.original;
    files['optional.rewritten.ts'] = optional.rewritten;
    // The same for an upsert's SET column: the loop's update would keep the column, excluded.body would be NULL.
    const upsert = rewriteOf(`import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
export const notes = pgTable('notes', { id: integer('id').primaryKey(), body: text('body') });
export async function run(db: NodePgDatabase, incoming: Array<{ id: number; body?: string }>) {
  for (const n of incoming) await db.insert(notes).values({ id: n.id, body: n.body }).onConflictDoUpdate({ target: notes.id, set: { body: n.body } });
}
`);
    files['optional-upsert.ts'] = upsert.original;
    files['optional-upsert.rewritten.ts'] = upsert.rewritten;
    const errors = typeErrors(files);
    const broken = (e: string) => e.startsWith('optional.rewritten.ts:') || e.startsWith('optional-upsert.rewritten.ts:');
    assert.deepEqual(errors.filter((e) => !broken(e)), []);
    assert.ok(errors.some((e) => e.startsWith('optional.rewritten.ts:')), 'an undefined-able SET value must not type-check in the rewrite');
    assert.ok(errors.some((e) => e.startsWith('optional-upsert.rewritten.ts:')), 'an undefined-able upsert SET value must not type-check in the rewrite');
  });

  for (const [name, cases] of Object.entries(SHAPES)) {
    for (const c of cases) {
      it(`${name}: ${c.name}`, async (t) => {
        const f = fixtures.get(name)!;
        const original = await runOnce(pool, f.original, name, c.input);
        const rewritten = await runOnce(pool, f.rewritten, `${name}.rewritten`, c.input);
        assert.deepEqual(rewritten.result, original.result);
        assert.deepEqual(rewritten.tables, original.tables);
        assert.deepEqual(rewritten.touched, original.touched, 'the same rows are written');
        assert.equal(original.queries, c.input.length, 'the original runs one statement per item');
        assert.equal(rewritten.queries, c.batchedQueries);
        c.expect?.(original.tables);
        const timing = (r: typeof original) => `${r.queries} statements, ${r.ms.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms node CPU`;
        if (c.input.length >= 2_500) t.diagnostic(`${name} x${c.input.length}: ${timing(original)} -> ${timing(rewritten)}`);
      });
    }
  }

  const dupUpdates = SHAPES['update-per-item'][0].input;
  const dupUpserts = SHAPES['upsert-for-of'][0].input;

  it('broken: keeping the first item per key (not the last) is caught on repeated ids', async () => {
    const f = fixtures.get('update-per-item')!;
    const firstWins = f.rewritten.replace('new Map(Array.from(corrections,', 'new Map(Array.from([...corrections].reverse(),');
    assert.notEqual(firstWins, f.rewritten);
    const original = await runOnce(pool, f.original, 'update-per-item', dupUpdates);
    const wrong = await runOnce(pool, firstWins, 'update-per-item.first-wins', dupUpdates);
    assert.notDeepEqual(wrong.tables, original.tables);
  });

  it('broken: VALUES without casts fails (PostgreSQL types the parameters as text)', async () => {
    const f = fixtures.get('update-per-item')!;
    const uncast = f.rewritten.replace(/::(?:int4|text)/g, '');
    assert.notEqual(uncast, f.rewritten);
    await assert.rejects(runOnce(pool, uncast, 'update-per-item.uncast', dupUpdates), (e: DbError) => sqlState(e) === '42883');
  });

  it('broken: an upsert batch without the merge per key fails with 21000 (cannot affect row a second time)', async () => {
    const f = fixtures.get('upsert-for-of')!;
    const unmerged = f.rewritten.replace('const customersRows = [...customersById.values()];', 'const customersRows = incoming.map((c) => ({ id: c.id, name: c.name, email: c.email }));');
    assert.notEqual(unmerged, f.rewritten);
    await assert.rejects(runOnce(pool, unmerged, 'upsert-for-of.unmerged', dupUpserts), (e: DbError) => sqlState(e) === '21000');
  });

  it('broken: merging by taking the last whole row (not the first row plus the SET columns) is caught', async () => {
    const f = fixtures.get('upsert-for-of')!;
    const lastRow = f.rewritten.replace('earlier ? { ...earlier, name: row.name } : row', 'row');
    assert.notEqual(lastRow, f.rewritten);
    const original = await runOnce(pool, f.original, 'upsert-for-of', dupUpserts);
    const wrong = await runOnce(pool, lastRow, 'upsert-for-of.last-row', dupUpserts);
    assert.notDeepEqual(wrong.tables, original.tables);
  });

  it('broken: inserting the Promise.all rows in another order is caught (serial ids differ)', async () => {
    const f = fixtures.get('insert-promise-all')!;
    const reversed = f.rewritten.replace('.slice(start, start + 1000)', '.slice(start, start + 1000).reverse()');
    assert.notEqual(reversed, f.rewritten);
    const input = [{ account: 1, cents: 10 }, { account: 2, cents: 20 }, { account: 3, cents: 30 }];
    const original = await runOnce(pool, f.original, 'insert-promise-all', input);
    const wrong = await runOnce(pool, reversed, 'insert-promise-all.reversed', input);
    assert.notDeepEqual(wrong.tables, original.tables);
  });
});

type DbError = { code?: string; cause?: { code?: string } };
/** drizzle wraps the driver's error ("Failed query: ..."); the SQLSTATE is on its cause. */
const sqlState = (e: DbError) => e.cause?.code ?? e.code;

/** A fixture with its source changed first, then linted and rewritten like the others. */
function loadFixtureText(name: string, change: (s: string) => string): { original: string; rewritten: string } {
  const base = loadFixture(name).original;
  const original = change(base);
  assert.notEqual(original, base);
  return rewriteOf(original);
}

function rewriteOf(original: string): { original: string; rewritten: string } {
  const { findings } = lintTs(check, { code: original });
  assert.equal(findings[0]?.messageId, 'batchable', findings[0]?.message);
  return { original, rewritten: applyEdits(original, preferredEdits(findings)) };
}
