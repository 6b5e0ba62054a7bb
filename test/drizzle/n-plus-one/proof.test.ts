// The "Batch into one query" rewrites keep behaviour: for every rewrite shape, the original and the
// rewritten fixture run against a real PostgreSQL on the same seeded data and must return deep-equal
// results and leave deep-equal tables (duplicates, missing keys, empty input, inputs beyond one
// chunk), while the rewritten one runs 1-3 statements instead of one per item. Both versions
// type-check (strict) against the real drizzle-orm types.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { initParser } from '../../../server/src/sql/parser';
import { startPostgres, type EmbeddedPostgres } from '../../helpers/embedded-pg';
import { lintTs } from '../../lib/ts-rule-tester';
import check from '../../../server/src/drizzle/n-plus-one/n-plus-one-query';
import { loadFixture, runOnce, SCHEMA_SQL, typeErrors, type Fixture } from './harness';

interface Case {
  name: string;
  input: unknown[];
  /** Statements the rewritten version may run (the original runs one per item). */
  batchedQueries: number;
  /** When the original runs fewer than one per input item (it de-duplicates itself). */
  originalQueries?: number;
  /** A sanity check on the original's result, so an empty comparison cannot pass by accident. */
  expect?: (result: unknown, tables: Record<string, unknown>) => void;
}

const invoiceRefs = (ids: number[]) => ids.map((id, i) => ({ id, label: `ref-${i}` }));
const range = (n: number, f: (i: number) => number = (i) => i + 1) => Array.from({ length: n }, (_, i) => f(i));
const nonEmptyGroups = (r: unknown) => (r as Array<{ payments?: unknown[]; paid?: unknown[] } | unknown[]>).filter((x) => (Array.isArray(x) ? x : (x.payments ?? x.paid ?? [])).length > 0).length;

const SHAPES: Record<string, Case[]> = {
  'select-for-of': [
    { name: 'duplicates, a missing key, several rows per key', input: invoiceRefs([1, 3, 1, 99, 2, 5]), batchedQueries: 1, expect: (r) => assert.ok(nonEmptyGroups(r) >= 4) },
    { name: 'empty input', input: [], batchedQueries: 0 },
    { name: '6,000 distinct keys: two chunks of at most 5,000', input: invoiceRefs(range(6_000)), batchedQueries: 2, expect: (r) => assert.equal(nonEmptyGroups(r), 5) },
  ],
  'select-indexed-tx': [
    { name: 'classic for loop in a transaction', input: [3, 1, 3, 42, 5], batchedQueries: 1, expect: (r) => assert.ok(nonEmptyGroups(r) >= 3) },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'select-map-ids': [
    { name: 'Promise.all(ids.map(id => select ...)): duplicates, NULL-free misses', input: [5, 2, 5, 404, 1], batchedQueries: 1, expect: (r) => assert.equal((r as Array<{ rows: unknown[] }>).filter((x) => x.rows.length).length, 4) },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'select-latest-limit': [
    { name: '.orderBy(..).limit(1) per item -> DISTINCT ON, ties broken by id', input: [{ id: 2 }, { id: 9 }, { id: 2 }, { id: 4 }, { id: 1 }], batchedQueries: 1, expect: (r) => assert.equal((r as Array<{ largest: unknown }>).filter((x) => x.largest).length, 4) },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'find-first-latest': [
    { name: 'findFirst({ orderBy }) on a non-unique key -> DISTINCT ON', input: [3, 3, 77, 5, 1], batchedQueries: 1, expect: (r) => assert.equal((r as Array<{ top?: unknown }>).filter((x) => x.top).length, 4) },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'select-iterable': [
    { name: 'a generator is read once: the loop iterates the copy the keys came from', input: [4, 1, 4, 31], batchedQueries: 1, originalQueries: 3, expect: (r) => assert.deepEqual((r as Array<[number, number]>).map(([id]) => id), [4, 1, 31]) },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'find-first-promise-all': [
    {
      name: 'unique key: duplicates and a missing customer',
      input: [{ orderNo: 'A', customerId: 2 }, { orderNo: 'B', customerId: 1 }, { orderNo: 'C', customerId: 2 }, { orderNo: 'D', customerId: 77 }],
      batchedQueries: 1,
      expect: (r) => assert.deepEqual((r as Array<{ id: number } | undefined>).map((x) => x?.id), [2, 1, 2, undefined]),
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'find-many-map': [
    { name: 'relational findMany per invoice', input: [{ id: 4, status: 'x' }, { id: 4, status: 'y' }, { id: 1000, status: 'z' }, { id: 1, status: 'w' }], batchedQueries: 1, expect: (r) => assert.equal(nonEmptyGroups(r), 3) },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'insert-for-of': [
    {
      name: 'rows in input order, same serial ids',
      input: [{ account: 7, cents: 100 }, { account: 8, cents: -50 }, { account: 7, cents: 100 }],
      batchedQueries: 1,
      expect: (_r, t) => assert.equal((t.ledger_entries as unknown[]).length, 3),
    },
    { name: 'empty input', input: [], batchedQueries: 0, expect: (_r, t) => assert.equal(t.ledger_entries, null) },
    { name: '2,500 rows: three chunks of at most 1,000', input: range(2_500).map((i) => ({ account: i % 13, cents: i })), batchedQueries: 3 },
  ],
  'insert-on-conflict': [
    {
      name: 'ON CONFLICT DO NOTHING: existing ids and repeated ids are skipped alike',
      input: [{ id: 3, name: 'again' }, { id: 10, name: 'first' }, { id: 10, name: 'second' }, { id: 11, name: 'third' }],
      batchedQueries: 1,
      expect: (_r, t) => assert.deepEqual((t.customers as Array<{ id: number; name: string }>).slice(-3).map((c) => `${c.id}:${c.name}`), ['6:customer 6', '10:first', '11:third']),
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'update-for-of': [
    {
      name: 'same value, duplicates, already-paid and missing ids',
      input: [1, 2, 2, 99, 3, 5],
      batchedQueries: 1,
      expect: (_r, t) => assert.deepEqual((t.invoices as Array<{ status: string }>).map((x) => x.status), ['paid', 'paid', 'paid', 'open', 'paid', 'paid', 'open', 'open']),
    },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
  'delete-for-of': [
    { name: 'duplicates and a missing key', input: [{ invoiceId: 1 }, { invoiceId: 1 }, { invoiceId: 50 }, { invoiceId: 3 }], batchedQueries: 1, expect: (_r, t) => assert.ok((t.payments as unknown[]).length < 30) },
    { name: 'empty input', input: [], batchedQueries: 0 },
  ],
};

describe('n-plus-one-query: batched rewrites keep behaviour on a real PostgreSQL', () => {
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

  it('each fixture has exactly one finding with a "Batch into one query" fix, and the rewritten file has none', () => {
    for (const [name, f] of fixtures) {
      assert.equal(f.findings.length, 1, name);
      assert.equal(f.findings[0].messageId, 'batchable', `${name}: ${f.findings[0].message}`);
      assert.equal(f.findings[0].fixes?.[0]?.title, 'Batch into one query');
      assert.notEqual(f.rewritten, f.original);
      assert.deepEqual(lintTs(check, { code: f.rewritten }).findings.map((x) => x.message), [], `${name} rewritten:\n${f.rewritten}`);
    }
  });

  it('original and rewritten files type-check with strict tsc against drizzle-orm (and a broken one does not)', () => {
    const files: Record<string, string> = {};
    for (const [name, f] of fixtures) {
      files[`${name}.ts`] = f.original;
      files[`${name}.rewritten.ts`] = f.rewritten;
    }
    // The same program checks a rewritten file keyed by the wrong field: the check can fail.
    files['broken.rewritten.ts'] = fixtures.get('select-for-of')!.rewritten.replace('(inv) => inv.id', '(inv) => inv.label');
    const errors = typeErrors(files);
    assert.deepEqual(errors.filter((e) => !e.startsWith('broken.rewritten.ts:')), []);
    assert.ok(errors.length > 0, 'the wrongly keyed rewrite must not type-check');
  });

  it('the comparison sees row order: a rewrite that dropped the loop query\'s ordering would fail', async () => {
    const f = fixtures.get('select-for-of')!;
    const reordered = f.rewritten.replace('.orderBy(desc(payments.amountCents), payments.id)', '.orderBy(payments.amountCents, payments.id)');
    assert.notEqual(reordered, f.rewritten);
    const input = invoiceRefs([1, 2, 3]);
    const original = await runOnce(pool, f.original, 'select-for-of', input);
    const wrong = await runOnce(pool, reordered, 'select-for-of.reordered', input);
    assert.notDeepEqual(wrong.result, original.result);
  });

  it('iterating a generator twice would lose the rows: the comparison catches a rewrite without the copy', async () => {
    const f = fixtures.get('select-iterable')!;
    const naive = f.rewritten.replace('for (const id of idsList)', 'for (const id of ids)');
    assert.notEqual(naive, f.rewritten);
    const input = [4, 1];
    const original = await runOnce(pool, f.original, 'select-iterable', input);
    const wrong = await runOnce(pool, naive, 'select-iterable.naive', input);
    assert.deepEqual(wrong.result, []);
    assert.notDeepEqual(wrong.result, original.result);
  });

  it('the seed has ties on the ordering: a DISTINCT ON rewrite with the tie-breaker reversed would fail', async () => {
    const f = fixtures.get('find-first-latest')!;
    const flipped = f.rewritten.replace('.orderBy(payments.invoiceId, desc(payments.amountCents), asc(payments.id))', '.orderBy(payments.invoiceId, desc(payments.amountCents), desc(payments.id))');
    assert.notEqual(flipped, f.rewritten);
    const input = [1, 2, 3, 4, 5];
    const original = await runOnce(pool, f.original, 'find-first-latest', input);
    const wrong = await runOnce(pool, flipped, 'find-first-latest.flipped', input);
    assert.notDeepEqual(wrong.result, original.result);
  });

  for (const [name, cases] of Object.entries(SHAPES)) {
    for (const c of cases) {
      it(`${name}: ${c.name}`, async () => {
        const f = fixtures.get(name)!;
        const original = await runOnce(pool, f.original, name, c.input);
        const rewritten = await runOnce(pool, f.rewritten, `${name}.rewritten`, c.input);
        assert.deepEqual(rewritten.result, original.result);
        assert.deepEqual(rewritten.tables, original.tables);
        assert.deepEqual(rewritten.touched, original.touched, 'the same rows are written');
        assert.equal(original.queries, c.originalQueries ?? c.input.length, 'the original runs one statement per item');
        assert.equal(rewritten.queries, c.batchedQueries);
        c.expect?.(original.result, original.tables);
      });
    }
  }
});
