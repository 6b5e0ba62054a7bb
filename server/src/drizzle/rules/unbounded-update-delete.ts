import ts from 'typescript';
import { financialWord } from '../../engine/vocabulary';
import sqlRule from '../../rules/unbounded-update-delete';
import { defineDrizzleCheck } from '../check';
import { chainAfter, handleCalls, tableArgName } from './shared';

const METHODS = new Set(['update', 'delete']);

/** A builder kept in a variable may get its `.where()` later: only finished chains are judged. */
function isFinished(outer: ts.Expression): boolean {
  let p = outer.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
  return !!p && (ts.isAwaitExpression(p) || ts.isExpressionStatement(p) || ts.isReturnStatement(p) || ts.isArrowFunction(p) || ts.isCallExpression(p) || ts.isArrayLiteralExpression(p));
}

export default defineDrizzleCheck({
  meta: {
    ...sqlRule.meta,
    languages: ['sql', 'typescript'],
    messages: {
      ...sqlRule.meta.messages,
      drizzleUpdate:
        '.update({{table}}).set(...) has no .where(): it changes every row{{fin}} and locks all of them until commit. Add .where(...); for an intentional backfill, update in batches by key range.',
      drizzleDelete:
        '.delete({{table}}) has no .where(): it removes every row{{fin}} and locks all of them until commit. Add .where(...); for an intentional purge, delete in batches.',
    },
  },
  check(context) {
    const a = context.analysis;
    for (const call of handleCalls(a, METHODS, 'drizzle')) {
      const { names, outer } = chainAfter(call);
      if (names.includes('where') || !isFinished(outer)) continue;
      const isUpdate = (call.expression as ts.PropertyAccessExpression).name.text === 'update';
      if (isUpdate && !names.includes('set')) continue;
      const table = tableArgName(a, call.arguments[0]);
      const fin = financialWord(table, context.vocabulary);
      const start = (call.expression as ts.PropertyAccessExpression).name.getStart(a.sf);
      // Anchor: `update(t).set(...)` / `delete(t)`, the part that decides what is touched.
      let end = call.end;
      if (isUpdate) {
        let cur: ts.Node = call;
        while (ts.isPropertyAccessExpression(cur.parent) && ts.isCallExpression(cur.parent.parent)) {
          cur = cur.parent.parent;
          if ((cur as ts.CallExpression).expression && ((cur as ts.CallExpression).expression as ts.PropertyAccessExpression).name.text === 'set') {
            end = cur.end;
            break;
          }
        }
      }
      context.report({
        messageId: isUpdate ? 'drizzleUpdate' : 'drizzleDelete',
        span: { start, end },
        severity: fin ? 'error' : undefined,
        data: { table, fin: fin ? ` (\`${table}\` looks like a financial table)` : '' },
      });
    }
  },
});
