import { defineRule } from '../engine/rule';
import type { NodeRef } from '../sql/node-index';
import type { SqlStatement } from '../sql/statement';
import { nameSpanAt } from '../sql/sql-decls';
import { nodeSpan } from './lib/ast';
import { notExistsRewrite } from './lib/not-in-rewrite';

function isInSubquery(sub: any): boolean {
  return sub?.subLinkType === 'ANY_SUBLINK' && !sub.operName?.length && !!sub.subselect?.SelectStmt;
}

function isNotEqualAll(sub: any): boolean {
  const op = sub?.operName?.[0]?.String?.sval;
  return sub?.subLinkType === 'ALL_SUBLINK' && (op === '<>' || op === '!=') && !!sub.subselect?.SelectStmt;
}

function exprText(stmt: SqlStatement, text: string, node: any): string {
  const s = node?.ColumnRef ? nameSpanAt(stmt.tokens(), stmt.at(node.ColumnRef.location ?? 0)) : nodeSpan(stmt, node);
  return text.slice(s.start, s.end);
}

export default defineRule({
  meta: {
    id: 'not-in-subquery',
    category: 'integrity',
    severity: 'error',
    description: '`x NOT IN (SELECT ...)` returns no rows at all when the subquery yields a single NULL.',
    rationale:
      '`NOT IN` compares with every value of the subquery; one NULL makes every comparison unknown, so the query returns zero rows (verified on PostgreSQL). A reconciliation that looks for "payments without a settlement" then reports nothing the day one settlement row has a NULL payment_id, and unmatched money goes unnoticed. `NOT EXISTS` is not affected and is planned as an anti-join. (Rows whose own value is NULL are kept by NOT EXISTS; add `x IS NOT NULL` if they must be excluded.)',
    messages: {
      notIn:
        '{{expr}} {{op}} (SELECT {{target}} ...) returns no rows at all as soon as the subquery yields one NULL {{target}}: every comparison becomes unknown, so a reconciliation or cleanup silently finds nothing. Use NOT EXISTS (SELECT 1 FROM ... WHERE {{target}} = {{expr}}).',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'SELECT p.id FROM payments p WHERE p.id NOT IN (SELECT payment_id FROM settlements);' }],
      correct: [{ code: 'SELECT p.id FROM payments p WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.payment_id = p.id);' }],
    },
  },
  scope: 'statement',
  create(context) {
    const report = (ref: NodeRef, stmt: SqlStatement, sub: any, op: string) => {
      const text = context.text;
      const span = nodeSpan(stmt, ref.node);
      const select = sub.subselect.SelectStmt;
      const targetNode = select.targetList?.length === 1 ? select.targetList[0]?.ResTarget?.val : undefined;
      const newText = notExistsRewrite(ref, stmt, text, span, sub.testexpr, select);
      context.report({
        messageId: 'notIn',
        span,
        data: {
          expr: sub.testexpr ? exprText(stmt, text, sub.testexpr) : 'x',
          op,
          target: targetNode ? exprText(stmt, text, targetNode) : '...',
        },
        fixes: newText ? [{ title: 'Rewrite as NOT EXISTS', edits: [{ ...span, newText }], preferred: true }] : undefined,
      });
    };
    return {
      BoolExpr(ref, stmt) {
        const args: any[] = ref.node.args ?? [];
        if (ref.node.boolop !== 'NOT_EXPR' || args.length !== 1 || !isInSubquery(args[0]?.SubLink)) return;
        report(ref, stmt, args[0].SubLink, 'NOT IN');
      },
      SubLink(ref, stmt) {
        if (isNotEqualAll(ref.node)) report(ref, stmt, ref.node, `${ref.node.operName[0].String.sval} ALL`);
      },
    };
  },
});
