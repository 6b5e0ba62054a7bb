import { defineRule } from '../engine/rule';
import { tokenIndexAt } from '../sql/tokens';
import { funcName, nodeSpan } from './lib/ast';

/** Session-level advisory lock functions and their transaction-scoped replacements. */
const XACT_VARIANT: Record<string, string> = {
  pg_advisory_lock: 'pg_advisory_xact_lock',
  pg_try_advisory_lock: 'pg_try_advisory_xact_lock',
  pg_advisory_lock_shared: 'pg_advisory_xact_lock_shared',
  pg_try_advisory_lock_shared: 'pg_try_advisory_xact_lock_shared',
};

export default defineRule({
  meta: {
    id: 'session-advisory-lock',
    category: 'concurrency',
    severity: 'warning',
    description: 'Session-level advisory lock that outlives the transaction and leaks across pooled connections.',
    rationale:
      'A session advisory lock is held until `pg_advisory_unlock` or until the connection closes. Behind a pool (PgBouncer, node-postgres, Drizzle) the connection goes back to the pool with the lock still held when the code throws before unlocking, and every later job that needs the same lock (a payout run, a wallet rebalance) waits forever or silently skips its work. `pg_advisory_xact_lock` is released by COMMIT or ROLLBACK, so an error cannot leak it.',
    messages: {
      session:
        '{{name}}() takes a session-level advisory lock: it stays held after COMMIT or ROLLBACK until an explicit unlock, so an error path leaks it on a pooled connection and blocks every later job that needs it. Use {{replacement}}() inside the transaction (released at commit/rollback) and remove the matching pg_advisory_unlock call, which would then return false.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'SELECT pg_advisory_lock(42);' }],
      correct: [{ code: 'BEGIN;\nSELECT pg_advisory_xact_lock(42);\nCOMMIT;' }],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      FuncCall(ref, stmt) {
        const name = funcName(ref.node);
        const replacement = XACT_VARIANT[name];
        if (!replacement) return;
        const tokens = stmt.tokens();
        // The call starts at its (possibly qualified) name; the function's own name is the last part.
        let i = tokenIndexAt(tokens, stmt.at(ref.node.location ?? 0));
        while (tokens[i + 1]?.text === '.' && tokens[i + 2]) i += 2;
        const nameToken = tokens[i];
        const quoted = nameToken?.text.startsWith('"');
        const fixes =
          nameToken && nameToken.text.replace(/"/g, '').toLowerCase() === name
            ? [{ title: `Use ${replacement}() (released at commit/rollback)`, edits: [{ start: nameToken.start, end: nameToken.end, newText: quoted ? `"${replacement}"` : replacement }], preferred: true }]
            : undefined;
        context.report({ messageId: 'session', span: nodeSpan(stmt, ref.node), data: { name, replacement }, fixes });
      },
    };
  },
});
