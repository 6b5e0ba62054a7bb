import ts from 'typescript';
import sqlRule from '../../rules/implicit-columns';
import { defineDrizzleCheck } from '../check';
import { handleCalls, tableArgName, withTypeScript } from './shared';

const SELECTS = new Set(['select', 'selectDistinct']);

/** The `.from(t)` call that follows `db.select()` in its chain, if any. */
function fromCall(select: ts.CallExpression): ts.CallExpression | undefined {
  const access = select.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name.text !== 'from' || !ts.isCallExpression(access.parent)) return undefined;
  return access.parent;
}

export default defineDrizzleCheck({
  meta: withTypeScript(
    sqlRule.meta,
    {
      drizzleSelectAll:
        'db.{{method}}().from({{table}}) has no field list: it reads and ships every column of `{{table}}`, including wide ones added later, and rules out index-only scans. Name the fields: db.{{method}}({ id: {{variable}}.id, ... }).from({{variable}}).',
    },
    {
      incorrect: [{ language: 'typescript', code: "import { eq } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { payments } from './schema';\nexport const pending = (db: NodePgDatabase) => db.select().from(payments).where(eq(payments.status, 'pending'));" }],
      correct: [{ language: 'typescript', code: "import { eq } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { payments } from './schema';\nexport const pending = (db: NodePgDatabase) => db.select({ id: payments.id, amount: payments.amount }).from(payments).where(eq(payments.status, 'pending'));" }],
    },
  ),
  check(context) {
    const a = context.analysis;
    for (const call of handleCalls(a, SELECTS, 'drizzle')) {
      if (call.arguments.length > 0) continue;
      const from = fromCall(call);
      const arg = from?.arguments[0];
      if (!from || !arg) continue;
      const method = (call.expression as ts.PropertyAccessExpression).name.text;
      context.report({
        messageId: 'drizzleSelectAll',
        span: { start: (call.expression as ts.PropertyAccessExpression).name.getStart(a.sf), end: from.end },
        severity: 'hint',
        data: { method, table: tableArgName(a, arg), variable: arg.getText(a.sf) },
      });
    }
  },
});
