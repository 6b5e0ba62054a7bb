import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import { plpgsqlBody } from '../sql/plpgsql';
import type { SqlStatement } from '../sql/statement';
import { tokenIndexAt } from '../sql/tokens';
import { nodeSpan, relName } from './lib/ast';
import { isBalanceColumn, staleBalanceWrites } from './lib/flow-balance';

/** A value computed outside the database: parameters and constants only (no column, no subquery). */
function isAbsolute(node: any, depth = 0): boolean {
  if (!node || depth > 50) return false;
  if (node.ParamRef || node.A_Const) return true;
  if (node.TypeCast) return isAbsolute(node.TypeCast.arg, depth + 1);
  const e = node.A_Expr;
  if (e?.kind === 'AEXPR_OP') return (!e.lexpr || isAbsolute(e.lexpr, depth + 1)) && isAbsolute(e.rexpr, depth + 1);
  return false;
}

/** `SET balance = $1`: from SET (when this is the first assignment) to the end of the value. */
function setClauseSpan(stmt: SqlStatement, target: any): Span {
  const span = nodeSpan(stmt, target);
  const tokens = stmt.tokens();
  const i = tokenIndexAt(tokens, span.start);
  return i > 0 && tokens[i - 1].keyword === 'set' ? { start: tokens[i - 1].start, end: span.end } : span;
}

export default defineRule({
  meta: {
    id: 'balance-read-modify-write',
    category: 'concurrency',
    severity: 'error',
    description: 'An UPDATE writes a balance computed outside the statement (a parameter, a constant, or a PL/pgSQL variable read without FOR UPDATE), so concurrent debits overwrite each other.',
    rationale:
      'When two requests each read a balance of 100 and each write back 90, one debit of 10 disappears: the account ends at 90 after 20 was spent. The behaviour test (test/behaviour/money-claims.test.ts) runs exactly this on a real PostgreSQL with two connections: the absolute writes end at 90, while `SET balance = balance - 10 WHERE id = 1 AND balance >= 10` ends at 80, because the UPDATE re-reads the row after waiting for the other writer\'s lock. In PL/pgSQL the same loss happens between `SELECT balance INTO v` (no lock) and `UPDATE ... SET balance = v`. Write the change relative to the stored value, guard overdrafts in the WHERE clause and read the new value with RETURNING; or lock the row first with SELECT ... FOR UPDATE.',
    messages: {
      absolute:
        'UPDATE {{table}} SET {{column}} = {{value}} writes a balance computed before this statement (`{{column}}` looks like a balance): two concurrent requests that both read 100 and write 90 lose one debit. Write the change relative to the stored value: SET {{column}} = {{column}} - $2 WHERE id = $1 AND {{column}} >= $2 RETURNING {{column}}.',
      staleRead:
        'UPDATE {{table}} SET {{column}} = ... in {{routine}} writes `{{variable}}`, a balance read by SELECT ... INTO without FOR UPDATE: a concurrent call can change `{{column}}` in between and its debit is lost. Update relative to the stored value (SET {{column}} = {{column}} - amount ... AND {{column}} >= amount RETURNING {{column}} INTO {{variable}}), or lock the row in the read with FOR UPDATE.',
    },
    fix: 'suggestion',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: 'UPDATE wallets SET balance = $2 WHERE id = $1;' },
        {
          code: 'CREATE FUNCTION debit(p_id bigint, p_amt numeric) RETURNS numeric LANGUAGE plpgsql AS $$\nDECLARE v numeric;\nBEGIN\n  SELECT balance INTO v FROM wallets WHERE id = p_id;\n  v := v - p_amt;\n  UPDATE wallets SET balance = v WHERE id = p_id;\n  RETURN v;\nEND $$;',
        },
      ],
      correct: [
        { code: 'UPDATE wallets SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance;' },
        {
          code: 'CREATE FUNCTION debit(p_id bigint, p_amt numeric) RETURNS numeric LANGUAGE plpgsql AS $$\nDECLARE v numeric;\nBEGIN\n  SELECT balance INTO v FROM wallets WHERE id = p_id FOR UPDATE;\n  UPDATE wallets SET balance = v - p_amt WHERE id = p_id;\n  RETURN v - p_amt;\nEND $$;',
        },
      ],
    },
  },
  scope: 'statement',
  create(context) {
    // context.text is read when visiting: a one-shot run keeps these visitors from file to file.
    return {
      UpdateStmt(ref, stmt) {
        if (stmt.container) return; // inside bodies, only the read-then-write flow below is reported
        const table = relName(ref.node.relation);
        for (const rt of ref.node.targetList ?? []) {
          const target = rt?.ResTarget;
          const column = String(target?.name ?? '');
          if (!isBalanceColumn(column, context.vocabulary) || !isAbsolute(target.val)) continue;
          const value = nodeSpan(stmt, target.val);
          context.report({ messageId: 'absolute', span: setClauseSpan(stmt, rt), data: { table, column, value: context.text.slice(value.start, value.end) } });
        }
      },
      statement(stmt) {
        const body = plpgsqlBody(stmt);
        if (!body) return;
        for (const w of staleBalanceWrites(body, context.vocabulary)) {
          const value = nodeSpan(w.update, w.target.ResTarget.val);
          let newText = w.relative;
          if (newText && w.relativeRest) {
            const rest = nodeSpan(w.update, w.relativeRest);
            newText += context.text.slice(rest.start, rest.end);
          }
          context.report({
            messageId: 'staleRead',
            span: setClauseSpan(w.update, w.target),
            data: { table: w.table, column: w.column, variable: w.variable, routine: body.kind === 'do' ? 'a DO block' : `${body.kind} \`${body.name}\`` },
            fixes: newText ? [{ title: `Write ${w.column} relative to the stored value`, edits: [{ ...value, newText }], preferred: true }] : undefined,
          });
        }
      },
    };
  },
});
