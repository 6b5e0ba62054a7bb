import ts from 'typescript';
import sqlRule from '../../rules/not-in-subquery';
import { defineDrizzleCheck } from '../check';
import { chainRoot } from '../handles';
import { importedName, mayImport } from '../imports';
import { spanOf, unwrap, visitCalls } from './shared';

export default defineDrizzleCheck({
  meta: {
    ...sqlRule.meta,
    languages: ['sql', 'typescript'],
    messages: {
      ...sqlRule.meta.messages,
      drizzle:
        'notInArray({{expr}}, subquery) becomes NOT IN (SELECT ...), which returns no rows at all as soon as the subquery yields one NULL: a reconciliation or cleanup silently finds nothing. Use notExists(...) with a correlated subquery instead.',
    },
  },
  check(context) {
    const a = context.analysis;
    // A file that cannot name notInArray (a schema) has no call to look at.
    if (!mayImport(a.imports, 'notInArray')) return;
    // Variables holding a select builder: `const settled = db.select(...).from(...)`.
    const selectVars = new Set<string>();
    const isSelect = (e: ts.Expression): boolean => {
      const u = unwrap(e);
      if (ts.isIdentifier(u)) return selectVars.has(u.text);
      if (!ts.isCallExpression(u)) return false;
      const root = chainRoot(u);
      if (!a.handles.kindOf(root)) return false;
      let cur: ts.Expression = u;
      while (ts.isCallExpression(cur) && ts.isPropertyAccessExpression(cur.expression)) {
        if (/^select/.test(cur.expression.name.text)) return true;
        cur = cur.expression.expression;
      }
      return false;
    };
    for (const v of a.variables) if (ts.isIdentifier(v.name) && v.initializer && isSelect(v.initializer)) selectVars.add(v.name.text);
    visitCalls(a, (call) => {
      if (importedName(call.expression, a.imports) !== 'notInArray') return;
      const [col, values] = call.arguments;
      if (!values || !isSelect(values)) return;
      context.report({ messageId: 'drizzle', span: spanOf(call, a.sf), data: { expr: col?.getText(a.sf) ?? '' } });
    });
  },
});
