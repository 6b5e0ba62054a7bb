// n-plus-one-query: a database call awaited once per element of a collection, found in loop
// bodies, per-element callbacks and one level of local helpers; with a "Batch into one query"
// fix where batching provably keeps the loop's results, and the reason in the message where not.
import type { SchemaModel } from '../../model/schema';
import { defineDrizzleCheck, type DrizzleCheckContext } from '../check';
import { findNPlusOne, type NPlusOne } from './detect';
import { queryLabel } from './queries';
import { rewriteRead, type Rewrite } from './rewrite-read';
import { rewriteWrite } from './rewrite-write';
import { bodyReason, loopReason, mutatedResult } from './safety';

const PER_ELEMENT =
  '{{query}} runs once per element of `{{collection}}` ({{loop}} on line {{line}}): N items cost N round trips and hold a pooled connection N times as long (at 1 ms per round trip, 10,000 items wait 10 s while other requests queue for connections).';

const BATCH_TEXT: Record<string, string> = {
  select: 'one inArray query before the loop, rows grouped in a Map',
  findFirst: 'one findMany with inArray before the loop, rows in a Map by key',
  findMany: 'one findMany with inArray before the loop, rows grouped in a Map',
  insert: 'one insert().values([...]) for all rows',
  update: 'one update ... where inArray over the keys',
  delete: 'one delete ... where inArray over the keys',
};

function rewrite(f: NPlusOne, context: DrizzleCheckContext, schema: SchemaModel | undefined): Rewrite {
  const a = context.analysis;
  const reason = loopReason(f) ?? bodyReason(f, a);
  if (reason) return { reason };
  if (f.query.op === 'select' || f.query.op === 'findFirst' || f.query.op === 'findMany') {
    const mutated = mutatedResult(f, a.sf);
    return mutated ? { reason: mutated } : rewriteRead(f, a, schema);
  }
  if (f.query.op === 'insert' || f.query.op === 'update' || f.query.op === 'delete') return rewriteWrite(f, a, schema);
  return { reason: 'raw SQL (execute / query) is not rewritten automatically' };
}

function shorten(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

export default defineDrizzleCheck({
  meta: {
    id: 'n-plus-one-query',
    category: 'indexing',
    severity: 'warning',
    description: 'A database query awaited once per element of a collection (a loop body, .map(async ...) under Promise.all, .forEach, .reduce, or a helper called per element) where the query is keyed by the element.',
    rationale:
      'Each iteration pays a full round trip to PostgreSQL and holds a pooled connection while it waits: a page that settles 2,000 invoices with one lookup each spends 2,000 round trips (2 s at 1 ms, far more across regions) where one `inArray` query takes a few milliseconds. Under load the loops keep connections busy, so the pool saturates and unrelated requests (payments, webhooks) time out waiting for a connection; the cost grows with the customer base, not with the code. Batching reads into one query grouped by key, and writes into one multi-row statement, keeps the work to one or two round trips however many items there are. The quick fix batches writes too: inserts, updates and deletes in for...of loops or under `await Promise.all(items.map(...))`, updates whose SET value differs per item (one `UPDATE ... FROM (VALUES ...)`, cast to the columns\' types, keeping the last item per key as the loop does) and `onConflictDoUpdate` upserts (rows merged per key first, because one INSERT that touches a row twice fails with 21000); where batching could change which item wins (concurrent items, increments, a WHERE on a column the update sets), it explains why instead.',
    messages: {
      batchable: `${PER_ELEMENT} Batch it: {{batch}} (quick fix "Batch into one query").`,
      notBatchable: `${PER_ELEMENT} Batch it into one query over all keys (inArray) before the loop; not rewritten automatically because {{reason}}.`,
      viaHelper:
        '{{helper}}(...) runs {{query}} once per element of `{{collection}}` ({{loop}} on line {{line}}): N items cost N round trips and hold a pooled connection N times as long. Give {{helper}} a batched variant that takes all keys and runs one inArray query.',
    },
    fix: 'quickfix',
    languages: ['typescript'],
    examples: {
      incorrect: [
        {
          language: 'typescript',
          code: "import { eq } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { payments } from './schema';\n\nexport async function paymentsPerInvoice(db: NodePgDatabase, invoiceIds: number[]) {\n  const out = [];\n  for (const id of invoiceIds) {\n    out.push(await db.select().from(payments).where(eq(payments.invoiceId, id)));\n  }\n  return out;\n}",
        },
        {
          language: 'typescript',
          code: "import type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { customers } from './schema';\n\nexport async function syncCustomers(db: NodePgDatabase, incoming: Array<{ id: number; name: string; email: string }>) {\n  for (const c of incoming) {\n    await db.insert(customers).values({ id: c.id, name: c.name, email: c.email }).onConflictDoUpdate({ target: customers.id, set: { name: c.name } });\n  }\n}",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "import { inArray } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { payments } from './schema';\n\nexport async function paymentsPerInvoice(db: NodePgDatabase, invoiceIds: number[]) {\n  const rows = invoiceIds.length ? await db.select().from(payments).where(inArray(payments.invoiceId, invoiceIds)) : [];\n  return invoiceIds.map((id) => rows.filter((r) => r.invoiceId === id));\n}",
        },
        {
          language: 'typescript',
          code: "import { sql } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { customers } from './schema';\n\nexport async function syncCustomers(db: NodePgDatabase, incoming: Array<{ id: number; name: string; email: string }>) {\n  // One row per id, as the loop would leave it: one INSERT cannot update a row twice (21000).\n  const byId = new Map<number, typeof customers.$inferInsert>();\n  for (const c of incoming) {\n    const earlier = byId.get(c.id);\n    byId.set(c.id, earlier ? { ...earlier, name: c.name } : { id: c.id, name: c.name, email: c.email });\n  }\n  const rows = [...byId.values()];\n  for (let start = 0; start < rows.length; start += 1000) {\n    await db.insert(customers).values(rows.slice(start, start + 1000)).onConflictDoUpdate({ target: customers.id, set: { name: sql`excluded.name` } });\n  }\n}",
        },
      ],
    },
  },
  check(context) {
    const a = context.analysis;
    const schema = context.schema;
    for (const f of findNPlusOne(a)) {
      const sf = a.sf;
      const data = {
        query: queryLabel(f.query, sf),
        collection: f.iteration.collection ? shorten(f.iteration.collection.getText(sf)) : 'the loop',
        loop: f.iteration.label,
        line: sf.getLineAndCharacterOfPosition(f.iteration.node.getStart(sf)).line + 1,
      };
      if (f.helper) {
        const call = f.helper.call;
        context.report({ messageId: 'viaHelper', span: { start: call.getStart(sf), end: call.end }, data: { ...data, helper: f.helper.name } });
        continue;
      }
      const span = { start: f.query.outer.getStart(sf), end: f.query.outer.end };
      let result: Rewrite;
      try {
        result = rewrite(f, context, schema);
      } catch {
        // An odd shape must not lose the finding itself.
        result = { reason: 'its shape could not be analysed' };
      }
      if ('fix' in result) context.report({ messageId: 'batchable', span, data: { ...data, batch: result.batch ?? BATCH_TEXT[f.query.op] ?? 'one query' }, fixes: [result.fix] });
      else context.report({ messageId: 'notBatchable', span, data: { ...data, reason: result.reason } });
    }
  },
});
