import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { SqlStatement } from '../sql/statement';
import { tokenIndexAt } from '../sql/tokens';

const RETRYING = new Set(['serializable', 'repeatable read']);

/** `ISOLATION LEVEL SERIALIZABLE`: from the option's first word to the end of the level. */
function optionSpan(stmt: SqlStatement, option: any): Span {
  const tokens = stmt.tokens();
  const start = stmt.at(option.location ?? 0);
  const at = tokenIndexAt(tokens, stmt.at(option.arg?.A_Const?.location ?? option.location ?? 0));
  const t = tokens[at];
  if (!t) return stmt.firstLine();
  const end = t.text.toLowerCase() === 'repeatable' && tokens[at + 1] ? tokens[at + 1].end : t.end;
  return { start: Math.min(start, t.start), end };
}

export default defineRule({
  meta: {
    id: 'serializable-without-retry',
    category: 'concurrency',
    severity: 'info',
    description: 'A transaction asks for SERIALIZABLE or REPEATABLE READ isolation, which PostgreSQL enforces by aborting transactions with 40001, so its caller must retry.',
    rationale:
      'SERIALIZABLE is a sound way to make check-then-write money logic safe, but PostgreSQL keeps the guarantee by cancelling one of two conflicting transactions with SQLSTATE 40001 (serialization_failure); REPEATABLE READ does the same when a row it wants to update was changed concurrently, and any transaction can hit a deadlock (40P01). A caller that does not retry turns these into failed payments under load, exactly when the isolation level is earning its keep. Run the whole transaction in a retry loop (3 to 5 attempts with jittered backoff) that restarts from BEGIN on 40001 and 40P01, and keep side effects outside the database (emails, webhooks) until after COMMIT.',
    messages: {
      needsRetry:
        '{{level}} isolation makes PostgreSQL abort conflicting transactions with SQLSTATE 40001 (and deadlocks with 40P01): the caller must retry the whole transaction from BEGIN on 40001/40P01, 3 to 5 times with jittered backoff, or payments fail under concurrency. Make sure the code running this SQL does.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nCOMMIT;' }],
      correct: [{ code: 'BEGIN;\nSELECT balance FROM accounts WHERE id = $1 FOR NO KEY UPDATE;\nCOMMIT;' }],
    },
  },
  scope: 'statement',
  create(context) {
    const report = (level: string, span: Span) => context.report({ messageId: 'needsRetry', span, data: { level: level.toUpperCase() } });
    const fromOptions = (options: any[] | undefined, stmt: SqlStatement) => {
      for (const o of options ?? []) {
        const d = o?.DefElem;
        const level = String(d?.arg?.A_Const?.sval?.sval ?? '').toLowerCase();
        if (d?.defname === 'transaction_isolation' && RETRYING.has(level)) report(level, optionSpan(stmt, d));
      }
    };
    return {
      TransactionStmt(ref, stmt) {
        fromOptions(ref.node.options, stmt);
      },
      VariableSetStmt(ref, stmt) {
        const n = ref.node;
        if (n.kind === 'VAR_SET_MULTI') return fromOptions(n.args, stmt);
        if (n.kind !== 'VAR_SET_VALUE' || (n.name !== 'default_transaction_isolation' && n.name !== 'transaction_isolation')) return;
        const level = String(n.args?.[0]?.A_Const?.sval?.sval ?? '').toLowerCase();
        if (RETRYING.has(level)) report(level, stmt.firstLine());
      },
    };
  },
});
