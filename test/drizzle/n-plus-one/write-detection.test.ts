// n-plus-one-query on the write shapes of issue 6's follow-up: the exact "Batch into one query"
// text for writes under await Promise.all(items.map(...)), per-item SET values and upserts, and the
// shapes that keep the "no fix" message, each with its reason (races, increments, a WHERE that the
// update changes, keys that JS cannot compare like PostgreSQL, NULL conflict keys).
import check from '../../../server/src/drizzle/n-plus-one/n-plus-one-query';
import { tsRuleTester } from '../../lib/ts-rule-tester';

// Seven lines: test code starts on line 8.
const H = `import { and, eq, gt, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';

export const invoices = pgTable('invoices', { id: integer('id').primaryKey(), customerId: integer('customer_id').notNull(), status: text('status').notNull(), totalCents: integer('total_cents').notNull() });
export const accounts = pgTable('accounts', { id: uuid('id').primaryKey(), externalRef: text('external_ref').unique(), balanceCents: integer('balance_cents').notNull() });

`;

const SIG = 'export async function f(db: NodePgDatabase, rows: Array<{ id: number; status: string; cents: number }>, ids: number[], refs: Array<{ ref: string; id: string }>) {';

tsRuleTester(check, {
  valid: [
    {
      name: 'a chunk taken in the loop body (const batch = ids.slice(start, start + n)) is the batched form, not N+1',
      code: `${H}export async function f(db: NodePgDatabase, ids: number[]) {
  for (let start = 0; start < ids.length; start += 500) {
    const batch = ids.slice(start, start + 500);
    await db.update(invoices).set({ status: sql\`upper(\${invoices.status})\` }).where(sql\`\${invoices.id} = any(\${batch})\`);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'per-item SET values (destructured element, shorthand, a fixed value kept) and a delete under Promise.all: both batched',
      code: `${H}${SIG}
  for (const { id, status } of rows) await db.update(invoices).set({ status, customerId: 7 }).where(eq(invoices.id, id));
  await Promise.all(
    ids.map(async (id) => {
      await db.delete(invoices).where(eq(invoices.id, id));
    }),
  );
}`,
      errors: [
        { messageId: 'batchable', line: 9, includes: ['one UPDATE ... FROM (VALUES ...) per 5,000 keys', 'the last item per key winning'] },
        { messageId: 'batchable', line: 12, includes: ['Promise.all(ids.map(...)) on line 11', 'one delete ... where inArray'] },
      ],
      output: `${H.replace('sql }', 'sql, inArray }')}${SIG}
  // One row per id, the last item's values (as the loop left it): each row is updated once.
  const invoicesChanges = new Map(Array.from(rows, ({ id, status }): [(typeof invoices.$inferSelect)['id'], Pick<typeof invoices.$inferSelect, 'status'>] => [id, { status }]));
  const invoicesRows = [...invoicesChanges];
  for (let start = 0; start < invoicesRows.length; start += 5000) {
    const values = sql.join(invoicesRows.slice(start, start + 5000).map(([key, row]) => sql\`(\${sql.param(key, invoices.id)}::int4, \${sql.param(row.status, invoices.status)}::text)\`), sql\`, \`);
    await db.update(invoices).set({ status: sql\`v.status\`, customerId: 7 }).from(sql\`(values \${values}) as v(id, status)\`).where(eq(invoices.id, sql\`v.id\`));
  }
  const idKeys = [...new Set(ids)];
  for (let start = 0; start < idKeys.length; start += 5000) {
    await db.delete(invoices).where(inArray(invoices.id, idKeys.slice(start, start + 5000)));
  }
}`,
    },
    {
      name: 'an upsert in a loop: rows merged per key, SET from excluded',
      code: `${H}export async function f(db: NodePgDatabase, lines: Array<{ id: number; cents: number }>) {
  for (const l of lines) {
    await db.insert(invoices).values({ id: l.id, customerId: 1, status: 'open', totalCents: l.cents }).onConflictDoUpdate({ target: invoices.id, set: { totalCents: l.cents } });
  }
}`,
      errors: [{ messageId: 'batchable', line: 10, includes: ['onConflictDoUpdate(...) per 1,000 rows', 'merged per id first (one INSERT cannot update a row twice)'] }],
      output: `${H}export async function f(db: NodePgDatabase, lines: Array<{ id: number; cents: number }>) {
  // One row per id (one INSERT cannot update a row twice): the first item's row, SET columns from the last.
  const invoicesById = new Map<(typeof invoices.$inferSelect)['id'], typeof invoices.$inferInsert>();
  for (const row of Array.from(lines, (l): typeof invoices.$inferInsert & Pick<typeof invoices.$inferSelect, 'id' | 'totalCents'> => ({ id: l.id, customerId: 1, status: 'open', totalCents: l.cents }))) {
    const earlier = invoicesById.get(row.id);
    invoicesById.set(row.id, earlier ? { ...earlier, totalCents: row.totalCents } : row);
  }
  const invoicesRows = [...invoicesById.values()];
  for (let start = 0; start < invoicesRows.length; start += 1000) {
    await db.insert(invoices).values(invoicesRows.slice(start, start + 1000)).onConflictDoUpdate({ target: invoices.id, set: { totalCents: sql\`excluded.total_cents\` } });
  }
}`,
    },
    {
      name: 'write shapes that keep the "no fix" message, each with its reason',
      code: `${H}${SIG}
  const results = await Promise.all(ids.map((id) => db.delete(invoices).where(eq(invoices.id, id))));
  await Promise.allSettled(ids.map((id) => db.delete(invoices).where(eq(invoices.id, id))));
  await Promise.all(rows.map((r) => db.update(invoices).set({ status: r.status }).where(eq(invoices.id, r.id))));
  for (const r of rows) await db.update(invoices).set({ totalCents: sql\`\${invoices.totalCents} + \${r.cents}\` }).where(eq(invoices.id, r.id));
  for (const r of rows) await db.update(invoices).set({ status: r.status }).where(and(eq(invoices.id, r.id), eq(invoices.status, 'open')));
  for (const r of rows) await db.update(invoices).set({ id: r.cents }).where(eq(invoices.id, r.id));
  for (const r of rows) await db.update(invoices).set({ status: 'paid', totalCents: r.cents }).where(and(eq(invoices.id, r.id), eq(invoices.status, 'open')));
  for (const r of rows) await db.update(invoices).set({ totalCents: r.cents }).where(and(eq(invoices.id, r.id), sql\`status = 'open'\`));
  for (const a of refs) await db.update(accounts).set({ externalRef: a.ref }).where(eq(accounts.id, a.id));
  for (const r of rows) await db.insert(invoices).values({ id: r.id, customerId: 1, status: r.status, totalCents: r.cents }).onConflictDoUpdate({ target: invoices.id, set: { status: r.status.trim() } });
  for (const r of rows) await db.insert(invoices).values({ id: r.id, customerId: 1, status: r.status, totalCents: r.cents }).onConflictDoUpdate({ target: [invoices.id, invoices.customerId], set: { status: r.status } });
  for (const r of rows) await db.insert(invoices).values({ id: r.id, customerId: 1, status: r.status, totalCents: r.cents }).onConflictDoUpdate({ target: invoices.id, set: { status: r.status }, setWhere: eq(invoices.status, 'open') });
  for (const a of refs) await db.insert(accounts).values({ id: a.id, externalRef: a.ref, balanceCents: 0 }).onConflictDoUpdate({ target: accounts.externalRef, set: { balanceCents: 0 } });
  for (const r of rows) await db.insert(invoices).values({ id: r.id, customerId: 1, status: r.status, totalCents: r.cents }).onConflictDoUpdate({ target: invoices.id, set: { totalCents: sql\`\${invoices.totalCents} + \${r.cents}\` } });
  await Promise.all(rows.map((r) => db.insert(invoices).values({ id: r.id, customerId: 1, status: r.status, totalCents: r.cents }).onConflictDoUpdate({ target: invoices.id, set: { status: r.status } })));
  return results;
}`,
      errors: [
        { messageId: 'notBatchable', line: 9, includes: 'the result of Promise.all(...) is used' },
        { messageId: 'notBatchable', line: 10, includes: 'Promise.allSettled goes on past failed items' },
        { messageId: 'notBatchable', line: 11, includes: 'Promise.all runs the items at once, so which of two items with the same key wins is a race' },
        { messageId: 'notBatchable', line: 12, includes: 'its SET value for totalCents is computed per item (a call or a SQL expression such as an increment)' },
        { messageId: 'notBatchable', line: 13, includes: 'its condition also tests invoices.status, which the update changes' },
        { messageId: 'notBatchable', line: 14, includes: 'it changes the key column invoices.id itself' },
        { messageId: 'notBatchable', line: 15, includes: 'its condition also tests invoices.status, which the update changes' },
        { messageId: 'notBatchable', line: 16, includes: 'its condition has raw SQL' },
        { messageId: 'notBatchable', line: 17, includes: "accounts.id is uuid, whose JS values do not compare like PostgreSQL's =" },
        { messageId: 'notBatchable', line: 18, includes: 'its SET value for status is neither the inserted value (excluded.status) nor a literal' },
        { messageId: 'notBatchable', line: 19, includes: 'its conflict target is not one column of the table' },
        { messageId: 'notBatchable', line: 20, includes: 'its onConflictDoUpdate `setWhere` option decides per row' },
        { messageId: 'notBatchable', line: 21, includes: 'accounts.externalRef may be NULL, and NULL keys never conflict' },
        { messageId: 'notBatchable', line: 22, includes: 'repeated keys add up, where one merged row applies it once' },
        { messageId: 'notBatchable', line: 23, includes: 'Promise.all runs the upserts at once' },
      ],
      output: null,
    },
  ],
});
