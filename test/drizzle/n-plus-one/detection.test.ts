// Where n-plus-one-query reports (and where not), and why a fix is withheld: the negative cases
// (retry loops, per-item try/catch, iterations that depend on earlier ones) get no fix.
import check from '../../../server/src/drizzle/n-plus-one/n-plus-one-query';
import { tsRuleTester } from '../../lib/ts-rule-tester';

// Eight lines: test code starts on line 9.
const H = `import { and, eq, gt, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { Pool } from 'pg';

export const invoices = pgTable('invoices', { id: integer('id').primaryKey(), customerId: integer('customer_id').notNull(), status: text('status').notNull() });
export const payments = pgTable('payments', { id: integer('id').primaryKey(), invoiceId: integer('invoice_id'), amountCents: integer('amount_cents').notNull() });

`;

tsRuleTester(check, {
  valid: [
    {
      name: 'a retry loop runs the same query: not N+1',
      code: `${H}export async function f(db: NodePgDatabase, id: number) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows = await db.select().from(invoices).where(eq(invoices.id, id));
    if (rows.length) return rows;
  }
  return [];
}`,
    },
    {
      name: 'keyset pagination: the cursor comes from the previous page, not from a collection',
      code: `${H}export async function f(db: NodePgDatabase) {
  let cursor = 0;
  for (;;) {
    const rows = await db.select().from(payments).where(gt(payments.id, cursor)).orderBy(payments.id).limit(500);
    if (!rows.length) break;
    cursor = rows[rows.length - 1].id;
  }
}`,
    },
    {
      name: 'the batched form (chunks of keys) is not reported',
      code: `${H}export async function f(db: NodePgDatabase, ids: number[]) {
  for (let start = 0; start < ids.length; start += 10000) {
    await db.delete(payments).where(sql\`\${payments.id} = any(\${ids.slice(start, start + 10000)})\`);
  }
}`,
    },
    {
      name: 'a return inside a for loop runs the query once',
      code: `${H}export async function f(db: NodePgDatabase, list: Array<{ id: number; open: boolean }>) {
  for (const inv of list) {
    if (inv.open) return await db.select().from(payments).where(eq(payments.invoiceId, inv.id));
  }
  return [];
}`,
    },
    {
      name: 'an object that is not a database handle',
      code: `${H}const repo = { select: (id: number) => ({ from: (t: unknown) => [id, t] }) };
export async function f(ids: number[]) {
  for (const id of ids) await repo.select(id).from(invoices);
}`,
    },
  ],
  invalid: [
    {
      name: 'for...of select keyed by the element: reported at the query, with a fix',
      code: `${H}export async function f(db: NodePgDatabase, list: Array<{ id: number }>) {
  const out = [];
  for (const inv of list) {
    out.push(await db.select().from(payments).where(eq(payments.invoiceId, inv.id)));
  }
  return out;
}`,
      errors: [{ messageId: 'batchable', line: 12, column: 20, endColumn: 84, includes: ['db.select().from(payments)', '`list`', 'for...of on line 11', 'round trips'] }],
    },
    {
      name: 'per-item update with the same value: one update where inArray, same handle',
      code: `${H}export async function f(db: NodePgDatabase, ids: number[]) {
  await db.transaction(async (tx) => {
    for (const id of ids) await tx.update(invoices).set({ status: 'void' }).where(eq(invoices.id, id));
  });
}`,
      errors: [{ messageId: 'batchable', line: 11, includes: 'tx.update(invoices)' }],
      output: `${H.replace('sql }', 'sql, inArray }')}export async function f(db: NodePgDatabase, ids: number[]) {
  await db.transaction(async (tx) => {
    const idKeys = [...new Set(ids)];
    for (let start = 0; start < idKeys.length; start += 5000) {
      await tx.update(invoices).set({ status: 'void' }).where(inArray(invoices.id, idKeys.slice(start, start + 5000)));
    }
  });
}`,
    },
    {
      name: 'a subquery builder is part of its query, not a second finding; .then on the per-item promise: no fix',
      code: `${H}export async function f(db: NodePgDatabase, list: Array<{ id: number }>) {
  for (const inv of list) await db.select().from(invoices).where(gt(invoices.id, db.select({ id: payments.invoiceId }).from(payments).where(eq(payments.invoiceId, inv.id))));
  return Promise.all(list.map((inv) => db.select().from(payments).where(eq(payments.invoiceId, inv.id)).then((r) => r.length)));
}`,
      errors: [
        { messageId: 'notBatchable', line: 10, column: 33, includes: 'its condition on the element is not eq(column, key)' },
        { messageId: 'notBatchable', line: 11, includes: '.then() is not batched automatically' },
      ],
      output: null,
    },
    {
      name: 'drizzle-orm imported as a namespace: the fix calls orm.inArray',
      code: `import * as orm from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', { id: integer('id').primaryKey() });
export async function f(db: NodePgDatabase, ids: number[]) {
  for (const id of ids) await db.delete(payments).where(orm.eq(payments.id, id));
}`,
      errors: [{ messageId: 'batchable', line: 6 }],
      output: `import * as orm from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', { id: integer('id').primaryKey() });
export async function f(db: NodePgDatabase, ids: number[]) {
  const idKeys = [...new Set(ids)];
  for (let start = 0; start < idKeys.length; start += 5000) {
    await db.delete(payments).where(orm.inArray(payments.id, idKeys.slice(start, start + 5000)));
  }
}`,
    },
    {
      name: 'per-item try/catch: no fix',
      code: `${H}export async function f(db: NodePgDatabase, ids: number[], failed: number[]) {
  for (const id of ids) {
    try {
      await db.update(invoices).set({ status: 'paid' }).where(eq(invoices.id, id));
    } catch {
      failed.push(id);
    }
  }
}`,
      errors: [{ messageId: 'notBatchable', line: 12, includes: 'catches errors per item (try/catch on line 11)' }],
      output: null,
    },
    {
      name: 'a retry loop inside a per-element loop: the outer loop is named, and the catch withholds the fix',
      code: `${H}export async function f(db: NodePgDatabase, ids: number[]) {
  for (const id of ids) {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await db.select().from(invoices).where(eq(invoices.id, id));
        break;
      } catch {}
    }
  }
}`,
      errors: [{ messageId: 'notBatchable', line: 13, includes: ['`ids` (for...of on line 10)', 'catches errors per item'] }],
      output: null,
    },
    {
      name: 'an iteration reads what an earlier one wrote: no fix for the read nor the write',
      code: `${H}export async function f(db: NodePgDatabase, charges: Array<{ invoiceId: number; cents: number }>) {
  for (const c of charges) {
    const [inv] = await db.select().from(invoices).where(eq(invoices.id, c.invoiceId));
    await db.update(invoices).set({ status: inv.status === 'open' ? 'paid' : 'overpaid' }).where(eq(invoices.id, c.invoiceId));
  }
}`,
      errors: [
        { messageId: 'notBatchable', line: 11, includes: 'also runs db.update(invoices).set(...) (line 12), so a later iteration may read what an earlier one wrote' },
        { messageId: 'notBatchable', line: 12, includes: 'also runs db.select().from(invoices)' },
      ],
      output: null,
    },
    {
      name: 'a value carried from the previous iteration: no fix',
      code: `${H}export async function f(db: NodePgDatabase, parts: number[]) {
  let prev = 0;
  for (const p of parts) {
    await db.insert(payments).values({ id: prev + p, invoiceId: p, amountCents: 1 });
    prev = prev + p;
  }
}`,
      errors: [{ messageId: 'notBatchable', line: 12, includes: 'reads `prev`, which an earlier iteration set' }],
      output: null,
    },
    {
      name: 'a reassigned loop variable, a key from a call with possible effects: no fix; a pure conversion is fine',
      code: `${H}declare function nextId(inv: { id: number }): number;
export async function f(db: NodePgDatabase, list: Array<{ id: number }>) {
  for (let inv of list) {
    inv = { id: inv.id + 1 };
    await db.delete(payments).where(eq(payments.invoiceId, inv.id));
  }
  for (const inv of list) await db.delete(payments).where(eq(payments.invoiceId, nextId(inv)));
  for (const inv of list) await db.delete(payments).where(eq(payments.invoiceId, Number(inv.id)));
}`,
      errors: [
        { messageId: 'notBatchable', line: 13, includes: 'the loop reassigns `inv` in its body' },
        { messageId: 'notBatchable', line: 15, includes: 'from a call that may have effects' },
        { messageId: 'batchable', line: 16 },
      ],
    },
    {
      name: 'other awaited work in the loop: no fix',
      code: `${H}declare function notify(id: number): Promise<void>;
export async function f(db: NodePgDatabase, ids: number[]) {
  for (const id of ids) {
    await notify(id);
    const rows = await db.select().from(payments).where(eq(payments.invoiceId, id));
    console.log(rows.length);
  }
}`,
      errors: [{ messageId: 'notBatchable', line: 13, includes: 'also awaits notify(id) (line 12)' }],
      output: null,
    },
    {
      name: '.forEach(async ...), while over a queue, for...in, for await, .reduce: reported, explained',
      code: `${H}export async function f(db: NodePgDatabase, ids: number[], byId: Record<string, number>, stream: AsyncIterable<number>) {
  ids.forEach(async (id) => { await db.delete(payments).where(eq(payments.id, id)); });
  const queue = [...ids];
  while (queue.length) {
    const id = queue.shift()!;
    await db.delete(payments).where(eq(payments.id, id));
  }
  for (const k in byId) await db.execute(sql\`select \${k}\`);
  for await (const id of stream) await db.delete(payments).where(eq(payments.id, id));
  await ids.reduce(async (prev, id) => { await prev; await db.delete(payments).where(eq(payments.id, id)); }, Promise.resolve());
}`,
      errors: [
        { messageId: 'notBatchable', line: 10, includes: ['.forEach(async ...)', '.forEach does not wait'] },
        { messageId: 'notBatchable', line: 14, includes: ['`queue` (while loop on line 12)', "a while loop's elements are not known"] },
        { messageId: 'notBatchable', line: 16, includes: 'for...in' },
        { messageId: 'notBatchable', line: 17, includes: 'for await...of receives its elements one at a time' },
        { messageId: 'notBatchable', line: 18, includes: 'each .reduce step waits for the previous one' },
      ],
      output: null,
    },
    {
      name: 'through one level of a local helper that takes the handle: reported at the call',
      code: `${H}async function paymentsOf(conn: NodePgDatabase, invoiceId: number) {
  return conn.select().from(payments).where(eq(payments.invoiceId, invoiceId));
}
export async function f(db: NodePgDatabase, ids: number[]) {
  return Promise.all(ids.map((id) => paymentsOf(db, id)));
}`,
      errors: [{ messageId: 'viaHelper', line: 13, column: 38, includes: ['paymentsOf(...) runs conn.select().from(payments)', 'Promise.all(ids.map(...))'] }],
      output: null,
    },
    {
      name: 'findFirst on a non-unique column without ordering, a per-item limit, raw pg queries, first-per-key ordered on a non-unique column: explained, no fix',
      code: `${H}const pool = new Pool();
export async function f(db: NodePgDatabase<any>, ids: number[]) {
  const first = await Promise.all(ids.map((id) => db.query.payments.findFirst({ where: eq(payments.invoiceId, id) })));
  for (const id of ids) await db.select().from(payments).where(eq(payments.invoiceId, id)).limit(1);
  for (const id of ids) await pool.query('select * from payments where invoice_id = $1', [id]);
  for (const id of ids) await db.select().from(payments).where(eq(payments.invoiceId, id)).orderBy(payments.amountCents).limit(1);
  return first;
}`,
      errors: [
        { messageId: 'notBatchable', line: 11, includes: 'payments.invoiceId is not unique and it has no ordering, so which row comes first is up to PostgreSQL' },
        { messageId: 'notBatchable', line: 12, includes: 'its .limit() applies per item' },
        { messageId: 'notBatchable', line: 13, includes: 'raw SQL' },
        { messageId: 'notBatchable', line: 14, includes: 'its ordering ends on payments.amountCents, which is not unique, so rows that tie may be picked differently' },
      ],
      output: null,
    },
  ],
});
