import { defineRule } from '../engine/rule';
import { financialWord } from '../engine/vocabulary';
import { relName } from './lib/ast';

/** Whether a WHERE clause lets every row through: `true`, `1 = 1`, `'a' = 'a'`. */
function alwaysTrue(where: any): boolean {
  const c = where?.A_Const;
  if (c?.boolval) return c.boolval.boolval === true;
  const e = where?.A_Expr;
  if (e?.kind !== 'AEXPR_OP' || e.name?.[0]?.String?.sval !== '=') return false;
  const l = e.lexpr?.A_Const;
  const r = e.rexpr?.A_Const;
  if (!l || !r || l.isnull || r.isnull) return false;
  const value = (k: any) => JSON.stringify({ ...k, location: undefined });
  return value(l) === value(r);
}

export default defineRule({
  meta: {
    id: 'unbounded-update-delete',
    category: 'integrity',
    severity: 'warning',
    description: 'UPDATE or DELETE without a WHERE clause (or with `WHERE true` / `WHERE 1 = 1`) touches every row of the table.',
    rationale:
      'One missing WHERE rewrites or deletes every balance, payment or invoice at once, and on a large table it also holds row locks on all of them until commit, stalling every payment that touches the table. Intentional backfills belong in a batched job with an explicit key range.',
    messages: {
      update:
        'UPDATE {{table}} has {{why}}: it changes every row{{fin}} and locks all of them until commit. Add a WHERE clause; for an intentional backfill, update in batches by key range.',
      delete:
        'DELETE FROM {{table}} has {{why}}: it removes every row{{fin}} and locks all of them until commit. Add a WHERE clause; for an intentional purge, delete in batches (or TRUNCATE a table that holds no financial records).',
    },
    fix: 'none',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: "UPDATE payments SET status = 'settled';" }],
      correct: [{ code: "UPDATE payments SET status = 'settled' WHERE id = $1;" }],
    },
  },
  scope: 'statement',
  create(context) {
    const check = (messageId: 'update' | 'delete', node: any, stmt: { firstLine(): { start: number; end: number } }) => {
      const where = node.whereClause;
      if (where && !alwaysTrue(where)) return;
      const table = relName(node.relation);
      const finWord = financialWord(table, context.vocabulary);
      context.report({
        messageId,
        span: stmt.firstLine(),
        severity: finWord ? 'error' : undefined,
        data: {
          table,
          why: where ? 'a WHERE clause that is always true' : 'no WHERE clause',
          fin: finWord ? ` (\`${table}\` looks like a financial table)` : '',
        },
      });
    };
    return {
      UpdateStmt(ref, stmt) {
        check('update', ref.node, stmt);
      },
      DeleteStmt(ref, stmt) {
        check('delete', ref.node, stmt);
      },
    };
  },
});
