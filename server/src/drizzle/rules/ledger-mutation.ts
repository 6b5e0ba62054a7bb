import ts from 'typescript';
import { isLedgerTable } from '../../engine/vocabulary';
import sqlRule from '../../rules/ledger-mutation';
import { defineDrizzleCheck } from '../check';
import { chainAfter, handleCalls, spanOf, tableArgName, withTypeScript } from './shared';

const METHODS = new Set(['update', 'delete', 'insert']);

export default defineDrizzleCheck({
  meta: withTypeScript(
    sqlRule.meta,
    {
      drizzle:
        '.{{method}}({{table}}){{what}} rewrites posted history: `{{table}}` looks like an append-only ledger, so balances derived from it change without a trace and the audit trail no longer explains the money. Insert a reversing entry instead: .insert({{table}}).values({ ...entry, amount: -entry.amount, reversesEntryId: entry.id }).',
    },
    {
      incorrect: [
        {
          language: 'typescript',
          code: "import { eq } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { ledgerEntries } from './schema';\nexport const fix = (db: NodePgDatabase, id: number) => db.update(ledgerEntries).set({ amount: '90' }).where(eq(ledgerEntries.id, id));",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "import type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { ledgerEntries } from './schema';\nexport const reverse = (db: NodePgDatabase, e: { id: number; accountId: number; amount: string }) =>\n  db.insert(ledgerEntries).values({ accountId: e.accountId, amount: `-${e.amount}`, reversesEntryId: e.id });",
        },
      ],
    },
  ),
  check(context) {
    const a = context.analysis;
    for (const call of handleCalls(a, METHODS, 'drizzle')) {
      const method = (call.expression as ts.PropertyAccessExpression).name.text;
      const table = tableArgName(a, call.arguments[0]);
      if (!table || !isLedgerTable(table, context.vocabulary)) continue;
      const { names } = chainAfter(call);
      // An insert only rewrites history when a conflict turns it into an update.
      if (method === 'insert' && !names.includes('onConflictDoUpdate')) continue;
      const what = method === 'insert' ? '...onConflictDoUpdate(...)' : method === 'update' ? '.set(...)' : '';
      const start = (call.expression as ts.PropertyAccessExpression).name.getStart(a.sf);
      context.report({ messageId: 'drizzle', span: { start, end: spanOf(call, a.sf).end }, data: { method, table, what } });
    }
  },
});
